// The page's code in two parts (web/split_wasm.py): the first frame is drawn
// with index.wasm alone; index.deferred.wasm comes after it, with the
// lessons; a deferred function called before then fetches it at once; and
// when it cannot be had, the page says so.
import { Lesson } from './lesson-helpers.mjs';
import { click } from './lessons.mjs';
import { ENTRIES } from '../split-profile.mjs';

// Holds the page's fetch of index.deferred.wasm (after the first frame)
// until release() is called; a placeholder's synchronous request (an XHR)
// goes through.
function holdDeferred() {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let requests = 0;
  const handler = async (route) => {
    requests++;
    if (route.request().resourceType() === 'fetch') await held;
    await route.continue();
  };
  return { route: ['**/index.deferred.wasm', handler], release: () => release(), requests: () => requests };
}

const deferredState = (page) => page.evaluate(() => ({
  state: window.Module.tcplabDeferred.state,
  via: window.Module.tcplabDeferred.via,
  early: window.Module.tcplabDeferred.early.map((e) => `${e.name} (${e.status})`),
}));

export async function testFirstFrameNeedsOnlyTheFirstPart(t) {
  // The first frames web/split-profile.sh records.
  for (const { query, viewport, touch = false } of ENTRIES) {
    const hold = holdDeferred();
    const { page } = await t.open(`index.html${query}`, { viewport, hasTouch: touch, isMobile: touch, route: [hold.route] });
    const where = `${query || '(default)'} at ${viewport.width}x${viewport.height}`;
    t.assert.equal((await t.waitForStatus(page)).status, 'ready', `${where}: the first frame`);
    await t.waitForFrames(page, 3);
    const before = await deferredState(page);
    t.assert.deepEqual(before.early, [],
      `${where}: the first frames called deferred functions (run web/split-profile.sh): ${before.early.join(', ')}`);
    t.assert.equal(before.state, 'waiting', `${where}: the deferred part is asked for after the first frame`);
    t.assert.equal(hold.requests(), 1, `${where}: one request for the deferred part`);
    hold.release();
    await page.waitForFunction(() => window.Module.tcplabDeferred.state === 'ready', null, { timeout: 20000 });
    t.assert.equal((await deferredState(page)).via, 'fetch', `${where}: fetched, not synchronously`);
    const L = new Lesson(t, page, [], viewport);
    await L.waitFor((s) => s.lessons > 0, `${where}: the lessons after the deferred part`);
  }
}

// A click in the first moments, before the deferred part came: the
// placeholder fetches it synchronously and the click does what it says.
export async function testEarlyClickFetchesTheRestAtOnce(t) {
  const viewport = { width: 1024, height: 640 };
  const first = await Lesson.open(t, { viewport });
  const sandbox = await first.rect('welcome.sandbox');
  const hold = holdDeferred();
  const { page, errors } = await t.open('index.html', { viewport, route: [hold.route] });
  t.assert.equal((await t.waitForStatus(page)).status, 'ready');
  await t.waitForFrames(page, 3);
  const [x, y, w, h] = sandbox;
  await page.mouse.click(x + w / 2, y + h / 2);
  await page.waitForFunction(() => window.Module.tcplabDeferred.state === 'ready', null, { timeout: 20000 });
  const got = await deferredState(page);
  t.assert.equal(got.via, 'sync', 'the click fetched the deferred part itself');
  t.assert.ok(got.early.length > 0, 'the deferred function the click called is noted');
  t.assert.equal(hold.requests(), 2, 'the held fetch and the synchronous one');
  hold.release();
  const L = new Lesson(t, page, errors, viewport);
  await L.waitFor((s) => s.lessons > 0 && s.mode === 'sandbox', 'the sandbox, and the lessons');
  await click(L, 'B.listen');
  await click(L, 'A.connect');
  await L.waitFor((s) => s.A === 'ESTABLISHED' && s.B === 'ESTABLISHED', 'a handshake');
  t.assert.equal(await page.evaluate(() => window.Module.tcplabDeferred.via), 'sync', 'instantiated once');
  t.assert.deepEqual(errors, [], 'no page error');
}

// The deferred part missing: the page names the file and the reason within
// seconds, instead of stalling on "loading lessons".
export async function testMissingDeferredPartIsNamed(t) {
  for (const lang of ['en']) {
    const { page } = await t.open(`index.html?lang=${lang}`, {
      route: [['**/index.deferred.wasm', (route) => route.fulfill({ status: 404, body: 'not found' })]],
    });
    await page.waitForFunction(() => window.tcplabStatus === 'error', null, { timeout: 15000 });
    const error = await page.evaluate(() => window.tcplabError);
    t.assert.match(error, /index\.deferred\.wasm.*HTTP 404/, `${lang}: the message names the file and why`);
    t.assert.equal(await page.locator('#error').isVisible(), true, `${lang}: the error overlay is shown`);
    await t.screenshot(page, t.artifacts, `error-deferred-404-${lang}`);
  }
}
