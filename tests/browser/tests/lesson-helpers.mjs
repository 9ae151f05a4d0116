// Helpers of the lesson tests (lesson.mjs): the page's read-only test hooks,
// clicks at the centre of a hooked widget, polling the engine's state,
// TCP sequence arithmetic and a small PNG decoder for colour checks.
//
// The tests ACT only through real mouse clicks on the canvas; the hooks
// (Module._tcplab_test_hooks / _tcplab_test_state) are only read.
// No exported name starts with `test`: the runner collects those as tests.
import { inflateSync } from 'node:zlib';

// The hosts' colours (web/ui.h Palette): client blue, server orange.
export const HOST_COLOUR = { A: [0x00, 0x5f, 0xcc], B: [0xb2, 0x50, 0x00] };

const POLL_MS = 40;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------ page hooks

// {"name": [x, y, w, h]} of the widgets drawn in the last frame.
export function hooks(page) {
  return page.evaluate(() => JSON.parse(window.Module.UTF8ToString(window.Module._tcplab_test_hooks())));
}

// {"A", "B", now, seed, trace, playing, in_flight: [...], sent: [...]}.
export function appState(page) {
  return page.evaluate(() => JSON.parse(window.Module.UTF8ToString(window.Module._tcplab_test_state())));
}

// "A: SYN seq=1" lines of the segments sent so far, in order.
export function sentLines(state) {
  return state.sent.map((s) => `${s.from}: ${s.label}`);
}

