// The built-in lessons driven like a learner drives them: real mouse clicks
// on the widgets the page reports through its read-only hooks
// (Module._tcplab_test_hooks) and typing into the number fields; the state
// JSON (Module._tcplab_test_state) is only read, to know the right answer
// and to check what happened. Covers: a whole lesson in Chinese answered
// right at the first try and its progress surviving a reload; a wrong answer
// (its explanation, the marked arc, the hint); the exam; author lessons from
// ?lessonUrl= (broken, refused, good); a lesson act answered with a
// hand-built segment; screenshots of the lesson screens in Chinese at two
// sizes (tests/browser/artifacts/lessons-*.png).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Lesson, poll, settle } from './lesson-helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LESSON_DIR = path.resolve(HERE, '..', '..', '..', 'lessons');

// The lesson files, by id (read, never changed).
const LESSONS = Object.fromEntries(readdirSync(LESSON_DIR).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(readFileSync(path.join(LESSON_DIR, f), 'utf8'))).map((l) => [l.id, l]));

// A question of a lesson file, by lesson id and question id.
function authored(lessonId, questionId) {
  const l = LESSONS[lessonId];
  if (!l) throw new Error(`no lesson file with id ${lessonId}`);
  for (const s of l.steps) if (s.ask && s.ask.id === questionId) return s.ask;
  throw new Error(`lesson ${lessonId} has no question ${questionId}`);
}

// The parts of an authored text between its placeholders ({A.iss+1},
// {answer}...), long enough to be distinctive: what any filled-in message
// must contain verbatim.
function fixedParts(text, min = 12) {
  return text.split(/\{[^}]*\}/).map((s) => s.trim()).filter((s) => s.length >= min);
}

function expectContainsAuthored(t, message, text, what) {
  const parts = fixedParts(text);
  t.assert.ok(parts.length > 0, `${what}: nothing placeholder-free to compare in ${JSON.stringify(text)}`);
  for (const p of parts) {
    t.assert.ok(message.includes(p), `${what}: the message does not contain the authored ${JSON.stringify(p)}; ` +
                                     `message: ${JSON.stringify(message)}`);
  }
}

