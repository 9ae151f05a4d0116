// The socket lessons (lessons/sockets/*.json) played by clicks in the
// socket lab, at the five sizes in both languages: every choice is tried in
// order until the right one (so the wrong ones and their explanations are
// shown too), every act question is answered by the asked host's call
// buttons in the card; while a question is asked no state name is on
// screen; the card and the picture are both in view; no text is cut; the
// score is what the answers earned.
import { poll, settle } from './lesson-helpers.mjs';
import { SIZES, openAt } from './screen.mjs';
import { tap } from './a11y.mjs';
import { cutRuns, textRuns, STATE_NAMES } from '../lib/text.mjs';

const LESSONS = ['socket-calls', 'listen-queues', 'syn-flood', 'busy-server', 'keepalive-crashes', 'rst-in-practice'];

function lab(L) {
  return L.page.evaluate(() => JSON.parse(window.Module.UTF8ToString(window.Module._tcplab_test_sockets())));
}

async function waitLab(L, pred, what, timeout = 15000) {
  let last = null;
  return poll(async () => { last = await lab(L); return pred(last) ? last : null; },
    { timeout, what, describe: () => JSON.stringify(last?.lesson) });
}

async function press(L, name) {
  if (L.touch) {
    L.cdp ??= await L.top.context().newCDPSession(L.page);
    await tap(L.t, L.page, L.cdp, L.viewport, name);
    return;
  }
  const r = await poll(async () => (await L.hooks())[name], { timeout: 10000, what: `hook ${name}` });
  L.expectOnScreen(name, r);
  await L.clickAt(r, name);
}

// The card and the picture wholly in the view.
async function together(L, where, problems) {
  const all = await L.hooks();
  const { width, height } = L.viewport;
  for (const name of ['sockl.card', 'sockets']) {
    const r = all[name];
    if (!r) { problems.push(`${where}: ${name} not drawn`); continue; }
    const [x, y, w, h] = r;
    if (x < -0.5 || y < -0.5 || x + w > width + 0.5 || y + h > height + 0.5) {
      problems.push(`${where}: ${name} ${r.map(Math.round)} is not wholly in the ${width}x${height} view`);
    }
  }
}

async function screen(L, where, problems, asked) {
  const runs = await textRuns(L);
  for (const c of cutRuns(runs)) {
    problems.push(`${where}: ${JSON.stringify(c.text.slice(0, 60))} in ${c.window.split('/').pop()} cut ${c.how}`);
  }
  // The picture follows the lesson: its newest row (the lowest text of the
  // time line) is in the time line's view.
  const lane = runs.filter((r) => r.window.includes('sock_timeline') && r.text.trim());
  if (lane.length) {
    const newest = lane.reduce((a, b) => (b.rect[1] > a.rect[1] ? b : a));
    if (newest.rect[1] + newest.rect[3] > newest.clip[3] + 1) {
      problems.push(`${where}: the newest row ${JSON.stringify(newest.text)} is scrolled out of the picture`);
    }
  }
  if (asked) {
    const shown = runs.filter((r) => r.window.includes('sockets') && STATE_NAMES.some((n) => r.text.includes(n)));
    for (const r of shown) problems.push(`${where}: a state name is on screen while asked: ${JSON.stringify(r.text)}`);
  }
  await together(L, where, problems);
}

const ACT_CALLS = ['socket', 'bind', 'listen', 'accept', 'connect', 'send', 'recv', 'shutdown', 'close'];

