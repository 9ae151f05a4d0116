// The error overlay: shown, with a reason, whenever the lesson cannot run.

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
