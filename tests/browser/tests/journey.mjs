// The way in and through, as a learner and a lecturer meet it: the welcome
// card of a first visit, text that grows with the screen, presenter mode
// and its clicker keys, the last question's verdict before "Lesson
// complete" and the next lesson, 44 px touch targets on a phone, and the
// TIME-WAIT clock of lesson 2 agreeing with 2*MSL.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Lesson, poll, settle } from './lesson-helpers.mjs';
import { click, ready, walkLesson } from './lessons.mjs';
import { openAt, SIZES, textRuns } from './screen.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const lessonFile = (name) => JSON.parse(readFileSync(path.resolve(HERE, '..', '..', '..', 'lessons', name), 'utf8'));

async function open(t, query, viewport, lang = 'en') {
  const { page, errors } = await t.open(`index.html${query}`, { viewport });
  const L = new Lesson(t, page, errors, viewport);
  await ready(L, lang);
  return L;
}

// A key held down for a few frames: ImGui 1.86 reads the keys' state once
// per frame, so a press and release between two frames is never seen.
async function holdKey(L, key) {
  const frames = () => L.page.evaluate(() => window.Module._tcplab_rendered_frames());
  const start = await frames();
  await L.page.keyboard.down(key);
  await poll(async () => {
    await L.page.evaluate(() => window.Module._tcplab_wake());
    return (await frames()) >= start + 2;
  }, { timeout: 5000, what: `frames with ${key} held` });
  await L.page.keyboard.up(key);
  await settle(L.page);
}

// The height of the lesson card's one-line runs of body text.
async function bodyTextPx(L) {
  const runs = (await textRuns(L)).filter((r) => r.window.includes('lesson') && !r.text.includes('\n') &&
    r.text.length > 12);
  if (!runs.length) throw new Error('no one-line text in the lesson card');
  return Math.min(...runs.map((r) => r.rect[3]));
}

export async function testWelcomeCardOnFirstVisitThenNotAgain(t) {
  const viewport = { width: 1366, height: 768 };
  const { page, errors } = await t.open('index.html', { viewport });
  const L = new Lesson(t, page, errors, viewport);
  await ready(L);
  const card = await L.rect('welcome');
  t.assert.ok(card[2] > 300, `the welcome card is drawn: ${card}`);
  const text = (await textRuns(L)).map((r) => r.text).join(' ');
  for (const want of ['the ladder', 'state diagram', 'the lesson', 'Start lesson 1']) {
    t.assert.ok(text.includes(want), `the tour names ${want}: ${text.slice(0, 300)}`);
  }
  await L.screenshot('journey-welcome-1366x768');
  await click(L, 'welcome.lesson');
  const s = await L.waitFor((x) => x.mode === 'lesson', 'lesson 1 opened from the welcome card');
  t.assert.equal(s.lesson.id, 'handshake');
  await page.reload({ waitUntil: 'load' });
  await ready(L);
  await settle(page, 6);
  t.assert.equal((await L.hooks()).welcome, undefined, 'no welcome card on the second visit');
  // A course link (with parameters) never shows it.
  const C = await open(t, '?lesson=handshake', viewport);
  await settle(C.page, 6);
  t.assert.equal((await C.hooks()).welcome, undefined, 'no welcome card for a course link');
  t.assert.deepEqual([...errors, ...C.errors], [], 'no console errors');
}

export async function testTextGrowsWithTheScreen(t) {
  const got = {};
  for (const [w, h, min] of [[1366, 768, 16], [1920, 1080, 22]]) {
    const L = await open(t, '?lesson=handshake&seed=7', { width: w, height: h });
    got[`${w}x${h}`] = await bodyTextPx(L);
    t.assert.ok(got[`${w}x${h}`] >= min, `body text at ${w}x${h}: ${got[`${w}x${h}`]} px, at least ${min}`);
  }
  t.log(`body text: ${JSON.stringify(got)}`);
}

