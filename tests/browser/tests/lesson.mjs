// The lesson driven like a learner drives it: real mouse clicks at the
// centre of the widgets the page reports through its read-only test hooks,
// and checks of the engine's state (Module._tcplab_test_state), of what the
// screen shows (the hosts' state labels, the state diagram's highlighted
// boxes) and of the exact segments sent, computed from the ISNs in the trace.
// Every test opens a fresh page with a fixed seed (fixed ISNs).
import { HOST_COLOUR, Lesson, countColours, decodePng, parseLabel, sentLines, seqAdd } from './lesson-helpers.mjs';

const LATENCY_MS = 500;   // default one-way delay
const RTO_MS = 1500;      // default first retransmission timeout
const MSL_MS = 4000;      // default MSL: TIME-WAIT lasts 2*MSL

// The handshake's three segments, from the ISNs of the first two.
function handshake(state, from = 0) {
  const [syn, synAck] = state.sent.slice(from, from + 2);
  const x = parseLabel(syn.label).seq;
  const y = parseLabel(synAck.label).seq;
  return {
    x,
    y,
    lines: [
      `A: SYN seq=${x}`,
      `B: SYN,ACK seq=${y} ack=${seqAdd(x, 1)}`,
      `A: ACK seq=${seqAdd(x, 1)} ack=${seqAdd(y, 1)}`,
    ],
  };
}

function times(state) {
  return state.sent.map((s) => s.t - state.sent[0].t);
}

export async function testLoadsCleanlyAndDraws(t) {
  const lesson = await Lesson.open(t, { seed: 1001 });
  const state = await lesson.state();
  t.assert.equal(state.A, 'CLOSED');
  t.assert.equal(state.B, 'CLOSED');
  t.assert.equal(state.seed, 1001, 'the seed of the URL');
  t.assert.equal(state.now, 0);
  t.assert.deepEqual(state.in_flight, []);
  t.assert.deepEqual(state.sent, []);
  t.assert.equal(state.playing, true, 'the clock runs by default');
  const png = await lesson.screenshot('lesson-loaded-1024x640');
  const colours = await t.colourStats(t.browser, png);
  t.assert.ok(colours.distinct >= 16, `canvas looks blank: ${colours.distinct} distinct colours`);
  t.assert.ok(colours.topShare < 0.95, `canvas is almost one colour (${colours.topShare})`);
  // Both hosts' colours are on screen (their titles, the ladder's lines).
  const all = countColours(decodePng(png), HOST_COLOUR);
  t.assert.ok(all.A > 100 && all.B > 100, `host colours on screen: ${JSON.stringify(all)}`);
  // The widgets the lesson is driven through are drawn on screen.
  const drawn = await lesson.hooks();
  for (const name of ['A.listen', 'A.connect', 'A.send', 'A.close', 'A.abort', 'A.state',
                      'B.listen', 'B.connect', 'B.send', 'B.close', 'B.abort', 'B.state',
                      'toolbar.play', 'toolbar.next', 'toolbar.undo', 'toolbar.reset', 'toolbar.msl',
                      'toolbar.latency', 'toolbar.loss', 'ladder', 'diagram.CLOSED', 'diagram.TIME-WAIT']) {
    t.assert.ok(drawn[name], `hook ${name} is drawn`);
    lesson.expectOnScreen(name, drawn[name]);
  }
  if (!drawn['A.builder'] || !drawn['B.builder']) {
    lesson.note('hooks A.builder / B.builder are missing (the builders\' collapsing headers are not hooked)');
  }
  await lesson.expectShown('A', 'CLOSED');
  await lesson.expectShown('B', 'CLOSED');
  t.assert.deepEqual(lesson.errors, [], 'no console errors or page errors');
}

