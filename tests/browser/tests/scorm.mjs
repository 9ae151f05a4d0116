// SCORM packages against a real SCORM runtime: each test unzips a package
// the build wrote (dist-test/scorm/: the test page's packages, made by the
// same script as dist/scorm/), reads its manifest as an LMS does, serves it
// under an LMS page whose window.API / window.API_1484_11 is scorm-again,
// plays the lesson by clicks and checks scorm-again's data model: score,
// status, interactions, suspend data, session time. A reload resumes from
// the suspend data; a failing score gives `failed`. Also: the manifests'
// fields, a package opened outside an LMS, and .wasm served with a wrong
// MIME type.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PAGE_FILES, buildManifest, launchParameters } from '../../../web/scorm-manifest.mjs';
import { appState, poll } from './lesson-helpers.mjs';
import { answer, walkLesson } from './lessons.mjs';
import { appFrame, frameLesson } from '../lib/frames.mjs';
import { lmsUrl, readManifest, serveLms, servePackage, unzip } from '../lib/lms.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (bytes) => new TextDecoder().decode(bytes);

// The per-learner seed of web/scorm.cpp, computed here independently
// (FNV-1a 64 of "<learner>\n<lesson>", 1 .. 2^53-1).
export function learnerSeed(learner, lesson) {
  let h = 14695981039346656037n;
  for (const b of new TextEncoder().encode(`${learner}\n${lesson}`)) {
    h ^= BigInt(b);
    h = (h * 1099511628211n) & 0xFFFFFFFFFFFFFFFFn;
  }
  return Number(h % 9007199254740991n + 1n);
}

// What an LMS reads from a package's files.
export function readManifestOf(files) {
  return readManifest(text(files['imsmanifest.xml']));
}

export function readPackage(t, name) {
  const files = unzip(readFileSync(path.join(t.dist, 'scorm', name)));
  t.assert.ok(files['imsmanifest.xml'], `${name}: imsmanifest.xml at the zip root`);
  return { files, manifest: readManifest(text(files['imsmanifest.xml'])), xml: text(files['imsmanifest.xml']) };
}

// Plays the lesson in the SCO by clicks; `wrongFirst(i)` says whether the
// i-th question is first answered wrongly; stops after `stopAfter`
// questions (the lesson left unfinished).
async function play(L, { wrongFirst = () => false, stopAfter = Infinity } = {}) {
  let asked = 0;
  const STOP = new Error('stop');
  try {
    return await walkLesson(L, {
      at: (s) => {
        if (!s.question) return {};
        if (asked >= stopAfter) throw STOP;
        return { wrong: wrongFirst(asked++) };
      },
    });
  } catch (e) {
    if (e !== STOP) throw e;
    return { state: await L.state(), stopped: true };
  }
}

// The LMS page with the SCO of `item` for `learner`, its frame and a Lesson.
async function launch(t, lms, pkg, item, learner, { page } = {}) {
  const cfg = { version: pkg.manifest.version.startsWith('2004') ? '2004' : '1.2', learner,
    launch: `/content/${item.href}${item.parameters}`, mastery: item.mastery };
  let errors;
  if (page) {
    await page.goto(lmsUrl(lms.url, cfg));
  } else {
    ({ page, errors } = await t.open(lmsUrl(lms.url, cfg), { viewport: { width: 1024, height: 700 } }));
  }
  const sco = await appFrame(t, page, 'sco');
  const L = await frameLesson(t, page, sco.handle, errors ?? []);
  return { page, errors, sco, L, cfg };
}

const cmi = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.api.cmi)));
// scorm-again writes the interactions array as an object {"0": ..., "1": ...}.
const interactions = (c) => Object.keys(c.interactions).sort((a, b) => a - b).map((k) => c.interactions[k]);

// ------------------------------------------------------------ manifests

