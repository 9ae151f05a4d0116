// Embedding in course pages: the URL parameters (valid ones applied,
// invalid ones falling back with one notice), the height messages and no
// scrollbars, the events to the host page and the commands from it with
// their origin checks (a second server gives a second origin), the example
// course page under a strict CSP with a lesson completed by clicks, two
// instances on one page (own state, the one out of view stops drawing),
// progress kept per lesson version and merged across instances, and the
// "share this run" link replaying a run in a new page.
import { Lesson, appState, hooks, poll, settle } from './lesson-helpers.mjs';
import { EXAMPLE_LESSON, walkLesson } from './lessons.mjs';
import { STRICT_CSP } from './csp.mjs';
import { appFrame, frameLesson, framePage, hostPage, html } from '../lib/frames.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A lesson with one question, answered by one click.
const TINY_LESSON = {
  id: 'tiny', version: 1,
  title: { en: 'Listening', zh: '监听' },
  summary: { en: 'The passive open', zh: '被动打开' },
  steps: [
    { do: [{ app: 'B', call: 'open_passive' }], say: { en: 'The server opens passively.', zh: '服务器被动打开。' } },
    { ask: { id: 'q1', kind: 'state', host: 'B', expect: 'LISTEN',
      prompt: { en: 'Which state is the server in now?', zh: '服务器现在处于什么状态？' },
      hint: { en: 'It waits for a SYN.', zh: '它在等待 SYN。' },
      explain: { en: 'A passive OPEN moves the server to LISTEN.', zh: '被动打开使服务器进入 LISTEN。' } } },
  ],
};

