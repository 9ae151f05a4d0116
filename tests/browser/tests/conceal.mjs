// No answer on screen while it is asked: at every state and number question
// of an exam (lessons 1, 2 and 6 are checked at every step by screen.mjs, at
// five sizes in both languages), the text the app
// draws (Module._tcplab_test_text) holds neither the asked host's state (its
// big label, its ss/netstat names, its newest state on the ladder) nor the
// asked number, and the state diagram does not highlight the asked host's
// box. The answers come from the test page's state hook; the hosted page
// (dist/) must not carry them.
import { Lesson, poll } from './lesson-helpers.mjs';
import { answer, click, ready, walkLesson } from './lessons.mjs';
import { HOST_WINDOW, STATE_NAMES, inWindow, leaks, textRuns } from '../lib/text.mjs';

async function open(t, query, lang) {
  const viewport = { width: 1366, height: 768 };
  const { page, errors } = await t.open(`index.html${query}`, { viewport });
  const L = new Lesson(t, page, errors, viewport);
  await ready(L, lang);
  return L;
}

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

testExamQuestionsDoNotShowTheirAnswer.timeoutMs = 300000;
