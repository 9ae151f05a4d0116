// Captures in the page: a run downloaded as .pcap is read by tshark with the
// same segments and good checksums; the ladder downloads as text and SVG; a
// capture opened with the file picker or dropped on the canvas is replayed
// with both hosts' states; several connections ask for a pick; a broken file
// gets a message and the app keeps working.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { tap } from './a11y.mjs';
import { Lesson, parseLabel } from './lesson-helpers.mjs';

// Plays a whole connection by clicks: listen, connect, client closes, server
// closes; returns the final state.
async function playConnection(l) {
  await l.click('B.listen');
  await l.click('A.connect');
  await l.waitForStates('ESTABLISHED', 'ESTABLISHED', [['CLOSED', 'LISTEN'], ['SYN-SENT', 'LISTEN'],
    ['SYN-SENT', 'SYN-RECEIVED'], ['ESTABLISHED', 'SYN-RECEIVED']]);
  await l.click('A.send');
  await l.waitFor((s) => s.in_flight.length === 0 && s.sent.length >= 5, 'data and its ACK');
  await l.click('A.close');
  await l.waitForStates('FIN-WAIT-2', 'CLOSE-WAIT', [['FIN-WAIT-1', 'ESTABLISHED'], ['FIN-WAIT-1', 'CLOSE-WAIT']]);
  await l.click('B.close');
  return (await l.waitForStates('TIME-WAIT', 'CLOSED', [['FIN-WAIT-2', 'LAST-ACK'], ['TIME-WAIT', 'LAST-ACK']])).state;
}

// Clicks an entry of the toolbar's capture menu and returns the download it
// starts, saved into the artifacts folder.
async function download(l, entry) {
  await l.click('toolbar.capture');
  const [dl] = await Promise.all([l.page.waitForEvent('download', { timeout: 15000 }), l.click(entry)]);
  const file = path.join(l.t.artifacts, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

function tshark(args) {
  try {
    return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`tshark ${args.join(' ')} failed: ${e.stderr || e.message} (web/setup.sh installs tshark)`);
  }
}

// Drops `bytes` as a file named `name` on the canvas, as a learner dragging
// it from their file manager.
async function dropFile(page, name, bytes) {
  await page.evaluate(([n, b64]) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([data], n));
    const canvas = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop'])
      canvas.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, Buffer.from(bytes).toString('base64')]);
}

// ------------------------------------------------------------ a tiny pcap
// writer, independent of the app's: Ethernet frames, optionally 802.1Q
// tagged, IPv4 + TCP with options; checksums left zero (the replay reports,
// never refuses, bad checksums).
function tcpPacket({ src, dst, sport, dport, flags, seq, ack, win = 65535, len = 0, vlan = false, mss = false }) {
  const opts = mss ? [2, 4, 0x05, 0xb4, 1, 1, 4, 2] : [];
  const tcpLen = 20 + opts.length;
  const ipLen = 20 + tcpLen + len;
  const eth = [0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a];
  if (vlan) eth.push(0x81, 0x00, 0x00, 0x2a);
  eth.push(0x08, 0x00);
  const ip = [0x45, 0, ipLen >> 8, ipLen & 255, 0, 1, 0x40, 0, 64, 6, 0, 0, ...src, ...dst];
  const b32 = (v) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  const tcp = [sport >> 8, sport & 255, dport >> 8, dport & 255, ...b32(seq), ...b32(ack),
    (tcpLen / 4) << 4, flags, win >> 8, win & 255, 0, 0, 0, 0, ...opts];
  return [...eth, ...ip, ...tcp, ...new Array(len).fill(0x61)];
}

function pcapFile(packets) {
  const out = [];
  const u32 = (v) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
  out.push(...u32(0xa1b2c3d4), 2, 0, 4, 0, ...u32(0), ...u32(0), ...u32(262144), ...u32(1));
  packets.forEach((p, i) => out.push(...u32(1700000000), ...u32(i * 1000), ...u32(p.length), ...u32(p.length), ...p));
  return Uint8Array.from(out);
}

const SYN = 0x02, ACK = 0x10, FIN = 0x01, PSH = 0x08;

