// The questions that make learners construct (lessons/lesson_construct.cpp)
// answered in the page like a learner answers them: a ladder picked among
// small drawn ladders, blanks typed into the run's ladder, states sorted
// into classes, an order with items that may come either way. By clicks in
// both languages, by keys (digits, typing, Enter), with every text run
// inside its panel at the five sizes, and with nothing on screen that gives
// the answer away while it is asked. Screenshots: artifacts/questions-*.png.
import { poll } from './lesson-helpers.mjs';
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

// Keys: a ladder picked with its digit and checked with Enter; blanks typed
// and checked with Enter in the last field.
export async function testLadderAndBlanksByKeys(t) {
  const L = await openQuestions(t, 'en', 6300);
  let s = await L.state();
  t.assert.equal(s.question.kind, 'ladder');
  await visibleRect(L, 'lesson.ladder.0');
  const key = async (k) => {
    const before = await L.page.evaluate(() => window.Module._tcplab_rendered_frames());
    await L.page.keyboard.down(k);
    await poll(async () => {
      await L.page.mouse.move(5 + Math.random() * 3, 5);
      return (await L.page.evaluate(() => window.Module._tcplab_rendered_frames())) >= before + 3;
    }, { timeout: 10000, what: `frames with ${k} held` });
    await L.page.keyboard.up(k);
  };
  await L.page.mouse.click(5, 5);  // the canvas has the keyboard
  await key(String(s.question.ladder + 1));
  await key('Enter');
  s = await L.waitFor((x) => x.feedback && x.feedback.correct === true && x.question && x.question.kind === 'blanks',
    'the ladder answered right by keys');
  // Blanks: typed into each field (a click gives the first field the
  // keyboard), Enter in the last one checks.
  const values = s.question.blanks;
  const { typeInto } = await import('./lessons.mjs');
  for (const [i, v] of values.entries()) await typeInto(L, `lesson.blank.${i}`, i === 0 ? wrongBlank(v) : v);
  await key('Enter');
  s = await L.waitFor((x) => x.feedback && x.feedback.correct === false, 'a wrong blank checked by Enter');
  t.assert.match(s.feedback.message, /Blank 1 \(row 2, flags\): not right/);
  await typeInto(L, 'lesson.blank.0', values[0]);
  await click(L, `lesson.blank.${values.length - 1}`);
  await key('Enter');
  await L.waitFor((x) => x.feedback && x.feedback.correct === true && x.question && x.question.kind === 'classify',
    'the blanks answered right by keys');
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// Every text run inside its panel at the five sizes, both languages, at
// every new-kind question (asked, and after a wrong answer).
async function fits(t, lang) {
  const problems = [];
  for (const size of SIZES) {
    const L = await openQuestions(t, lang, 6400, size);
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