// The app's buttons for the application calls of a lesson's solutions.
const CALL_BUTTON = { open_passive: 'listen', open_active: 'connect', send: 'send', close: 'close', abort: 'abort' };
// The same calls as the state JSON's `answer` of an act question names them
// (lessons/explain.cpp call_text): "OPEN (passive) on the server".
const CALL_TEXT = [[/^OPEN \(passive\) on /, 'listen'], [/^OPEN \(active\) on /, 'connect'],
  [/^SEND \(/, 'send'], [/^CLOSE on /, 'close'], [/^ABORT on /, 'abort']];

// ImGui's light theme draws check marks and radio dots in this colour.
const CHECK_MARK = [66, 150, 250];
// web/palette.h GOOD: the arc a wrong answer is about, marked as the right path.
const RED = [13, 115, 31];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------ the page

// Opens index.html with `query` in a fresh context, waits for the app, its
// built-in lessons and (with `lang`) the language, and returns a Lesson
// (lesson-helpers.mjs) to drive it.
export async function openApp(t, query, { viewport = { width: 1024, height: 640 }, lang } = {}) {
  const { page, errors } = await t.open(`index.html${query}`, { viewport });
  const L = new Lesson(t, page, errors, viewport);
  await ready(L, lang);
  return L;
}

export async function ready(L, lang) {
  const { status, error } = await L.t.waitForStatus(L.page);
  L.t.assert.equal(status, 'ready', `page status (error: ${error})`);
  await L.t.waitForFrames(L.page, 2);
  await L.waitFor((s) => s.lessons >= Object.keys(LESSONS).length && (!lang || s.lang === lang),
    `the built-in lessons loaded${lang ? ` and the language ${lang}` : ''}`, { timeout: 30000 });
}

// Where the scrolling panels are, from the hooks: the lesson panel shares
// its row with the state diagram (web/main.cpp layout_and_draw: x0 = 6,
// gap 6), the host panels share theirs with the ladder.
function panelOf(name, all) {
  const pad = 6;
  // The panels report their own rectangles (any layout).
  if (/^(lesson|exam)\./.test(name) && all['panel.lesson']) return { name: 'lesson panel', rect: all['panel.lesson'] };
  for (const host of ['A', 'B']) {
    if (name.startsWith(`${host}.`) && all[`panel.${host}`]) {
      const r = all[`panel.${host}`];
      const n = all['panel.lesson'];
      // The lesson card repeats the asked host's calls.
      const w = all[name];
      if (n && w && w[0] >= n[0] && w[0] + w[2] <= n[0] + n[2] && w[1] + w[3] / 2 > n[1] &&
          w[1] + w[3] / 2 < n[1] + n[3]) {
        return { name: 'lesson panel', rect: n };
      }
      return { name: host === 'A' ? 'client panel' : 'server panel', rect: r };
    }
  }
  if (/^(lesson|exam)\./.test(name) && all.diagram) {
    const [dx, dy, , dh] = all.diagram;
    return { name: 'lesson panel', rect: [pad, dy, dx - 2 * pad, dh] };
  }
  if (/^[AB]\./.test(name) && all.ladder) {
    const [lx, ly, lw, lh] = all.ladder;
    if (name[0] === 'A') return { name: 'client panel', rect: [pad, ly, lx - 2 * pad, lh] };
    return { name: 'server panel', rect: [lx + lw + pad, ly, lx - 2 * pad, lh] };
  }
  return null;
}

function inside(r, p, margin = 1) {
  return r[1] >= p[1] + margin && r[1] + r[3] <= p[1] + p[3] - margin &&
         r[0] >= p[0] - 0.5 && r[0] + r[2] <= p[0] + p[2] + 0.5;
}

// The rectangle of hooked widget `name`, scrolled into its panel's view with
// the mouse wheel when the panel has scrolled it out (as a learner would).
export async function visibleRect(L, name, { timeout = 15000 } = {}) {
  let last = {};
  for (let tries = 0; ; tries++) {
    const all = await poll(async () => { last = await L.hooks(); return last[name] ? last : null; },
      { timeout, what: `hook ${name}`, describe: () => `hooks drawn: ${Object.keys(last).join(' ')}` });
    const r = all[name];
    const panel = panelOf(name, all);
    if (!panel || inside(r, panel.rect)) {
      L.expectOnScreen(name, r);
      if (tries > 0 && panel && panel.name !== 'lesson panel') {
        L.t.log(`${name} needed ${tries} wheel step(s) to come into the ${panel.name}'s view ` +
                `at ${L.viewport.width}x${L.viewport.height}`);
      }
      return r;
    }
    if (tries >= 25) {
      throw new Error(`${name} ${JSON.stringify(r)} stays outside the visible part of the ${panel.name} ` +
                      `${JSON.stringify(panel.rect)} after scrolling`);
    }
    const [px, py, pw, ph] = panel.rect;
    const down = r[1] + r[3] > py + ph - 1;
    await L.page.mouse.move(px + pw / 2, py + ph / 2);
    await L.page.mouse.wheel(0, down ? 60 : -60);
    await settle(L.page, 4);
  }
}

// The rectangle of `name` once the layout holds still: the mouse is moved
// onto the widget (as a learner's would be before a click) and the frames
// that follow are awaited; if the widget moved meanwhile, again.
async function stableRect(L, name) {
  const frames = () => L.page.evaluate(() => window.Module._tcplab_rendered_frames());
  let r = await visibleRect(L, name);
  for (let tries = 0; tries < 10; tries++) {
    const [x, y, w, h] = r;
    const before = await frames();
    await L.page.mouse.move(x + w / 2 + 1, y + h / 2);
    await L.page.mouse.move(x + w / 2, y + h / 2);
    // A move makes the app draw (when it idles, it draws on input only).
    await poll(async () => (await frames()) >= before + 1, { timeout: 1000 }).catch(() => {});
    await settle(L.page);
    const again = await visibleRect(L, name);
    if (JSON.stringify(again) === JSON.stringify(r)) return r;
    L.stale = (L.stale ?? 0) + 1;
    const what = `${name} moved from ${JSON.stringify(r)} to ${JSON.stringify(again)} when the mouse moved`;
    if (L.stale === 1) {
      L.note(`APP BUG: the screen showed a stale layout: ${what} (the panel's scroll changes only at the next ` +
             'input event after the app went idle; a click arriving first misses). Further cases in the log.');
    } else {
      L.t.log(`stale layout again: ${what}`);
    }
    r = again;
  }
  throw new Error(`${name} does not hold still: last at ${JSON.stringify(r)}`);
}

export async function click(L, name) {
  await L.clickAt(await stableRect(L, name), name);
}

// Clicks into a number field (the left part: a builder's field has its -/+
// buttons and its label on the right), selects all and types `value`.
export async function typeInto(L, name, value) {
  const r = await stableRect(L, name);
  const [x, y, w, h] = r;
  const before = await L.page.evaluate(() => window.Module._tcplab_rendered_frames());
  [L.lastX, L.lastY] = [x + Math.min(w / 2, 30), y + h / 2];
  await L.page.mouse.click(L.lastX, L.lastY);
  await poll(async () => (await L.page.evaluate(() => window.Module._tcplab_rendered_frames())) >= before + 3,
    { timeout: 10000, what: `frames after the click into ${name}` });
  await selectAll(L);
  await L.page.keyboard.type(String(value), { delay: 20 });
  await settle(L.page, 4);
}

// Control+A, held for a few frames: ImGui 1.86 (its SDL2 backend) reads the
// keys' up/down state once per frame, so a press and release between two
// frames is never seen (typed characters are queued and arrive).
async function selectAll(L) {
  const frames = () => L.page.evaluate(() => window.Module._tcplab_rendered_frames());
  const start = await frames();
  await L.page.keyboard.down('Control');
  await L.page.keyboard.down('a');
  // The app draws on input only when idle: small mouse moves (over the
  // field) make the frames that see the keys held.
  const end = Date.now() + 10000;
  for (let i = 0; (await frames()) < start + 3; i++) {
    if (Date.now() > end) throw new Error('no frames drawn with Control+A held');
    await L.page.mouse.move(L.lastX + (i % 2), L.lastY);
    await sleep(30);
  }
  await L.page.keyboard.up('a');
  await L.page.keyboard.up('Control');
  await settle(L.page);
}

// Is the checkbox (or radio button) of hook `name` on? Its check mark is
// drawn in the theme's check-mark blue, inside the square at the left.
async function checkboxOn(L, name) {
  const [x, y, , h] = await stableRect(L, name);
  const n = await L.countColours([x, y, h, h], { mark: CHECK_MARK }, 20);
  return n.mark >= 6;
}

// ------------------------------------------------------------ answering

// The item moves (up-arrow clicks, by position) that turn `shown` into
// `target`.
function orderMoves(shown, target) {
  const cur = [...shown];
  const moves = [];
  for (let k = 0; k < target.length; k++) {
    let j = cur.indexOf(target[k], k);
    if (j < 0) throw new Error(`order question: ${JSON.stringify(target[k])} is not among ${JSON.stringify(cur)}`);
    for (; j > k; j--) {
      moves.push(j);
      [cur[j - 1], cur[j]] = [cur[j], cur[j - 1]];
    }
  }
  if (JSON.stringify(cur) !== JSON.stringify(target)) throw new Error('order moves do not reach the target');
  return moves;
}

// A wrong state for a state question.
function wrongState(answer) { return answer === 'CLOSED' ? 'LISTEN' : 'CLOSED'; }

// A wrong value for a blank: a number + 1, other flags, another state.
const STATES = ['CLOSED', 'LISTEN', 'SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2',
  'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT'];
export function wrongBlank(v) {
  if (STATES.includes(v)) return wrongState(v);
  if (/^\d+$/.test(v)) return String((Number(v) + 1) % 4294967296);
  return v === 'RST' ? 'SYN' : 'RST';
}

// Builds the segment `label` ("ACK seq=N ack=M") in `host`'s segment
// builder (check boxes clicked as needed, fields typed) and sends it.
async function setBuilder(L, host, label) {
  const m = /^([A-Z,]+) seq=(\d+)(?: ack=(\d+))?(?: len=(\d+))?$/.exec(label);
  if (!m) throw new Error(`act solution: not a segment label: ${label}`);
  if (m[4] && m[4] !== '0') throw new Error(`act solution with data (${label}): the builder's len has no hook`);
  const flags = m[1].split(',');
  // Open the builder (its header), unless it is open.
  if (!(await L.hooks())[`${host}.build.syn`]) await click(L, `${host}.builder`);
  await visibleRect(L, `${host}.build.syn`);
  for (const f of ['syn', 'ack', 'fin', 'rst']) {
    const want = flags.includes(f.toUpperCase());
    if ((await checkboxOn(L, `${host}.build.${f}`)) !== want) await click(L, `${host}.build.${f}`);
    L.t.assert.equal(await checkboxOn(L, `${host}.build.${f}`), want, `${host}.build.${f} is ${want ? 'on' : 'off'}`);
  }
  await typeInto(L, `${host}.build.seq`, m[2]);
  if (m[3] !== undefined) await typeInto(L, `${host}.build.ackno`, m[3]);
  await stableRect(L, `${host}.build.send`);
  await shot(L, `lessons-${(await L.state()).lang}-builder-filled`);
  await click(L, `${host}.build.send`);
}

// Answers the current question (state.question) by clicks and typing: the
// right answer, or with `wrong` a wrong one. `lessonId` (lesson mode) finds
// the authored solution of an act question; in the exam the act answer's
// text names it. Returns a description of what was done.
export async function answer(L, state, { wrong = false, lessonId = null } = {}) {
  const q = state.question;
  const t = L.t;
  switch (q.kind) {
    case 'state': {
      const pick = wrong ? wrongState(q.answer) : q.answer;
      await click(L, `lesson.state.${pick}`);
      return `state ${pick}`;
    }
    case 'number': {
      const right = Number(q.answer);
      t.assert.ok(Number.isInteger(right), `number answer ${q.answer}`);
      const value = wrong ? (right + 1) % 4294967296 : right;
      await typeInto(L, 'lesson.number', value);
      await click(L, 'lesson.check');
      return `number ${value}`;
    }
    case 'choose': {
      const all = await L.hooks();
      const n = Object.keys(all).filter((k) => k.startsWith('lesson.choice.')).length;
      t.assert.ok(n >= 2, `choose question ${q.id}: ${n} choices drawn`);
      let picks = q.correct;
      if (wrong) {
        const bad = [...Array(n).keys()].filter((i) => !q.correct.includes(i));
        picks = bad.length ? [bad[0]] : q.correct.slice(0, -1);
        t.assert.ok(picks.length > 0, `choose question ${q.id}: no wrong answer possible`);
      }
      t.assert.ok(picks.length > 0, `choose question ${q.id} has no correct choice`);
      for (const i of picks) {
        await click(L, `lesson.choice.${i}`);
        t.assert.ok(await checkboxOn(L, `lesson.choice.${i}`), `lesson.choice.${i} is selected after its click`);
      }
      await click(L, 'lesson.check');
      return `choices ${picks.join(',')}`;
    }
    case 'order': {
      const target = q.items.length ? q.items : q.answer.split('; ');
      t.assert.equal(q.shown.length, target.length, `order question ${q.id}: shown ${JSON.stringify(q.shown)}`);
      t.assert.notDeepEqual(q.shown, target, 'the items are shuffled');
      const moves = wrong ? [] : orderMoves(q.shown, target);
      for (const k of moves) await click(L, `lesson.order.up.${k}`);
      await click(L, 'lesson.check');
      return `order: ${moves.length} moves`;
    }
    case 'act': {
      const host = q.host;
      let call = null;
      let segment = null;
      if (lessonId) {
        const sol = authored(lessonId, q.id).solution;
        if (sol.call) call = CALL_BUTTON[sol.call];
        else segment = /sends (.+)$/.exec(q.answer)[1];
        t.assert.ok(sol.call ? call : segment, `act solution ${JSON.stringify(sol)}`);
      } else {
        const hit = CALL_TEXT.find(([re]) => re.test(q.answer));
        if (hit) call = hit[1];
        else segment = (/ sends (.+)$/.exec(q.answer) ?? [])[1];
        t.assert.ok(call || segment, `act answer not understood: ${q.answer}`);
      }
      if (wrong) {
        // Another call than the right one (a wrong act is undone).
        const other = call === 'abort' ? 'send' : 'abort';
        await click(L, `${host}.${other}`);
        return `act ${host}.${other} (wrong)`;
      }
      if (call) {
        await click(L, `${host}.${call}`);
        return `act ${host}.${call}`;
      }
      await setBuilder(L, host, segment);
      return `act ${host} sends ${segment}`;
    }
    case 'classify': {
      // Every item in its class; wrong: the first item in another class.
      const n = Object.keys(await L.hooks()).filter((k) => /^lesson\.class\.0\.\d+$/.test(k)).length;
      t.assert.ok(n >= 2, `classify question ${q.id}: ${n} classes drawn`);
      const picks = q.classes.map((c, i) => (wrong && i === 0 ? (c + 1) % n : c));
      for (const [i, c] of picks.entries()) await click(L, `lesson.class.${i}.${c}`);
      await click(L, 'lesson.check');
      return `classes ${picks.join(',')}`;
    }
    case 'blanks': {
      // Each blank typed; wrong: the first blank off by one (or another
      // flag set, another state).
      const values = q.blanks.map((v, i) => (wrong && i === 0 ? wrongBlank(v) : v));
      for (const [i, v] of values.entries()) await typeInto(L, `lesson.blank.${i}`, v);
      await click(L, 'lesson.check');
      return `blanks ${values.join('|')}`;
    }
    case 'ladder': {
      t.assert.ok(q.ladder >= 0 && q.ladders >= 3, `ladder question ${q.id}: ${q.ladders} ladders, the right one ${q.ladder}`);
      const pick = wrong ? (q.ladder + 1) % q.ladders : q.ladder;
      await click(L, `lesson.ladder.${pick}`);
      await click(L, 'lesson.check');
      return `ladder ${pick}`;
    }
    default:
      throw new Error(`unknown question kind ${q.kind}`);
  }
}

// Answers the lesson's current question and waits for the verdict; a right
// answer must move the lesson on. Returns the new state.
async function answerAndWait(L, { wrong = false } = {}) {
  const before = await L.state();
  const q = before.question;
  const did = await answer(L, before, { wrong, lessonId: before.lesson && before.lesson.id });
  L.t.log(`question ${q.id} (${q.kind}): ${did}`);
  if (wrong) {
    return L.waitFor((s) => s.feedback && s.feedback.correct === false && s.lesson.step === before.lesson.step,
      `the verdict "wrong" on ${q.id}`);
  }
  return L.waitFor((s) => s.feedback && s.feedback.correct === true && s.lesson.step > before.lesson.step,
    `the verdict "right" on ${q.id} and the next step`);
}

// Presses Continue on a narration step and waits for the next step.
async function continueNarration(L) {
  const before = await L.state();
  await click(L, 'lesson.continue');
  return L.waitFor((s) => s.lesson.finished || s.lesson.step > before.lesson.step,
    `the step after ${before.lesson.step}`);
}

// Walks the open lesson to its end: Continue on narration, the right answer
// to every question at the first try. `at(state)`, when given, is called
// before each step (for screenshots) and may return { wrong: true }.
export async function walkLesson(L, { at } = {}) {
  let state = await L.state();
  const asked = [];
  for (let guard = 0; guard < 200 && !state.lesson.finished; guard++) {
    const extra = at ? (await at(state)) ?? {} : {};
    if (state.question) {
      asked.push(`${state.question.id}:${state.question.kind}`);
      if (extra.wrong) await answerAndWait(L, { wrong: true });
      state = await answerAndWait(L);
    } else {
      state = await continueNarration(L);
    }
  }
  L.t.assert.ok(state.lesson.finished, 'the lesson is finished');
  return { state, asked };
}

// A screenshot into the artifacts folder; returns the PNG.
function shot(L, name) {
  return L.screenshot(`${name}-${L.viewport.width}x${L.viewport.height}`);
}

// ------------------------------------------------------------ the tests

// After a completed lesson: reloads the page without ?lesson= and checks
// that the stored progress of `lessonId` came back and that the lesson menu
// marks the lesson done (a check mark and the score after its title: more
// ink in its row than once the progress is reset).
async function expectProgressAfterReload(t, L, lessonId, questions, seed) {
  const key = `${lessonId}@${LESSONS[lessonId].version}`;
  await L.page.goto(new URL(`index.html?lang=zh&seed=${seed}`, t.url).href, { waitUntil: 'load' });
  await ready(L, 'zh');
  let state = await L.state();
  t.assert.equal(state.mode, 'sandbox', 'no lesson opened after the reload');
  t.assert.ok(state.progress[key], `progress of ${key} after the reload: ${JSON.stringify(state.progress)}`);
  t.assert.equal(state.progress[key].done, true);
  t.assert.equal(state.progress[key].best, questions);
  t.assert.equal(state.progress[key].questions, questions);

  await click(L, 'toolbar.lessons');
  const row = await visibleRect(L, `menu.lesson.${lessonId}`);
  await L.page.mouse.move(2, L.viewport.height - 2); // no hover highlight on a row
  await settle(L.page, 4);
  await shot(L, `lessons-zh-menu-${lessonId}-done`);
  const ink = async (r) => (await L.countColours(r, { ink: [0, 0, 0] }, 90)).ink;
  const doneInk = await ink(row);
  // The same row without progress: "Reset progress", the menu again.
  await click(L, 'menu.reset_progress');
  state = await L.waitFor((s) => Object.keys(s.progress).length === 0, 'the progress cleared');
  await click(L, 'toolbar.lessons');
  const row2 = await visibleRect(L, `menu.lesson.${lessonId}`);
  t.assert.equal(row2[1], row[1], 'the menu row stays in place');
  await L.page.mouse.move(2, L.viewport.height - 2);
  await settle(L.page, 4);
  const plainInk = await ink(row2);
  t.log(`menu row ink: done ${doneInk}, not done ${plainInk}`);
  t.assert.ok(doneInk > plainInk + 30,
    `the done row shows more (the check mark and the score): ${doneInk} dark pixels vs ${plainInk}`);
  t.assert.equal(await L.page.evaluate(() => localStorage.getItem('tcplab.progress.v1')), '{}',
    'the reset is stored');
}

// Completes lesson `id` in Chinese, every answer right at the first try;
// returns the final state.
async function completeInChinese(t, id, seed) {
  const L = await openApp(t, `?lesson=${id}&lang=zh&seed=${seed}`, { lang: 'zh' });
  const state = await L.state();
  t.assert.equal(state.mode, 'lesson');
  t.assert.deepEqual([state.lesson.id, state.lesson.step, state.lesson.finished], [id, 0, false]);
  const authoredQuestions = LESSONS[id].steps.filter((s) => s.ask).map((s) => s.ask.id);
  t.assert.equal(state.lesson.questions, authoredQuestions.length, 'questions counted as in the file');
  t.assert.deepEqual(state.progress, {}, 'a fresh browser has no progress');

  const { state: end, asked } = await walkLesson(L);
  t.assert.deepEqual(asked.map((a) => a.split(':')[0]), authoredQuestions, 'every question asked, in order');
  t.assert.equal(end.lesson.points, end.lesson.questions, `full score: ${end.lesson.points}/${end.lesson.questions}`);
  t.assert.equal(end.lang, 'zh');
  await visibleRect(L, 'lesson.complete');
  await shot(L, `lessons-zh-${id}-complete`);
  return { L, end };
}

// 1. The handshake lesson in Chinese, every question right at the first
//    try; its progress is stored and the lesson menu marks it done after a
//    reload.
export async function testHandshakeInChineseFirstTryAndProgressSurvivesReload(t) {
  const { L, end } = await completeInChinese(t, 'handshake', 3101);
  const key = `handshake@${LESSONS.handshake.version}`;
  const last = LESSONS.handshake.steps[LESSONS.handshake.steps.length - 1];
  const stored = await L.page.evaluate(() => localStorage.getItem('tcplab.progress.v1'));
  t.assert.deepEqual(end.progress[key], { done: true, best: end.lesson.questions, questions: end.lesson.questions },
    `the completed lesson's progress is recorded (state progress ${JSON.stringify(end.progress)}, ` +
    `localStorage ${stored})` + (last.ask ? '' : '; the lesson ends with a narration step, so Continue ' +
    'finishes it: is progress recorded then (web/app.cpp App::lesson_advance)?'));
  await expectProgressAfterReload(t, L, 'handshake', end.lesson.questions, 3101);
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// 1b. The same with a lesson that ends with a question (four-way-close):
//    progress stored, back after a reload, the menu's check mark.
export async function testFourWayCloseProgressSurvivesReload(t) {
  const { L, end } = await completeInChinese(t, 'four-way-close', 3102);
  const key = `four-way-close@${LESSONS['four-way-close'].version}`;
  t.assert.deepEqual(end.progress[key], { done: true, best: end.lesson.questions, questions: end.lesson.questions });
  await expectProgressAfterReload(t, L, 'four-way-close', end.lesson.questions, 3102);
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// 2. A wrong answer: the authored explanation, the marked arc, the hint
//    after two misses, then the right answer moves on.
export async function testWrongAnswerExplainsMarksArcAndOffersHint(t) {
  const L = await openApp(t, '?lesson=handshake&lang=en&seed=3202', { lang: 'en' });
  let state = await L.state();
  // To the first state question: Continue, then the act question (listen).
  while (!(state.question && state.question.kind === 'state')) {
    state = state.question ? await answerAndWait(L) : await continueNarration(L);
  }
  const q = state.question;
  const file = authored('handshake', q.id);
  t.assert.equal(q.answer, file.expect, 'the engine agrees with the file');
  const pointsBefore = state.lesson.points;
  t.assert.equal((await L.hooks())['diagram.marked_arc'], undefined, 'no arc marked before an answer');

  // First miss: a state the file has a specific explanation for.
  const first = file.mistakes[file.mistakes.length - 1];
  await click(L, `lesson.state.${first.answer}`);
  state = await L.waitFor((s) => s.feedback && s.feedback.correct === false, 'the verdict "wrong"');
  t.assert.equal(state.question.id, q.id, 'still the same question');
  t.assert.ok(state.feedback.message.length > 0, 'a message');
  expectContainsAuthored(t, state.feedback.message, first.explain.en, `mistake ${first.answer}`);
  expectContainsAuthored(t, state.feedback.message, file.explain.en, 'the question\'s explain');
  let all = await L.hooks();
  const arc = all['diagram.marked_arc'];
  t.assert.ok(arc, 'hook diagram.marked_arc: the wrong answer marks its arc');
  const d = all.diagram;
  t.assert.ok(arc[0] >= d[0] && arc[1] >= d[1] && arc[0] + arc[2] <= d[0] + d[2] && arc[1] + arc[3] <= d[1] + d[3],
    `the marked arc ${JSON.stringify(arc)} lies in the diagram ${JSON.stringify(d)}`);
  // It runs between the boxes of the file's arc, and it is red on screen.
  const from = all[`diagram.${file.arc.from}`];
  const to = all[`diagram.${file.arc.to}`];
  const cy = (r) => r[1] + r[3] / 2;
  t.assert.ok(arc[1] <= Math.max(cy(from), cy(to)) && arc[1] + arc[3] >= Math.min(cy(from), cy(to)) - 0.5,
    `the marked arc ${JSON.stringify(arc)} spans from ${file.arc.from} ${JSON.stringify(from)} to ` +
    `${file.arc.to} ${JSON.stringify(to)}`);
  const red = (await L.countColours([arc[0] - 4, arc[1] - 4, arc[2] + 8, arc[3] + 8], { red: RED }, 30)).red;
  t.assert.ok(red >= 40, `the marked arc is drawn in red: ${red} pixels`);
  t.assert.equal(all['lesson.hint'], undefined, 'no hint after one miss');
  await shot(L, 'lessons-en-wrong-once');

  // Second miss: the other authored mistake; now the hint is offered.
  const second = file.mistakes[0];
  t.assert.notEqual(second.answer, first.answer);
  const firstMessage = state.feedback.message;
  await click(L, `lesson.state.${second.answer}`);
  state = await L.waitFor((s) => s.feedback && s.feedback.correct === false && s.feedback.message !== firstMessage,
    'the second verdict "wrong"');
  expectContainsAuthored(t, state.feedback.message, second.explain.en, `mistake ${second.answer}`);
  t.assert.ok(!state.feedback.message.includes(fixedParts(first.explain.en)[0]),
    'the second message explains the second answer, not the first');
  await visibleRect(L, 'diagram.marked_arc');
  await click(L, 'lesson.hint');
  await poll(async () => !(await L.hooks())['lesson.hint'], { what: 'the hint button replaced by the hint' });
  await shot(L, 'lessons-en-hint');

  // The right answer: confirmed, and the lesson moves on; no point for a
  // third try (README: 1, 0.5, then 0).
  await click(L, `lesson.state.${q.answer}`);
  state = await L.waitFor((s) => s.feedback && s.feedback.correct === true, 'the verdict "right"');
  t.assert.ok(state.feedback.message.startsWith('Correct.'), state.feedback.message);
  t.assert.ok(state.question && state.question.id !== q.id, `the next question: ${JSON.stringify(state.question)}`);
  t.assert.equal(state.lesson.points, pointsBefore, 'no point at the third try');
  all = await L.hooks();
  t.assert.equal(all['diagram.marked_arc'], undefined, 'the mark goes with the right answer');
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// 3. The exam from the lesson menu: ten questions, one answered wrong on
//    purpose, the score at the end.
export async function testExamWithOneWrongAnswerReachesScore(t) {
  const L = await openApp(t, '?lang=en&seed=3303', { lang: 'en' });
  await click(L, 'toolbar.lessons');
  await click(L, 'menu.exam');
  let state = await L.waitFor((s) => s.mode === 'exam' && s.question, 'exam mode and its first question');
  const verdicts = [];
  let wrongDone = false;
  for (let n = 0; n < 20; n++) {
    if ((await L.hooks())['exam.score']) break;
    state = await L.state();
    t.assert.ok(state.question, `exam question ${n + 1}: ${JSON.stringify(state)}`);
    t.assert.equal(state.feedback, undefined, 'no verdict before the answer');
    const q = state.question;
    const wrong = !wrongDone && ['state', 'number', 'choose'].includes(q.kind);
    wrongDone ||= wrong;
    const did = await answer(L, state, { wrong });
    state = await L.waitFor((s) => s.feedback, `the verdict on exam question ${n + 1} (${q.id})`);
    t.log(`exam ${n + 1}: ${q.id} (${q.kind}) ${did}: ${state.feedback.correct ? 'right' : 'wrong'}`);
    t.assert.equal(state.feedback.correct, !wrong, `exam question ${n + 1} (${q.id}, ${did}): ` +
                                                    `${state.feedback.message}`);
    verdicts.push(state.feedback.correct);
    if (n === 0) await shot(L, 'lessons-en-exam-answered');
    await click(L, 'exam.next');
    await L.waitFor((s) => !s.feedback, 'the next exam question');
  }
  t.assert.ok(wrongDone, 'one question was answered wrong');
  t.assert.equal(verdicts.length, 10, `ten questions: ${verdicts}`);
  t.assert.equal(verdicts.filter((v) => !v).length, 1);
  await visibleRect(L, 'exam.score');
  state = await L.state();
  t.assert.equal(state.mode, 'exam');
  t.assert.equal(state.question, undefined, 'no question after the last');
  await shot(L, 'lessons-en-exam-score');
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// A lesson file that is not JSON (cut off in the middle).
const BROKEN_LESSON = '{\n  "id": "broken",\n  "version": 1,\n  "title": {"en": "Broken", "zh": "坏的"},\n' +
                      '  "steps": [\n    {"say": {"en": "Hello", ';

// 4. A malformed author lesson from ?lessonUrl=: the error panel; dismissed,
//    the sandbox still works.
export async function testMalformedLessonUrlShowsErrorAndAppKeepsWorking(t) {
  t.server.override('/bad.json', { status: 200, body: BROKEN_LESSON,
                                   headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  const L = await openApp(t, '?lessonUrl=bad.json&lang=en&seed=3404', { lang: 'en' });
  let state = await L.waitFor((s) => s.errors > 0, 'the lesson file\'s error');
  await visibleRect(L, 'errors.dismiss');
  t.assert.equal(state.mode, 'sandbox', 'no lesson opened');
  t.assert.equal(state.lessons, Object.keys(LESSONS).length, 'the broken file is not added to the lessons');
  t.assert.equal(await L.page.evaluate(() => window.tcplabStatus), 'ready', 'the app has not failed');
  await shot(L, 'lessons-en-bad-lesson');
  await click(L, 'errors.dismiss');
  state = await L.waitFor((s) => s.errors === 0, 'the errors dismissed');
  t.assert.equal((await L.hooks())['errors.dismiss'], undefined, 'the error panel is gone');
  await click(L, 'B.listen');
  await L.waitForStates('CLOSED', 'LISTEN');
  await click(L, 'A.connect');
  await L.waitForStates('ESTABLISHED', 'ESTABLISHED', [
    ['CLOSED', 'LISTEN'], ['SYN-SENT', 'LISTEN'], ['SYN-SENT', 'SYN-RECEIVED'], ['ESTABLISHED', 'SYN-RECEIVED']]);
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// The worked example of lessons/README.md: a valid author lesson.
export const EXAMPLE_LESSON = {
  id: 'example', version: 1,
  title: { en: 'The first segment', zh: '第一个报文段' },
  summary: { en: 'What the SYN carries', zh: 'SYN 携带了什么' },
  steps: [
    { do: [{ app: 'B', call: 'open_passive' }, { app: 'A', call: 'open_active' }],
      say: { en: 'The client sends SYN seq={A.iss}.', zh: '客户端发送 SYN，seq={A.iss}。' } },
    { ask: { id: 'q1', kind: 'number', value: { reply: 'B', field: 'ack' },
      prompt: { en: 'What ack number will the server\'s SYN,ACK carry?', zh: '服务器的 SYN,ACK 的确认号是多少？' },
      hint: { en: 'The SYN occupies one sequence number.', zh: 'SYN 占用一个序号。' },
      explain: { en: 'The SYN used {A.iss}, so the next byte expected is {A.iss+1}: ack={answer}.',
                 zh: 'SYN 占用了序号 {A.iss}，期望的下一个序号是 {A.iss+1}：ack={answer}。' } } },
    { do: { deliver: 'A->B', which: 'next' } },
    { ask: { id: 'q2', kind: 'state', host: 'B', expect: 'SYN-RECEIVED',
      prompt: { en: 'Which state is the server in now?', zh: '服务器现在处于什么状态？' },
      hint: { en: 'It has answered the SYN and waits for the ACK.', zh: '它已回复 SYN，正在等待 ACK。' },
      explain: { en: 'A SYN arriving in LISTEN moves the server to SYN-RECEIVED (RFC 9293 3.10.7.2).',
                 zh: '在 LISTEN 状态收到 SYN，服务器进入 SYN-RECEIVED（RFC 9293 3.10.7.2）。' },
      arc: { host: 'B', from: 'LISTEN', to: 'SYN-RECEIVED' } } },
  ],
};

// 4b. The same machinery with a valid author lesson: it opens, and it can
//    be answered to the end.
export async function testAuthorLessonFromUrlOpensAndCompletes(t) {
  t.server.override('/example.json', { status: 200, body: JSON.stringify(EXAMPLE_LESSON),
                                       headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  const L = await openApp(t, '?lessonUrl=example.json&lang=en&seed=3407', { lang: 'en' });
  let state = await L.waitFor((s) => s.mode === 'lesson' && s.lesson && s.lesson.id === 'example',
    'the author lesson opened');
  t.assert.equal(state.errors, 0);
  t.assert.equal(state.lessons, Object.keys(LESSONS).length + 1, 'the lesson joins the list');
  ({ state } = await walkLesson(L));
  t.assert.deepEqual([state.lesson.points, state.lesson.questions], [2, 2]);
  t.assert.deepEqual(state.progress['example@1'], { done: true, best: 2, questions: 2 });
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// 4c. An author lesson that is JSON but wrong (an `expect` the engine
//    contradicts), in Chinese: the error panel, dismissed.
export async function testInvalidAuthorLessonInChineseShowsErrorPanel(t) {
  const bad = JSON.parse(JSON.stringify(EXAMPLE_LESSON));
  bad.id = 'example-bad';
  bad.steps[3].ask.expect = 'ESTABLISHED';
  t.server.override('/wrong.json', { status: 200, body: JSON.stringify(bad, null, 2),
                                     headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  const L = await openApp(t, '?lessonUrl=wrong.json&lang=zh&seed=3408', { lang: 'zh' });
  let state = await L.waitFor((s) => s.errors > 0, 'the lesson file\'s error');
  t.assert.equal(state.mode, 'sandbox', 'no lesson opened');
  t.assert.equal(state.lessons, Object.keys(LESSONS).length, 'the refused file is not added');
  await visibleRect(L, 'errors.dismiss');
  await shot(L, 'lessons-zh-bad-lesson');
  await click(L, 'errors.dismiss');
  state = await L.waitFor((s) => s.errors === 0, 'the errors dismissed');
  t.assert.equal((await L.hooks())['errors.dismiss'], undefined, 'the error panel is gone');
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// 5. Screenshots of the lesson screens in Chinese (tests/browser/artifacts/
//    lessons-zh-*): narration, each kind of question, a wrong answer with its
//    marked arc and the hint, the end, the menu, the exam, a bad file.
async function chineseScreens(t, viewport) {
  const L = await openApp(t, '?lesson=handshake&lang=zh&seed=3505', { viewport, lang: 'zh' });
  await L.setPainting(false);  // painted for its screenshots and pixel reads (Lesson.painted)
  const seen = new Set();
  let wrongShown = false;
  await walkLesson(L, {
    at: async (s) => {
      if (!s.question) {
        if (!seen.has('narration')) {
          seen.add('narration');
          await shot(L, 'lessons-zh-narration');
        }
        return {};
      }
      const kind = s.question.kind;
      if (!seen.has(kind)) {
        seen.add(kind);
        await shot(L, `lessons-zh-${kind}`);
      }
      if (kind === 'state' && !wrongShown) {
        // Two wrong answers: the explanation, the red arc, then the hint.
        wrongShown = true;
        const file = authored('handshake', s.question.id);
        const picks = file.mistakes ? file.mistakes.map((m) => m.answer) : [];
        while (picks.length < 2) picks.push(['CLOSED', 'TIME-WAIT'].find((x) => !picks.includes(x)));
        await click(L, `lesson.state.${picks[picks.length - 1]}`);
        await L.waitFor((x) => x.feedback && x.feedback.correct === false, 'the first miss');
        await shot(L, 'lessons-zh-wrong');
        await click(L, `lesson.state.${picks[0]}`);
        await visibleRect(L, 'lesson.hint');
        await click(L, 'lesson.hint');
        await poll(async () => !(await L.hooks())['lesson.hint'], { what: 'the hint shown' });
        await shot(L, 'lessons-zh-hint');
        return {};
      }
      if (kind === 'number' && !seen.has('typed')) {
        seen.add('typed');
        await typeInto(L, 'lesson.number', s.question.answer);
        await shot(L, 'lessons-zh-number-typed');
      }
      return {};
    },
  });
  await shot(L, 'lessons-zh-complete');
  await click(L, 'toolbar.lessons');
  await visibleRect(L, 'menu.lesson.handshake');
  await L.page.mouse.move(2, L.viewport.height - 2);
  await settle(L.page, 4);
  await shot(L, 'lessons-zh-menu');
  await click(L, 'menu.exam');
  const state = await L.waitFor((s) => s.mode === 'exam' && s.question, 'the exam');
  await shot(L, 'lessons-zh-exam');
  await answer(L, state, { wrong: true });
  await L.waitFor((s) => s.feedback, 'the exam verdict');
  await visibleRect(L, 'exam.next');
  await shot(L, 'lessons-zh-exam-wrong');
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

export async function testChineseLessonScreens1024x640(t) {
  await chineseScreens(t, { width: 1024, height: 640 });
}

export async function testChineseLessonScreens1920x1080(t) {
  await chineseScreens(t, { width: 1920, height: 1080 });
}

// 6. The review lesson, in English, all right at the first try: it has the
//    one act question answered by a hand-built segment (the builder's check
//    boxes and fields), and multiple-choice questions.
export async function testReviewLessonWithAHandBuiltSegment(t) {
  const L = await openApp(t, '?lesson=review&lang=en&seed=3606', { lang: 'en' });
  let built = null;
  const { state } = await walkLesson(L, {
    at: async (s) => {
      if (s.question && s.question.kind === 'act' && !authored('review', s.question.id).solution.call) {
        built = s.question;
      }
      return {};
    },
  });
  t.assert.ok(built, 'the lesson asked for a hand-built segment');
  t.assert.equal(state.lesson.points, state.lesson.questions, `full score: ${state.lesson.points}/${state.lesson.questions}`);
  // The segment was sent by the host the question named, as the solution says.
  const label = /sends (.+)$/.exec(built.answer)[1];
  t.assert.ok(state.sent.some((s) => s.from === built.host && s.label === label),
    `${built.host} sent ${label}: ${state.sent.map((s) => `${s.from}: ${s.label}`).join(' | ')}`);
  await shot(L, 'lessons-en-review-complete');
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}