// Two connections: one complete handshake (with MSS options, VLAN tagged),
// one already open when the capture began (data and a close).
function twoConnections() {
  const c = [10, 1, 1, 1], s = [10, 1, 1, 2];
  const a = { src: c, dst: s, sport: 40000, dport: 80 };
  const b = { src: s, dst: c, sport: 80, dport: 40000 };
  const x = { src: c, dst: s, sport: 40001, dport: 443 };
  const y = { src: s, dst: c, sport: 443, dport: 40001 };
  return pcapFile([
    tcpPacket({ ...a, flags: SYN, seq: 1000, ack: 0, vlan: true, mss: true }),
    tcpPacket({ ...x, flags: PSH | ACK, seq: 7000, ack: 9000, len: 10 }),
    tcpPacket({ ...b, flags: SYN | ACK, seq: 5000, ack: 1001, vlan: true, mss: true }),
    tcpPacket({ ...y, flags: ACK, seq: 9000, ack: 7010 }),
    tcpPacket({ ...a, flags: ACK, seq: 1001, ack: 5001, vlan: true }),
    tcpPacket({ ...x, flags: FIN | ACK, seq: 7010, ack: 9000 }),
    tcpPacket({ ...y, flags: FIN | ACK, seq: 9000, ack: 7011 }),
    tcpPacket({ ...x, flags: ACK, seq: 7011, ack: 9001 }),
  ]);
}

// --------------------------------------------------------------- the tests

export async function testRunExportsAPcapThatTsharkReadsWithGoodChecksums(t) {
  const l = await Lesson.open(t, { seed: 4242 });
  const end = await playConnection(l);
  const file = await download(l, 'capture.pcap');
  t.assert.match(path.basename(file), /^tcplab-seed4242\.pcap$/);

  // tshark reads it without a word on stderr, and finds nothing malformed.
  const fields = tshark(['-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE',
    '-o', 'tcp.relative_sequence_numbers:FALSE', '-T', 'fields', '-E', 'separator=|',
    '-e', 'ip.src', '-e', 'tcp.flags', '-e', 'tcp.seq_raw', '-e', 'tcp.ack_raw', '-e', 'tcp.len',
    '-e', 'tcp.checksum.status', '-e', 'ip.checksum.status', '-e', 'frame.time_relative']);
  const rows = fields.trim().split('\n').map((line) => line.split('|'));
  t.assert.equal(rows.length, end.sent.length, 'one packet per segment sent');
  const malformed = tshark(['-r', file, '-Y', '_ws.malformed || _ws.expert.severity == "error"']);
  t.assert.equal(malformed.trim(), '', 'no malformed packets and no expert errors');
  rows.forEach(([src, flagsHex, seq, ack, len, tcpOk, ipOk, rel], i) => {
    const want = parseLabel(end.sent[i].label);
    const from = end.sent[i].from === 'A' ? '10.0.0.1' : '10.0.0.2';
    t.assert.equal(src, from, `packet ${i + 1}: sender`);
    const bits = Number.parseInt(flagsHex, 16);
    const names = [['SYN', 0x02], ['FIN', 0x01], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10]]
      .filter(([, b]) => bits & b).map(([n]) => n);
    t.assert.deepEqual(names.filter((n) => n !== 'PSH'), want.flags.split(',').filter((n) => n !== 'PSH'),
      `packet ${i + 1} flags (${end.sent[i].label})`);
    t.assert.equal(Number(seq), want.seq, `packet ${i + 1} seq`);
    if (want.flags.split(',').includes('ACK')) t.assert.equal(Number(ack), want.ack, `packet ${i + 1} ack`);
    t.assert.equal(Number(len), want.len ?? 0, `packet ${i + 1} len`);
    t.assert.equal(tcpOk, '1', `packet ${i + 1}: TCP checksum good (tshark's status 1 = good, 0 = bad, 2 = unverified)`);
    t.assert.equal(ipOk, '1', `packet ${i + 1}: IP checksum good`);
    t.assert.ok(Math.abs(Number(rel) * 1000 - (end.sent[i].t - end.sent[0].t)) < 1.5,
      `packet ${i + 1}: time from the virtual clock`);
  });
  t.log(`${rows.length} packets checked by tshark`);

  // The ladder as text and as an SVG image that a browser can draw.
  const text = await readFile(await download(l, 'capture.txt'), 'utf8');
  for (const s of ['SYN-SENT', 'ESTABLISHED', 'TIME-WAIT', 'LAST-ACK', 'SYN,ACK'])
    t.assert.ok(text.includes(s), `the text ladder mentions ${s}`);
  t.assert.equal(text.split('\n').filter((line) => line.includes('--')).length >= end.sent.length, true,
    'one arrow per segment in the text ladder');
  const svg = await readFile(await download(l, 'capture.svg'), 'utf8');
  t.assert.match(svg, /^<\?xml|^<svg/);
  for (const s of ['ESTABLISHED', 'TIME-WAIT']) t.assert.ok(svg.includes(s), `the SVG mentions ${s}`);
  const drawn = await l.page.context().browser().newContext().then(async (ctx) => {
    const p = await ctx.newPage();
    const size = await p.evaluate(async (src) => {
      const img = new Image();
      img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(src)));
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, svg);
    await ctx.close();
    return size;
  });
  t.assert.ok(drawn[0] > 200 && drawn[1] > 100, `the SVG draws as an image (${drawn.join('x')})`);
  t.assert.deepEqual(l.errors, []);
}

