// The page loads, draws, fills its viewport at any size and ratio, and says
// nothing on the console.
import { writeFile } from 'node:fs/promises';

const FIRST_FRAMES = 2;

async function expectDrawn(t, page, errors, name) {
  const { status, error } = await t.waitForStatus(page);
  t.assert.equal(status, 'ready', `page status (error: ${error})`);
  await t.waitForFrames(page, FIRST_FRAMES);
  const overlay = await page.locator('#loading').isVisible();
  t.assert.equal(overlay, false, 'the loading overlay is hidden once ready');
  const png = await t.screenshot(page, t.artifacts, name);
  const colours = await t.colourStats(t.browser, png);
  t.log(`${name}: ${colours.width}x${colours.height}, ${colours.distinct} colours, ` +
        `top colour ${(colours.topShare * 100).toFixed(1)}%`);
  // A blank or single-colour canvas has 1-2 colours; ImGui text and a window
  // frame give dozens (anti-aliased edges).
  t.assert.ok(colours.distinct >= 16, `canvas looks blank: ${colours.distinct} distinct colours`);
  t.assert.ok(colours.topShare < 0.999, 'canvas is almost one colour');
  t.assert.deepEqual(errors, [], 'no console errors or page errors');
}

export async function testLoadsAndDraws1024x640(t) {
  const { page, errors } = await t.open('', { viewport: { width: 1024, height: 640 } });
  t.assert.equal(await page.title(), 'tcplab: TCP connection management');
  await expectDrawn(t, page, errors, 'app-1024x640');
  const size = await t.canvasSize(page);
  t.assert.deepEqual([size.cssWidth, size.cssHeight], [1024, 640], 'canvas fills the viewport');
  t.assert.deepEqual([size.width, size.height], [1024, 640], 'drawing buffer = CSS size * 1');
  const scroll = await page.evaluate(() => [document.documentElement.scrollWidth,
    document.documentElement.scrollHeight]);
  t.assert.deepEqual(scroll, [1024, 640], 'no scrollbars');
}

export async function testLoadsAndDraws1920x1080(t) {
  const { page, errors } = await t.open('', { viewport: { width: 1920, height: 1080 } });
  await expectDrawn(t, page, errors, 'app-1920x1080');
  const size = await t.canvasSize(page);
  t.assert.deepEqual([size.width, size.height], [1920, 1080]);
}

export async function testHighDpiBufferAndRedrawOnResize(t) {
  const { page, errors } = await t.open('', { viewport: { width: 800, height: 500 }, deviceScaleFactor: 2 });
  await expectDrawn(t, page, errors, 'app-800x500@2x');
  let size = await t.canvasSize(page);
  t.assert.deepEqual([size.width, size.height], [1600, 1000], 'drawing buffer = CSS size * devicePixelRatio');
  // Resizing the container (here the viewport) resizes the buffer and draws
  // again, even though the app is idle.
  const before = await t.renderedFrames(page);
  await page.setViewportSize({ width: 640, height: 400 });
  await t.waitForFrames(page, before + 1);
  await page.waitForFunction(() => document.getElementById('canvas').width === 1280);
  size = await t.canvasSize(page);
  t.assert.deepEqual([size.width, size.height], [1280, 800]);
  await t.screenshot(page, t.artifacts, 'app-640x400@2x-after-resize');
  t.assert.deepEqual(errors, []);
}

export async function testIdleStopsDrawingAndInputWakesIt(t) {
  const { page, errors } = await t.open('');
  t.assert.equal((await t.waitForStatus(page)).status, 'ready');
  await t.waitForFrames(page, FIRST_FRAMES);
  // Idle: no input, no change -> no new frames.
  await page.waitForTimeout(300);
  const idle1 = await t.renderedFrames(page);
  await page.waitForTimeout(500);
  const idle2 = await t.renderedFrames(page);
  t.assert.equal(idle2, idle1, 'no frames drawn while idle');
  // A click wakes it up, and gives the canvas keyboard focus.
  await page.mouse.click(200, 200);
  await t.waitForFrames(page, idle2 + 1);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  t.assert.equal(focused, 'canvas', 'a click focuses the canvas');
  t.assert.deepEqual(errors, []);
}

