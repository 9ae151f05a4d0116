// Accessibility, touch and small screens, in a real browser:
// - the first lesson completed with the keyboard alone (page.keyboard only:
//   no mouse, no touch), the focus moving where the shortcuts send it;
// - the ARIA live region announcing state changes, segments sent and
//   dropped, and quiz feedback, in English and in Chinese; the canvas's text
//   alternative following the states;
// - the transcript dialog (a DOM <dialog> with the whole session as text),
//   its Copy button and its Close;
// - the text size (keys and toolbar), kept across a reload, at 1.5x at
//   1024x640 with every control inside the canvas;
// - a phone (390x844, devicePixelRatio 3, touch emulation): the first
//   handshake tapped through, a segment dropped by tapping it, panels
//   scrolled by dragging; screenshots of the one-column layout in English
//   and Chinese, sandbox and lesson (tests/browser/artifacts/a11y-*.png).
// The state JSON and the hooks (read-only test hooks) are only read: to know
// the right answer, where a widget is and which widget has the focus.
import { poll, settle } from './lesson-helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function state(page) {
  return page.evaluate(() => JSON.parse(window.Module.UTF8ToString(window.Module._tcplab_test_state())));
}
function hooks(page) {
  return page.evaluate(() => JSON.parse(window.Module.UTF8ToString(window.Module._tcplab_test_hooks())));
}
function focused(page) {
  return page.evaluate(() => window.Module.UTF8ToString(window.Module._tcplab_test_focus()));
}
function liveText(page) {
  return page.evaluate(() => document.getElementById('announcer').innerText);
}
function frames(page) {
  return page.evaluate(() => window.Module._tcplab_rendered_frames());
}

async function openApp(t, query, options = {}) {
  const viewport = options.viewport ?? { width: 1024, height: 640 };
  const opened = await t.open(`index.html${query}`, { ...options, viewport });
  const { status, error } = await t.waitForStatus(opened.page);
  t.assert.equal(status, 'ready', `page status (error: ${error})`);
  await t.waitForFrames(opened.page, 2);
  await waitFor(opened.page, (s) => s.lessons >= 10 && (!options.lang || s.lang === options.lang),
    'the built-in lessons (and the language)');
  return { ...opened, viewport };
}

async function waitFor(page, pred, what, timeout = 20000) {
  let last = null;
  const s = await poll(async () => { last = await state(page); return pred(last) ? last : null; },
    { timeout, what, describe: () => JSON.stringify(last).slice(0, 600) });
  await settle(page);
  return s;
}

// One key pressed on the canvas, then the frames that follow.
async function key(page, k) {
  const before = await frames(page);
  await page.keyboard.press(k);
  await poll(async () => (await frames(page)) >= before + 2, { timeout: 5000, what: `frames after ${k}` });
  await settle(page);
}

// Presses `k` (Tab by default) until the keyboard focus is on `name`.
async function focusBy(t, page, name, k = 'Tab', limit = 40) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    const f = await focused(page);
    if (f === name) return;
    seen.push(f);
    await key(page, k);
  }
  t.assert.fail(`${k} never brought the focus to ${name}; focus went ${seen.join(' -> ')}`);
}

// ------------------------------------------------------------ keyboard