export async function testOpenedCaptureIsReplayedWithStates(t) {
  // A run, exported, then opened in a fresh page with the file picker.
  const first = await Lesson.open(t, { seed: 99 });
  const end = await playConnection(first);
  const file = await download(first, 'capture.pcap');

  const l = await Lesson.open(t, { seed: 5 });
  await l.click('toolbar.capture');
  const [chooser] = await Promise.all([l.page.waitForEvent('filechooser', { timeout: 15000 }),
    l.click('capture.open')]);
  await chooser.setFiles(file);
  const s = await l.waitFor((st) => st.mode === 'replay' && st.capture.rows, 'the replay');
  const rows = s.capture.rows;
  t.assert.equal(rows.length, end.sent.length, 'one row per captured segment');
  t.assert.equal(s.capture.late, false);
  rows.forEach((r, i) => {
    const want = parseLabel(end.sent[i].label);
    t.assert.equal(r.from, end.sent[i].from, `row ${i}: from`);
    t.assert.equal(r.seq, want.seq, `row ${i}: seq`);
    t.assert.equal(r.verdict, 'ok', `row ${i}: ${JSON.stringify(r)}`);
  });
  const last = rows[rows.length - 1];
  t.assert.deepEqual([last.A, last.B], ['TIME-WAIT', 'CLOSED'], 'states after the last segment');
  t.assert.deepEqual([s.A, s.B], ['TIME-WAIT', 'CLOSED'], 'the hosts show the replayed states');
  t.assert.ok(rows.some((r) => r.A === 'SYN-SENT' && r.B === 'SYN-RECEIVED'), 'the handshake states are there');
  await l.rect('replay.exit');
  await l.screenshot('capture-replay-1024x640');
  // Stepping back shows the hosts as they were after each segment.
  t.assert.equal(s.capture.shown, rows.length);
  await l.click('replay.all');  // disabled while everything is shown: nothing changes
  for (let k = rows.length - 1; k >= 1; --k) {
    await l.click('replay.prev');
    const st = await l.waitFor((x) => x.capture.shown === k, `the hosts after segment ${k}`);
    t.assert.deepEqual([st.A, st.B], [rows[k - 1].A, rows[k - 1].B], `states after segment ${k}`);
    // The captured segments so far, plus at most the one the engine is about
    // to send (already in flight).
    t.assert.ok(st.sent.length >= k && st.sent.length <= k + 1, `the ladder shows ${k} segments: ${st.sent.length}`);
  }
  await l.screenshot('capture-replay-step1-1024x640');
  await l.click('replay.next');
  t.assert.deepEqual((await l.state()).capture.shown, 2);
  // The hosts cannot be driven during a replay.
  t.assert.equal((await l.hooks())['A.connect'], undefined, 'no application calls during a replay');
  await l.click('replay.exit');
  await l.waitFor((st) => st.mode === 'sandbox' && st.A === 'CLOSED' && st.trace === 0, 'back to the sandbox');
  t.assert.deepEqual(l.errors, []);
}

