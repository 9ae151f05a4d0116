// What the learner can read, from the page's text probe
// (Module._tcplab_test_text): the runs of text drawn in a frame, the ones
// cut by their panel, and what gives a question's answer away.
import { poll } from '../tests/lesson-helpers.mjs';

// The text runs of a freshly drawn frame.
export async function textRuns(L) {
  const frames = () => L.page.evaluate(() => window.Module._tcplab_rendered_frames());
  await L.page.evaluate(() => window.Module._tcplab_test_text());
  const before = await frames();
  // An idle app draws one frame per wake-up: wake it until two were drawn.
  await poll(async () => {
    await L.page.evaluate(() => window.Module._tcplab_wake());
    return (await frames()) >= before + 2;
  }, { timeout: 5000, what: 'two frames for the text probe' });
  return L.page.evaluate(() => JSON.parse(window.Module.UTF8ToString(window.Module._tcplab_test_text())));
}

// The runs a learner cannot read whole: crossing their clip rectangle
// sideways, or up or down where nothing scrolls. Runs scrolled wholly out
// of view are not on screen and not counted.
export function cutRuns(runs, tol = 1) {
  const cut = [];
  for (const r of runs) {
    if (!r.text.trim() || r.window.startsWith('Debug##')) continue;  // ImGui's implicit window, never shown
    const [x, y, w, h] = r.rect;
    const [x0, y0, x1, y1] = r.clip;
    if (x1 <= x0 || y1 <= y0) continue;
    if (y + h <= y0 || y >= y1) continue;
    const sideways = x < x0 - tol || x + w > x1 + tol;
    const vertical = !r.scrolls && (y < y0 - tol || y + h > y1 + tol);
    if (sideways || vertical) cut.push({ ...r, how: sideways ? 'sideways' : 'vertically' });
  }
  return cut;
}


const HOST_COLOUR = { A: [0x00, 0x5f, 0xcc], B: [0xb2, 0x50, 0x00] };
export const HOST_WINDOW = { A: 'host_a', B: 'host_b' };
export const STATE_NAMES = ['CLOSED', 'LISTEN', 'SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2',
  'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT'];
const SHORT = { 'SYN-RECEIVED': 'SYN-RCVD', ESTABLISHED: 'ESTAB' };

export function inWindow(r, name) { return r.window.split('/').some((part) => part.startsWith(name)); }

// What gives the answer away on the screen now; [] when nothing does.
export async function leaks(L, q) {
  const runs = await textRuns(L);
  const found = [];
  if (q.kind === 'state') {
    const names = [q.answer, SHORT[q.answer]].filter(Boolean);
    for (const r of runs) {
      if (inWindow(r, HOST_WINDOW[q.host]) && (names.includes(r.text) || /netstat:/.test(r.text))) {
        found.push(`host panel shows ${JSON.stringify(r.text)}`);
      }
    }
    // The compact layout's state strip: "[C] Client: SYN-SENT".
    const strip = q.host === 'A' ? '[C] ' : '(S) ';
    for (const r of runs) {
      if (r.text.startsWith(strip) && names.some((n) => r.text.endsWith(`: ${n}`))) found.push(`state strip shows ${r.text}`);
    }
    // The ladder's newest state note on the asked host's side.
    const ladder = runs.filter((r) => inWindow(r, 'ladder') && (STATE_NAMES.includes(r.text) ||
      Object.values(SHORT).includes(r.text) || r.text === '?'));
    if (ladder.length) {
      const xs = ladder.map((r) => r.rect[0]);
      const mid = (Math.min(...xs) + Math.max(...xs)) / 2;
      const side = ladder.filter((r) => (q.host === 'A' ? r.rect[0] < mid : r.rect[0] > mid));
      const newest = side.sort((a, b) => b.rect[1] - a.rect[1])[0];
      if (newest && names.includes(newest.text)) found.push(`ladder's newest ${q.host} state is ${newest.text}`);
    }
    const box = (await L.hooks())[`diagram.${q.answer}`];
    if (box) {
      const n = await L.countColours(box, { host: HOST_COLOUR[q.host] });
      if (n.host > 40) found.push(`diagram box ${q.answer} carries ${q.host}'s colour (${n.host} px)`);
    }
  }
  if (q.kind === 'number') {
    // The asked segment's label with its real numbers (other segments may
    // carry the same number: working it out from them is the exercise).
    if (q.segment) {
      for (const r of runs) if (r.text.split('\n').join(' ').includes(q.segment)) found.push(`ladder shows ${q.segment}`);
    }
    // A variable or a predicted reply: the host's panel shows no such number.
    for (const r of runs) {
      if (inWindow(r, HOST_WINDOW[q.host]) && r.text.trim() === String(q.answer)) found.push(`host panel shows ${r.text}`);
    }
  }
  return found;
}

