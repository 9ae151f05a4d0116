// The socket lab (web/socket_layout.cpp and its panels), played by clicks:
// the call lane (connect returns at the SYN,ACK, accept after the third
// segment, recv 0 at the FIN), the server's queues drawn as slots, several
// clients, a SYN flood as counts and a SYN cookie in the SYN,ACK; the text
// fits at the five sizes in both languages. What the lab shows is read from
// its hook (Module._tcplab_test_sockets: the World and the picture drawn
// from it); what is drawn, from the text probe and the screenshots.
import { HOST_COLOUR, poll, settle } from './lesson-helpers.mjs';
import { SIZES, openAt } from './screen.mjs';
import { tap } from './a11y.mjs';
import { cutRuns, inWindow, textRuns } from '../lib/text.mjs';

function lab(L) {
  return L.page.evaluate(() => JSON.parse(window.Module.UTF8ToString(window.Module._tcplab_test_sockets())));
}

async function waitLab(L, pred, what, timeout = 20000) {
  let last = null;
  return poll(async () => { last = await lab(L); return pred(last) ? last : null; },
    { timeout, what, describe: () => JSON.stringify(last).slice(0, 1500) });
}

// Clicks (or taps, on a touch screen) a hooked widget, scrolling the page
// until it is wholly in view: the wheel over the page's own margin (not a
// panel), a finger drag on a phone.
async function press(L, name) {
  if (L.touch) {
    L.cdp ??= await L.top.context().newCDPSession(L.page);
    await tap(L.t, L.page, L.cdp, L.viewport, name);
    return;
  }
  const { width, height } = L.viewport;
  for (let i = 0; i < 40; i++) {
    const all = await L.hooks();
    const r = all[name];
    // A control must also be inside the visible part of its panel.
    const panel = name.startsWith('sock.') && !/^sock\.(back|play|next)$/.test(name) ? all['sock.controls'] : null;
    const top = Math.max(0, panel ? panel[1] : 0);
    const bottom = Math.min(height, panel ? panel[1] + panel[3] : height);
    if (r && r[1] >= top && r[1] + r[3] <= bottom && r[0] >= 0 && r[0] + r[2] <= width) {
      await L.clickAt(r, name);
      return;
    }
    const down = !r || r[1] + r[3] > bottom;
    // Inside the panel when it scrolls, else the page's margin.
    const inPanel = panel && panel[1] >= 0 && panel[1] + panel[3] <= height;
    await L.page.mouse.move(inPanel ? panel[0] + panel[2] / 2 : 2, inPanel ? panel[1] + panel[3] / 2 : height / 2);
    await L.page.mouse.wheel(0, down ? 120 : -120);
    await settle(L.page, 4);
  }
  L.t.assert.fail(`${name} never came into view`);
}

async function open(t, size, lang, seed) {
  const L = await openAt(t, size, `?mode=sandbox&lang=${lang}&seed=${seed}`, lang);
  L.touch = !!size.touch;
  await press(L, 'toolbar.sockets');
  await waitLab(L, (s) => s.open, 'the socket lab open');
  return L;
}

const listener = (s) => s.hosts[0].fds.find((f) => f.state === 'LISTEN');
const callsOf = (s, host, prefix) => s.calls.filter((c) => c.host === host && c.text.startsWith(prefix));

async function serverListens(L, backlogClicks = 0) {
  await press(L, 'sock.host.0');
  await press(L, 'sock.call.socket');
  await press(L, 'sock.call.bind');
  for (let i = 0; i < backlogClicks; i++) await press(L, 'sock.call.backlog.down');
  await press(L, 'sock.call.listen');
  return waitLab(L, (s) => listener(s), 'the server LISTENs');
}

async function clientConnects(L, host) {
  await press(L, `sock.host.${host}`);
  await press(L, 'sock.call.socket');
  await press(L, 'sock.call.connect');
}