// Answers the current question of a lesson with keys only.
async function answerByKeyboard(t, page, s) {
  const q = s.question;
  switch (q.kind) {
    case 'act': {
      t.assert.match(q.answer, /^OPEN \(passive\) on (the server|B|host B)/, `lesson 1 asks for Listen on the server: ${q.answer}`);
      await key(page, 's');
      t.assert.equal(await focused(page), 'B.listen', 'S puts the focus on the server\'s Listen');
      await key(page, 'Space');
      return 'S, Space';
    }
    case 'state': {
      await key(page, 'q');
      await focusBy(t, page, `lesson.state.${q.answer}`);
      await key(page, 'Space');
      return `Q, Tab to ${q.answer}, Space`;
    }
    case 'choose': {
      for (const i of q.correct) await key(page, String(i + 1));
      await key(page, 'Enter');
      return `keys ${q.correct.map((i) => i + 1).join(',')}, Enter`;
    }
    case 'number': {
      await key(page, 'q');
      t.assert.equal(await focused(page), 'lesson.number', 'Q puts the focus on the number field');
      await page.keyboard.type(String(q.answer), { delay: 15 });
      await settle(page);
      await key(page, 'Enter');
      return `Q, typed ${q.answer}, Enter`;
    }
    case 'order': {
      const target = q.items.length ? q.items : q.answer.split('; ');
      const cur = [...q.shown];
      await key(page, 'q');
      for (let k = 0; k < target.length; k++) {
        for (let j = cur.indexOf(target[k], k); j > k; j--) {
          const name = `lesson.order.up.${j}`;
          const f = await focused(page);
          const at = /lesson\.order\.(up|down)\.(\d+)/.exec(f);
          const back = at && (Number(at[2]) > j || (Number(at[2]) === j && at[1] === 'down'));
          await focusBy(t, page, name, back ? 'Shift+Tab' : 'Tab');
          await key(page, 'Space');
          [cur[j - 1], cur[j]] = [cur[j], cur[j - 1]];
        }
      }
      await key(page, 'Enter');
      return `order by Tab and Space, Enter`;
    }
    case 'blanks': {
      // Q puts the keyboard in the first blank; Tab goes on to the next one,
      // ready for typing; Enter in the last checks.
      await key(page, 'q');
      for (const [i, v] of q.blanks.entries()) {
        if (i > 0) {
          await focusBy(t, page, `lesson.blank.${i}`, 'Tab');
        }
        await page.keyboard.type(String(v), { delay: 15 });
        await settle(page);
      }
      await key(page, 'Enter');
      return `Q, ${q.blanks.length} blanks typed with Tab, Enter`;
    }
    default:
      throw new Error(`question kind ${q.kind}`);
  }
}

export async function testKeyboardOnlyFirstLesson(t) {
  const { page, errors } = await openApp(t, '?seed=11&lang=en');
  // The canvas takes the keyboard from the page's Tab order.
  await page.keyboard.press('Tab');
  t.assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'canvas',
    'Tab from the page focuses the canvas');
  // L opens the lesson menu; the keyboard lands in it.
  await key(page, 'l');
  await poll(async () => (await hooks(page))['menu.lesson.handshake'], { what: 'the lesson menu' });
  await focusBy(t, page, 'menu.lesson.handshake', 'ArrowDown', 20);
  await key(page, 'Space');
  let s = await waitFor(page, (x) => x.mode === 'lesson' && x.lesson && x.lesson.id === 'handshake',
    'lesson 1 opened from the keyboard');
  const done = [];
  for (let guard = 0; guard < 60 && !s.lesson.finished; guard++) {
    const step = s.lesson.step;
    if (s.question) {
      const did = await answerByKeyboard(t, page, s);
      done.push(`${s.question.id}: ${did}`);
      s = await waitFor(page, (x) => x.lesson.step > step || x.lesson.finished || (x.feedback && !x.feedback.correct),
        `the answer to ${s.question.id}`);
      t.assert.ok(!s.feedback || s.feedback.correct || s.lesson.step > step,
        `${done[done.length - 1]} was judged wrong: ${JSON.stringify(s.feedback)}`);
    } else {
      await key(page, 'Enter');
      done.push('Enter');
      s = await waitFor(page, (x) => x.lesson.step > step || x.lesson.finished, `Continue after step ${step}`);
    }
  }
  t.log(done.join(' | '));
  t.assert.ok(s.lesson.finished, 'lesson 1 finished with the keyboard alone');
  t.assert.equal(s.lesson.points, s.lesson.questions, 'every question right at the first try');
  // The live region says so (after its rate limit).
  await poll(async () => /Lesson complete\. Score:/.test(await liveText(page)),
    { what: 'the live region announcing the end', describe: () => liveText(page) });
  // The help overlay: F1 opens it, Escape closes it.
  await key(page, 'F1');
  t.assert.ok((await hooks(page)).help, 'F1 opens the keyboard help');
  await t.screenshot(page, t.artifacts, 'a11y-help-1024x640');
  await key(page, 'Escape');
  t.assert.ok(!(await hooks(page)).help, 'Escape closes the keyboard help');
  t.assert.deepEqual(errors, [], 'no console errors');
}

