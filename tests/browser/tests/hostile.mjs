// Hostile input that reaches the page itself (issue 18's page side): stored
// progress with numbers no lesson has (a cast of 1e300 to int is undefined
// behaviour), and lesson addresses that only look relative ("//host/x",
// backslashes), which must get a notice instead of a fetch from elsewhere.
import { Lesson, appState, poll } from './lesson-helpers.mjs';
import { ready } from './lessons.mjs';

const viewport = { width: 1024, height: 640 };

export async function testStoredProgressOutOfRangeIsNotTrusted(t) {
  const stored = { 'handshake@2': { done: true, best: 1e308, questions: 1e300 },
                   'four-way-close@1': { done: true, best: 99, questions: 12 },
                   'time-wait@1': { done: true, best: 3.5, questions: 12.5 } };
  const { page, errors } = await t.open('index.html?seed=5&lang=en', {
    viewport,
    initScript: `try { localStorage.setItem('tcplab.progress.v1', ${JSON.stringify(JSON.stringify(stored))}); } catch (e) {}`,
  });
  const L = new Lesson(t, page, errors, viewport);
  await ready(L, 'en');
  const p = (await L.state()).progress;
  t.log(`progress read: ${JSON.stringify(p)}`);
  for (const [key, v] of Object.entries(p)) {
    t.assert.ok(Number.isInteger(v.questions) && v.questions >= 0 && v.questions <= 10000, `${key}: questions ${v.questions}`);
    t.assert.ok(v.best >= 0 && v.best <= v.questions, `${key}: best ${v.best} within 0..${v.questions}`);
  }
  t.assert.equal(p['handshake@2'].questions, 0, 'questions 1e300 is not taken');
  t.assert.equal(p['four-way-close@1'].best, 12, 'a best above the questions is clamped');
  t.assert.deepEqual(errors, [], 'no console errors');
}

export async function testLessonUrlsThatOnlyLookRelativeGetANotice(t) {
  for (const url of [`//127.0.0.1:${t.server.port}/x.json`, '\\\\host\\x.json', '..\\x.json']) {
    const { page, errors } = await t.open(`index.html?seed=6&lang=en&lessonUrl=${encodeURIComponent(url)}`, { viewport });
    const L = new Lesson(t, page, errors, viewport);
    await t.waitForStatus(page);
    await t.waitForFrames(page, 2);
    const s = await L.waitFor((x) => x.lessons >= 10, 'the page ready');
    t.assert.ok(s.notices.some((n) => n.param === 'lessonUrl'), `a notice names lessonUrl for ${url}: ${JSON.stringify(s.notices)}`);
    t.assert.equal(s.errors, 0, `no lesson fetched from ${url}`);
    await page.context().close();
  }
}

// D10: whether a shared run replays depends on what the page opens, not on
// which parameters were written: a lesson id no lesson has opens the
// sandbox, so the run replays there as it does with a bad mode= or a
// refused lessonUrl=; a lesson that does open refuses it.
const RUN = '1_500_0_4000_1500_4_1_900_0c1.0.1_0c0.1.0';  // B listens, A connects; 900 ms later
export async function testSharedRunReplaysWheneverTheSandboxOpens(t) {
  const opened = async (query, mode = 'sandbox') => {
    const { page, errors } = await t.open(`index.html?seed=7&lang=en&run=${RUN}${query}`, { viewport });
    await t.waitForStatus(page);
    const L = new Lesson(t, page, errors, viewport);
    const s = await L.waitFor((x) => x.lessons >= 10 && x.mode === mode, `the page ready in ${mode}`);
    t.assert.deepEqual(errors, [], `no console errors with ${query}`);
    await page.context().close();
    return s;
  };
  const plain = await opened('');
  t.assert.equal(plain.mode, 'sandbox');
  t.assert.ok(plain.sent.length >= 2, `the plain link replays the handshake: ${JSON.stringify(plain.sent)}`);
  for (const q of ['&lesson=no-such-lesson', '&mode=dance', '&lessonUrl=%5C%5Chost%5Cx.json']) {
    const s = await opened(q);
    t.assert.equal(s.mode, 'sandbox', `${q} opens the sandbox`);
    t.assert.equal(s.now, plain.now, `${q}: the run replays to its end`);
    t.assert.deepEqual(s.sent, plain.sent, `${q}: the same segments`);
    t.assert.ok(!s.notices.some((n) => n.param === 'run'), `${q}: no notice about run: ${JSON.stringify(s.notices)}`);
  }
  const lesson = await opened('&lesson=resets', 'lesson');
  t.assert.equal(lesson.mode, 'lesson');
  t.assert.ok(lesson.notices.some((n) => n.param === 'run' && /sandbox only/.test(n.en)), 'a lesson refuses the run');
}