// connect returns 0 when the SYN,ACK arrives, before the server has the
// third segment; the connection is ESTABLISHED in the accept queue before
// accept is called; accept takes it off; recv returns 0 at the FIN.
async function handshakeAndClose(t, L) {
  await serverListens(L);
  await clientConnects(L, 1);
  let s = await waitLab(L, (x) => listener(x)?.accept === 1 && callsOf(x, 1, 'connect(')[0]?.done,
    'connect returned and the connection waits in the accept queue');
  const connect = callsOf(s, 1, 'connect(')[0];
  t.assert.ok(connect.blocked, 'connect blocked until the handshake moved on');
  t.assert.equal(connect.returned, '= 0', 'connect returns 0');
  const synack = s.arrows.find((a) => a.from === 0 && a.flags === 'SYN,ACK');
  const ack = s.arrows.find((a) => a.from === 1 && a.flags === 'ACK');
  t.assert.ok(synack && ack, `SYN,ACK and ACK drawn: ${JSON.stringify(s.arrows)}`);
  t.assert.ok(synack.end_row <= connect.end_row && connect.end_row < ack.end_row,
    'connect returns when the SYN,ACK arrives, before the ACK reaches the server');
  t.assert.equal(callsOf(s, 0, 'accept(').length, 0, 'nobody called accept');
  t.assert.ok(s.states.some((x) => x.host === 0 && x.state === 'ESTABLISHED'),
    'the server side is ESTABLISHED before accept');

  await press(L, 'sock.host.0');
  await press(L, 'sock.call.accept');
  s = await waitLab(L, (x) => callsOf(x, 0, 'accept(')[0], 'accept made');
  const accept = callsOf(s, 0, 'accept(')[0];
  t.assert.ok(!accept.blocked && /^accept\(3\) = 4$/.test(accept.text), `accept returns at once: ${accept.text}`);
  t.assert.equal(listener(s).accept, 0, 'accept took the connection off the queue');

  // The server reads first (it blocks), then the client closes: 0 at the FIN.
  await press(L, 'sock.call.recv');
  await press(L, 'sock.host.1');
  await press(L, 'sock.call.close');
  s = await waitLab(L, (x) => callsOf(x, 0, 'recv(')[0]?.done, 'recv returned');
  const recv = callsOf(s, 0, 'recv(')[0];
  t.assert.ok(recv.blocked, 'recv blocked while nothing came');
  t.assert.equal(recv.returned, '= 0 EOF', 'recv returns 0 at the FIN');
  return s;
}

// Every text run of the lab inside its clip; the lane's own texts drawn.
async function fits(L, where, problems, expect = []) {
  const runs = await textRuns(L);
  for (const c of cutRuns(runs)) {
    problems.push(`${where}: ${JSON.stringify(c.text)} in ${c.window.split('/').pop()} cut ${c.how}: ` +
      `rect ${c.rect.map(Math.round)} clip ${c.clip.map(Math.round)}`);
  }
  const lane = runs.filter((r) => inWindow(r, 'sock_timeline')).map((r) => r.text);
  for (const e of expect) if (!lane.includes(e)) problems.push(`${where}: ${JSON.stringify(e)} not drawn in the lane`);
}

export async function testLaneConnectAcceptRecv(t) {
  const L = await open(t, SIZES[3], 'en', 1501);
  await handshakeAndClose(t, L);
  const problems = [];
  await fits(L, 'after the close', problems, ['connect(3)', '= 0', 'accept(3) = 4', '= 0 EOF', 'ESTABLISHED']);
  await L.screenshot('sockets-lane-1366-en');
  t.assert.deepEqual(problems, []);
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// Share of a rectangle's pixels in the server's colour (the filled slots).
async function filled(L, name) {
  const r = (await L.hooks())[name];
  L.t.assert.ok(r, `hook ${name}`);
  const png = await L.page.screenshot({ clip: { x: r[0], y: r[1], width: r[2], height: r[3] } });
  return L.page.evaluate(async ({ b64, rgb }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 40) n++;
    }
    return n / (img.width * img.height);
  }, { b64: png.toString('base64'), rgb: HOST_COLOUR.B });
}