// Answers the open question, wrong answers first; returns the tries.
async function answer(L, s) {
  const q = s.lesson;
  const options = q.kind === 'choose'
    ? [...Array(q.choices).keys()].map((i) => `sockl.choice.${i}`)
    : ACT_CALLS.map((c) => `sockl.call.${c}`).filter((n) => n);
  const hooks = await L.hooks();
  let tries = 0;
  for (const name of options) {
    if (!hooks[name]) continue;
    tries++;
    const before = (await lab(L)).lesson.verdicts;
    await press(L, name);
    // This press's verdict, not the last one's still on screen.
    const after = await waitLab(L, (x) => x.lesson.verdicts > before || x.lesson.question !== q.question,
      `the verdict on ${name}`);
    // The verdict's explanation moves the buttons: the next press reads
    // their rectangles from a frame drawn after it.
    await settle(L.page);
    if (after.lesson.feedback === 'right') return tries;
  }
  throw new Error(`no answer was right for ${q.question}`);
}

async function play(t, size, lang, id) {
  const problems = [];
  const L = await openAt(t, size, `?mode=sandbox&lang=${lang}&seed=1520`, lang);
  await L.setPainting(false);  // text only: painted for screenshots (Lesson.painted)
  L.touch = !!size.touch;
  await press(L, 'toolbar.sockets');
  await waitLab(L, (s) => s.open, 'the socket lab');
  await press(L, 'sock.lessons');
  await press(L, `sock.lesson.${id}`);
  let s = await waitLab(L, (x) => x.lesson && x.lesson.id === id, `lesson ${id} open`);
  let expected = 0;
  let shots = 0;
  for (let guard = 0; guard < 60 && !s.lesson.finished; guard++) {
    const where = `${id} step ${s.lesson.step}`;
    if (s.lesson.question && !s.lesson.feedback) {
      await screen(L, `${where} (asked ${s.lesson.question})`, problems, true);
      if (shots++ < 3) await L.screenshot(`socket-lesson-${size.name}-${lang}-${id}-${s.lesson.question}`);
      const tries = await answer(L, s);
      expected += tries === 1 ? 1 : 0.5;
    } else {
      await screen(L, where, problems, false);
      const step = s.lesson.step, fb = s.lesson.feedback;
      await press(L, 'sockl.continue');
      s = await waitLab(L, (x) => x.lesson.step !== step || x.lesson.feedback !== fb || x.lesson.finished, `past ${where}`);
      continue;
    }
    s = await lab(L);
  }
  t.assert.ok(s.lesson.finished, `lesson ${id} finished: ${JSON.stringify(s.lesson)}`);
  await screen(L, `${id} complete`, problems, false);
  await L.screenshot(`socket-lesson-${size.name}-${lang}-${id}-complete`);
  t.assert.equal(s.lesson.points, expected, 'the score is what the answers earned');
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
  t.assert.equal(problems.length, 0, `${id} at ${size.width}x${size.height} (${lang}):\n  ${problems.slice(0, 30).join('\n  ')}`);
  await L.top.context().close();
}

function named(fn, ms) {
  fn.timeoutMs = ms;
  return fn;
}

async function playAll(t, size, lang) {
  for (const id of LESSONS) await play(t, size, lang, id);
}

export const testSocketLessonsPhoneEn = named((t) => playAll(t, SIZES[0], 'en'), 400000);
export const testSocketLessonsPhoneZh = named((t) => playAll(t, SIZES[0], 'zh'), 400000);
export const testSocketLessonsIframeEn = named((t) => playAll(t, SIZES[1], 'en'), 400000);
export const testSocketLessonsIframeZh = named((t) => playAll(t, SIZES[1], 'zh'), 400000);
export const testSocketLessons1024En = named((t) => playAll(t, SIZES[2], 'en'), 400000);
export const testSocketLessons1024Zh = named((t) => playAll(t, SIZES[2], 'zh'), 400000);
export const testSocketLessons1366En = named((t) => playAll(t, SIZES[3], 'en'), 400000);
export const testSocketLessons1366Zh = named((t) => playAll(t, SIZES[3], 'zh'), 400000);
export const testSocketLessons1920En = named((t) => playAll(t, SIZES[4], 'en'), 400000);
export const testSocketLessons1920Zh = named((t) => playAll(t, SIZES[4], 'zh'), 400000);