export async function testKeyboardIsNotTrapped(t) {
  // Tab moves focus to the canvas and on out of it (SDL must not swallow Tab
  // for the whole page).
  const { page, errors } = await t.open('');
  t.assert.equal((await t.waitForStatus(page)).status, 'ready');
  await page.evaluate(() => {
    const before = document.createElement('button');
    before.id = 'before';
    before.textContent = 'before';
    document.body.prepend(before);
  });
  await page.focus('#before');
  await page.keyboard.press('Tab');
  t.assert.equal(await page.evaluate(() => document.activeElement.id), 'canvas');
  t.assert.deepEqual(errors, []);
}

export async function testWorksInAnIframe(t) {
  // A host page (made here, not shipped) that embeds the lesson in an iframe.
  t.server.override('/iframe-host.html', {
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: '<!doctype html><title>host</title><body style="margin:0">' +
          '<iframe id="f" src="index.html" style="width:600px;height:400px;border:0"></iframe></body>',
  });
  const { page, errors } = await t.open('iframe-host.html', { viewport: { width: 900, height: 600 } });
  const frame = await (await page.$('#f')).contentFrame();
  t.assert.equal((await t.waitForStatus(frame)).status, 'ready');
  await t.waitForFrames(frame, FIRST_FRAMES);
  const size = await t.canvasSize(frame);
  t.assert.deepEqual([size.cssWidth, size.cssHeight, size.width, size.height], [600, 400, 600, 400]);
  await t.screenshot(page, t.artifacts, 'app-in-iframe-600x400');
  t.assert.deepEqual(errors, []);
}

export async function testRatioChangeRebuildsAtNewRatio(t) {
  // Browser zoom or a move to another screen changes devicePixelRatio without
  // a new page: the buffer follows, the fonts are rasterised again and the
  // idle app draws again.
  const { page, errors, context } = await t.open('', { viewport: { width: 800, height: 500 } });
  t.assert.equal((await t.waitForStatus(page)).status, 'ready');
  await t.waitForFrames(page, 2);
  await page.waitForTimeout(200);
  const before = await t.renderedFrames(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride',
    { width: 800, height: 500, deviceScaleFactor: 1.5, mobile: false });
  await page.waitForFunction(() => window.devicePixelRatio === 1.5);
  await page.waitForFunction(() => document.getElementById('canvas').width === 1200);
  await t.waitForFrames(page, before + 1);
  const size = await t.canvasSize(page);
  t.assert.deepEqual([size.width, size.height], [1200, 750]);
  // Playwright's own screenshot would put its emulated ratio (1) back first:
  // capture through the same CDP session instead.
  const shot = await cdp.send('Page.captureScreenshot', { format: 'png' });
  const png = Buffer.from(shot.data, 'base64');
  await writeFile(`${t.artifacts}/app-800x500@1.5x-after-ratio-change.png`, png);
  const colours = await t.colourStats(t.browser, png);
  t.assert.equal(colours.width, 1200, 'captured at the new ratio');
  t.assert.ok(colours.distinct >= 16, `canvas looks blank after the change: ${colours.distinct} colours`);
  t.assert.deepEqual(errors, []);
}

export async function testLoadingOverlayWhileDownloading(t) {
  // Hold index.wasm back for a moment: the loading overlay shows meanwhile.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { page, errors } = await t.open('', {
    goto: false,
    route: [['**/index.wasm', async (route) => { await held; await route.continue(); }]],
  });
  await page.goto(t.url);
  t.assert.equal(await page.evaluate(() => window.tcplabStatus), 'loading');
  t.assert.equal(await page.locator('#loading').isVisible(), true, 'loading overlay visible');
  await t.screenshot(page, t.artifacts, 'app-loading');
  release();
  t.assert.equal((await t.waitForStatus(page)).status, 'ready');
  t.assert.equal(await page.locator('#loading').isVisible(), false);
  t.assert.deepEqual(errors, []);
}