// listen(0) on Linux holds one connection (backlog + 1); the other clients'
// SYNs are dropped while the accept queue is full, and get in after accept
// makes room (their SYN is retransmitted).
export async function testQueuesFillOverflowAndDrain(t) {
  const L = await open(t, SIZES[3], 'en', 1502);
  await serverListens(L, 2);
  t.assert.ok((await filled(L, 'sockets.acceptq')) < 0.02, 'an empty accept queue has no filled slot');
  await press(L, 'sock.add_client');
  for (const h of [1, 2]) await clientConnects(L, h);
  let s = await waitLab(L, (x) => listener(x)?.accept === 1 && s2(x) === 'SYN-SENT' &&
    x.arrows.some((a) => a.from === 2 && a.flags === 'SYN' && (a.arrived || a.lost)), 'one queued, the other SYN dropped');
  function s2(x) { return x.hosts[2].fds[0]?.state; }
  t.assert.equal(listener(s).syn, 0, 'nothing half-open: the SYN was dropped, not queued');
  const full = await filled(L, 'sockets.acceptq');
  t.assert.ok(full > 0.05, `the full accept queue is drawn filled (${full.toFixed(3)} of its pixels)`);
  t.assert.ok((await filled(L, 'sockets.synq')) < 0.02, 'the empty SYN queue is drawn empty');
  await L.screenshot('sockets-queues-full-1366-en');
  await press(L, 'sock.host.0');
  await press(L, 'sock.call.accept');
  s = await waitLab(L, (x) => x.hosts[2].fds[0]?.state === 'ESTABLISHED' && listener(x).accept === 1,
    'the second client gets in after accept made room', 30000);
  t.assert.ok(s.arrows.filter((a) => a.from === 2 && a.flags === 'SYN').length >= 2, 'its SYN was retransmitted');
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// A flood fills the SYN queue with spoofed half-open connections, shown as a
// count; with cookies "when full" the real client still gets in, its
// SYN,ACK carrying a cookie.
async function floodAndCookie(t, L) {
  await serverListens(L);
  await press(L, 'sock.flood');
  let s = await waitLab(L, (x) => x.spoofed >= 10 && listener(x)?.syn === 3, 'the flood fills the SYN queue (3 = 2 + 1)');
  await clientConnects(L, 1);
  s = await waitLab(L, (x) => callsOf(x, 1, 'connect(')[0]?.done, 'the client connects through the flood');
  t.assert.equal(callsOf(s, 1, 'connect(')[0].returned, '= 0', 'connect returns 0');
  t.assert.ok(s.arrows.some((a) => a.from === 0 && a.to === 1 && a.flags === 'SYN,ACK' && a.cookie),
    'the SYN,ACK to the real client carries a cookie');
  t.assert.ok(s.cookies > 0, 'cookies counted');
  // The attacker is a count, not hundreds of arrows.
  t.assert.ok(s.arrows.every((a) => a.from !== -1 && a.to !== -1), 'no arrow for a spoofed SYN');
  await press(L, 'sock.flood');
  return s;
}

export async function testFloodIsACountAndTheCookieIsInTheSynAck(t) {
  const L = await open(t, SIZES[3], 'en', 1503);
  await floodAndCookie(t, L);
  const problems = [];
  await fits(L, 'after the flood', problems, ['SYN,ACK cookie']);
  const runs = await textRuns(L);
  t.assert.ok(runs.some((r) => /^flood: \d+ SYNs, 50\/s$/.test(r.text)), 'the flood drawn as a count and a rate');
  await L.screenshot('sockets-flood-1366-en');
  t.assert.deepEqual(problems, []);
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

// Every screen of both scenarios at one size in one language: no text cut.
async function labFits(t, size, lang) {
  const problems = [];
  const L = await open(t, size, lang, 1510);
  await fits(L, 'opened', problems);
  await handshakeAndClose(t, L);
  await fits(L, 'handshake and close', problems, ['connect(3)', 'accept(3) = 4', '= 0 EOF']);
  await L.screenshot(`sockets-${size.name}-${lang}-lane`);
  await press(L, 'sock.new');
  await waitLab(L, (x) => x.calls.length === 0, 'a new run');
  await floodAndCookie(t, L);
  await fits(L, 'flood and cookie', problems, ['SYN,ACK cookie']);
  await L.screenshot(`sockets-${size.name}-${lang}-flood`);
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
  t.assert.equal(problems.length, 0, `text cut in the socket lab at ${size.width}x${size.height} (${lang}):\n  ` +
    problems.slice(0, 30).join('\n  '));
}

function named(fn, ms) {
  fn.timeoutMs = ms;
  return fn;
}

export const testLabFitsPhoneEn = named((t) => labFits(t, SIZES[0], 'en'), 240000);
export const testLabFitsPhoneZh = named((t) => labFits(t, SIZES[0], 'zh'), 240000);
export const testLabFitsIframeEn = named((t) => labFits(t, SIZES[1], 'en'), 240000);
export const testLabFitsIframeZh = named((t) => labFits(t, SIZES[1], 'zh'), 240000);
export const testLabFits1024En = named((t) => labFits(t, SIZES[2], 'en'), 240000);
export const testLabFits1024Zh = named((t) => labFits(t, SIZES[2], 'zh'), 240000);
export const testLabFits1366En = named((t) => labFits(t, SIZES[3], 'en'), 240000);
export const testLabFits1366Zh = named((t) => labFits(t, SIZES[3], 'zh'), 240000);
export const testLabFits1920En = named((t) => labFits(t, SIZES[4], 'en'), 240000);
export const testLabFits1920Zh = named((t) => labFits(t, SIZES[4], 'zh'), 240000);