// D2: a share link whose every action hand-builds a segment (800 of
// them) stops at the sandbox's budget of segments in flight, says so,
// and the page keeps drawing and answering.
export async function testShareLinkWithThousandsOfSegmentsStopsAtTheBudget(t) {
  // 800 (as many as a URL the test server takes): more than the budget.
  const actions = Array.from({ length: 800 }, () => '0s0.16.1.1.0.1').join('_');
  const { page, errors } = await t.open(`index.html?seed=8&lang=en&run=1_500_0_4000_1500_4_1_0_${actions}`, { viewport });
  await t.waitForStatus(page);
  const L = new Lesson(t, page, errors, viewport);
  // The run replays once the lessons are in (they come after the first
  // frame); the learner is told it stopped in a frame after that.
  const told = (x) => x.errors >= 1 || x.notices.some((n) => n.param === 'run');
  const s = await L.waitFor((x) => x.lessons >= 10 && told(x), 'the page ready and the learner told the run stopped');
  t.log(`in flight: ${s.in_flight.length}, errors shown: ${s.errors}, notices: ${JSON.stringify(s.notices)}`);
  // A budget stops the run at the first one too many (engine/budget.h).
  t.assert.ok(s.in_flight.length <= 501, `at most 500 + 1 segments in flight, not ${s.in_flight.length}`);
  await t.waitForFrames(page, 5);
  t.assert.equal(await page.evaluate(() => window.tcplabStatus), 'ready', 'no error screen');
  t.assert.deepEqual(errors, [], 'no console errors');
}

// D9: whatever the allowed parent posts (a cyclic object, BigInt ids, a
// huge type, thousands of unknown commands before and after ready), the
// handler neither throws nor grows without bound; each command it keeps is
// acknowledged and the page goes on working.
export async function testHostileMessagesFromTheParentNeverStopThePage(t) {
  const origin = t.url.replace(/\/$/, '');
  const src = `index.html?seed=9&lang=en&parentOrigin=${encodeURIComponent(origin)}`;
  t.server.override('/hostile-host.html', { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: `<!doctype html><meta charset="utf-8"><iframe id="app" src="${src}" style="width:900px;height:600px;border:0"></iframe>
<script>
window.received = [];
const frame = document.getElementById('app');
window.addEventListener('message', (e) => { if (e.source === frame.contentWindow) window.received.push(e.data); });
window.flood = () => {
  const w = frame.contentWindow;
  const cyc = { target: 'tcplab', type: 'cyclic' }; cyc.self = cyc; cyc.lesson = cyc; cyc.id = cyc;
  w.postMessage(cyc, '*');
  w.postMessage({ target: 'tcplab', type: 'bigint', id: 12345678901234567890n, lesson: 1n }, '*');
  w.postMessage({ target: 'tcplab', type: 'x'.repeat(100000), lang: 'y'.repeat(100000) }, '*');
  w.postMessage({ target: 'tcplab', type: 'openLesson', lesson: { toString: null } }, '*');
  w.postMessage({ target: 'tcplab', type: 'setLanguage', lang: ['zh'] }, '*');
  for (let i = 0; i < 3000; i++) w.postMessage({ target: 'tcplab', type: 'dance', id: i }, '*');
};
frame.addEventListener('load', () => window.flood(), { once: true });
</script>` });
  const { page, errors } = await t.open('hostile-host.html', { viewport: { width: 1000, height: 700 } });
  const { appFrame } = await import('../lib/frames.mjs');
  const app = await appFrame(t, page, 'app');
  // While the page loads it keeps 100 messages; the rest are dropped with
  // one warning. The five hostile ones came first and are answered.
  const early = await poll(async () => {
    const m = await page.evaluate(() => window.received.filter((x) => x.type === 'ack'));
    return m.length >= 100 ? m : null;
  }, { what: 'the acks of the kept commands', describe: async () => JSON.stringify(await page.evaluate(() => window.received.length)) });
  t.log(`acks after the early flood: ${early.length}`);
  t.assert.ok(early.length <= 256, 'what came early is bounded');
  t.assert.deepEqual(early.slice(0, 5).map((a) => a.ok), [false, false, false, false, false]);
  // After ready: the same flood again is answered command by command.
  await page.evaluate(() => { window.received = []; window.flood(); });
  const late = await poll(async () => {
    const m = await page.evaluate(() => window.received.filter((x) => x.type === 'ack'));
    return m.length >= 3005 ? m : null;
  }, { what: 'an ack for each late command', timeout: 60000 });
  t.assert.ok(late.every((a) => a.ok === false), 'none of them is a valid command');
  t.assert.ok(late.some((a) => a.id === null && a.command === 'bigint'), 'a BigInt id is answered as null');
  t.assert.ok(late.every((a) => typeof a.command === 'string' && a.command.length <= 64), 'long types are cut');
  // The page still works: a real command is obeyed.
  await page.evaluate(() => document.getElementById('app').contentWindow.postMessage(
    { target: 'tcplab', type: 'setLanguage', lang: 'zh', id: 'real' }, '*'));
  await poll(async () => (await appState(app.frame)).lang === 'zh', { what: 'the real command obeyed' });
  t.assert.equal(await app.frame.evaluate(() => window.tcplabStatus), 'ready', 'no error screen');
  t.assert.deepEqual(errors.filter((e) => !/more than 256 commands/.test(e)), [], 'no console errors');
}