export async function testManifestsCarryTheScormFields(t) {
  for (const [name, schema, type] of [['tcplab-course-en-scorm12.zip', '1.2', 'adlcp:scormtype'],
    ['tcplab-course-zh-scorm2004.zip', '2004 4th Edition', 'adlcp:scormType'],
    ['lessons/resets-scorm12.zip', '1.2', 'adlcp:scormtype'], ['lessons/handshake-scorm2004.zip', '2004 4th Edition', 'adlcp:scormType']]) {
    const pkg = readPackage(t, name);
    const { page } = await t.open('about:blank');
    // Well-formed: the browser's XML parser reports no error.
    const parsed = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? '', root: doc.documentElement.localName };
    }, pkg.xml);
    t.assert.equal(parsed.error, '', `${name}: well-formed XML`);
    t.assert.equal(parsed.root, 'manifest');
    t.assert.equal(pkg.manifest.version, schema, `${name}: schemaversion`);
    t.assert.ok(pkg.manifest.items.length >= 1);
    for (const item of pkg.manifest.items) {
      t.assert.equal(item.href, 'index.html', `${name}: item ${item.identifier} refers to the SCO resource`);
      t.assert.ok(item.resourceTag.includes(`${type}="sco"`), `${name}: ${type}="sco"`);
      const p = new URLSearchParams(item.parameters);
      t.assert.ok(p.get('lesson'), `${name}: ?lesson= in ${item.parameters}`);
      t.assert.equal(p.get('scorm'), schema.startsWith('2004') ? '2004' : '1.2');
      t.assert.equal(p.get('lock'), '1', 'packages are locked');
      t.assert.equal(item.mastery, 80, `${name}: a mastery score`);
      for (const f of ['index.html', 'index.js', 'index.wasm', 'scorm.js', 'shell.js']) {
        t.assert.ok(pkg.files[f], `${name}: ${f} in the zip`);
      }
    }
    if (name.includes('course')) {
      t.assert.equal(pkg.manifest.items.length, 14, `${name}: every built-in lesson is an SCO`);
      t.assert.ok(pkg.manifest.items.every((i) => new URLSearchParams(i.parameters).get('lang') === (name.includes('-zh-') ? 'zh' : 'en')));
    }
  }
}

// ------------------------------------------------------------ SCORM 1.2

// The handshake of the 1.2 course package: two questions (the first wrong
// at first), a reload that resumes from the suspend data, the rest right;
// then score, status, interactions and session time in scorm-again.
export async function testScorm12CourseRecordsResumesAndPasses(t) {
  const pkg = readPackage(t, 'tcplab-course-en-scorm12.zip');
  const item = pkg.manifest.items.find((i) => new URLSearchParams(i.parameters).get('lesson') === 'handshake');
  const lms = await t.startServer();
  servePackage(lms, pkg.files);
  serveLms(lms, '1.2');
  const learner = 'learner-1207';
  let { page, errors, sco, L } = await launch(t, lms, pkg, item, learner);
  let s = await L.waitFor((st) => st.lesson && st.lesson.id === 'handshake', 'the handshake lesson');
  t.assert.equal(s.scorm.active, true, 'the adapter found the LMS');
  t.assert.equal(s.scorm.learner, learner);
  t.assert.equal(s.seed, learnerSeed(learner, 'handshake'), 'the seed comes from the learner id');
  t.assert.equal(s.locked, true, 'a package is locked');
  const hooks = await L.hooks();
  for (const h of ['toolbar.lessons', 'lesson.menu', 'lesson.exit']) t.assert.ok(!hooks[h], `no ${h} in a package`);

  // Two questions, the first wrong at first.
  await play(L, { wrongFirst: (i) => i === 0, stopAfter: 2 });
  s = await L.state();
  const before = { step: s.lesson.step, points: s.lesson.points, question: s.question?.id };
  t.assert.equal(before.points, 1.5);
  let data = await poll(async () => {
    const c = await cmi(page);
    return interactions(c).length === 3 ? c : null;
  }, { what: 'three interactions (one wrong, two right)' });
  t.assert.equal(data.core.lesson_status, 'incomplete');
  const record = JSON.parse(data.suspend_data);
  t.assert.equal(record.lesson, 'handshake');
  t.assert.equal(record.seed, s.seed);
  t.assert.equal(record.answers.length, 3);
  t.assert.ok(data.suspend_data.length <= 4096, 'suspend data within SCORM 1.2\'s 4,096 characters');
  const [i0, i1] = interactions(data);
  t.assert.equal(i0.result, 'wrong');
  t.assert.equal(i1.result, 'correct');
  t.assert.equal(i0.id, i1.id, 'the same question, tried twice');
  t.assert.match(i0.latency, /^\d+:\d\d:\d\d(\.\d+)?$/);
  t.assert.ok(['fill-in', 'choice', 'sequencing', 'performance'].includes(i0.type), i0.type);

  // A reload: pagehide finishes the session (suspend); the next resumes.
  await page.reload();
  const previous = await page.evaluate(() => window.previous);
  t.assert.equal(previous.exit, 'suspend', 'the first session ended suspended');
  ({ sco, L } = await launch(t, lms, pkg, item, learner, { page }));
  s = await L.waitFor((st) => st.lesson && st.lesson.step >= before.step, 'the lesson resumed');
  t.assert.equal(await page.evaluate(() => window.sessions), 2);
  t.assert.equal(s.lesson.points, before.points, 'the score so far is back');
  t.assert.equal(s.question?.id, before.question, 'at the question where the learner left');
  const { state: end } = await play(L);
  t.assert.ok(end.lesson.finished);
  const pct = Math.round(1000 * end.lesson.points / end.lesson.questions) / 10;
  data = await poll(async () => {
    const c = await cmi(page);
    return c.core.score.raw !== '' ? c : null;
  }, { what: 'the score in the LMS' });
  t.assert.equal(Number(data.core.score.raw), pct, `score.raw = ${end.lesson.points}/${end.lesson.questions}`);
  t.assert.equal(data.core.score.min, '0');
  t.assert.equal(data.core.score.max, '100');
  t.assert.equal(data.core.lesson_status, pct >= 80 ? 'passed' : 'failed');
  t.assert.ok(pct >= 80, 'one half point lost: still above the mastery score');
  t.assert.deepEqual(await L.page.evaluate(() => window.tcplabScorm.status().errors), [],
    'scorm-again accepted every value the adapter set');
  t.assert.equal(JSON.parse(data.suspend_data).score, end.lesson.points, 'the record carries the score');
  // The end of the second session: session time, Finish.
  await page.evaluate(() => { document.getElementById('sco').remove(); });
  const final = await poll(async () => (await page.evaluate(() => window.calls)).includes('LMSFinish')
    ? page.evaluate(() => window.cmi) : null, { what: 'LMSFinish' });
  t.assert.match(final.core.session_time, /^\d+:\d\d:\d\d(\.\d+)?$/);
  t.assert.notEqual(final.core.session_time, '00:00:00', 'the session took time');
  t.log(`1.2: ${interactions(data).length} interactions, score ${data.core.score.raw}`);
  t.assert.deepEqual((errors ?? []).filter((e) => !/Failed to load resource/.test(e)), []);
}

