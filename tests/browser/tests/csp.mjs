// The page runs under a strict Content-Security-Policy: no inline script,
// no eval; WebAssembly compilation allowed.
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

export async function testRunsUnderStrictCsp(t) {
  t.server.setHeaders({ 'Content-Security-Policy': STRICT_CSP });
  const { page, errors } = await t.open('', {
    initScript: () => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation',
        (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    },
  });
  const { status, error } = await t.waitForStatus(page);
  t.assert.equal(status, 'ready', `page status (error: ${error})`);
  await t.waitForFrames(page, 2);
  t.assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no CSP violations');
  t.assert.deepEqual(errors, [], 'no console errors (Chromium reports CSP violations there)');
}

export async function testCspBlocksInlineScript(t) {
  // The check above means something: the same policy does block inline script.
  t.server.setHeaders({ 'Content-Security-Policy': STRICT_CSP });
  t.server.override('/inline.html', {
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: '<!doctype html><script>window.inlineRan = true;</script>',
  });
  const { page } = await t.open('inline.html');
  t.assert.equal(await page.evaluate(() => window.inlineRan === true), false);
}

// Records CSP violations in every document of the page (frames included).
function recordViolations() {
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.cspViolations.push(`${location.pathname} ${e.violatedDirective} ${e.blockedURI}`));
}

// The embedding's own page parts (the notice of ignored parameters and the
// share panel, made by library.js) under the same policy.
export async function testNoticeAndSharePanelUnderStrictCsp(t) {
  t.server.setHeaders({ 'Content-Security-Policy': STRICT_CSP });
  const { page, errors } = await t.open('index.html?seed=12&msl=1&lang=en', { initScript: recordViolations });
  t.assert.equal((await t.waitForStatus(page)).status, 'ready');
  await t.waitForFrames(page, 2);
  await page.waitForSelector('#tcplab-notice li');
  const share = await page.waitForFunction(() => {
    const h = JSON.parse(window.Module.UTF8ToString(window.Module._tcplab_test_hooks()));
    return h['toolbar.share'];
  });
  const [x, y, w, h] = await share.jsonValue();
  await page.mouse.click(x + w / 2, y + h / 2);
  await page.waitForSelector('#tcplab-share-link');
  // The panels are styled through the CSSOM (allowed), not style attributes.
  const look = await page.evaluate(() => getComputedStyle(document.getElementById('tcplab-share')).position);
  t.assert.equal(look, 'fixed', 'the share panel has its styles');
  t.assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no CSP violations');
  t.assert.deepEqual(errors, []);
}

// Embedded in an iframe of a page with the same policy (frame-ancestors
// 'self'): the example course page and both lessons in it.
export async function testEmbeddedInIframeUnderStrictCsp(t) {
  t.server.setHeaders({ 'Content-Security-Policy': STRICT_CSP });
  const { page, errors } = await t.open('embed-example.html', { initScript: recordViolations,
                                                                 viewport: { width: 1400, height: 900 } });
  await page.waitForFunction(() => window.tcplabEvents && window.tcplabEvents.filter((e) => e.type === 'ready').length === 2,
    null, { timeout: 30000 });
  const frames = page.frames().filter((f) => f !== page.mainFrame());
  t.assert.equal(frames.length, 2);
  for (const f of frames) {
    t.assert.equal(await f.evaluate(() => window.tcplabStatus), 'ready');
    t.assert.deepEqual(await f.evaluate(() => window.cspViolations), [], `no CSP violations in ${f.url()}`);
  }
  t.assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no CSP violations in the course page');
  t.assert.deepEqual(errors, []);
}