// D8 in the page: a capture of 30,000 one-direction segments (5 MB), each
// in flight to the end of the replay, is read with a message and a Cancel
// button; once replayed, each frame lays out only what is in view (the
// ladder's arrows crossing it are capped, the replay rows outside it are
// space), measured by the text runs drawn. A cancelled read loads nothing.
async function dropServed(page, url, name, cancel) {
  await page.evaluate(async ([u, n, c]) => {
    const data = new Uint8Array(await (await fetch(u)).arrayBuffer());
    const dt = new DataTransfer();
    dt.items.add(new File([data], n));
    const canvas = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop'])
      canvas.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    window.progressShown = document.getElementById('tcplab-progress')?.textContent ?? '';
    if (c) document.getElementById('tcplab-progress-cancel').click();
  }, [url, name, cancel]);
}

export async function testBigOneDirectionCaptureDrawsOnlyWhatIsInView(t) {
  const { oneDirectionPcap } = await import('../lib/pcap.mjs');
  const { textRuns } = await import('../lib/text.mjs');
  t.server.override('/big.pcap', { status: 200, body: oneDirectionPcap(30000),
    headers: { 'Content-Type': 'application/octet-stream' } });
  const view = { width: 1366, height: 768 };
  const { page, errors } = await t.open('index.html?seed=3&lang=en', { viewport: view });
  await t.waitForStatus(page);
  const L = new Lesson(t, page, errors, view);
  await L.waitFor((x) => x.lessons >= 10, 'the page ready');
  await dropServed(page, '/big.pcap', 'big.pcap', true);
  t.assert.match(await page.evaluate(() => window.progressShown), /Reading big\.pcap \(4\.9 MB\)/);
  await new Promise((r) => setTimeout(r, 1500));
  t.assert.equal((await L.state()).mode, 'sandbox', 'a cancelled read loads nothing');
  t.assert.equal(await page.evaluate(() => document.getElementById('tcplab-progress')), null, 'the box is gone');
  await dropServed(page, '/big.pcap', 'big.pcap', false);
  await L.waitFor((x) => x.mode === 'replay', 'the replay', { timeout: 60000 });
  const runs = await textRuns(L);
  t.assert.ok(runs.some((r) => /^30000 segments/.test(r.text)), 'every segment replayed');
  const count = (w) => runs.filter((r) => r.window.includes(w)).length;
  t.log(`text runs: ladder ${count('/ladder')}, replay rows ${count('replay_rows')}, all ${runs.length}`);
  t.assert.ok(count('/ladder') < 1000, `the ladder draws ${count('/ladder')} runs for 30,000 segments`);
  t.assert.ok(count('replay_rows') < 200, `the replay list draws ${count('replay_rows')} runs`);
  await t.screenshot(page, t.artifacts, 'hostile-big-capture-1366x768');
  t.assert.deepEqual(errors, [], 'no console errors');
}
