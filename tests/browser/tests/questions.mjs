// The questions that make learners construct (lessons/lesson_construct.cpp)
// answered in the page like a learner answers them: a ladder picked among
// small drawn ladders, blanks typed into the run's ladder, states sorted
// into classes, an order with items that may come either way. By clicks in
// both languages, by keys in both languages (digits, Q, Tab, Space, typing,
// Enter; no clicks), with every text run
// inside its panel at the five sizes, and with nothing on screen that gives
// the answer away while it is asked. Screenshots: artifacts/questions-*.png.
import { poll, settle } from './lesson-helpers.mjs';
import { answer, click, openApp, visibleRect, walkLesson, wrongBlank } from './lessons.mjs';
import { SIZES, checkScreen, openAt } from './screen.mjs';
import { textRuns, inWindow } from '../lib/text.mjs';

const T = (en, zh) => ({ en, zh });
const TEXTS = {
  hint: T('Each number follows from the segments before it.', '每个数都由前面的报文段推出。'),
  explain: T('The engine accepts only the run\'s own ladder.', '引擎只接受本次运行自己的时序图。'),
};

// A whole conversation (handshake, data both ways, a close with data after
// the first FIN, TIME-WAIT), then one question of each new kind.
export const QUESTIONS_LESSON = {
  id: 'questions-test', version: 1,
  title: T('Questions that construct', '构造型问题'), summary: T('Every new kind', '每种新题型'),
  steps: [
    { do: [
      { app: 'B', call: 'open_passive' }, { app: 'A', call: 'open_active' },
      { deliver: 'A->B', which: 'next' }, { deliver: 'B->A', which: 'next' }, { deliver: 'A->B', which: 'next' },
      { app: 'A', call: 'send', bytes: 200 }, { deliver: 'A->B', which: 'next' }, { deliver: 'B->A', which: 'next' },
      { app: 'A', call: 'close' }, { deliver: 'A->B', which: 'next' }, { deliver: 'B->A', which: 'next' },
      { app: 'B', call: 'send', bytes: 100 }, { deliver: 'B->A', which: 'next' }, { deliver: 'A->B', which: 'next' },
      { app: 'B', call: 'close' }, { deliver: 'B->A', which: 'next' }, { deliver: 'A->B', which: 'next' },
    ] },
    { ask: { id: 'pick', kind: 'ladder', distractors: ['ack_ignores_data', 'fin_ack_merged', 'time_wait_on_passive_closer'],
      prompt: T('Which ladder did this run draw?', '本次运行画出的是哪个时序图？'), ...TEXTS } },
    { ask: { id: 'fill', kind: 'blanks',
      blanks: [{ row: 1, field: 'flags' }, { row: 1, field: 'ack' }, { row: 4, field: 'ack' }, { row: -1, field: 'state', host: 'A' }],
      prompt: T('Fill the hidden fields of this run\'s ladder.', '填写本次运行时序图中隐藏的字段。'), ...TEXTS } },
    { ask: { id: 'sort', kind: 'classify',
      classes: [T('can last as long as an application wants', '可能持续任意长（取决于应用进程）'),
        T('ends within a bounded time', '在有限时间内结束')],
      items: [
        { text: T('CLOSE-WAIT', 'CLOSE-WAIT（关闭等待）'), class: 0, explain: T('It waits for the application to close.', '它等待应用进程关闭。') },
        { text: T('TIME-WAIT', 'TIME-WAIT（时间等待）'), class: 1, explain: T('It lasts 2MSL.', '它持续 2MSL。') },
        { text: T('ESTABLISHED', 'ESTABLISHED（已建立连接）'), class: 0, explain: T('It lasts while the connection is used.', '连接使用多久就持续多久。') },
      ],
      prompt: T('Sort these states.', '给这些状态分类。'), ...TEXTS } },
    { ask: { id: 'cross', kind: 'order',
      items: [T('both ESTABLISHED', '双方 ESTABLISHED'), [T('A sends FIN', 'A 发送 FIN'), T('B sends FIN', 'B 发送 FIN')],
        T('both CLOSING', '双方 CLOSING')],
      prompt: T('A simultaneous close: put these in order.', '同时关闭：把它们排好顺序。'), ...TEXTS } },
    { say: T('Done.', '完成。') },
  ],
};