// ------------------------------------------------------------ live region

// The first handshake from the keyboard: Listen on the server, Connect on
// the client (S, Space; C, Right or Down, Space).
async function handshakeByKeyboard(t, page) {
  await page.focus('#canvas');
  await key(page, 's');
  await key(page, 'Space');
  await key(page, 'c');
  // Connect is right of Listen, or under it when the panel is narrow.
  const all = await hooks(page);
  const below = all['A.connect'][1] > all['A.listen'][1] + 4;
  await focusBy(t, page, 'A.connect', below ? 'ArrowDown' : 'ArrowRight', 4);
  await key(page, 'Space');
  return waitFor(page, (s) => s.A === 'ESTABLISHED' && s.B === 'ESTABLISHED' && s.in_flight.length === 0,
    'both hosts ESTABLISHED');
}

export async function testLiveRegionAnnouncesInBothLanguages(t) {
  for (const lang of ['en', 'zh']) {
    const { page, errors } = await openApp(t, `?seed=21&lang=${lang}`, { lang });
    const role = await page.evaluate(() => {
      const a = document.getElementById('announcer');
      const c = document.getElementById('canvas');
      return { live: a.getAttribute('aria-live'), role: a.getAttribute('role'), inCanvas: c.contains(a) };
    });
    t.assert.deepEqual(role, { live: 'polite', role: 'log', inCanvas: false }, 'a polite log outside the canvas');
    const s = await handshakeByKeyboard(t, page);
    const syn = s.sent.find((x) => x.from === 'A').label;
    await poll(async () => /ESTABLISHED/.test(await liveText(page)), { what: 'the announcement of ESTABLISHED' });
    await sleep(800);  // the rate limit lets the rest through
    const live = await liveText(page);
    t.log(`${lang}: ${live.replace(/\n+/g, ' | ').slice(0, 400)}`);
    if (lang === 'en') {
      t.assert.match(live, /The server's state changes: CLOSED -> LISTEN/);
      t.assert.ok(live.includes(`The client sends ${syn}`), `the SYN sent is announced: ${syn}`);
      t.assert.match(live, /The client's state changes: SYN-SENT -> ESTABLISHED/);
    } else {
      t.assert.match(live, /服务器的状态变化：CLOSED -> LISTEN/);
      t.assert.ok(live.includes(syn), `the SYN sent is announced: ${syn}`);
      t.assert.match(live, /客户端的状态变化：SYN-SENT -> ESTABLISHED/);
    }
    const label = await page.evaluate(() => document.getElementById('canvas').getAttribute('aria-label'));
    t.assert.match(label, lang === 'en' ? /Client: ESTABLISHED, server: ESTABLISHED/ : /客户端：ESTABLISHED，服务器：ESTABLISHED/,
      'the canvas\'s text alternative names both states');
    // A segment dropped from the keyboard (pause, send, D).
    await key(page, 'p');
    await key(page, 'c');
    await focusBy(t, page, 'A.send', 'ArrowDown', 4);
    await key(page, 'Space');
    await waitFor(page, (x) => x.in_flight.length === 1, 'the data segment in flight');
    await key(page, 'd');
    await waitFor(page, (x) => x.in_flight.length === 0, 'the segment dropped');
    await poll(async () => (lang === 'en' ? /dropped/i : /丢弃/).test(await liveText(page)),
      { what: 'the announcement of the drop', describe: () => liveText(page) });
    t.assert.deepEqual(errors, [], 'no console errors');
  }
  // Quiz feedback, in Chinese: a wrong pick, then the right one.
  const { page } = await openApp(t, '?seed=22&lang=zh&lesson=handshake', { lang: 'zh' });
  await page.focus('#canvas');
  let s = await waitFor(page, (x) => x.mode === 'lesson', 'the lesson');
  for (let guard = 0; guard < 10 && !(s.question && s.question.kind === 'choose'); guard++) {
    if (s.question) await answerByKeyboard(t, page, s);
    else await key(page, 'Enter');
    const step = s.lesson.step;
    s = await waitFor(page, (x) => x.lesson.step > step, 'the next step');
  }
  t.assert.equal(s.question.kind, 'choose', 'a multiple-choice question reached');
  await poll(async () => /问题：/.test(await liveText(page)), { what: 'the question announced' });
  const wrong = [0, 1, 2].find((i) => !s.question.correct.includes(i));
  await key(page, String(wrong + 1));
  await key(page, 'Enter');
  await poll(async () => /不对。/.test(await liveText(page)), { what: 'the wrong verdict announced in Chinese',
    describe: () => liveText(page) });
  for (const i of s.question.correct) await key(page, String(i + 1));
  if (s.question.correct.length === 1) await key(page, String(s.question.correct[0] + 1));
  await key(page, 'Enter');
  await poll(async () => /正确。/.test(await liveText(page)), { what: 'the right verdict announced in Chinese',
    describe: () => liveText(page) });
}

// ------------------------------------------------------------ transcript

export async function testTranscriptOpensCopiesAndCloses(t) {
  const { page, errors } = await openApp(t, '?seed=31&lang=en',
    { permissions: ['clipboard-read', 'clipboard-write'] });
  const s = await handshakeByKeyboard(t, page);
  await key(page, 't');
  await poll(() => page.evaluate(() => document.getElementById('transcript').open), { what: 'the transcript dialog' });
  const text = await page.evaluate(() => document.getElementById('transcript-text').value);
  t.log(text.split('\n').slice(0, 6).join(' | '));
  for (const x of s.sent) t.assert.ok(text.includes(x.label), `the transcript has ${x.label}`);
  t.assert.match(text, /^\d+\.\d{3} s {2}The server's state changes: CLOSED -> LISTEN/m, 'lines carry their time');
  t.assert.equal(await page.evaluate(() => document.activeElement.id), 'transcript-text',
    'the keyboard is in the transcript');
  await t.screenshot(page, t.artifacts, 'a11y-transcript-1024x640');
  await page.click('#transcript-copy');
  await poll(() => page.evaluate(() => document.getElementById('transcript-status').textContent === 'Copied.'),
    { what: 'the Copied status' });
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  t.assert.equal(clip, text, 'Copy puts the whole transcript on the clipboard');
  await page.keyboard.press('Escape');
  await poll(() => page.evaluate(() => !document.getElementById('transcript').open), { what: 'closed by Escape' });
  t.assert.equal(await page.evaluate(() => document.activeElement.id), 'canvas', 'the focus goes back to the canvas');
  // Again, by the toolbar button, in Chinese; Close closes it.
  await page.goto(new URL('index.html?seed=31&lang=zh&lesson=handshake', t.url).href);
  await t.waitForStatus(page);
  await waitFor(page, (x) => x.lang === 'zh' && x.mode === 'lesson', 'the lesson in Chinese');
  const r = (await hooks(page))['toolbar.transcript'];
  await page.mouse.click(r[0] + r[2] / 2, r[1] + r[3] / 2);
  await poll(() => page.evaluate(() => document.getElementById('transcript').open), { what: 'the transcript dialog' });
  const zh = await page.evaluate(() => ({ title: document.getElementById('transcript-title').textContent,
    text: document.getElementById('transcript-text').value }));
  t.assert.equal(zh.title, '文字记录');
  t.assert.match(zh.text, /课程：/, 'the lesson and its narration are in the transcript');
  await page.click('#transcript-close');
  await poll(() => page.evaluate(() => !document.getElementById('transcript').open), { what: 'closed by Close' });
  t.assert.deepEqual(errors, [], 'no console errors');
}

// ------------------------------------------------------------ text size

// Every widget within the canvas's width (the page's column scrolls down,
// never sideways); those above the fold entirely on screen.
function insideCanvas(t, all, viewport, names) {
  for (const n of names) {
    const r = all[n];
    t.assert.ok(r, `hook ${n} drawn`);
    t.assert.ok(r[0] >= 0 && r[0] + r[2] <= viewport.width + 0.5, `${n} ${JSON.stringify(r)} within the ${viewport.width} px width`);
    if (r[1] < viewport.height) {
      t.assert.ok(r[1] >= 0 && r[1] + r[3] <= viewport.height + 0.5 || r[1] + r[3] > viewport.height - 2,
        `${n} ${JSON.stringify(r)} inside the ${viewport.width}x${viewport.height} canvas`);
    }
  }
}

// Panels (hooked rectangles) that must not overlap.
function noOverlap(t, all, names) {
  const rs = names.filter((n) => all[n]).map((n) => [n, all[n]]);
  for (let i = 0; i < rs.length; i++) {
    for (let j = i + 1; j < rs.length; j++) {
      const [a, ra] = rs[i];
      const [b, rb] = rs[j];
      const apart = ra[0] + ra[2] <= rb[0] + 0.5 || rb[0] + rb[2] <= ra[0] + 0.5 ||
                    ra[1] + ra[3] <= rb[1] + 0.5 || rb[1] + rb[3] <= ra[1] + 0.5;
      t.assert.ok(apart, `${a} ${JSON.stringify(ra)} overlaps ${b} ${JSON.stringify(rb)}`);
    }
  }
}

export async function testTextSizeGrowsAndIsKept(t) {
  const { page, errors, viewport } = await openApp(t, '?seed=41&lang=en');
  const before = (await hooks(page))['toolbar.lessons'];
  await page.focus('#canvas');
  for (let i = 0; i < 3; i++) await key(page, '+');  // 1.15, 1.3, 1.5
  await sleep(300);
  await settle(page);
  const all = await hooks(page);
  const after = all['toolbar.lessons'];
  t.log(`Lessons button ${before[3]} px -> ${after[3]} px high`);
  t.assert.ok(after[3] >= before[3] * 1.4, `text 1.5x: the button grew from ${before[3]} to ${after[3]} px`);
  t.assert.equal(await page.evaluate(() => localStorage.getItem('tcplab.textSize.v1')), '1.50');
  insideCanvas(t, all, viewport, ['toolbar.lessons', 'toolbar.lang', 'toolbar.help', 'A.state', 'B.state',
    'A.listen', 'A.connect', 'B.listen', 'B.abort', 'ladder']);
  noOverlap(t, all, ['A.state', 'B.state', 'ladder', 'diagram']);
  noOverlap(t, all, ['A.listen', 'A.connect', 'B.listen', 'B.connect', 'ladder']);
  await t.screenshot(page, t.artifacts, 'a11y-text-1.5x-1024x640');
  // Kept across a reload; A- makes it smaller again.
  await page.reload();
  await t.waitForStatus(page);
  await t.waitForFrames(page, 2);
  await settle(page);
  const again = (await hooks(page))['toolbar.lessons'];
  t.assert.ok(Math.abs(again[3] - after[3]) < 1, 'the text size survives a reload');
  const smaller = (await hooks(page))['toolbar.text_smaller'];
  await page.mouse.click(smaller[0] + smaller[2] / 2, smaller[1] + smaller[3] / 2);
  await poll(() => page.evaluate(() => localStorage.getItem('tcplab.textSize.v1') === '1.30'), { what: 'A- to 1.3' });
  // In a lesson at 1.5x, in Chinese: the lesson panel's controls inside the canvas.
  await page.goto(new URL('index.html?seed=41&lang=zh&lesson=handshake&textSize=1.5', t.url).href);
  await t.waitForStatus(page);
  await waitFor(page, (x) => x.lang === 'zh' && x.mode === 'lesson', 'the lesson in Chinese');
  await sleep(300);
  await settle(page);
  insideCanvas(t, await hooks(page), viewport, ['toolbar.lessons', 'lesson.continue', 'A.state', 'B.state']);
  await t.screenshot(page, t.artifacts, 'a11y-text-1.5x-zh-lesson-1024x640');
  t.assert.deepEqual(errors, [], 'no console errors');
}

// ------------------------------------------------------------ touch, phones

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true };

// Drags a finger on the canvas from (x, y) by dy (CSS px), through CDP.
async function drag(page, cdp, x, y, dy) {
  const steps = 8;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + (dy * i) / steps }] });
    await sleep(20);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await sleep(100);
  await settle(page);
}