function json(body) {
  return { status: 200, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json; charset=utf-8' } };
}

function received(page) {
  return page.evaluate(() => window.received);
}

// ------------------------------------------------------------ parameters

export async function testValidParametersAreApplied(t) {
  const { page, errors } = await t.open('index.html?seed=4242&msl=2500&loss=10&role=client&lang=en&mode=sandbox' +
                                       '&instance=course-1&parentOrigin=HTTPS://Example.org:443');
  const L = new Lesson(t, page, errors, { width: 1024, height: 640 });
  await t.waitForStatus(L.page);
  await t.waitForFrames(L.page, 2);
  let s = await L.waitFor((st) => st.lessons >= 10 && st.B === 'LISTEN', 'the server listening by itself (role=client)');
  t.assert.deepEqual(s.notices, [], 'no notice for valid parameters');
  t.assert.equal(s.seed, 4242);
  t.assert.equal(s.settings.msl, 2500);
  t.assert.equal(s.settings.loss, 10);
  t.assert.equal(s.role, 'client');
  t.assert.equal(s.instance, 'course-1');
  t.assert.equal(s.parentOrigin, 'https://example.org', 'the origin is normalised as browsers write it');
  t.assert.equal(s.mode, 'sandbox');
  t.assert.equal(await L.page.locator('#tcplab-notice').count(), 0, 'no notice panel');
  const all = await L.hooks();
  t.assert.ok(all['A.role'] && all['B.role'], 'the hosts are labelled (you / acts by itself)');

  // role=client: the learner connects and closes; the server answers, closes
  // after the FIN by itself, and listens again.
  await L.page.goto(`${t.url}index.html?seed=4243&role=client&lang=en&loss=0`);
  await t.waitForStatus(L.page);
  await t.waitForFrames(L.page, 2);
  await L.waitFor((st) => st.B === 'LISTEN', 'the automatic server listening');
  await L.click('A.connect');
  await L.waitForStates('ESTABLISHED', 'ESTABLISHED', [['CLOSED', 'LISTEN'], ['SYN-SENT', 'LISTEN'],
    ['SYN-SENT', 'SYN-RECEIVED'], ['ESTABLISHED', 'SYN-RECEIVED']]);
  await L.click('A.close');
  s = await L.waitFor((st) => st.A === 'TIME-WAIT' && st.B === 'LISTEN' && st.in_flight.length === 0,
    'the client in TIME-WAIT, the server closed by itself and listening again');
  const lines = s.sent.map((x) => `${x.from}: ${x.label.split(' ')[0]}`);
  t.assert.deepEqual(lines.slice(3), ['A: FIN,ACK', 'B: ACK', 'B: FIN,ACK', 'A: ACK'], 'the four-way close');

  // mode=lesson&lesson=..., mode=exam.
  await L.page.goto(`${t.url}index.html?mode=lesson&lesson=four-way-close&seed=9&lang=en`);
  await t.waitForStatus(L.page);
  s = await L.waitFor((st) => st.mode === 'lesson' && st.lesson && st.lesson.id === 'four-way-close', 'the lesson');
  t.assert.deepEqual(s.notices, []);
  await L.page.goto(`${t.url}index.html?mode=exam&seed=9&lang=zh`);
  await t.waitForStatus(L.page);
  s = await L.waitFor((st) => st.mode === 'exam' && st.lang === 'zh', 'the exam in Chinese');
  t.assert.deepEqual(s.notices, []);
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

const INVALID = [
  ['seed', '0'], ['msl', '99'], ['loss', '101'], ['role', 'observer'], ['lang', 'fr'], ['mode', 'quiz'],
  ['parentOrigin', 'https://example.org/course'], ['instance', 'a b'], ['lessonUrl', 'javascript:alert(1)'],
  ['textSize', '9'],
];

export async function testInvalidParametersFallBackWithOneNotice(t) {
  const query = INVALID.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&') + '&lesson=no-such-lesson';
  for (const viewport of [{ width: 1024, height: 640 }, { width: 1920, height: 1080 }]) {
    const { page, errors } = await t.open(`index.html?${query}`, { viewport });
    t.assert.equal((await t.waitForStatus(page)).status, 'ready');
    await t.waitForFrames(page, 2);
    const L = new Lesson(t, page, errors, viewport);
    const s = await L.waitFor((st) => st.lessons >= 10 && st.notices.length >= INVALID.length + 1, 'the notices');
    const params = s.notices.map((n) => n.param).sort();
    t.assert.deepEqual(params, [...INVALID.map(([k]) => k), 'lesson'].sort(), 'one entry per ignored parameter');
    for (const n of s.notices) {
      t.assert.ok(n.en.length > 10 && n.zh.length > 5, `reasons in both languages: ${JSON.stringify(n)}`);
    }
    // The defaults.
    t.assert.notEqual(s.seed, 0);
    t.assert.equal(s.settings.msl, 4000);
    t.assert.equal(s.settings.loss, 0);
    t.assert.equal(s.role, 'both');
    t.assert.equal(s.mode, 'sandbox');
    t.assert.equal(s.parentOrigin, '');
    t.assert.match(s.instance, /^tcplab-/);
    t.assert.equal(s.errors, 0, 'the refused lessonUrl is not fetched');
    // One notice panel lists each parameter and why.
    t.assert.equal(await page.locator('#tcplab-notice').count(), 1);
    const items = await page.locator('#tcplab-notice li').allTextContents();
    t.assert.equal(items.length, INVALID.length + 1);
    t.assert.ok(items.some((i) => i.startsWith('msl=99: ') && i.includes('100 to 120000')), items.join('\n'));
    t.assert.ok(items.some((i) => i.startsWith('lesson=no-such-lesson: ') && i.includes('handshake')));
    // It leaves the toolbar free.
    const box = await page.locator('#tcplab-notice').boundingBox();
    const toolbar = (await L.hooks())['toolbar.lessons'];
    t.assert.ok(box.y > toolbar[1] + toolbar[3], 'the notice does not cover the toolbar');
    await L.screenshot(`embed-notice-en-${viewport.width}x${viewport.height}`);
    await page.click('#tcplab-notice-dismiss');
    t.assert.equal(await page.locator('#tcplab-notice').count(), 0, 'dismissed');
    t.assert.equal((await L.state()).noticesDismissed, true);
    t.assert.deepEqual(errors, []);
  }
  // In Chinese, with a malformed shared run: the app keeps working.
  for (const viewport of [{ width: 1024, height: 640 }, { width: 1920, height: 1080 }]) {
    const { page, errors } = await t.open('index.html?lang=zh&msl=abc&seed=77&run=1_500_0_4000_1500_4_1_900_10x',
      { viewport });
    await t.waitForStatus(page);
    const L = new Lesson(t, page, errors, viewport);
    const s = await L.waitFor((st) => st.lang === 'zh' && st.notices.length === 2, 'the notices in Chinese');
    t.assert.deepEqual(s.notices.map((n) => n.param), ['msl', 'run']);
    await poll(async () => (await page.locator('#tcplab-notice li').allTextContents()).join('').includes('整数'),
      { what: 'the notice in Chinese' });
    t.assert.equal(s.runActions, 0);
    await settle(page, 4);
    await L.screenshot(`embed-notice-zh-${viewport.width}x${viewport.height}`);
    await L.click('B.listen');
    await L.waitForStates('CLOSED', 'LISTEN');
    t.assert.deepEqual(errors, []);
  }
}

// ------------------------------------------------------------ height

export async function testHeightIsReportedAndThereAreNoScrollbars(t) {
  const origin = t.url.replace(/\/$/, '');
  t.server.override('/host-height.html', hostPage([
    { id: 'with', src: `index.html?seed=5&lang=en&parentOrigin=${encodeURIComponent(origin)}&instance=h1` },
    { id: 'without', src: 'index.html?seed=6&lang=en&instance=h2' },
  ]));
  const { page, errors } = await t.open('host-height.html', { viewport: { width: 1100, height: 1400 } });
  const a = await appFrame(t, page, 'with');
  await appFrame(t, page, 'without');
  const heights = async (id) => (await received(page)).filter((m) => m.from === id && m.data.type === 'height')
    .map((m) => m.data.height);
  await poll(async () => (await heights('with')).length && (await heights('without')).length,
    { what: 'height messages from both frames' });
  const first = (await heights('with')).at(-1);
  t.assert.ok(first >= 400 && first <= 1200, `a plausible height: ${first}`);
  // Without parentOrigin only the height is sent, nothing else.
  const others = (await received(page)).filter((m) => m.from === 'without' && m.data.type !== 'height');
  t.assert.deepEqual(others, [], 'without parentOrigin no other events');
  // No scrollbars in the frame.
  const scroll = await a.frame.evaluate(() => ({
    overflow: getComputedStyle(document.body).overflow,
    sh: document.documentElement.scrollHeight, ch: document.documentElement.clientHeight,
    sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  t.assert.equal(scroll.overflow, 'hidden');
  t.assert.ok(scroll.sh <= scroll.ch && scroll.sw <= scroll.cw, `no overflow: ${JSON.stringify(scroll)}`);
  // A narrow frame wraps the toolbar: a larger height is reported.
  await page.evaluate(() => { document.getElementById('with').style.width = '480px'; });
  await poll(async () => (await heights('with')).at(-1) > first, {
    what: 'a larger height for a narrow frame', describe: async () => JSON.stringify(await heights('with')) });
  // A lesson needs more room than the sandbox.
  await page.evaluate(() => { document.getElementById('with').style.width = '1000px'; });
  await poll(async () => (await heights('with')).at(-1) === first, { what: 'the height back' });
  await page.evaluate(() => document.getElementById('with').contentWindow.postMessage(
    { target: 'tcplab', type: 'openLesson', lesson: 'handshake' }, '*'));
  await poll(async () => (await heights('with')).at(-1) > first, { what: 'a larger height for a lesson' });
  t.log(`heights: ${JSON.stringify(await heights('with'))}`);
  t.assert.deepEqual(errors, []);
}

// ------------------------------------------------------------ events and origins

export async function testEventsAndCommandsOnlyWithParentOrigin(t) {
  // The course page on a second server (another origin) embeds the app from
  // the first: `good` names the course page's origin, `wrong` another one.
  const course = await t.startServer();
  const courseOrigin = course.url.replace(/\/$/, '');
  const appOrigin = t.url.replace(/\/$/, '');
  const src = (po, inst) => `${t.url}index.html?seed=11&lang=en&lesson=tiny-is-loaded-below&mode=lesson` +
    `&lessonUrl=tiny.json&parentOrigin=${encodeURIComponent(po)}&instance=${inst}`;
  t.server.override('/tiny.json', json(TINY_LESSON));
  course.override('/course.html', hostPage([
    { id: 'good', src: src(courseOrigin, 'good') },
    { id: 'wrong', src: src(appOrigin, 'wrong') },
  ], '<iframe id="sibling" srcdoc="<p>another frame of the course page</p>"></iframe>'));
  const { page, errors } = await t.open(`${course.url}course.html`, { viewport: { width: 1100, height: 1400 } });
  const good = await appFrame(t, page, 'good');
  const wrong = await appFrame(t, page, 'wrong');
  const events = async (from) => (await received(page)).filter((m) => m.from === from).map((m) => m.data);
  await poll(async () => (await events('good')).some((e) => e.type === 'state' && e.lesson === 'tiny'),
    { what: 'ready and state events from the frame with the right parentOrigin',
      describe: async () => JSON.stringify(await events('good')) });
  const ev = await events('good');
  t.assert.equal(ev[0].type, 'ready');
  t.assert.equal(ev[0].source, 'tcplab');
  t.assert.equal(ev[0].instance, 'good');
  t.assert.ok((await received(page)).filter((m) => m.from === 'good').every((m) => m.origin === appOrigin));
  t.assert.deepEqual(ev[0].ignored, ['lesson'], 'the ready event names the ignored parameter');

  // The wrong frame tried to send (its own record) but nothing arrived.
  const tried = await wrong.frame.evaluate(() => window.Module.tcplabEmbed.sent);
  t.assert.ok(tried.includes('ready') && tried.includes('state'), `the frame posted: ${tried}`);
  t.assert.deepEqual(await events('wrong'), [], 'nothing is delivered to a page of another origin');

  // An answer, then the lesson complete.
  const L = await frameLesson(t, page, good.handle, errors);
  await L.waitFor((s) => s.mode === 'lesson' && s.lesson && s.lesson.id === 'tiny', 'the tiny lesson');
  await L.click('lesson.continue');
  await L.click('lesson.state.CLOSED');
  await L.waitFor((s) => s.feedback && !s.feedback.correct, 'a wrong answer');
  await L.click('lesson.state.LISTEN');
  await L.waitFor((s) => s.lesson.finished, 'the lesson finished');
  await poll(async () => (await events('good')).some((e) => e.type === 'complete'), { what: 'the complete event' });
  const answers = (await events('good')).filter((e) => e.type === 'answer');
  t.assert.deepEqual(answers.map((a) => [a.question, a.correct, a.lesson]), [['q1', false, 'tiny'], ['q1', true, 'tiny']]);
  const done = (await events('good')).find((e) => e.type === 'complete');
  t.assert.equal(done.lesson, 'tiny');
  t.assert.equal(done.questions, 1);
  const finished = await L.state();
  t.assert.equal(done.score, finished.lesson.points);
  t.assert.ok(done.score < 1, `right at the second try: less than a point (${done.score})`);
  t.assert.ok(done.seconds > 0 && done.seconds < 120, `time taken ${done.seconds}`);

  // Commands: from the parent at parentOrigin, accepted.
  const send = (id, msg) => page.evaluate(([i, m]) => document.getElementById(i).contentWindow.postMessage(m, '*'),
    [id, msg]);
  await send('good', { target: 'tcplab', type: 'setLanguage', lang: 'zh' });
  await L.waitFor((s) => s.lang === 'zh', 'Chinese after setLanguage');
  await send('good', { target: 'tcplab', type: 'openLesson', lesson: 'handshake' });
  await L.waitFor((s) => s.lesson && s.lesson.id === 'handshake' && s.lesson.step === 0, 'the handshake lesson');
  // From a sibling frame of the same origin (not the parent): ignored.
  await page.frameLocator('#sibling').locator('p').evaluate((p) =>
    p.ownerDocument.defaultView.parent.frames[0].postMessage({ target: 'tcplab', type: 'setLanguage', lang: 'en' }, '*'));
  // From the parent to the frame whose parentOrigin is another origin: ignored.
  await send('wrong', { target: 'tcplab', type: 'setLanguage', lang: 'zh' });
  await send('wrong', { target: 'tcplab', type: 'openLesson', lesson: 'handshake' });
  // Malformed commands: ignored.
  await send('good', { target: 'tcplab', type: 'openLesson', lesson: 'no-such' });
  await send('good', 'reset');
  await sleep(1500);
  let s = await L.state();
  t.assert.equal(s.lang, 'zh', 'a sibling frame cannot command the app');
  t.assert.equal(s.lesson.id, 'handshake');
  s = await appState(wrong.frame);
  t.assert.equal(s.lang, 'en', 'commands from another origin are ignored');
  t.assert.equal(s.lesson.id, 'tiny');
  // reset: the same lesson from its start, same seed.
  await L.click('lesson.continue');
  await L.waitFor((st) => st.lesson.step > 0, 'a step on');
  const seed = (await L.state()).seed;
  await send('good', { target: 'tcplab', type: 'reset' });
  s = await L.waitFor((st) => st.lesson.step === 0, 'back to the start');
  t.assert.equal(s.seed, seed);
  t.assert.deepEqual(errors.filter((e) => !/command refused/.test(e)), []);
}

// ------------------------------------------------------------ the example page

export async function testExampleCoursePageUnderStrictCsp(t) {
  t.server.setHeaders({ 'Content-Security-Policy': STRICT_CSP });
  const viewport = { width: 1920, height: 1240 };
  const { page, errors } = await t.open('embed-example.html', {
    viewport,
    initScript: () => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation',
        (e) => window.cspViolations.push(`${location.pathname} ${e.violatedDirective} ${e.blockedURI}`));
    },
  });
  const left = await appFrame(t, page, 'frame-handshake-demo');
  const right = await appFrame(t, page, 'frame-close-demo');
  const events = () => page.evaluate(() => window.tcplabEvents);
  await poll(async () => (await events()).filter((e) => e.type === 'ready').length === 2, { what: 'two ready events' });
  // The frames take the height the lessons report.
  await poll(async () => {
    const ev = await events();
    const want = (inst) => ev.filter((e) => e.instance === inst && e.type === 'height').at(-1)?.height;
    const got = await page.evaluate(() => [...document.querySelectorAll('iframe')].map((f) => f.clientHeight));
    return want('handshake-demo') && got[0] === want('handshake-demo') && got[1] === want('close-demo');
  }, { what: 'frames sized from the height messages' });
  await t.screenshot(page, t.artifacts, 'embed-example-1920');

  // The left lesson, answered by clicks to the end.
  const L = await frameLesson(t, page, left.handle, errors);
  await L.waitFor((s) => s.lessons >= 10 && s.lesson && s.lesson.id === 'handshake', 'the handshake lesson');
  const { state, asked } = await walkLesson(L);
  const ev = await poll(async () => {
    const e = await events();
    return e.some((x) => x.type === 'complete') ? e : null;
  }, { what: 'the complete event' });
  const answers = ev.filter((e) => e.type === 'answer');
  t.assert.equal(answers.length, asked.length, 'one answer event per question');
  t.assert.ok(answers.every((a) => a.correct && a.instance === 'handshake-demo' && a.lesson === 'handshake'));
  t.assert.deepEqual(answers.map((a) => a.question), asked.map((a) => a.split(':')[0]));
  const done = ev.find((e) => e.type === 'complete');
  t.assert.equal(done.score, state.lesson.points);
  t.assert.equal(done.questions, state.lesson.questions);
  t.assert.ok(done.seconds > 0);
  // The score panel shows it.
  const row = await page.locator('#row-handshake-demo').innerText();
  t.assert.match(row, new RegExp(`complete.*${done.score} / ${done.questions}`, 's'));
  await t.screenshot(page, t.artifacts, 'embed-example-1920-complete');
  // The other lesson is untouched.
  const other = await appState(right.frame);
  t.assert.equal(other.lesson.id, 'four-way-close');
  t.assert.equal(other.lesson.step, 0);
  t.assert.ok(!ev.some((e) => e.instance === 'close-demo' && e.type === 'answer'));
  // The page's language button reaches only its own lesson.
  await page.click('article[data-instance="close-demo"] button[data-lang="zh"]');
  await poll(async () => (await appState(right.frame)).lang === 'zh', { what: 'the right lesson in Chinese' });
  t.assert.equal((await appState(left.frame)).lang, 'en');
  t.assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no CSP violation in the course page');
  for (const f of [left.frame, right.frame]) {
    t.assert.deepEqual(await f.evaluate(() => window.cspViolations), [], 'no CSP violation in the lessons');
  }
  for (const f of [left.frame, right.frame]) {
    t.assert.equal(await f.evaluate(() => window.tcplabStatus), 'ready');
  }
  t.assert.deepEqual(errors, [], 'no console errors (CSP violations are reported there, also from the frames)');
}

// ------------------------------------------------------------ two instances

export async function testTwoInstancesKeepTheirStateAndTheOneOutOfViewIdles(t) {
  // Both lose every segment: a connect keeps retransmitting for a minute,
  // so both clocks have something due all that time.
  t.server.override('/two.html', hostPage([
    { id: 'top', src: 'index.html?seed=21&loss=100&lang=en', style: 'width:1000px;height:620px' },
    { id: 'below', src: 'index.html?seed=22&loss=100&lang=en', style: 'width:1000px;height:620px;margin-top:3000px' },
  ]));
  const { page, errors } = await t.open('two.html', { viewport: { width: 1024, height: 700 } });
  const top = await appFrame(t, page, 'top');
  const below = await appFrame(t, page, 'below');
  const frames = (f) => f.evaluate(() => window.Module._tcplab_rendered_frames());
  const Ltop = await frameLesson(t, page, top.handle, errors);
  const Lbelow = await frameLesson(t, page, below.handle, errors);
  await Ltop.waitFor((s) => s.lessons >= 10, 'lessons');
  // Act in the lower one first (scrolled into view), then in the upper one.
  await below.handle.scrollIntoViewIfNeeded();
  await Lbelow.waitFor((s) => s.visible, 'the lower frame in view');
  await Lbelow.click('A.connect');
  await Lbelow.waitFor((s) => s.A === 'SYN-SENT' && s.sent.length >= 1, 'the lower client sent SYN');
  await page.evaluate(() => window.scrollTo(0, 0));
  await Lbelow.waitFor((s) => !s.visible, 'the lower frame out of view');
  await Ltop.click('B.listen');
  await Ltop.waitFor((s) => s.B === 'LISTEN', 'the upper server listening');
  // Each keeps its own state.
  const a = await Ltop.state();
  const b = await Lbelow.state();
  t.assert.deepEqual([a.A, a.B, a.seed], ['CLOSED', 'LISTEN', 21]);
  t.assert.deepEqual([b.A, b.B, b.seed], ['SYN-SENT', 'CLOSED', 22]);
  await Ltop.click('A.connect');
  await Ltop.waitFor((s) => s.A === 'SYN-SENT', 'the upper client connecting');
  // Measure for 3 s: the upper one draws, the lower one (busy, out of view) does not.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  await sleep(300);
  const f0 = [await frames(top.frame), await frames(below.frame)];
  const now0 = (await Lbelow.state()).now;
  const m0 = await metric();
  await sleep(3000);
  const f1 = [await frames(top.frame), await frames(below.frame)];
  const m1 = await metric();
  const now1 = (await Lbelow.state()).now;
  const drawn = [f1[0] - f0[0], f1[1] - f0[1]];
  const cpu = (m1.TaskDuration - m0.TaskDuration) / 3;
  t.log(`3 s with one instance busy in view and one busy out of view: frames drawn ${drawn[0]} / ${drawn[1]}; ` +
        `main-thread busy ${(cpu * 100).toFixed(1)} % of the time`);
  console.log(`      measured: frames in 3 s, in view ${drawn[0]}, out of view ${drawn[1]}; ` +
              `main thread busy ${(cpu * 100).toFixed(1)} %`);
  t.assert.ok(drawn[0] >= 20, `the visible busy instance keeps drawing (${drawn[0]} frames)`);
  t.assert.ok(drawn[1] <= 1, `the instance out of view draws nothing (${drawn[1]} frames)`);
  t.assert.equal(now1, now0, 'its virtual clock stands still');
  // Back in view: it draws and its clock runs again.
  await below.handle.scrollIntoViewIfNeeded();
  await poll(async () => (await frames(below.frame)) > f1[1] + 10, { what: 'frames after coming back into view' });
  await Lbelow.waitFor((s) => s.now > now1, 'the clock running again');
  // Idle (nothing due) and in view: no frames either.
  const { page: idlePage } = await t.open('index.html?seed=23&lang=en');
  await t.waitForStatus(idlePage);
  await t.waitForFrames(idlePage, 2);
  await sleep(500);
  const i0 = await frames(idlePage);
  await sleep(2000);
  const idle = (await frames(idlePage)) - i0;
  console.log(`      measured: an idle instance in view drew ${idle} frames in 2 s`);
  t.assert.ok(idle <= 1, `an idle instance draws nothing (${idle})`);
  t.assert.deepEqual(errors, []);
}

// ------------------------------------------------------------ progress

export async function testProgressPerVersionMergedAcrossInstancesAndReset(t) {
  t.server.override('/tiny.json', json(TINY_LESSON));
  t.server.override('/example.json', json(EXAMPLE_LESSON));
  t.server.override('/two-lessons.html', hostPage([
    { id: 'one', src: 'index.html?seed=31&lang=en&lessonUrl=tiny.json', style: 'width:1000px;height:640px' },
    { id: 'two', src: 'index.html?seed=32&lang=en', style: 'width:1000px;height:640px' },
  ]));
  // Progress from before: another version of the same lesson, another lesson,
  // and a malformed entry.
  const before = { 'tiny@2': { done: false, best: 0.5, questions: 3 }, 'why-three@1': { done: true, best: 7, questions: 8 },
                   'broken@1': 'not an object' };
  const { page, errors } = await t.open('two-lessons.html', {
    viewport: { width: 1024, height: 1400 },
    initScript: `try { if (location.pathname === '/two-lessons.html' && !sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('tcplab.progress.v1', ${JSON.stringify(JSON.stringify(before))}); } } catch (e) {}`,
  });
  const one = await appFrame(t, page, 'one');
  const two = await appFrame(t, page, 'two');
  const L1 = await frameLesson(t, page, one.handle, errors);
  const L2 = await frameLesson(t, page, two.handle, errors);
  await L1.waitFor((s) => s.lesson && s.lesson.id === 'tiny', 'the tiny lesson');
  await L2.waitFor((s) => s.lessons >= 10 && s.progress['why-three@1'], 'the second instance read the progress');
  // Something else writes meanwhile from the first frame's own window (so
  // that instance gets no storage event): its save must merge, not lose it.
  await one.frame.evaluate(() => {
    const p = JSON.parse(localStorage.getItem('tcplab.progress.v1'));
    p['resets@1'] = { done: true, best: 9, questions: 11 };
    localStorage.setItem('tcplab.progress.v1', JSON.stringify(p));
  });
  await L1.click('lesson.continue');
  await L1.click('lesson.state.LISTEN');
  await L1.waitFor((s) => s.lesson.finished, 'tiny finished');
  const stored = await poll(async () => {
    const p = JSON.parse(await page.evaluate(() => localStorage.getItem('tcplab.progress.v1')));
    return p['tiny@1'] ? p : null;
  }, { what: 'tiny@1 saved' });
  t.assert.deepEqual(stored['tiny@1'], { done: true, best: 1, questions: 1 });
  t.assert.deepEqual(stored['tiny@2'], before['tiny@2'], 'the other version of the lesson is untouched');
  t.assert.deepEqual(stored['why-three@1'], before['why-three@1']);
  t.assert.deepEqual(stored['resets@1'], { done: true, best: 9, questions: 11 }, 'another instance\'s entry is kept');
  // The second instance hears of it (storage event) without reloading.
  await L2.waitFor((s) => s.progress['tiny@1'] && s.progress['tiny@1'].done, 'the second instance sees tiny@1');
  // Reset progress in the second instance: empty everywhere.
  await L2.click('toolbar.lessons');
  await L2.click('menu.reset_progress');
  await poll(async () => (await page.evaluate(() => localStorage.getItem('tcplab.progress.v1'))) === '{}',
    { what: 'the stored progress emptied' });
  await L1.waitFor((s) => Object.keys(s.progress).length === 0, 'the first instance sees the reset');
  t.assert.deepEqual(errors, []);
}

// ------------------------------------------------------------ share link

async function shareLink(L) {
  await L.click('toolbar.share');
  const link = await poll(async () => L.page.evaluate(() => {
    const el = document.getElementById('tcplab-share-link');
    return el ? el.value : null;
  }), { what: 'the share link' });
  await poll(async () => (await L.page.locator('#tcplab-share-status').innerText()).length > 0,
    { what: 'the copy status' });
  return link;
}

function sameRun(t, a, b) {
  for (const k of ['A', 'B', 'now', 'seed', 'trace', 'in_flight', 'sent', 'runActions', 'role']) {
    t.assert.deepEqual(b[k], a[k], `replayed ${k}`);
  }
}

export async function testShareLinkReplaysTheRun(t) {
  const L = await Lesson.open(t, { seed: 777 });
  await L.waitFor((s) => s.lessons >= 10, 'lessons');
  await L.click('B.listen');
  await L.waitForStates('CLOSED', 'LISTEN');
  await L.click('A.connect');
  await L.waitFor((s) => s.in_flight.length === 1, 'the SYN in flight');
  await L.click('toolbar.next');
  await L.waitForStates('ESTABLISHED', 'ESTABLISHED', [['CLOSED', 'LISTEN'], ['SYN-SENT', 'LISTEN'],
    ['SYN-SENT', 'SYN-RECEIVED'], ['ESTABLISHED', 'SYN-RECEIVED']]);
  await L.click('A.send');
  await L.click('B.close');
  await L.waitFor((s) => s.B === 'FIN-WAIT-1' || s.B === 'FIN-WAIT-2', 'the server closing');
  await L.click('toolbar.play'); // pause mid-run
  await sleep(300);
  const before = await L.state();
  t.assert.equal(before.playing, false);
  t.assert.ok(before.runActions >= 5, `actions recorded: ${before.runActions}`);
  const link = await shareLink(L);
  t.log(`share link: ${link}`);
  t.assert.ok(link.startsWith(`${t.url}index.html?seed=777&`), link);
  t.assert.ok(link.length < 400, `compact: ${link.length} characters`);
  await L.screenshot('embed-share-en-1024x640');
  const clipboardOrField = await L.page.locator('#tcplab-share-status').innerText();
  t.assert.ok(/clipboard|field/.test(clipboardOrField), clipboardOrField);
  await L.page.click('#tcplab-share-close');
  t.assert.equal(await L.page.locator('#tcplab-share').count(), 0);

  // The link in a new page reaches the same moment.
  const { page, errors } = await t.open(link);
  await t.waitForStatus(page);
  const R = new Lesson(t, page, errors, { width: 1024, height: 640 });
  const after = await R.waitFor((s) => s.lessons >= 10, 'the replayed page');
  t.assert.deepEqual(after.notices, []);
  sameRun(t, before, after);
  t.assert.equal(after.playing, false, 'paused at the shared moment');
  // Its own share link is the same link.
  t.assert.equal(await shareLink(R), link);

  // With a role, in Chinese, after an undo: the same.
  const { page: p2, errors: e2 } = await t.open('index.html?seed=778&role=server&lang=zh&loss=0',
    { viewport: { width: 1920, height: 1080 } });
  await t.waitForStatus(p2);
  const C = new Lesson(t, p2, e2, { width: 1920, height: 1080 });
  await C.waitFor((s) => s.lang === 'zh' && s.lessons >= 10, 'Chinese');
  await C.click('B.listen');
  await C.waitForStates('ESTABLISHED', 'ESTABLISHED', [['CLOSED', 'LISTEN'], ['SYN-SENT', 'LISTEN'],
    ['SYN-SENT', 'SYN-RECEIVED'], ['ESTABLISHED', 'SYN-RECEIVED']]);
  await C.click('B.send');
  await C.waitFor((s) => s.in_flight.length === 0 && s.sent.length >= 5, 'the data acknowledged');
  await C.click('toolbar.undo');
  await C.waitFor((s) => s.runActions === 1, 'the undo drops the action from the run');
  await C.click('B.close');
  await C.waitFor((s) => s.A === 'CLOSED' && s.B === 'TIME-WAIT' && s.in_flight.length === 0,
    'the close done, the client closing by itself');
  await C.click('toolbar.play');
  const c1 = await C.state();
  const link2 = await shareLink(C);
  t.assert.match(link2, /role=server/);
  await C.screenshot('embed-share-zh-1920x1080');
  const { page: p3, errors: e3 } = await t.open(link2);
  await t.waitForStatus(p3);
  const c2 = await new Lesson(t, p3, e3, { width: 1024, height: 640 }).waitFor((s) => s.lessons >= 10, 'replayed');
  sameRun(t, c1, c2);
  t.assert.deepEqual([...L.errors, ...errors, ...e2, ...e3], []);
}

// A run that cannot be replayed as recorded (a drop of a segment that is
// not in flight): a notice, a fresh run.
export async function testShareLinkThatCannotReplayGetsANotice(t) {
  const { page, errors } = await t.open('index.html?seed=5&lang=en&run=1_500_0_4000_1500_4_1_100_0d7');
  await t.waitForStatus(page);
  const L = new Lesson(t, page, errors, { width: 1024, height: 640 });
  const s = await L.waitFor((st) => st.notices.length === 1, 'the notice');
  t.assert.equal(s.notices[0].param, 'run');
  t.assert.match(s.notices[0].en, /not in flight/);
  t.assert.equal(s.now, 0);
  t.assert.equal(s.playing, true);
  t.assert.deepEqual(errors, []);
}