async function openQuestions(t, lang, seed, size = null) {
  t.server.override('/questions.json', { status: 200, body: JSON.stringify(QUESTIONS_LESSON),
    headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  const query = `?lessonUrl=questions.json&lang=${lang}&seed=${seed}`;
  const L = size ? await openAt(t, size, query, lang) : await openApp(t, query, { lang });
  await L.waitFor((s) => s.mode === 'lesson' && s.lesson && s.lesson.id === 'questions-test' && s.question,
    'the questions lesson opened at its first question');
  return L;
}

// What gives the answer of a new-kind question away outside the lesson
// card: any segment label, a blank's number, the hosts' states (the ladder
// panel, the log and the hosts' states are hidden while a ladder is
// asked). Inside the card the other rows' fields stay, as on a paper exam:
// the blanks are to be worked out from them.
async function constructLeaks(L, q) {
  const runs = (await textRuns(L)).filter((r) => !inWindow(r, 'lesson'));
  const found = [];
  if (q.kind !== 'blanks' && q.kind !== 'ladder') return found;
  for (const r of runs) {
    if (/seq=\d+|ack=\d+/.test(r.text)) found.push(`a segment label outside the card: ${r.text}`);
    if (inWindow(r, 'host_') && /^(SYN-|ESTAB|FIN-|CLOSE-WAIT|CLOSING|LAST-ACK|TIME-WAIT)/.test(r.text)) {
      found.push(`a host's state outside the card: ${r.text}`);
    }
  }
  for (const v of (q.blanks || []).filter((b) => /^\d+$/.test(b))) {
    for (const r of runs) if (r.text.includes(v)) found.push(`blank answer ${v} drawn in ${r.window}: ${r.text}`);
  }
  return found;
}

// Each kind answered wrong first, then right, by clicks; the wrong answer's
// feedback names what is wrong in the page's language.
async function byClicks(t, lang) {
  const L = await openQuestions(t, lang, lang === 'en' ? 6101 : 6102);
  await walkLesson(L, {
    at: async (s) => {
      const q = s.question;
      if (!q) return {};
      const leaks = await constructLeaks(L, q);
      t.assert.deepEqual(leaks, [], `${q.id} gives nothing away while asked`);
      await L.screenshot(`questions-${lang}-${q.kind}-asked-1024x640`);
      return { wrong: true };
    },
  });
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

export async function testNewKindsByClicksEn(t) { await byClicks(t, 'en'); }
export async function testNewKindsByClicksZh(t) { await byClicks(t, 'zh'); }

// The feedback of a wrong answer names the mistake, in both languages.
async function wrongFeedback(t, lang) {
  const L = await openQuestions(t, lang, 6200);
  let s = await L.state();
  const words = {
    en: { pick: /Here the|The engine refuses row|the engine puts/, fill: /Blank 1 \(row 2, flags\): not right/,
          sort: /is not "ends within a bounded time"|is not "can last/, cross: /must come before/ },
    zh: { pick: /这里|引擎不接受第|引擎在第/, fill: /第 1 空（第 2 行，标志位）：不对/, sort: /不属于/, cross: /必须在/ },
  }[lang];
  for (let k = 0; k < 4; k++) {
    const q = s.question;
    await answer(L, s, { wrong: true });
    s = await L.waitFor((x) => x.feedback && x.feedback.correct === false, `the verdict "wrong" on ${q.id}`);
    t.assert.match(s.feedback.message, words[q.id], `${q.id}: the feedback names the mistake`);
    await L.screenshot(`questions-${lang}-${q.kind}-wrong-1024x640`);
    await answer(L, s);
    s = await L.waitFor((x) => x.feedback && x.feedback.correct === true && (x.question?.id !== q.id || x.lesson.finished),
      `the verdict "right" on ${q.id}`);
  }
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

export async function testWrongAnswersNamedEn(t) { await wrongFeedback(t, 'en'); }
export async function testWrongAnswersNamedZh(t) { await wrongFeedback(t, 'zh'); }

// Keys only (no clicks, no taps), in the page's language: a ladder picked
// with its digit, blanks typed after Q, classes and order moved with Tab
// and Space; Enter checks each. The ladder, the blanks and the classes are
// answered wrong first: the feedback, in the language, names the mistake.
// The mouse only moves (the app draws on input when idle), never clicks.
const KEY_WORDS = {
  en: { ladder: /Here the|The engine refuses row|the engine puts/, blanks: /Blank 1 \(row 2, flags\): not right/,
        classify: /is not "/, given: (letter) => `Your answer: ladder ${letter}. Not right.` },
  zh: { ladder: /这里|引擎不接受第|引擎在第/, blanks: /第 1 空（第 2 行，标志位）：不对/, classify: /不属于/,
        given: (letter) => `你的答案：时序图 ${letter}。不对。` },
};

function keyboard(L) {
  const frames = () => L.page.evaluate(() => window.Module._tcplab_rendered_frames());
  // Held for a few frames: ImGui 1.86 reads the keys' state once a frame.
  const key = async (k) => {
    const before = await frames();
    await L.page.keyboard.down(k);
    await poll(async () => {
      await L.page.mouse.move(5 + Math.random() * 3, 5);
      return (await frames()) >= before + 3;
    }, { timeout: 10000, what: `frames with ${k} held` });
    await L.page.keyboard.up(k);
    await settle(L.page, 3);
  };
  const focused = () => L.page.evaluate(() => window.Module.UTF8ToString(window.Module._tcplab_test_focus()));
  // Tab (or Shift+Tab) until the keyboard is on `name`.
  const focusBy = async (name, back = false) => {
    const seen = [];
    for (let i = 0; i < 40; i++) {
      const f = await focused();
      if (f === name) return;
      seen.push(f);
      await L.page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      await settle(L.page, 3);
    }
    throw new Error(`Tab never reached ${name}: ${seen.join(' -> ')}`);
  };
  const type = async (text) => {
    await L.page.keyboard.type(String(text), { delay: 15 });
    await settle(L.page, 3);
  };
  // Control+A in the active field, held for a few frames.
  const selectAll = async () => {
    await L.page.keyboard.down('Control');
    await key('a');
    await L.page.keyboard.up('Control');
  };
  return { key, focused, focusBy, type, selectAll };
}

// Waits for the verdict on the question `id`: wrong, or right and moved on.
function verdict(L, id, correct) {
  return L.waitFor((x) => x.feedback && x.feedback.correct === correct && (!correct || x.question?.id !== id || x.lesson.finished),
    `the verdict ${correct ? 'right' : 'wrong'} on ${id}`);
}

async function ladderByKeys(L, K, q, words) {
  await visibleRect(L, 'lesson.ladder.0');
  const wrong = (q.ladder + 1) % q.ladders;
  await K.key(String(wrong + 1));
  await K.key('Enter');
  const s = await verdict(L, q.id, false);
  L.t.assert.match(s.feedback.message, words.ladder, 'a wrong ladder picked by its digit is named');
  // The screen reader says the answer given by Enter, as after a click.
  const said = words.given('ABCD'[wrong]);
  let live = '';
  await poll(async () => (live = await L.page.evaluate(() => document.getElementById('announcer').innerText)).includes(said),
    { timeout: 5000, what: `the live region saying "${said}"`, describe: () => live.slice(-300) });
  await K.key(String(q.ladder + 1));
  await K.key('Enter');
  return verdict(L, q.id, true);
}

async function blanksByKeys(L, K, q, words) {
  // Q puts the keyboard in the first blank; Tab goes on to the next.
  await K.key('q');
  for (const [i, v] of q.blanks.entries()) {
    if (i > 0) await K.focusBy(`lesson.blank.${i}`);
    await K.type(i === 0 ? wrongBlank(v) : v);
  }
  await K.key('Enter');
  const s = await verdict(L, q.id, false);
  L.t.assert.match(s.feedback.message, words.blanks, 'the wrong blank is named');
  await K.key('q');
  L.t.assert.equal(await K.focused(), 'lesson.blank.0', 'Q puts the keyboard back in the first blank');
  await K.selectAll();
  await K.type(q.blanks[0]);
  await K.key('Enter');
  return verdict(L, q.id, true);
}

async function classifyByKeys(L, K, q, words) {
  const n = Object.keys(await L.hooks()).filter((k) => /^lesson\.class\.0\.\d+$/.test(k)).length;
  L.t.assert.ok(n >= 2, `${n} classes drawn`);
  await K.key('q');
  L.t.assert.equal(await K.focused(), 'lesson.class.0.0', 'Q puts the keyboard on the first class button');
  // The first item in a wrong class, the others right; then the first put right.
  for (const [i, c] of q.classes.entries()) {
    await K.focusBy(`lesson.class.${i}.${i === 0 ? (c + 1) % n : c}`);
    await K.key('Space');
  }
  await K.key('Enter');
  const s = await verdict(L, q.id, false);
  L.t.assert.match(s.feedback.message, words.classify, 'the misplaced item is named');
  await K.focusBy(`lesson.class.0.${q.classes[0]}`, true);
  await K.key('Space');
  await K.key('Enter');
  return verdict(L, q.id, true);
}

async function orderByKeys(L, K, q) {
  const target = q.items;
  const cur = [...q.shown];
  L.t.assert.equal(cur.length, target.length, `order ${q.id}: shown ${JSON.stringify(cur)}`);
  await K.key('q');
  for (let k = 0; k < target.length; k++) {
    for (let j = cur.indexOf(target[k], k); j > k; j--) {
      const at = /lesson\.order\.(up|down)\.(\d+)/.exec(await K.focused());
      const back = at && (Number(at[2]) > j || (Number(at[2]) === j && at[1] === 'down'));
      await K.focusBy(`lesson.order.up.${j}`, back);
      await K.key('Space');
      [cur[j - 1], cur[j]] = [cur[j], cur[j - 1]];
    }
  }
  await K.key('Enter');
  return verdict(L, q.id, true);
}

async function byKeys(t, lang) {
  const L = await openQuestions(t, lang, lang === 'en' ? 6300 : 6301);
  const K = keyboard(L);
  const words = KEY_WORDS[lang];
  const by = { ladder: ladderByKeys, blanks: blanksByKeys, classify: classifyByKeys, order: orderByKeys };
  // The canvas takes the keyboard from the page (Tab, no click).
  await L.page.keyboard.press('Tab');
  await poll(() => L.page.evaluate(() => document.activeElement && document.activeElement.id === 'canvas'),
    { timeout: 5000, what: 'Tab from the page focuses the canvas' });
  const answered = [];
  let s = await L.state();
  while (s.question) {
    const q = s.question;
    t.assert.ok(by[q.kind], `a key path for ${q.kind}`);
    await L.screenshot(`questions-${lang}-${q.kind}-keys-1024x640`);
    s = await by[q.kind](L, K, q, words);
    answered.push(q.kind);
  }
  t.assert.deepEqual(answered, ['ladder', 'blanks', 'classify', 'order'], 'every new kind answered by keys');
  t.assert.equal(s.lang, lang);
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

export async function testNewKindsByKeysEn(t) { await byKeys(t, 'en'); }
export async function testNewKindsByKeysZh(t) { await byKeys(t, 'zh'); }

// Every text run inside its panel at the five sizes, both languages, at
// every new-kind question (asked, and after a wrong answer).
async function fits(t, lang) {
  const problems = [];
  for (const size of SIZES) {
    const L = await openQuestions(t, lang, 6400, size);
    await L.setPainting(false);  // text only: painted for screenshots (Lesson.painted)
    const tag = `${size.name}-${lang}`;
    await walkLesson(L, {
      at: async (s) => {
        if (!s.question) return {};
        await checkScreen(L, `${tag} ${s.question.id} asked`, problems);
        for (const p of await constructLeaks(L, s.question)) problems.push(`${tag} ${s.question.id}: ${p}`);
        await L.screenshot(`questions-${tag}-${s.question.kind}`);
        return {};
      },
    });
    t.assert.deepEqual(L.errors, [], `${tag}: no console errors or page errors`);
    await L.top.context().close();
  }
  t.assert.equal(problems.length, 0, `${problems.length} problem(s):\n  ${problems.slice(0, 30).join('\n  ')}`);
}

function named(fn, ms) {
  fn.timeoutMs = ms;
  return fn;
}

export const testNewKindsFitAtFiveSizesEn = named((t) => fits(t, 'en'), 600000);
export const testNewKindsFitAtFiveSizesZh = named((t) => fits(t, 'zh'), 600000);

// The exam of `lessons=` and `count=`: a seed draws the same questions with
// the same numbers again (a reproducible paper), another seed draws others;
// new-kind questions are answered in the exam like in a lesson.
async function walkExam(t, query) {
  const L = await openApp(t, query, { lang: 'en' });
  await L.waitFor((s) => s.mode === 'exam' && s.question, 'the exam and its first question');
  const drawn = [];
  for (let n = 0; n < 30; n++) {
    if ((await L.hooks())['exam.score']) break;
    const s = await L.state();
    const q = s.question;
    drawn.push(`${q.id}:${q.kind}:${q.answer}`);
    await answer(L, s);
    const v = await L.waitFor((x) => x.feedback, `the verdict on ${q.id}`);
    t.assert.equal(v.feedback.correct, true, `${q.id} (${q.kind}) answered right: ${v.feedback.message}`);
    await click(L, 'exam.next');
    await L.waitFor((x) => !x.feedback, 'the next exam question');
  }
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
  await L.page.context().close();
  return drawn;
}

export async function testSeededExamOfChosenLessonsReproduces(t) {
  const q = (seed) => `?mode=exam&lessons=four-way-close,misconceptions&count=4&lang=en&seed=${seed}`;
  const first = await walkExam(t, q(8801));
  const again = await walkExam(t, q(8801));
  const other = await walkExam(t, q(8802));
  t.log(`seed 8801: ${first.join(' | ')}`);
  t.assert.equal(first.length, 4, 'count=4 questions');
  t.assert.deepEqual(again, first, 'the same seed draws the same exam, numbers and all');
  t.assert.notDeepEqual(other, first, 'another seed draws another exam');
  for (const d of [...first, ...other]) {
    t.assert.ok(/^(client-close|fin-seq|fin-ack|b-close-wait|a-fin-wait-1|close-wait-meaning|server-close|server-fin-seq|last-ack-number|a-time-wait|b-last-ack|client-path|pick-ladder|ack-rule|seq-meaning|ack-name|first-fin-sender|who-time-wait|closing-myth|2msl-proves|which-true|long-or-short):/.test(d),
      `${d} comes from the chosen lessons`);
  }
}