// Taps the hooked widget `name`, dragging the page's column until it is in
// view first.
export async function tap(t, page, cdp, viewport, name) {
  for (let i = 0; i < 20; i++) {
    const r = (await hooks(page))[name];
    if (r && r[1] >= 0 && r[1] + r[3] <= viewport.height) {
      const before = await frames(page);
      await page.touchscreen.tap(r[0] + r[2] / 2, r[1] + r[3] / 2);
      await poll(async () => (await frames(page)) >= before + 2, { timeout: 5000, what: `frames after tapping ${name}` });
      await settle(page);
      return r;
    }
    // Drag the page: a panel under the finger scrolls first, then the column.
    const up = !r || r[1] + r[3] > viewport.height;
    await drag(page, cdp, viewport.width / 2, up ? viewport.height * 0.7 : viewport.height * 0.3, up ? -300 : 300);
  }
  return t.assert.fail(`${name} never came into view by dragging`);
}

export async function testTouchHandshakeAndDropOnAPhone(t) {
  const { page, errors, context, viewport } = await openApp(t, '?seed=51&lang=en', PHONE);
  const cdp = await context.newCDPSession(page);
  await tap(t, page, cdp, viewport, 'B.listen');
  await waitFor(page, (s) => s.B === 'LISTEN', 'the server LISTENs after a tap');
  await tap(t, page, cdp, viewport, 'A.connect');
  const s = await waitFor(page, (x) => x.A === 'ESTABLISHED' && x.B === 'ESTABLISHED' && x.in_flight.length === 0,
    'both ESTABLISHED after two taps');
  t.assert.deepEqual(s.sent.map((x) => x.label.split(' ')[0]), ['SYN', 'SYN,ACK', 'ACK'], 'the three-way handshake');
  await t.screenshot(page, t.artifacts, 'a11y-phone-handshake-390x844');
  // Pause, send data, scroll to the ladder and tap the segment to drop it.
  await tap(t, page, cdp, viewport, 'toolbar.play');
  await waitFor(page, (x) => !x.playing, 'paused by a tap');
  await tap(t, page, cdp, viewport, 'A.send');
  const inFlight = await waitFor(page, (x) => x.in_flight.length === 1, 'the data segment in flight');
  await tap(t, page, cdp, viewport, `ladder.seg.${inFlight.in_flight[0].id}`);
  await waitFor(page, (x) => x.in_flight.length === 0, 'the segment dropped by a tap');
  t.assert.match(await liveText(page), /dropped/i, 'the drop is announced');
  await t.screenshot(page, t.artifacts, 'a11y-phone-dropped-390x844');
  t.assert.deepEqual(errors, [], 'no console errors');
}