// Waits until every animation frame requested so far has run: a redraw the
// app asked for (after a click or a change) is then on screen, and the
// hooks describe it.
export async function settle(page, rafs = 3) {
  await page.evaluate((n) => new Promise((resolve) => {
    const step = (left) => (left <= 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
    step(n);
  }), rafs);
}

function frames(page) {
  return page.evaluate(() => window.Module._tcplab_rendered_frames());
}

// Polls `fn` (async, returns a value; truthy = done) every POLL_MS until it
// is truthy or `timeout` ms passed; then throws with `describe()`.
export async function poll(fn, { timeout = 20000, what = 'condition', describe } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) {
      const detail = describe ? await describe() : '';
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}${detail ? `: ${detail}` : ''}`);
    }
    await sleep(POLL_MS);
  }
}

// The lesson page, its hooks and its state, for one test.
export class Lesson {
  constructor(t, page, errors, viewport) {
    this.t = t;
    this.page = page;
    this.errors = errors;
    this.viewport = viewport;
    this.notes = [];
  }

  // Opens index.html?seed=N in a fresh context and waits for the app's first
  // frames.
  static async open(t, { seed, viewport = { width: 1024, height: 640 } } = {}) {
    const query = seed ? `?seed=${seed}` : '';
    const { page, errors } = await t.open(`index.html${query}`, { viewport });
    const { status, error } = await t.waitForStatus(page);
    t.assert.equal(status, 'ready', `page status (error: ${error})`);
    await t.waitForFrames(page, 2);
    await settle(page);
    return new Lesson(t, page, errors, viewport);
  }

  hooks() { return hooks(this.page); }
  state() { return appState(this.page); }

  // Something the test had to work around (an app bug): logged now and
  // printed by the runner next to the test's result.
  note(text) {
    if (this.notes.includes(text)) return;
    this.notes.push(text);
    this.t.log(`note: ${text}`);
    console.log(`      note: ${text}`);
  }

  // The rectangle of a hooked widget, waiting for it to be drawn. Checks it
  // is a real, on-screen rectangle.
  async rect(name, { timeout = 10000 } = {}) {
    let last = {};
    const r = await poll(async () => { last = await this.hooks(); return last[name]; },
      { timeout, what: `hook ${name}`, describe: () => `hooks drawn: ${Object.keys(last).join(' ')}` });
    this.expectOnScreen(name, r);
    return r;
  }

  expectOnScreen(name, r) {
    const [x, y, w, h] = r;
    const { width, height } = this.viewport;
    this.t.assert.ok(w > 0 && h > 0, `${name}: empty rectangle ${JSON.stringify(r)}`);
    this.t.assert.ok(x >= 0 && y >= 0 && x + w <= width + 0.5 && y + h <= height + 0.5,
      `${name}: ${JSON.stringify(r)} is not inside the ${width}x${height} canvas`);
  }

  // A real mouse click at the centre of `rect`, then waits until the app has
  // drawn the frames that follow (the click's command is applied after the
  // frame that saw it, and the next frames show the result).
  async clickAt(rect, what = 'click') {
    const [x, y, w, h] = rect;
    const before = await frames(this.page);
    await this.page.mouse.click(x + w / 2, y + h / 2);
    await poll(async () => (await frames(this.page)) >= before + 3,
      { timeout: 10000, what: `frames after ${what}` });
    await settle(this.page);
  }

  async click(name) {
    await this.clickAt(await this.rect(name), name);
  }

  // Polls the state JSON until `pred(state)` holds. `what` names the wait
  // in the error, which shows the last state.
  async waitFor(pred, what, { timeout = 20000, onState } = {}) {
    let last = null;
    const state = await poll(async () => {
      last = await this.state();
      if (onState) onState(last);
      return pred(last) ? last : null;
    }, { timeout, what, describe: () => JSON.stringify(last) });
    await settle(this.page);
    return state;
  }

  // Waits until host A is in `a` and B in `b` with nothing in flight. Every
  // (A, B) pair seen on the way must be one of `path` (in that order): no
  // state outside the expected path, no going back.
  async waitForStates(a, b, path = []) {
    const seen = [];
    const allowed = [...path.map(([x, y]) => `${x}/${y}`), `${a}/${b}`];
    let index = 0;
    const state = await this.waitFor((s) => s.A === a && s.B === b && s.in_flight.length === 0,
      `A ${a}, B ${b}, nothing in flight`, {
        onState: (s) => {
          const pair = `${s.A}/${s.B}`;
          if (seen[seen.length - 1] !== pair) seen.push(pair);
          const at = allowed.indexOf(pair, index);
          if (at < 0) {
            throw new Error(`unexpected states A/B ${pair} on the way to ${a}/${b} ` +
                            `(expected path ${allowed.join(' -> ')}; seen ${seen.join(' -> ')}): ${JSON.stringify(s)}`);
          }
          index = at;
        },
      });
    return { state, seen };
  }

  // The segment builder's header of `host` ('A' or 'B'). The hook
  // `<host>.builder` is used when the app draws it; otherwise the header is
  // found from the widget drawn just before it (the Abort button, then a
  // separator, then the header, all full width of the host panel).
  async builderHeaderRect(host) {
    const all = await this.hooks();
    const own = all[`${host}.builder`];
    if (own) {
      this.expectOnScreen(`${host}.builder`, own);
      return own;
    }
    this.note(`the app draws no hook "${host}.builder" (the builder's collapsing header in ` +
              'web/panel_host.cpp has no hook_item): clicking where the header is drawn, just below ' +
              `"${host}.abort" instead`);
    const abort = await this.rect(`${host}.abort`);
    const listen = await this.rect(`${host}.listen`);
    const connect = await this.rect(`${host}.connect`);
    // ImGui 1.86: a button row, ItemSpacing.y (4), a separator (no height,
    // ItemSpacing.y), then a frame-high header spanning the content width.
    const spacing = 4;
    const x = listen[0];
    const w = connect[0] + connect[2] - listen[0];
    return [x, abort[1] + abort[3] + 2 * spacing, w, abort[3]];
  }

  // Opens the builder of `host` by clicking its header; waits for its
  // checkboxes to be drawn.
  async openBuilder(host) {
    if ((await this.hooks())[`${host}.build.syn`]) return;
    await this.clickAt(await this.builderHeaderRect(host), `${host} builder header`);
    await this.rect(`${host}.build.syn`);
    const send = await this.rect(`${host}.build.send`);
    // The host panels span the same rows as the ladder (web/main.cpp): the
    // Send button must be inside its panel, or a click there hits the panel
    // below.
    const ladder = (await this.hooks()).ladder;
    this.t.assert.ok(send[1] >= ladder[1] && send[1] + send[3] <= ladder[1] + ladder[3] + 0.5,
      `${host}.build.send ${JSON.stringify(send)} is cut off by its host panel (rows ${ladder[1]}..` +
      `${ladder[1] + ladder[3]})`);
  }

  // Frames laid out but not painted (a test that measures only text turns
  // painting off: a software GPU takes about 60 ms for a 1920x1080 frame);
  // `painted` turns it back on around what reads pixels.
  async setPainting(on) {
    return (await this.page.evaluate((x) => window.Module._tcplab_test_paint(x), on ? 1 : 0)) === 1;
  }

  async painted(fn) {
    if ((await this.page.evaluate(() => window.Module._tcplab_test_paint(-1))) === 1) return fn();
    await this.setPainting(true);
    const before = await frames(this.page);
    await poll(async () => {
      await this.page.evaluate(() => window.Module._tcplab_wake());
      return (await frames(this.page)) >= before + 2;
    }, { timeout: 5000, what: 'two painted frames' });
    try {
      return await fn();
    } finally {
      await this.setPainting(false);
    }
  }

  // A screenshot of the whole page into the artifacts folder.
  screenshot(name) {
    return this.painted(() => this.t.screenshot(this.page, this.t.artifacts, name));
  }

  // How many pixels of `rect` (a hook rectangle) are within `tol` of each
  // colour in `colours` ({key: [r, g, b]}); a screenshot clip of the page.
  async countColours(rect, colours, tol = 12) {
    const [x, y, w, h] = rect;
    const clip = { x: Math.floor(x), y: Math.floor(y), width: Math.ceil(w) + 1, height: Math.ceil(h) + 1 };
    const png = await this.painted(() => this.page.screenshot({ clip }));
    return countColours(decodePng(png), colours, tol);
  }

  // The screen shows `host` in `state`: its big state label is drawn, inside
  // the host's own panel, and the state diagram's box of that state (`box`,
  // by default diagram.<state>) is highlighted in the host's colour. With
  // `notIn`, the boxes of the states it left no longer carry that colour.
  async expectShown(host, state, { box = `diagram.${state}`, notIn = [] } = {}) {
    const all = await this.hooks();
    const label = all[`${host}.state`];
    this.t.assert.ok(label, `hook ${host}.state (the big state label) is drawn`);
    this.expectOnScreen(`${host}.state`, label);
    const ladder = all.ladder;
    this.t.assert.ok(ladder, 'hook ladder');
    if (host === 'A') this.t.assert.ok(label[0] + label[2] <= ladder[0], 'A.state lies left of the ladder');
    else this.t.assert.ok(label[0] >= ladder[0] + ladder[2], 'B.state lies right of the ladder');
    // The label's width follows its text: a drawn, non-empty text line.
    this.t.assert.ok(label[2] > 20 && label[3] > 15, `${host}.state looks empty: ${JSON.stringify(label)}`);

    const want = { [host]: HOST_COLOUR[host] };
    const r = all[box];
    this.t.assert.ok(r, `hook ${box} (state diagram box)`);
    this.expectOnScreen(box, r);
    const inBox = await this.countColours(r, want);
    this.t.log(`${box}: ${inBox[host]} pixels of ${host}'s colour (${host} is ${state})`);
    this.t.assert.ok(inBox[host] >= 60,
      `${box} is not highlighted in ${host}'s colour while ${host} is ${state}: ` +
      `${inBox[host]} pixels of rgb(${HOST_COLOUR[host]})`);
    for (const other of notIn) {
      const o = all[other];
      this.t.assert.ok(o, `hook ${other}`);
      const n = await this.countColours(o, want);
      this.t.log(`${other}: ${n[host]} pixels of ${host}'s colour`);
      this.t.assert.ok(n[host] <= 15,
        `${other} still carries ${host}'s colour (${n[host]} pixels) though ${host} is ${state}`);
    }
    return inBox[host];
  }
}