export async function testPresenterModeAndClickerKeys(t) {
  const viewport = { width: 1920, height: 1080 };
  const L = await open(t, '?lesson=handshake&seed=8&present=1', viewport);
  const big = await bodyTextPx(L);
  t.assert.ok(big >= 28, `presenter text is larger: ${big} px`);
  const step0 = (await L.state()).lesson.step;
  // The page takes keys once it has the focus: a click on the empty ladder.
  await L.page.mouse.click(viewport.width / 2, viewport.height * 0.4);
  await settle(L.page);
  const stepTo = async (key, pred, what) => {
    await L.page.mouse.move(viewport.width / 2, 20);
    await holdKey(L, key);
    return L.waitFor(pred, what);
  };
  let s = await stepTo('PageDown', (x) => x.lesson.step > step0, 'PageDown moves the lesson on');
  const step1 = s.lesson.step;
  s = await stepTo('PageUp', (x) => x.lesson.step === step0, 'PageUp goes back');
  s = await stepTo('ArrowRight', (x) => x.lesson.step === step1, 'the right arrow moves on');
  await L.screenshot('journey-presenter-1920x1080');
  // V leaves presenter mode: the text returns to the screen's size.
  await holdKey(L, 'v');
  await settle(L.page, 6);
  const normal = await bodyTextPx(L);
  t.assert.ok(normal < big && normal >= 22, `out of presenter mode: ${normal} px (was ${big})`);
  t.assert.deepEqual(L.errors, [], 'no console errors');
}

// Lesson 6 ends on a question: its verdict and explanation stay on screen
// above "Lesson complete", with the next lesson offered.
export async function testLastQuestionVerdictBeforeLessonComplete(t) {
  const L = await open(t, '?lesson=time-wait&seed=9', { width: 1366, height: 768 });
  const { state } = await walkLesson(L);
  t.assert.ok(state.lesson.finished);
  const all = await L.hooks();
  t.assert.ok(all['lesson.complete'], 'Lesson complete is shown');
  t.assert.ok(all['lesson.next'], 'the next lesson is offered');
  const runs = await textRuns(L);
  const verdict = runs.find((r) => r.window.includes('lesson') && /^(Correct|Right)/.test(r.text));
  if (state.feedback) {
    t.assert.ok(verdict, `the last verdict is on screen: ${runs.filter((r) => r.window.includes('lesson')).map((r) => r.text.slice(0, 40)).join(' | ')}`);
    t.assert.ok(verdict.rect[1] < all['lesson.complete'][1], 'the verdict comes before Lesson complete');
  }
  await L.screenshot('journey-lesson6-end-1366x768');
  await click(L, 'lesson.next');
  const s = await L.waitFor((x) => x.lesson && x.lesson.id !== 'time-wait', 'the next lesson opened');
  t.log(`next lesson: ${s.lesson.id}`);
}

export async function testTouchTargetsOnAPhone(t) {
  const L = await openAt(t, SIZES[0], '?lesson=handshake&seed=10&lang=en', 'en');
  const small = [];
  await walkLesson(L, {
    at: async () => {
      const all = await L.hooks();
      for (const [name, r] of Object.entries(all)) {
        if (/^(lesson\.|A\.(listen|connect|close|send|abort)|B\.(listen|connect|close|send|abort)|toolbar\.)/.test(name) &&
            !/^lesson\.(narration|prompt|position|verdict)/.test(name) && r[3] < 43.5 && r[1] >= 0 && r[1] < 844) {
          small.push(`${name} ${Math.round(r[3])} px`);
        }
      }
      return {};
    },
  });
  t.assert.deepEqual([...new Set(small)], [], 'every control a finger taps is at least 44 px high');
}

export async function testTimeWaitLastsTwoMslInLesson2(t) {
  const file = lessonFile('02-four-way-close.json');
  const msl = (file.setup && file.setup.msl_ms) || 4000;
  const L = await open(t, '?lesson=four-way-close&seed=11', { width: 1366, height: 768 });
  let entered = null;
  let closed = null;
  const watch = (s) => {
    // A enters TIME-WAIT as it acknowledges B's FIN: its last segment's time.
    if (entered === null && s.A === 'TIME-WAIT') entered = s.sent.filter((x) => x.from === 'A').pop().t;
    if (entered !== null && closed === null && s.A === 'CLOSED') closed = s.now;
  };
  await walkLesson(L, { at: async (s) => { watch(s); return {}; } });
  watch(await L.state());
  t.assert.ok(entered !== null, 'the client entered TIME-WAIT');
  t.assert.ok(closed !== null, 'the client reached CLOSED');
  t.log(`TIME-WAIT from ${entered} ms to ${closed} ms; 2*MSL = ${2 * msl} ms`);
  t.assert.ok(closed - entered >= 2 * msl, `TIME-WAIT lasted ${closed - entered} ms, less than 2*MSL = ${2 * msl} ms`);
}
// Lesson 6 has fifteen questions, one of them a ladder: a walk takes longer
// than the default 90 s on a busy machine.
testLastQuestionVerdictBeforeLessonComplete.timeoutMs = 240000;
