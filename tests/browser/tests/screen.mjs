// What the learner can read: every run of text the app draws (its test hook
// Module._tcplab_test_text reports each run with its rectangle and the clip
// rectangle it was drawn under) must lie inside its clip horizontally, and
// vertically unless its window scrolls. Checked at the five sizes (a phone
// with touch, a 640x480 iframe, 1024x640, 1366x768, 1920x1080) in both
// languages, at every step of lessons 1, 2 and 6, in the exam and its
// review, the help, the sandbox and its log. Screenshots of each screen go
// to tests/browser/artifacts/screen-*.png.
import { Lesson, poll, settle } from './lesson-helpers.mjs';
import { answer, click, ready, visibleRect, walkLesson } from './lessons.mjs';
import { tap } from './a11y.mjs';
import { frameLesson, hostPage } from '../lib/frames.mjs';
import { cutRuns, leaks, textRuns } from '../lib/text.mjs';

export { textRuns };

export const SIZES = [
  { name: 'phone', width: 390, height: 844, touch: true },
  { name: 'iframe', width: 640, height: 480, iframe: true },
  { name: 'small', width: 1024, height: 640 },
  { name: 'laptop', width: 1366, height: 768 },
  { name: 'projector', width: 1920, height: 1080 },
];

// Opens the app at `size` with `query` (an iframe of a host page for the
// iframe size) and returns a Lesson driving it, the built-in lessons loaded.
export async function openAt(t, size, query, lang) {
  if (size.iframe) {
    const path = `/screen-host-${Math.random().toString(36).slice(2)}.html`;
    t.server.override(path, hostPage([{ id: 'app', src: `index.html${query}`,
      style: `width:${size.width}px;height:${size.height}px` }], '<p style="height:1200px">The course page goes on.</p>'));
    const { page, errors } = await t.open(path.slice(1), { viewport: { width: 1024, height: 768 } });
    const handle = await page.waitForSelector('#app');
    const frame = await handle.contentFrame();
    await frame.waitForFunction(() => window.tcplabStatus === 'ready' || window.tcplabStatus === 'error', null,
      { timeout: 30000 });
    const L = await frameLesson(t, page, handle, errors);
    L.top = page;
    await ready(L, lang);
    return L;
  }
  const viewport = { width: size.width, height: size.height };
  const { page, errors } = await t.open(`index.html${query}`,
    { viewport, hasTouch: !!size.touch, isMobile: !!size.touch });
  const L = new Lesson(t, page, errors, viewport);
  L.top = page;
  await ready(L, lang);
  return L;
}

function describeCut(c) {
  const text = c.text.length > 60 ? `${c.text.slice(0, 57)}...` : c.text;
  return `${JSON.stringify(text)} in ${c.window.split('/').pop()} cut ${c.how}: ` +
         `rect ${c.rect.map(Math.round).join(',')} clip ${c.clip.map(Math.round).join(',')}`;
}

// Records the cut runs of the screen as it is now under `where`.
export async function checkScreen(L, where, problems) {
  const cut = cutRuns(await textRuns(L));
  for (const c of cut) problems.push(`${where}: ${describeCut(c)}`);
  return cut.length;
}

// The story and the picture together: the lesson card and the ladder both
// inside the viewport, and the ladder's newest state note in its view.
export async function checkStoryAndPicture(L, where, problems) {
  const all = await L.hooks();
  const { width, height } = L.viewport;
  for (const name of ['panel.lesson', 'ladder']) {
    const r = all[name];
    if (!r) { problems.push(`${where}: no ${name} drawn`); continue; }
    const [x, y, w, h] = r;
    if (x < -0.5 || y < -0.5 || x + w > width + 0.5 || y + h > height + 0.5) {
      problems.push(`${where}: ${name} ${r.map(Math.round).join(',')} is not wholly in the ${width}x${height} view`);
    }
  }
  const runs = (await textRuns(L)).filter((r) => r.window.split('/').some((p) => p.startsWith('ladder')) &&
    /^([A-Z]+(-[A-Z0-9]+)*|\?)$/.test(r.text) && r.text !== 'OPEN' && r.text !== 'CLOSE' && r.text !== 'SEND');
  if (!runs.length) return;
  const newest = runs.reduce((a, b) => (b.rect[1] > a.rect[1] ? b : a));
  const [, y, , h] = newest.rect;
  if (y < newest.clip[1] - 1 || y + h > newest.clip[3] + 1) {
    problems.push(`${where}: the ladder's newest state ${newest.text} is scrolled out of its view`);
  }
}

function tag(size, lang) { return `${size.name}-${lang}`; }

async function shot(L, name) {
  await L.screenshot(`screen-${name}`);
}

function report(t, problems, what) {
  const shown = problems.slice(0, 40);
  t.assert.equal(problems.length, 0, `${problems.length} text run(s) cut ${what}:\n  ${shown.join('\n  ')}`);
}

// Lessons 1, 2 and 6 at every step, at one size in one language.
async function lessonsFit(t, size, lang) {
  const problems = [];
  for (const [i, id] of ['handshake', 'four-way-close', 'time-wait'].entries()) {
    const L = await openAt(t, size, `?lesson=${id}&lang=${lang}&seed=${4100 + i}`, lang);
    await L.setPainting(false);  // text only: painted for screenshots (Lesson.painted)
    let n = 0;
    await walkLesson(L, {
      at: async (s) => {
        await checkScreen(L, `${id} step ${s.lesson.step}`, problems);
        // No answer on screen while asked (tests/browser/lib/text.mjs leaks).
        const q = s.question;
        if (q && (q.kind === 'state' || q.kind === 'number')) {
          for (const p of await leaks(L, q)) problems.push(`${id} ${q.id} (${q.kind} ${q.answer}) gives its answer away: ${p}`);
        }
        if (id === 'handshake') await checkStoryAndPicture(L, `${id} step ${s.lesson.step}`, problems);
        if (n++ % 6 === 0) await shot(L, `${tag(size, lang)}-${id}-${s.lesson.step}`);
        return {};
      },
    });
    await checkScreen(L, `${id} complete`, problems);
    await shot(L, `${tag(size, lang)}-${id}-complete`);
    t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
    await L.top.context().close();
  }
  report(t, problems, `(text cut or answers shown) in lessons 1, 2 and 6 at ${size.width}x${size.height} (${lang})`);
}