export async function testHandshakeAndCloseByClicks(t) {
  const lesson = await Lesson.open(t, { seed: 1002 });
  let state = await lesson.state();
  t.assert.deepEqual([state.A, state.B], ['CLOSED', 'CLOSED']);

  // 1. The server listens.
  await lesson.click('B.listen');
  ({ state } = await lesson.waitForStates('CLOSED', 'LISTEN'));
  t.assert.deepEqual(state.sent, [], 'a passive open sends nothing');
  await lesson.expectShown('A', 'CLOSED');
  await lesson.expectShown('B', 'LISTEN', { notIn: ['diagram.CLOSED'] });

  // 2. The client connects: SYN, SYN-ACK, ACK.
  await lesson.click('A.connect');
  const opened = await lesson.waitForStates('ESTABLISHED', 'ESTABLISHED', [
    ['CLOSED', 'LISTEN'], ['SYN-SENT', 'LISTEN'], ['SYN-SENT', 'SYN-RECEIVED'], ['ESTABLISHED', 'SYN-RECEIVED']]);
  state = opened.state;
  t.log(`handshake states seen: ${opened.seen.join(' -> ')}`);
  t.assert.equal(state.sent.length, 3, `three segments: ${sentLines(state).join(' | ')}`);
  const { x, y, lines: hs } = handshake(state);
  t.assert.notEqual(x, y, 'the two hosts picked different ISNs');
  t.assert.deepEqual(sentLines(state), hs);
  t.assert.deepEqual(times(state), [0, LATENCY_MS, 2 * LATENCY_MS], 'one latency between the segments');
  await lesson.expectShown('A', 'ESTABLISHED', { notIn: ['diagram.SYN-SENT', 'diagram.CLOSED'] });
  await lesson.expectShown('B', 'ESTABLISHED', { notIn: ['diagram.SYN-RECEIVED', 'diagram.LISTEN'] });

  // 3. The client closes: FIN from A, the server's ACK.
  await lesson.click('A.close');
  ({ state } = await lesson.waitForStates('FIN-WAIT-2', 'CLOSE-WAIT', [
    ['ESTABLISHED', 'ESTABLISHED'], ['FIN-WAIT-1', 'ESTABLISHED'], ['FIN-WAIT-1', 'CLOSE-WAIT']]));
  const closeA = [
    `A: FIN,ACK seq=${seqAdd(x, 1)} ack=${seqAdd(y, 1)}`,
    `B: ACK seq=${seqAdd(y, 1)} ack=${seqAdd(x, 2)}`,
  ];
  t.assert.deepEqual(sentLines(state), [...hs, ...closeA]);
  await lesson.expectShown('A', 'FIN-WAIT-2', { notIn: ['diagram.ESTABLISHED', 'diagram.FIN-WAIT-1'] });
  await lesson.expectShown('B', 'CLOSE-WAIT', { notIn: ['diagram.ESTABLISHED'] });

  // 4. The server closes: its FIN, the client's ACK; the client waits in
  //    TIME-WAIT, the server is closed.
  await lesson.click('B.close');
  ({ state } = await lesson.waitForStates('TIME-WAIT', 'CLOSED', [
    ['FIN-WAIT-2', 'CLOSE-WAIT'], ['FIN-WAIT-2', 'LAST-ACK'], ['TIME-WAIT', 'LAST-ACK']]));
  const closeB = [
    `B: FIN,ACK seq=${seqAdd(y, 1)} ack=${seqAdd(x, 2)}`,
    `A: ACK seq=${seqAdd(x, 2)} ack=${seqAdd(y, 2)}`,
  ];
  t.assert.deepEqual(sentLines(state), [...hs, ...closeA, ...closeB]);
  const lastAck = state.sent[state.sent.length - 1];
  t.assert.equal(lastAck.t - state.sent[5].t, LATENCY_MS, 'the client ACKs the FIN when it arrives');
  await lesson.expectShown('A', 'TIME-WAIT', { notIn: ['diagram.FIN-WAIT-2'] });
  // A closed server after LAST-ACK is the figure's lower-right CLOSED box.
  await lesson.expectShown('B', 'CLOSED', { box: 'diagram.CLOSED.end', notIn: ['diagram.CLOSE-WAIT', 'diagram.LAST-ACK'] });

  // 5. TIME-WAIT holds for 2*MSL: still there 2 s (virtual) later...
  state = await lesson.waitFor((s) => s.now >= lastAck.t + 2000 || s.A !== 'TIME-WAIT', 'virtual time to pass',
    { timeout: 30000 });
  t.assert.equal(state.A, 'TIME-WAIT', `still TIME-WAIT at t=${state.now} (entered at ${lastAck.t})`);
  t.assert.equal(state.playing, true);
  // ...and "Next event" jumps to its end: CLOSED exactly 2*MSL after it began.
  await lesson.click('toolbar.next');
  state = await lesson.waitFor((s) => s.A === 'CLOSED', 'A CLOSED after 2*MSL');
  t.assert.equal(state.B, 'CLOSED');
  t.assert.equal(state.now, lastAck.t + 2 * MSL_MS, 'TIME-WAIT ends 2*MSL after the last ACK');
  t.assert.deepEqual(state.in_flight, []);
  t.assert.equal(state.sent.length, 7, 'nothing more is sent');
  await lesson.expectShown('A', 'CLOSED', { box: 'diagram.CLOSED.end', notIn: ['diagram.TIME-WAIT', 'diagram.CLOSED'] });
  await lesson.screenshot('lesson-closed-1024x640');
  t.assert.deepEqual(lesson.errors, [], 'no console errors or page errors');
}

