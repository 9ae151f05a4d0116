// The error overlay: shown, with a reason, whenever the lesson cannot run;
// the page's own message when only its built-in lessons are missing.
import { Lesson } from './lesson-helpers.mjs';
import { click } from './lessons.mjs';
import { textRuns } from '../lib/text.mjs';

async function expectError(t, page, pattern, name) {
  const { status, error } = await t.waitForStatus(page);
  t.assert.equal(status, 'error', 'page status');
  t.assert.match(error, pattern);
  t.assert.equal(await page.locator('#error').isVisible(), true, 'error overlay visible');
  t.assert.equal(await page.locator('#loading').isVisible(), false, 'loading overlay hidden');
  t.assert.match(await page.locator('#error-text').textContent(), pattern);
  await t.screenshot(page, t.artifacts, name);
}

export async function testWasm404ShowsError(t) {
  const { page } = await t.open('', {
    route: [['**/index.wasm', (route) => route.fulfill({ status: 404, body: 'not found' })]],
  });
  await expectError(t, page, /index\.wasm.*404/, 'error-wasm-404');
}

export async function testJs404ShowsError(t) {
  t.server.override('/index.js', { status: 404, body: 'not found' });
  const { page } = await t.open('');
  await expectError(t, page, /index\.js/, 'error-js-404');
}

export async function testNoWebGL2ShowsErrorAndLoadsNothing(t) {
  const requested = [];
  const { page } = await t.open('', {
    goto: false,
    initScript: () => {
      const original = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
        return type === 'webgl2' ? null : original.call(this, type, ...rest);
      };
    },
  });
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(t.url);
  await expectError(t, page, /WebGL2/, 'error-no-webgl2');
  t.assert.ok(!requested.includes('/index.js'), 'index.js is not loaded');
  t.assert.ok(!requested.includes('/index.wasm'), 'index.wasm is not loaded');
}

export async function testNoWebAssemblyShowsError(t) {
  const { page } = await t.open('', { initScript: () => { delete window.WebAssembly; } });
  await expectError(t, page, /WebAssembly/, 'error-no-wasm');
}

export async function testCorruptWasmShowsError(t) {
  // A wasm with a valid header and garbage after it fails to compile.
  const bytes = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff]);
  const { page } = await t.open('', {
    route: [['**/index.wasm', (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: bytes })]],
  });
  await expectError(t, page, /index\.wasm/, 'error-corrupt-wasm');
}

export async function testRuntimeAbortShowsError(t) {
  // Emscripten's abort() (a failed assert, out of memory...) calls Module.onAbort.
  const { page } = await t.open('');
  t.assert.equal((await t.waitForStatus(page)).status, 'ready');
  await page.evaluate(() => setTimeout(() => window.abort('test abort')));
  await page.waitForFunction(() => window.tcplabStatus === 'error');
  await expectError(t, page, /internal error: test abort/, 'error-abort');
}

export async function testUncaughtScriptErrorShowsError(t) {
  const { page } = await t.open('');
  t.assert.equal((await t.waitForStatus(page)).status, 'ready');
  await page.evaluate(() => setTimeout(() => { throw new Error('test boom'); }));
  await page.waitForFunction(() => window.tcplabStatus === 'error');
  await expectError(t, page, /test boom/, 'error-uncaught');
}

// The built-in lessons come after the first frame in lessons.json
// (web/lesson_bundle.cpp). When it is missing or broken, the page says so,
// naming the file and why, in the learner's language, and the sandbox works.
async function bundleBroken(t, fulfil, lang, why) {
  const { page } = await t.open(`index.html?lesson=handshake&lang=${lang}`, {
    route: [['**/lessons.json', (route) => route.fulfill(fulfil)]],
  });
  t.assert.equal((await t.waitForStatus(page)).status, 'ready', 'the page still starts');
  const L = new Lesson(t, page, [], { width: 1024, height: 640 });
  const s = await L.waitFor((x) => x.errors > 0, 'the error about lessons.json', { timeout: 30000 });
  t.assert.equal(s.lessons, 0, 'no built-in lesson');
  t.assert.equal(s.mode, 'sandbox', 'the sandbox opens instead of the lesson');
  const runs = await textRuns(L);
  const said = runs.map((r) => r.text).join(' ');
  t.assert.match(said, /lessons\.json/, `the message names the file: ${said.slice(0, 300)}`);
  t.assert.match(said, why, 'the message says why');
  t.assert.match(said, lang === 'zh' ? /内置课程缺失/ : /built-in lessons are missing/);
  await t.screenshot(page, t.artifacts, `error-lesson-bundle-${lang}`);
  await click(L, 'B.listen');
  await click(L, 'A.connect');
  await L.waitFor((x) => x.A === 'ESTABLISHED' && x.B === 'ESTABLISHED', 'a handshake in the sandbox');
}

export async function testMissingLessonBundleIsNamedAndTheSandboxWorks(t) {
  await bundleBroken(t, { status: 404, body: 'not found' }, 'en', /HTTP 404/);
}

export async function testBrokenLessonBundleIsNamedInChinese(t) {
  await bundleBroken(t, { status: 200, contentType: 'application/json', body: '{"lessons": [["a", ' }, 'zh',
    /不是有效的课程包/);
}