export async function testDroppedCaptureWithTwoConnectionsAsksWhichOne(t) {
  const l = await Lesson.open(t, { seed: 8 });
  await dropFile(l.page, 'two.pcap', twoConnections());
  let s = await l.waitFor((st) => st.capture.picking, 'the connection picker');
  t.assert.equal(s.capture.connections, 2);
  await l.screenshot('capture-picker-1024x640');
  // The second connection began before the capture: replayed from ESTABLISHED.
  await l.click('capture.conn.1');
  s = await l.waitFor((st) => st.mode === 'replay' && st.capture.rows, 'the replay of connection 2');
  t.assert.equal(s.capture.late, true, 'the late start is said');
  t.assert.deepEqual(s.capture.rows.map((r) => r.from), ['A', 'B', 'A', 'B', 'A']);
  t.assert.deepEqual(s.capture.rows.map((r) => [r.A, r.B]), [['ESTABLISHED', 'ESTABLISHED'],
    ['ESTABLISHED', 'ESTABLISHED'], ['FIN-WAIT-1', 'CLOSE-WAIT'], ['TIME-WAIT', 'LAST-ACK'],
    ['TIME-WAIT', 'CLOSED']]);
  const last = s.capture.rows[s.capture.rows.length - 1];
  t.assert.equal(last.B, 'CLOSED', 'the server is closed after the last ACK of its FIN');
  await l.screenshot('capture-replay-late-1024x640');
  // The other connection, with its handshake over a VLAN.
  await l.click('replay.other');
  await l.click('capture.conn.0');
  s = await l.waitFor((st) => st.mode === 'replay' && st.capture.connection === 0, 'the replay of connection 1');
  t.assert.deepEqual(s.capture.rows.map((r) => [r.A, r.B]), [['SYN-SENT', 'SYN-RECEIVED'],
    ['ESTABLISHED', 'SYN-RECEIVED'], ['ESTABLISHED', 'ESTABLISHED']]);
  t.assert.deepEqual(s.capture.rows.map((r) => r.verdict), ['ok', 'ok', 'ok']);
  t.assert.deepEqual(l.errors, []);
}

export async function testBrokenCaptureGetsAMessageAndTheAppKeepsWorking(t) {
  const l = await Lesson.open(t, { seed: 8 });
  const good = twoConnections();
  await dropFile(l.page, 'cut.pcap', good.slice(0, 60));
  let s = await l.waitFor((st) => st.capture.errors > 0, 'a message about the truncated file');
  t.assert.equal(s.mode, 'sandbox');
  await l.screenshot('capture-error-1024x640');
  await l.click('capture.errors.dismiss');
  await dropFile(l.page, 'notes.pcap', new TextEncoder().encode('these are my notes, not a capture'));
  s = await l.waitFor((st) => st.capture.errors > 0, 'a message about a file that is not a capture');
  await l.click('capture.errors.dismiss');
  await l.click('B.listen');
  s = await l.waitFor((st) => st.B === 'LISTEN' && st.capture.errors === 0, 'the app still works');
  t.assert.deepEqual(l.errors, []);
}

export async function testReplayInChinese(t) {
  const { page, errors } = await t.open('index.html?seed=8&lang=zh', { viewport: { width: 1024, height: 640 } });
  const { status } = await t.waitForStatus(page);
  t.assert.equal(status, 'ready');
  const l = new Lesson(t, page, errors, { width: 1024, height: 640 });
  await l.waitFor((st) => st.lang === 'zh', 'Chinese');
  await dropFile(page, 'two.pcap', twoConnections());
  await l.waitFor((st) => st.capture.picking, 'the connection picker');
  await l.screenshot('capture-zh-picker-1024x640');
  await l.click('capture.conn.0');
  const s = await l.waitFor((st) => st.mode === 'replay' && st.capture.rows, 'the replay');
  t.assert.deepEqual([s.A, s.B], ['ESTABLISHED', 'ESTABLISHED']);
  await l.screenshot('capture-zh-replay-1024x640');
  t.assert.deepEqual(errors, []);
}