// The one-column layout of a phone: every panel full width, nothing beside
// the canvas, text not shrunk; screenshots to look at.
export async function testNarrowLayoutOnAPhone(t) {
  for (const [lang, query] of [['en', ''], ['zh', ''], ['en', '&lesson=handshake'], ['zh', '&lesson=handshake']]) {
    const { page, errors, viewport } = await openApp(t, `?seed=61&lang=${lang}${query}`, { ...PHONE, lang });
    await sleep(300);
    await settle(page);
    const all = await hooks(page);
    const w = viewport.width;
    for (const n of ['toolbar.lessons', 'toolbar.lang', 'toolbar.help', 'A.state', 'B.state', 'A.listen', 'B.abort', 'ladder']) {
      const r = all[n];
      t.assert.ok(r, `${n} drawn`);
      t.assert.ok(r[0] >= 0 && r[0] + r[2] <= w + 0.5, `${n} ${JSON.stringify(r)} within the ${w} px width`);
    }
    // Stacked: the panels do not share rows with the ladder.
    t.assert.ok(all['B.state'][1] > all['A.state'][1] || all['B.state'][0] > all['A.state'][0], 'client before server');
    t.assert.ok(all.ladder[2] >= w * 0.9, `the ladder takes the full width (${all.ladder[2]} px)`);
    noOverlap(t, all, ['A.listen', 'A.connect', 'A.abort', 'B.listen', 'B.connect', 'B.abort', 'ladder', 'lesson.prompt']);
    // Text stays readable: a button is at least 14 px of text plus padding.
    t.assert.ok(all['toolbar.lessons'][3] >= 20, `toolbar buttons ${all['toolbar.lessons'][3]} px high`);
    if (query) t.assert.ok(all['lesson.continue'] || all['lesson.prompt'], 'the lesson panel is on screen first');
    await t.screenshot(page, t.artifacts, `a11y-phone-${lang}${query ? '-lesson' : ''}-390x844`);
    t.assert.deepEqual(errors, [], 'no console errors');
  }
}