// ------------------------------------------------------------ SCORM 2004

// A lesson package of SCORM 2004, its .wasm served as
// application/octet-stream: every question wrong first gives 50 %, below
// the mastery score: failed; completion, scaled score, session time.
export async function testScorm2004LessonFailingScoreGivesFailed(t) {
  const pkg = readPackage(t, 'lessons/four-way-close-scorm2004.zip');
  const item = pkg.manifest.items[0];
  const lms = await t.startServer();
  servePackage(lms, pkg.files, { wasmMime: 'application/octet-stream' });
  serveLms(lms, '2004');
  const { page, errors, L } = await launch(t, lms, pkg, item, 'learner-2004');
  let s = await L.waitFor((st) => st.lesson && st.lesson.id === 'four-way-close' && st.lessons >= 10, 'the lesson');
  t.assert.equal(s.scorm.version, '2004');
  const { state: end } = await play(L, { wrongFirst: () => true });
  t.assert.equal(end.lesson.points, end.lesson.questions / 2, 'half marks');
  const data = await poll(async () => {
    const c = await cmi(page);
    return c.success_status !== 'unknown' && c.score.raw !== '' ? c : null;
  }, { what: 'the result in the LMS' });
  t.assert.equal(Number(data.score.raw), 50);
  t.assert.equal(Number(data.score.scaled), 0.5);
  t.assert.equal(data.completion_status, 'completed');
  t.assert.equal(data.success_status, 'failed', '50 % is below the mastery score of 80');
  const inter = interactions(data);
  t.assert.equal(inter.length, 2 * end.lesson.questions, 'one interaction per answer, wrong and right');
  t.assert.ok(inter.every((x, i) => x.result === (i % 2 ? 'correct' : 'incorrect')));
  t.assert.ok(inter.every((x) => /^PT[\d.]+S$/.test(x.latency)), inter.map((x) => x.latency).join(' '));
  t.assert.ok(inter.some((x) => x.learner_response.length > 0));
  // Acts, numbers and states, choices, orders; the constructed kinds
  // (ladder, blanks, classify) have no SCORM type of their own: 'other'.
  const types = new Set(inter.map((x) => x.type));
  for (const ty of ['performance', 'fill-in', 'choice', 'sequencing'])
    t.assert.ok(types.has(ty), `an interaction of type ${ty}: ${[...types].join(', ')}`);
  t.assert.ok([...types].every((ty) => ['performance', 'fill-in', 'choice', 'sequencing', 'other'].includes(ty)),
    [...types].join(', '));
  t.assert.deepEqual(await L.page.evaluate(() => window.tcplabScorm.status().errors), [],
    'scorm-again accepted every value the adapter set');
  // Leaving the page finishes the session with its time.
  await page.evaluate(() => { document.getElementById('sco').remove(); });
  const final = await poll(async () => (await page.evaluate(() => window.calls)).includes('Terminate')
    ? page.evaluate(() => window.cmi) : null, { what: 'Terminate' });
  t.assert.match(final.session_time, /^PT[\d.]+S$/);
  t.assert.equal(final.exit, 'normal', 'a finished attempt ends normally');
  t.assert.deepEqual((errors ?? []).filter((e) => !/Failed to load resource/.test(e)), []);
}

