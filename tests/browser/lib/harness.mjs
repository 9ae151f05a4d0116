// What the browser tests share: Debian's Chromium launched headless with
// SwiftShader for WebGL2, a page opener that records console errors and
// page errors, waiting for the app, screenshots and a blank-canvas check.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.TCPLAB_CHROMIUM ?? '/usr/bin/chromium';

// Headless WebGL2 through SwiftShader; nothing goes to the network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Playwright gives every launch a fresh, temporary --user-data-dir.
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// Console errors that are the browser's, not the page's: allowed. (The page
// has no favicon; Chromium asks for one, sometimes.)
const BENIGN_CONSOLE = [
  /404 \(Not Found\) \(http:\/\/[^/]+\/favicon\.ico\)$/,
];

// Opens `url` in a new browser context. Returns { context, page, errors,
// messages }: `errors` collects console errors and uncaught page errors
// (each a string), `messages` every console line (for failure reports).
//   options.viewport      { width, height } (default 1024x640)
//   options.deviceScaleFactor
//   options.initScript    function or string run before the page's scripts
//   options.route         [pattern, handler] pairs for page.route
//   options.goto          false: do not navigate yet
//   options.hasTouch, options.isMobile   touch emulation (a phone or tablet)
//   options.permissions   e.g. ['clipboard-read', 'clipboard-write']
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1024, height: 640 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    hasTouch: options.hasTouch ?? false,
    isMobile: options.isMobile ?? false,
  });
  if (options.permissions) await context.grantPermissions(options.permissions);
  const page = await context.newPage();
  const errors = [];
  const messages = [];
  page.on('console', (msg) => {
    const where = msg.location() && msg.location().url ? ` (${msg.location().url})` : '';
    const line = `[${msg.type()}] ${msg.text()}${where}`;
    messages.push(line);
    if (msg.type() === 'error' && !BENIGN_CONSOLE.some((re) => re.test(line))) errors.push(line);
  });
  page.on('pageerror', (err) => {
    const line = `[pageerror] ${err.message}`;
    messages.push(line);
    errors.push(line);
  });
  page.on('crash', () => errors.push('[crash] the page crashed'));
  if (options.initScript) await page.addInitScript(options.initScript);
  for (const [pattern, handler] of options.route ?? []) await page.route(pattern, handler);
  if (options.goto !== false) await page.goto(url, { waitUntil: 'load' });
  return { context, page, errors, messages };
}

// Waits until window.tcplabStatus is 'ready' or 'error' and returns it.
export async function waitForStatus(pageOrFrame, timeout = 30000) {
  await pageOrFrame.waitForFunction(
    () => window.tcplabStatus === 'ready' || window.tcplabStatus === 'error', null, { timeout });
  return pageOrFrame.evaluate(() => ({ status: window.tcplabStatus, error: window.tcplabError }));
}

// Frames the app has drawn (the platform's test hook).
export function renderedFrames(pageOrFrame) {
  return pageOrFrame.evaluate(() => (window.Module && window.Module._tcplab_rendered_frames
    ? window.Module._tcplab_rendered_frames() : 0));
}

// Waits until the app has drawn at least `count` frames, then two more
// animation frames so the last one is on screen.
export async function waitForFrames(pageOrFrame, count, timeout = 20000) {
  await pageOrFrame.waitForFunction((n) => window.Module && window.Module._tcplab_rendered_frames &&
    window.Module._tcplab_rendered_frames() >= n, count, { timeout });
  await pageOrFrame.evaluate(() => new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

// Size of the canvas: CSS pixels and drawing buffer.
export function canvasSize(pageOrFrame) {
  return pageOrFrame.evaluate(() => {
    const c = document.getElementById('canvas');
    const r = c.getBoundingClientRect();
    return { cssWidth: r.width, cssHeight: r.height, width: c.width, height: c.height,
             dpr: window.devicePixelRatio };
  });
}

// Distinct colours in a PNG (decoded by the browser in a blank page, so the
// app page's CSP does not matter), and the share of the most common one.
export async function colourStats(browser, png) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    return await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = new OffscreenCanvas(img.width, img.height);
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const counts = new Map();
      for (let i = 0; i < data.length; i += 4) {
        const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      let top = 0;
      for (const n of counts.values()) top = Math.max(top, n);
      return { distinct: counts.size, topShare: top / (img.width * img.height),
               width: img.width, height: img.height };
    }, png.toString('base64'));
  } finally {
    await context.close();
  }
}

// Saves a screenshot into the artifacts folder and returns its bytes.
export async function screenshot(page, artifactsDir, name) {
  await mkdir(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, name.endsWith('.png') ? name : `${name}.png`);
  return page.screenshot({ path: file });
}