// A lesson on a phone, by taps only: Continue, the act (Listen on the
// server), a state question, a multiple-choice question and a number typed
// on the canvas's keypad.
export async function testTouchAnswersALessonOnAPhone(t) {
  const { page, errors, context, viewport } = await openApp(t, '?seed=52&lang=en&lesson=handshake', PHONE);
  const cdp = await context.newCDPSession(page);
  let s = await waitFor(page, (x) => x.mode === 'lesson', 'the lesson');
  const did = [];
  for (let guard = 0; guard < 14 && !did.some((d) => d.startsWith('number')); guard++) {
    const step = s.lesson.step;
    const q = s.question;
    if (!q) {
      await tap(t, page, cdp, viewport, 'lesson.continue');
      did.push('continue');
    } else if (q.kind === 'act') {
      await tap(t, page, cdp, viewport, 'B.listen');
      did.push('act');
    } else if (q.kind === 'state') {
      await tap(t, page, cdp, viewport, `lesson.state.${q.answer}`);
      did.push(`state ${q.answer}`);
    } else if (q.kind === 'choose') {
      for (const i of q.correct) await tap(t, page, cdp, viewport, `lesson.choice.${i}`);
      await tap(t, page, cdp, viewport, 'lesson.check');
      did.push(`choose ${q.correct.join(',')}`);
    } else if (q.kind === 'number') {
      // The canvas's keypad: a phone shows no keyboard for it. A wrong digit
      // first, deleted, to try the keypad's Delete too.
      await tap(t, page, cdp, viewport, 'lesson.key.clear');
      await tap(t, page, cdp, viewport, 'lesson.key.7');
      await tap(t, page, cdp, viewport, 'lesson.key.back');
      for (const d of q.answer) await tap(t, page, cdp, viewport, `lesson.key.${d}`);
      await tap(t, page, cdp, viewport, 'lesson.check');
      did.push(`number ${q.answer}`);
    } else {
      throw new Error(`unexpected question ${q.kind} before the first number`);
    }
    s = await waitFor(page, (x) => x.lesson.step > step, `the step after ${did[did.length - 1]}`);
  }
  t.log(did.join(' | '));
  t.assert.ok(did.some((d) => d.startsWith('state')) && did.some((d) => d.startsWith('choose')) &&
    did.some((d) => d.startsWith('number')), `a state, a choice and a number answered by taps: ${did.join(', ')}`);
  t.assert.ok(s.lesson.points >= 4, `points after four right answers: ${s.lesson.points}`);
  await t.screenshot(page, t.artifacts, 'a11y-phone-lesson-tapped-390x844');
  t.assert.deepEqual(errors, [], 'no console errors');
}
