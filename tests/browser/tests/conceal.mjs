// No answer on screen while it is asked: at every state and number question
// of lessons 1, 2 and 6 and of an exam, in both languages, the text the app
// draws (Module._tcplab_test_text) holds neither the asked host's state (its
// big label, its ss/netstat names, its newest state on the ladder) nor the
// asked number, and the state diagram does not highlight the asked host's
// box. The answers come from the test page's state hook; the hosted page
// (dist/) must not carry them.
import { Lesson, poll } from './lesson-helpers.mjs';
import { answer, click, ready, walkLesson } from './lessons.mjs';
import { textRuns } from './screen.mjs';

const HOST_COLOUR = { A: [0x00, 0x5f, 0xcc], B: [0xb2, 0x50, 0x00] };
const HOST_WINDOW = { A: 'host_a', B: 'host_b' };
const STATE_NAMES = ['CLOSED', 'LISTEN', 'SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2',
  'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT'];
const SHORT = { 'SYN-RECEIVED': 'SYN-RCVD', ESTABLISHED: 'ESTAB' };

function inWindow(r, name) { return r.window.split('/').some((part) => part.startsWith(name)); }

// What gives the answer away on the screen now; [] when nothing does.
async function leaks(L, q) {
  const runs = await textRuns(L);
  const found = [];
  if (q.kind === 'state') {
    const names = [q.answer, SHORT[q.answer]].filter(Boolean);
    for (const r of runs) {
      if (inWindow(r, HOST_WINDOW[q.host]) && (names.includes(r.text) || /netstat:/.test(r.text))) {
        found.push(`host panel shows ${JSON.stringify(r.text)}`);
      }
    }
    // The ladder's newest state note on the asked host's side.
    const ladder = runs.filter((r) => inWindow(r, 'ladder') && (STATE_NAMES.includes(r.text) ||
      Object.values(SHORT).includes(r.text) || r.text === '?'));
    if (ladder.length) {
      const xs = ladder.map((r) => r.rect[0]);
      const mid = (Math.min(...xs) + Math.max(...xs)) / 2;
      const side = ladder.filter((r) => (q.host === 'A' ? r.rect[0] < mid : r.rect[0] > mid));
      const newest = side.sort((a, b) => b.rect[1] - a.rect[1])[0];
      if (newest && names.includes(newest.text)) found.push(`ladder's newest ${q.host} state is ${newest.text}`);
    }
    const box = (await L.hooks())[`diagram.${q.answer}`];
    if (box) {
      const n = await L.countColours(box, { host: HOST_COLOUR[q.host] });
      if (n.host > 40) found.push(`diagram box ${q.answer} carries ${q.host}'s colour (${n.host} px)`);
    }
  }
  if (q.kind === 'number') {
    // The asked segment's label with its real numbers (other segments may
    // carry the same number: working it out from them is the exercise).
    if (q.segment) {
      for (const r of runs) if (r.text.split('\n').join(' ').includes(q.segment)) found.push(`ladder shows ${q.segment}`);
    }
    // A variable or a predicted reply: the host's panel shows no such number.
    for (const r of runs) {
      if (inWindow(r, HOST_WINDOW[q.host]) && r.text.trim() === String(q.answer)) found.push(`host panel shows ${r.text}`);
    }
  }
  return found;
}

async function open(t, query, lang) {
  const viewport = { width: 1366, height: 768 };
  const { page, errors } = await t.open(`index.html${query}`, { viewport });
  const L = new Lesson(t, page, errors, viewport);
  await ready(L, lang);
  return L;
}

