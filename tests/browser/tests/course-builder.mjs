// The course builder page: bad input gets a message in the page's language;
// a package made in the browser (two lessons, mastery 90, SCORM 2004, a
// fixed seed) is downloaded, unzipped, served under the scorm-again LMS and
// played: its score and status are recorded as the manifest says. Also the
// iframe snippets.
import { readFile } from 'node:fs/promises';

import { STRICT_CSP } from './csp.mjs';
import { poll } from './lesson-helpers.mjs';
import { launch, play, readManifestOf } from './scorm.mjs';
import { serveLms, servePackage, unzip } from '../lib/lms.mjs';

// Under the page's strict CSP (no inline script or style): a violation is
// a console error, which the tests refuse.
async function openBuilder(t, lang = 'en') {
  t.server.setHeaders({ 'Content-Security-Policy': STRICT_CSP });
  const { page, errors } = await t.open(`course-builder.html?lang=${lang}`, { viewport: { width: 1024, height: 900 } });
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1');
  return { page, errors };
}

export async function testCourseBuilderRefusesBadInputInBothLanguages(t) {
  const { page, errors } = await openBuilder(t, 'en');
  t.assert.equal(await page.locator('#lesson-list input').count(), 14, 'every built-in lesson is offered');
  await page.click('#download');
  t.assert.match(await page.locator('#message').innerText(), /at least one lesson/);
  await page.check('#lesson-list input[value="handshake"]');
  await page.fill('#mastery', '120');
  await page.click('#download');
  t.assert.match(await page.locator('#message').innerText(), /"120" is not a whole number from 0 to 100/);
  await page.fill('#mastery', '80');
  await page.fill('#urls', 'javascript:alert(1)');
  await page.click('#snippet');
  t.assert.match(await page.locator('#message').innerText(), /Line 1 .*not an http/);
  await page.click('#ui-zh');
  await page.click('#snippet');
  t.assert.match(await page.locator('#message').innerText(), /第 1 行/);
  t.assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  t.assert.match(await page.locator('h1').innerText(), /课程打包工具/);
  await page.fill('#urls', '');
  await page.check('input[name="seed"][value="fixed"]');
  await page.fill('#seed-value', '0');
  await page.click('#snippet');
  t.assert.match(await page.locator('#message').innerText(), /种子“0”/);
  await page.fill('#seed-value', '4242');
  await page.click('#snippet');
  t.assert.equal(await page.locator('#message').innerText(), '');
  const snippet = await page.locator('#snippet-out').inputValue();
  t.assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/index\.html\?mode=lesson&amp;lesson=handshake&amp;lang=en&amp;lock=1&amp;seed=4242"/);
  t.assert.deepEqual(errors, []);
}

export async function testCourseBuilderZipPassesTheScormAgainTest(t) {
  const { page, errors } = await openBuilder(t, 'en');
  await page.check('#lesson-list input[value="handshake"]');
  await page.check('#lesson-list input[value="four-way-close"]');
  await page.fill('#mastery', '90');
  await page.selectOption('#version', '2004');
  await page.check('input[name="seed"][value="fixed"]');
  await page.fill('#seed-value', '777');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  t.assert.equal(download.suggestedFilename(), 'tcplab-scorm2004.zip');
  const bytes = await readFile(await download.path());
  t.log(`course builder zip: ${bytes.length} bytes`);
  await poll(async () => /Downloaded/.test(await page.locator('#status').innerText()), { what: 'the status' });
  t.assert.deepEqual(errors, []);

  const files = unzip(bytes);
  const pkg = { files, manifest: readManifestOf(files) };
  t.assert.equal(pkg.manifest.version, '2004 4th Edition');
  t.assert.deepEqual(pkg.manifest.items.map((i) => new URLSearchParams(i.parameters).get('lesson')),
    ['handshake', 'four-way-close']);
  t.assert.ok(pkg.manifest.items.every((i) => i.mastery === 90));
  const item = pkg.manifest.items[0];
  const lms = await t.startServer();
  servePackage(lms, files, { wasmMime: 'application/octet-stream' });
  serveLms(lms, '2004');
  const { page: lmsPage, errors: lmsErrors, L } = await launch(t, lms, pkg, item, 'learner-builder');
  const s = await L.waitFor((st) => st.lesson && st.lesson.id === 'handshake', 'the handshake lesson');
  t.assert.equal(s.seed, 777, 'the fixed seed, not the learner\'s');
  t.assert.equal(s.scorm.active, true);
  // One question wrong at first: above 80 but below the mastery of 90.
  const { state: end } = await play(L, { wrongFirst: (i) => i === 0 });
  const pct = Math.round(1000 * end.lesson.points / end.lesson.questions) / 10;
  const data = await poll(async () => {
    const c = await lmsPage.evaluate(() => JSON.parse(JSON.stringify(window.api.cmi)));
    return c.success_status !== 'unknown' ? c : null;
  }, { what: 'the result in the LMS' });
  t.assert.equal(Number(data.score.raw), pct);
  t.assert.equal(data.success_status, pct >= 90 ? 'passed' : 'failed', `${pct} % against a mastery score of 90`);
  t.assert.equal(data.completion_status, 'completed');
  t.assert.deepEqual((lmsErrors ?? []).filter((e) => !/Failed to load resource/.test(e)), []);
}

// A whole lesson played by clicks under SwiftShader (see scorm.mjs).
testCourseBuilderZipPassesTheScormAgainTest.timeoutMs = 240000;