// On a phone the replay's rows stack under the ladder, readable and
// scrollable; nothing is cut off at the sides.
export async function testReplayOnAPhone(t) {
  const viewport = { width: 390, height: 844 };
  const { page, errors, context } = await t.open('index.html?seed=8&lang=en',
    { viewport, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  t.assert.equal((await t.waitForStatus(page)).status, 'ready');
  const cdp = await context.newCDPSession(page);
  const l = new Lesson(t, page, errors, viewport);
  await dropFile(page, 'two.pcap', twoConnections());
  await l.waitFor((st) => st.capture.picking, 'the connection picker');
  await l.screenshot('capture-phone-picker-390x844');
  const pick = (await l.hooks())['capture.conn.1'];
  t.assert.ok(pick && pick[0] >= 0 && pick[0] + pick[2] <= viewport.width + 0.5, `the picker's row fits: ${pick}`);
  await tap(t, page, cdp, viewport, 'capture.conn.1');
  const s = await l.waitFor((st) => st.mode === 'replay' && st.capture.connection === 1, 'the replay');
  t.assert.equal(s.capture.late, true);
  // The replay's rows come after the ladder: the column is dragged to them.
  await tap(t, page, cdp, viewport, 'replay.prev');
  await l.waitFor((st) => st.capture.shown === s.capture.rows.length - 1, 'one segment back, by a tap');
  await l.screenshot('capture-phone-replay-390x844');
  t.assert.deepEqual(errors, []);
}

// A real capture of a simultaneous close (both FINs on the wire at once,
// tests/captures/linux): the replay list says which segments crossed and
// why; "Relative numbers" shows each side's SYN as seq=0, as Wireshark
// does, in the ladder and in the list, and back again. In both languages.
export async function testCrossingCaptureExplainedAndRelativeNumbers(t) {
  const bytes = await readFile(path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'captures', 'linux',
    'simultaneous-close.pcap'));
  const { textRuns } = await import('../lib/text.mjs');
  for (const lang of ['en', 'zh']) {
    const view = { width: 1366, height: 768 };
    const { page, errors } = await t.open(`index.html?seed=8&lang=${lang}`, { viewport: view });
    await t.waitForStatus(page);
    const l = new Lesson(t, page, errors, view);
    await l.waitFor((st) => st.lang === lang, 'the language');
    await dropFile(page, 'simultaneous-close.pcap', bytes);
    await l.waitFor((st) => st.mode === 'replay', 'the replay');
    const texts = async () => (await textRuns(l)).map((r) => r.text);
    // The replay's notes in the page's language (engine/replay.cpp).
    const said = await texts();
    const scaling = lang === 'en' ? /^window scaling: A shifts by \d+, B by \d+/ : /^窗口扩大选项：A 的移位数为 \d+，B 的移位数为 \d+/;
    t.assert.ok(said.some((x) => scaling.test(x)), `the window scaling note: ${said.slice(0, 40).join(' | ')}`);
    if (lang === 'zh') t.assert.ok(!said.some((x) => /window scaling/.test(x)), 'no English note in the Chinese page');
    // Scroll the list down to the close, where the FINs crossed.
    const first = (await textRuns(l)).find((r) => /^#1 /.test(r.text));
    await page.mouse.move(first.rect[0] + 20, first.rect[1] + 5);
    for (let i = 0; i < 8; i++) {
      await page.mouse.wheel(0, 400);
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = await texts();
    const crossed = lang === 'en' ? /^crossed: [AB] received it only after #\d+/ : /^交叉：[AB] 在 #\d+ 之后才收到它/;
    t.assert.ok(before.some((x) => crossed.test(x)), `a crossing is explained: ${before.filter((x) => /#/.test(x)).join(' | ')}`);
    const ladderRel = /^SYN,ACK seq=0 ack=1$/;  // B's SYN,ACK in the ladder, relative
    t.assert.ok(!before.some((x) => ladderRel.test(x)), 'absolute numbers at first');
    await l.click('replay.relative');
    const rel = await texts();
    t.assert.ok(rel.some((x) => ladderRel.test(x)), `the ladder shows the SYN,ACK as seq=0 ack=1: ${rel.filter((x) => /SYN/.test(x)).join(' | ')}`);
    t.assert.ok(rel.some((x) => /^#\d+ .* FIN,ACK seq=(101 ack=201|201 ack=101) /.test(x)), `so does the list: ${rel.filter((x) => /^#/.test(x)).join(' | ')}`);
    await l.screenshot(`capture-${lang}-relative-1366x768`);
    await l.click('replay.relative');
    t.assert.ok(!(await texts()).some((x) => ladderRel.test(x)), 'absolute again');
    t.assert.deepEqual(errors, []);
    await page.context().close();
  }
}