// ------------------------------------------------------------ an author lesson by URL

const AUTHOR_LESSON = {
  id: 'listening', version: 3,
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

// A package whose SCO is an author lesson next to it (lessonUrl), made with
// the manifest code the course builder uses: the learner's seed comes from
// the lesson's address; a wrong answer, a reload, the resume replays it
// once the fetched lesson is open; then 0.5 of 1 point: failed.
export async function testScorm12AuthorLessonByUrlResumesOnceFetched(t) {
  const files = {};
  for (const f of PAGE_FILES) files[f] = new Uint8Array(readFileSync(path.join(t.dist, f)));
  files['listening.json'] = new TextEncoder().encode(JSON.stringify(AUTHOR_LESSON));
  const parameters = launchParameters('1.2', { lessonUrl: 'listening.json', lang: 'en', mastery: 80 });
  files['imsmanifest.xml'] = new TextEncoder().encode(buildManifest({ version: '1.2', identifier: 'author-test',
    title: 'Author lesson', items: [{ id: 'listening', title: 'Listening', parameters, mastery: 80 }],
    files: ['imsmanifest.xml', 'listening.json', ...PAGE_FILES] }));
  const pkg = { files, manifest: readManifestOf(files) };
  const lms = await t.startServer();
  servePackage(lms, files);
  serveLms(lms, '1.2');
  const learner = 'author-learner';
  let { page, errors, L } = await launch(t, lms, pkg, pkg.manifest.items[0], learner);
  let s = await L.waitFor((st) => st.lesson && st.lesson.id === 'listening', 'the author lesson');
  t.assert.equal(s.seed, learnerSeed(learner, 'listening.json'));
  await L.click('lesson.continue');
  s = await L.waitFor((st) => st.question, 'the question');
  await answer(L, s, { wrong: true });
  await poll(async () => JSON.parse((await cmi(page)).suspend_data || '{"answers":[]}').answers.length === 1,
    { what: 'the wrong answer in the suspend data' });
  await page.reload();
  t.assert.equal((await page.evaluate(() => window.previous)).exit, 'suspend');
  ({ L } = await launch(t, lms, pkg, pkg.manifest.items[0], learner, { page }));
  s = await L.waitFor((st) => st.lesson && st.lesson.id === 'listening' && st.question && st.feedback, 'resumed');
  t.assert.equal(s.feedback.correct, false, 'back at the question, its wrong answer shown');
  t.assert.equal(s.scorm.resumeError, '');
  await answer(L, s);
  const data = await poll(async () => {
    const c = await cmi(page);
    return c.core.score.raw !== '' ? c : null;
  }, { what: 'the score' });
  t.assert.equal(Number(data.core.score.raw), 50, 'the miss before the reload still counts');
  t.assert.equal(data.core.lesson_status, 'failed');
  t.assert.equal(interactions(data).at(-1).result, 'correct', 'this session\'s answer');
  t.assert.deepEqual((errors ?? []).filter((e) => !/Failed to load resource/.test(e)), []);
}

// ------------------------------------------------------------ outside an LMS

export async function testPackageOutsideAnLmsWorksAndSaysItIsNotRecording(t) {
  const pkg = readPackage(t, 'lessons/handshake-scorm12.zip');
  const server = await t.startServer();
  servePackage(server, pkg.files);
  const item = pkg.manifest.items[0];
  const { page, errors } = await t.open(new URL(`content/${item.href}${item.parameters}&lang=en`, server.url).href);
  const { status, error } = await t.waitForStatus(page);
  t.assert.equal(status, 'ready', error);
  const banner = page.locator('#tcplab-scorm-status');
  t.assert.match(await banner.innerText(), /Not recording/);
  t.assert.match(await banner.innerText(), /未记录/);
  const s = await poll(async () => {
    const st = await appState(page);
    return st.lesson && st.lesson.id === 'handshake' ? st : null;
  }, { what: 'the lesson open' });
  t.assert.equal(s.scorm.active, false);
  t.assert.equal(s.locked, true);
  await banner.locator('button').click();
  t.assert.equal(await banner.count(), 0, 'the learner can put the banner away');
  t.assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
}

export { play, launch };

// Whole lessons played by clicks under SwiftShader: slow when the machine
// is shared (the runner's default is 90 s).
testScorm12CourseRecordsResumesAndPasses.timeoutMs = 240000;
testScorm2004LessonFailingScoreGivesFailed.timeoutMs = 240000;