// The exam (one wrong answer, so its review has a mistake), the review, the
// help and the sandbox with its log, at one size in one language.
async function restFits(t, size, lang) {
  const problems = [];
  const L = await openAt(t, size, `?mode=exam&lang=${lang}&seed=4200`, lang);
  await L.setPainting(false);  // text only: painted for screenshots (Lesson.painted)
  let s = await L.waitFor((x) => x.mode === 'exam' && x.question, 'the exam');
  for (let k = 0; k < 10 && s.question; k++) {
    await checkScreen(L, `exam question ${k + 1}`, problems);
    if (k === 0) await shot(L, `${tag(size, lang)}-exam`);
    await answer(L, s, { wrong: k === 0 });
    await L.waitFor((x) => x.feedback, 'the exam verdict');
    await checkScreen(L, `exam verdict ${k + 1}`, problems);
    await click(L, 'exam.next');
    s = await L.waitFor((x) => !x.feedback || !x.question, 'the next exam question');
  }
  await visibleRect(L, 'exam.score');
  await checkScreen(L, 'exam review', problems);
  await shot(L, `${tag(size, lang)}-exam-review`);
  // Help (the ? key), then the sandbox with a handshake in its log.
  await click(L, 'toolbar.help').catch(() => problems.push('help: no toolbar.help button drawn'));
  await settle(L.page, 4);
  await checkScreen(L, 'help', problems);
  await shot(L, `${tag(size, lang)}-help`);
  await L.page.keyboard.press('Escape');
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
  await L.top.context().close();

  const S = await openAt(t, size, `?mode=sandbox&lang=${lang}&seed=4300`, lang);
  await S.setPainting(false);
  if (size.touch) {
    // A finger drags the page to the panels below the first screen.
    const cdp = await S.top.context().newCDPSession(S.page);
    await tap(t, S.page, cdp, S.viewport, 'B.listen');
    await tap(t, S.page, cdp, S.viewport, 'A.connect');
  } else {
    await click(S, 'B.listen');
    await click(S, 'A.connect');
  }
  await S.waitFor((x) => x.A === 'ESTABLISHED' && x.B === 'ESTABLISHED' && x.in_flight.length === 0,
    'the handshake in the sandbox', { timeout: 30000 });
  await checkScreen(S, 'sandbox after a handshake', problems);
  await shot(S, `${tag(size, lang)}-sandbox`);
  t.assert.deepEqual(S.errors, [], 'no console errors or page errors');
  await S.top.context().close();
  report(t, problems, `in the exam, its review, the help and the sandbox at ${size.width}x${size.height} (${lang})`);
}

function named(fn, ms) {
  fn.timeoutMs = ms;
  return fn;
}

export const testTextFitsLessonsPhoneEn = named((t) => lessonsFit(t, SIZES[0], 'en'), 600000);
export const testTextFitsLessonsPhoneZh = named((t) => lessonsFit(t, SIZES[0], 'zh'), 600000);
export const testTextFitsLessonsIframeEn = named((t) => lessonsFit(t, SIZES[1], 'en'), 600000);
export const testTextFitsLessonsIframeZh = named((t) => lessonsFit(t, SIZES[1], 'zh'), 600000);
export const testTextFitsLessons1024En = named((t) => lessonsFit(t, SIZES[2], 'en'), 600000);
export const testTextFitsLessons1024Zh = named((t) => lessonsFit(t, SIZES[2], 'zh'), 600000);
export const testTextFitsLessons1366En = named((t) => lessonsFit(t, SIZES[3], 'en'), 600000);
export const testTextFitsLessons1366Zh = named((t) => lessonsFit(t, SIZES[3], 'zh'), 600000);
export const testTextFitsLessons1920En = named((t) => lessonsFit(t, SIZES[4], 'en'), 600000);
export const testTextFitsLessons1920Zh = named((t) => lessonsFit(t, SIZES[4], 'zh'), 600000);
export const testTextFitsExamHelpSandboxPhoneEn = named((t) => restFits(t, SIZES[0], 'en'), 300000);
export const testTextFitsExamHelpSandboxPhoneZh = named((t) => restFits(t, SIZES[0], 'zh'), 300000);
export const testTextFitsExamHelpSandboxIframeEn = named((t) => restFits(t, SIZES[1], 'en'), 300000);
export const testTextFitsExamHelpSandboxIframeZh = named((t) => restFits(t, SIZES[1], 'zh'), 300000);
export const testTextFitsExamHelpSandbox1024En = named((t) => restFits(t, SIZES[2], 'en'), 300000);
export const testTextFitsExamHelpSandbox1024Zh = named((t) => restFits(t, SIZES[2], 'zh'), 300000);
export const testTextFitsExamHelpSandbox1366En = named((t) => restFits(t, SIZES[3], 'en'), 300000);
export const testTextFitsExamHelpSandbox1366Zh = named((t) => restFits(t, SIZES[3], 'zh'), 300000);
export const testTextFitsExamHelpSandbox1920En = named((t) => restFits(t, SIZES[4], 'en'), 300000);
export const testTextFitsExamHelpSandbox1920Zh = named((t) => restFits(t, SIZES[4], 'zh'), 300000);