async function lessonsConceal(t, lang) {
  const problems = [];
  let checked = 0;
  for (const [i, id] of ['handshake', 'four-way-close', 'time-wait'].entries()) {
    const L = await open(t, `?lesson=${id}&lang=${lang}&seed=${5100 + i}`, lang);
    await walkLesson(L, {
      at: async (s) => {
        const q = s.question;
        if (!q || (q.kind !== 'state' && q.kind !== 'number')) return {};
        checked++;
        for (const p of await leaks(L, q)) problems.push(`${id} ${q.id} (${q.kind} ${q.answer}): ${p}`);
        if (checked === 1) await L.screenshot(`conceal-${lang}-${id}-${q.id}`);
        return {};
      },
    });
    t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
    await L.page.context().close();
  }
  t.log(`${checked} state and number questions checked`);
  t.assert.ok(checked >= 6, `lessons 1, 2 and 6 ask state and number questions (${checked} seen)`);
  t.assert.deepEqual(problems, [], 'nothing on screen gives the answer away');
}

export async function testLessonQuestionsDoNotShowTheirAnswerEn(t) { await lessonsConceal(t, 'en'); }
export async function testLessonQuestionsDoNotShowTheirAnswerZh(t) { await lessonsConceal(t, 'zh'); }

// The exam: each question concealed until its verdict; after the verdict of
// a state question the host's state is back on screen.
export async function testExamQuestionsDoNotShowTheirAnswer(t) {
  const problems = [];
  let checked = 0;
  let revealed = 0;
  for (const seed of [5201, 5202]) {
    const L = await open(t, `?mode=exam&lang=en&seed=${seed}`, 'en');
    let s = await L.waitFor((x) => x.mode === 'exam' && x.question, 'the exam');
    for (let k = 0; k < 10 && s.question; k++) {
      const q = s.question;
      if (q.kind === 'state' || q.kind === 'number') {
        checked++;
        for (const p of await leaks(L, q)) problems.push(`exam ${seed} #${k + 1} ${q.id} (${q.kind} ${q.answer}): ${p}`);
      }
      await answer(L, s);
      await L.waitFor((x) => x.feedback, 'the exam verdict');
      if (q.kind === 'state') {
        const runs = await textRuns(L);
        // The run may have moved on after the answer: some state, not "?".
        if (runs.some((r) => inWindow(r, HOST_WINDOW[q.host]) && STATE_NAMES.includes(r.text))) revealed++;
        else problems.push(`exam ${q.id}: after the verdict the host panel still hides the state`);
      }
      await click(L, 'exam.next');
      s = await L.waitFor((x) => !x.feedback || !x.question, 'the next exam question');
    }
    await L.page.context().close();
  }
  t.log(`${checked} exam questions checked, ${revealed} states shown after their verdict`);
  t.assert.ok(checked >= 4, `the exams asked state or number questions (${checked})`);
  t.assert.deepEqual(problems, [], 'nothing on screen gives the answer away');
}

// The hosted page's state hook carries no answer while a question is open.
export async function testHostedPageHookCarriesNoAnswer(t) {
  const prod = await t.startServer({ root: t.prodDist });
  const viewport = { width: 1024, height: 640 };
  const { page, errors } = await t.open(`${prod.url}index.html?lesson=handshake&lang=en&seed=5301`, { viewport });
  const L = new Lesson(t, page, errors, viewport);
  await ready(L, 'en');
  // Continue until a question is open: the hook then has no "question".
  for (let i = 0; i < 20; i++) {
    const hooks = await L.hooks();
    if (!hooks['lesson.continue']) break;
    await click(L, 'lesson.continue');
  }
  const prompt = await poll(async () => (await L.hooks())['lesson.prompt'], { what: 'a question on screen' });
  t.assert.ok(prompt, 'a question is on screen');
  const s = await L.state();
  t.assert.equal(s.question, undefined, `the hosted page's hook names no question or answer: ${JSON.stringify(s.question)}`);
  t.assert.ok(!JSON.stringify(s).includes('"answer"'), 'no answer anywhere in the hook');
  t.assert.deepEqual(errors, [], 'no console errors or page errors');
}

for (const fn of [testLessonQuestionsDoNotShowTheirAnswerEn, testLessonQuestionsDoNotShowTheirAnswerZh,
  testExamQuestionsDoNotShowTheirAnswer]) fn.timeoutMs = 300000;