export async function testDroppedSynIsRetransmitted(t) {
  const lesson = await Lesson.open(t, { seed: 1003 });
  // Pause the clock so the SYN stays in flight until it is clicked.
  await lesson.click('toolbar.play');
  await lesson.waitFor((s) => s.playing === false, 'the clock paused');
  await lesson.click('B.listen');
  await lesson.waitForStates('CLOSED', 'LISTEN');
  await lesson.click('A.connect');
  let state = await lesson.waitFor((s) => s.A === 'SYN-SENT' && s.in_flight.length === 1, 'the SYN in flight');
  const syn = state.in_flight[0];
  t.assert.equal(syn.from, 'A');
  t.assert.match(syn.label, /^SYN seq=\d+$/);
  t.assert.deepEqual(sentLines(state), [`A: ${syn.label}`]);
  const sentAt = state.sent[0].t;
  t.assert.equal(state.now, sentAt, 'paused: the clock stands still');

  // Drop it: a click on the moving segment in the ladder.
  await lesson.click(`ladder.seg.${syn.id}`);
  state = await lesson.waitFor((s) => s.in_flight.length === 0, 'the SYN dropped');
  t.assert.equal(state.B, 'LISTEN', 'the SYN never arrived');
  t.assert.equal(state.A, 'SYN-SENT');
  t.assert.equal(state.sent.length, 1);
  t.assert.ok(!(await lesson.hooks())[`ladder.seg.${syn.id}`], 'the dropped segment is no longer clickable');
  await lesson.expectShown('B', 'LISTEN');
  await lesson.expectShown('A', 'SYN-SENT');
  await lesson.screenshot('lesson-syn-dropped-1024x640');

  // Play: after the retransmission timeout the same SYN goes again; until
  // then the server stays in LISTEN.
  await lesson.click('toolbar.play');
  state = await lesson.waitFor((s) => s.sent.length >= 2, 'the retransmitted SYN', {
    onState: (s) => {
      if (s.sent.length < 2 && (s.B !== 'LISTEN' || s.in_flight.length !== 0)) {
        throw new Error(`something arrived before the retransmission: ${JSON.stringify(s)}`);
      }
    },
  });
  t.assert.equal(state.sent[1].from, 'A');
  t.assert.equal(state.sent[1].label, syn.label, 'the retransmission has the same seq');
  t.assert.equal(state.sent[1].t - sentAt, RTO_MS, 'sent one RTO after the first');

  const done = await lesson.waitForStates('ESTABLISHED', 'ESTABLISHED', [
    ['SYN-SENT', 'LISTEN'], ['SYN-SENT', 'SYN-RECEIVED'], ['ESTABLISHED', 'SYN-RECEIVED']]);
  state = done.state;
  const { lines } = handshake(state, 1);
  t.assert.deepEqual(sentLines(state), [`A: ${syn.label}`, ...lines]);
  t.assert.deepEqual(times(state), [0, RTO_MS, RTO_MS + LATENCY_MS, RTO_MS + 2 * LATENCY_MS]);
  await lesson.expectShown('A', 'ESTABLISHED', { notIn: ['diagram.SYN-SENT'] });
  await lesson.expectShown('B', 'ESTABLISHED', { notIn: ['diagram.LISTEN', 'diagram.SYN-RECEIVED'] });
  t.assert.deepEqual(lesson.errors, [], 'no console errors or page errors');
}

