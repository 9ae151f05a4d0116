// The app inside an iframe of a host page, as a course page embeds it:
// the host page, the app's Frame once it is ready, and a page-like view of
// the frame for lesson-helpers' Lesson (used by embed.mjs and screen.mjs).
import { Lesson } from '../tests/lesson-helpers.mjs';

export function html(body) {
  return { status: 200, body, headers: { 'Content-Type': 'text/html; charset=utf-8' } };
}

// A host page (served without CSP: inline script is fine in a test page)
// with one iframe per entry of `frames` ({ id, src, style }), recording
// every message it receives in window.received as { origin, from, data }.
export function hostPage(frames, extra = '') {
  const tags = frames.map((f) => `<iframe id="${f.id}" src="${f.src}" style="${f.style ?? 'width:1000px;height:640px'}"` +
    ' allow="clipboard-write"></iframe>').join('\n');
  return html(`<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0}iframe{display:block;border:0}` +
    `</style></head><body>${tags}${extra}<script>
window.received = [];
window.addEventListener('message', (e) => {
  const from = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
  window.received.push({ origin: e.origin, from: from ? from.id : null, data: e.data });
});
</script></body></html>`);
}

// The app in iframe `id` of `page`: its Frame, ready and drawing.
export async function appFrame(t, page, id) {
  const handle = await page.waitForSelector(`#${id}`);
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => window.tcplabStatus === 'ready' || window.tcplabStatus === 'error', null,
    { timeout: 30000 });
  const { status, error } = await t.waitForStatus(frame);
  t.assert.equal(status, 'ready', `${id}: page status (error: ${error})`);
  await t.waitForFrames(frame, 2);
  return { handle, frame };
}

// A page-like view of the app in an iframe, for lesson-helpers' Lesson:
// evaluate in the frame, mouse coordinates offset by the frame's position.
export async function framePage(page, handle) {
  const frame = await handle.contentFrame();
  const origin = () => handle.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + el.clientLeft, y: r.top + el.clientTop, width: el.clientWidth, height: el.clientHeight };
  });
  return {
    evaluate: (fn, arg) => frame.evaluate(fn, arg),
    waitForFunction: (...args) => frame.waitForFunction(...args),
    mouse: {
      click: async (x, y, o) => { const b = await origin(); return page.mouse.click(b.x + x, b.y + y, o); },
      move: async (x, y, o) => { const b = await origin(); return page.mouse.move(b.x + x, b.y + y, o); },
      wheel: (dx, dy) => page.mouse.wheel(dx, dy),
      down: (o) => page.mouse.down(o),
      up: (o) => page.mouse.up(o),
    },
    keyboard: page.keyboard,
    screenshot: async (o = {}) => {
      const b = await origin();
      const clip = o.clip ? { ...o.clip, x: o.clip.x + b.x, y: o.clip.y + b.y }
        : { x: b.x, y: b.y, width: b.width, height: b.height };
      return page.screenshot({ ...o, clip });
    },
    size: origin,
  };
}

export async function frameLesson(t, page, handle, errors) {
  const fp = await framePage(page, handle);
  const { width, height } = await fp.size();
  return new Lesson(t, fp, errors, { width, height });
}

