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