export async function testHandBuiltAckToListenerGetsRst(t) {
  const lesson = await Lesson.open(t, { seed: 1004 });
  await lesson.click('B.listen');
  await lesson.waitForStates('CLOSED', 'LISTEN');
  await lesson.openBuilder('A');
  // The closed client's builder is pre-filled with a SYN: make it a bare ACK.
  await lesson.click('A.build.syn');
  await lesson.click('A.build.ack');
  await lesson.screenshot('lesson-builder-ack-1024x640');
  await lesson.click('A.build.send');
  const state = await lesson.waitFor((s) => s.sent.length >= 2 && s.in_flight.length === 0,
    'the hand-built ACK and the answer');
  const lines = sentLines(state);
  t.assert.equal(state.sent.length, 2, `two segments: ${lines.join(' | ')}`);
  const ack = parseLabel(state.sent[0].label);
  t.assert.equal(state.sent[0].from, 'A');
  t.assert.equal(ack.flags, 'ACK', `the checkboxes made a bare ACK: ${lines[0]}`);
  // RFC 9293 3.10.7.2: in LISTEN any ACK is bad: <SEQ=SEG.ACK><CTL=RST>.
  t.assert.deepEqual(lines, [`A: ACK seq=${ack.seq} ack=${ack.ack}`, `B: RST seq=${ack.ack}`]);
  t.assert.equal(state.sent[1].t - state.sent[0].t, LATENCY_MS, 'the RST answers on arrival');
  t.assert.deepEqual([state.A, state.B], ['CLOSED', 'LISTEN'], 'neither host changed state');
  await lesson.expectShown('B', 'LISTEN');
  await lesson.expectShown('A', 'CLOSED');
  await lesson.screenshot('lesson-builder-rst-1024x640');
  t.assert.deepEqual(lesson.errors, [], 'no console errors or page errors');
}

async function midConversation(t, viewport) {
  const lesson = await Lesson.open(t, { seed: 1005, viewport });
  await lesson.click('B.listen');
  await lesson.waitForStates('CLOSED', 'LISTEN');
  await lesson.click('A.connect');
  const { state } = await lesson.waitForStates('ESTABLISHED', 'ESTABLISHED', [
    ['CLOSED', 'LISTEN'], ['SYN-SENT', 'LISTEN'], ['SYN-SENT', 'SYN-RECEIVED'], ['ESTABLISHED', 'SYN-RECEIVED']]);
  t.assert.deepEqual(sentLines(state), handshake(state).lines);
  await lesson.openBuilder('A');
  await lesson.openBuilder('B');
  const name = `lesson-mid-${viewport.width}x${viewport.height}`;
  const png = await lesson.screenshot(name);
  const colours = await t.colourStats(t.browser, png);
  t.assert.equal(colours.width, viewport.width);
  t.assert.ok(colours.distinct >= 16, `canvas looks blank: ${colours.distinct} distinct colours`);
  const drawn = await lesson.hooks();
  for (const h of ['A', 'B']) {
    for (const w of ['state', 'listen', 'close', 'build.syn', 'build.seq', 'build.send']) {
      t.assert.ok(drawn[`${h}.${w}`], `${h}.${w} is drawn`);
      lesson.expectOnScreen(`${h}.${w}`, drawn[`${h}.${w}`]);
    }
  }
  t.log(`${name}: hooks ${JSON.stringify(drawn)}`);
  t.assert.deepEqual(lesson.errors, [], 'no console errors or page errors');
  return lesson;
}

export async function testScreenshotMidConversation1024x640(t) {
  await midConversation(t, { width: 1024, height: 640 });
}

export async function testScreenshotMidConversation1920x1080(t) {
  await midConversation(t, { width: 1920, height: 1080 });
}