// ---------------------------------------------------- sequence numbers

// Sequence arithmetic modulo 2^32.
export function seqAdd(a, n) {
  return Number((BigInt(a) + BigInt(n)) % 4294967296n);
}

// The numbers of a segment label "FLAGS seq=N [ack=M] [len=L]".
export function parseLabel(label) {
  const m = /^([A-Z,]+) seq=(\d+)(?: ack=(\d+))?(?: len=(\d+))?$/.exec(label);
  if (!m) throw new Error(`not a segment label: ${label}`);
  return { flags: m[1], seq: Number(m[2]), ack: m[3] === undefined ? null : Number(m[3]),
           len: m[4] === undefined ? 0 : Number(m[4]) };
}

// ----------------------------------------------------------------- PNG

// Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's
// screenshots are) into { width, height, channels, data } (no palette).
export function decodePng(buf) {
  const SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!SIG.every((b, i) => buf[i] === b)) throw new Error('not a PNG');
  let off = 8;
  let width = 0, height = 0, depth = 0, type = 0, interlace = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const kind = buf.toString('latin1', off + 4, off + 8);
    const body = buf.subarray(off + 8, off + 8 + len);
    if (kind === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8];
      type = body[9];
      interlace = body[12];
    } else if (kind === 'IDAT') {
      idat.push(body);
    } else if (kind === 'IEND') {
      break;
    }
    off += 12 + len;
  }
  const channels = { 2: 3, 6: 4 }[type];
  if (depth !== 8 || !channels || interlace) {
    throw new Error(`unsupported PNG: depth ${depth}, colour type ${type}, interlace ${interlace}`);
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? data[row + i - channels] : 0;
      const b = y > 0 ? data[row - stride + i] : 0;
      const c = i >= channels && y > 0 ? data[row - stride + i - channels] : 0;
      let v = raw[src + i];
      switch (filter) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`bad PNG filter ${filter}`);
      }
      data[row + i] = v & 0xff;
    }
  }
  return { width, height, channels, data };
}

// Pixels within `tol` (per channel) of each colour: {key: count}.
export function countColours(image, colours, tol = 12) {
  const out = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]));
  const entries = Object.entries(colours);
  const { data, channels } = image;
  for (let i = 0; i < data.length; i += channels) {
    for (const [k, [r, g, b]] of entries) {
      if (Math.abs(data[i] - r) <= tol && Math.abs(data[i + 1] - g) <= tol && Math.abs(data[i + 2] - b) <= tol) {
        out[k]++;
      }
    }
  }
  return out;
}
