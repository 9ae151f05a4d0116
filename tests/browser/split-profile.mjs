#!/usr/bin/env node
// Records which wasm functions the lesson page's first frame runs, and
// writes them to web/first_frame_functions.txt, the list web/split_wasm.py
// keeps in index.wasm (everything else goes to index.deferred.wasm).
// web/split-profile.sh builds the instrumented page and runs this; see it.
//
//   node tests/browser/split-profile.mjs --out FILE DIR...
//
// Each DIR holds a page linked with -sSPLIT_MODULE and not split (cmake
// -DTCPLAB_SPLIT_PROFILE=ON): index.wasm is Binaryen's instrumented module,
// which notes every function it runs, and index.wasm.orig the whole module
// with names. Each entry below is opened in a fresh browser context until
// its first frame is drawn; the profiles are merged and wasm-split names the
// functions they ran. The list is the union over the DIRs (the page and the
// test page, whose hooks differ a little).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser, openPage, waitForFrames, waitForStatus } from './lib/harness.mjs';
import { startServer } from './lib/server.mjs';

// The first frames learners see: the default page on a laptop and on a
// phone, the Chinese page, a projector in presentation mode, an LMS's locked
// exam, and a URL with a bad parameter (its notice). tests/split.mjs checks
// each of them.
export const ENTRIES = [
  { query: '', viewport: { width: 1024, height: 640 } },
  { query: '', viewport: { width: 390, height: 844 }, touch: true },
  { query: '?lang=zh', viewport: { width: 390, height: 844 }, touch: true },
  { query: '?lang=zh', viewport: { width: 1366, height: 768 } },
  { query: '?present=1', viewport: { width: 1920, height: 1080 } },
  { query: '?mode=exam&role=client&lock=1', viewport: { width: 1366, height: 768 } },
  { query: '?role=nobody&lang=zh', viewport: { width: 640, height: 480 } },
];
const FEATURES = ['--enable-mutable-globals', '--enable-bulk-memory', '--enable-sign-ext'];

function arg(name) {
  const i = process.argv.indexOf(name);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing ${name} (see the header of ${process.argv[1]})`);
  return process.argv[i + 1];
}

// The instrumented module's profile, read from the page's memory.
async function profileOf(browser, url, entry) {
  const { context, page, errors } = await openPage(browser, url + entry.query, {
    viewport: entry.viewport, hasTouch: !!entry.touch, isMobile: !!entry.touch,
    // The first frame only: nothing after it may count.
    route: [['**/lessons.json', () => {}], ['**/index.deferred.wasm', () => {}]],
  });
  const status = await waitForStatus(page);
  if (status.status !== 'ready') throw new Error(`${entry.query || 'default'}: ${status.error}`);
  // The first frames: split.mjs checks the first three.
  await waitForFrames(page, 3);
  const bytes = await page.evaluate(() => {
    const exports = window.Module.asm;
    const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
    const size = 1 << 20;
    const at = window.Module._malloc(size);
    const n = exports.__write_profile(at, size);
    return Array.from(new Uint8Array(memory.buffer, at, n));
  });
  if (errors.length) throw new Error(`${entry.query || 'default'}: ${errors.join('; ')}`);
  await context.close();
  return Buffer.from(bytes);
}

// Binaryen prints names with bytes outside its id characters as \xx.
function unescape(name) {
  return name.replace(/\\([0-9a-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

// The functions the first frames of the page in `dist` ran.
async function firstFrameFunctions(browser, dist, tmp) {
  const server = await startServer({ root: dist });
  try {
    const files = [];
    for (const [i, entry] of ENTRIES.entries()) {
      const file = path.join(tmp, `${i}.prof`);
      writeFileSync(file, await profileOf(browser, `${server.url}index.html`, entry));
      files.push(file);
      console.log(`split-profile: ${dist}: ${entry.query || '(default)'} at ${entry.viewport.width}x${entry.viewport.height}`);
    }
    const merged = path.join(tmp, 'merged.prof');
    execFileSync('wasm-split', ['--merge-profiles', ...files, '-o', merged]);
    const report = execFileSync('wasm-split', [path.join(dist, 'index.wasm.orig'), ...FEATURES,
      `--profile=${merged}`, '-o1', path.join(tmp, 'a.wasm'), '-o2', path.join(tmp, 'b.wasm'), '-v'],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
    const line = report.split('\n').find((l) => l.startsWith('Keeping functions: '));
    if (!line) throw new Error(`wasm-split named no kept functions for ${dist}`);
    return line.slice('Keeping functions: '.length).split(', ')
      .map((n) => unescape(n.trim()).replace(/( \(\.\d+\)|\.\d+)$/, ''));
  } finally {
    await server.close();
  }
}

async function main() {
  const out = path.resolve(arg('--out'));
  const dists = process.argv.slice(2).filter((a, i, all) => a !== '--out' && all[i - 1] !== '--out');
  if (!dists.length) throw new Error('no page folder given');
  const tmp = mkdtempSync(path.join(tmpdir(), 'tcplab-split-'));
  const browser = await launchBrowser();
  try {
    const names = new Set();
    for (const dist of dists) {
      for (const n of await firstFrameFunctions(browser, path.resolve(dist), tmp)) names.add(n);
    }
    const sorted = [...names].sort();
    writeFileSync(out, '# What the lesson page\'s first frame runs (web/split_wasm.py keeps these in\n' +
      '# index.wasm). Written by web/split-profile.sh; do not edit by hand.\n' + sorted.join('\n') + '\n');
    console.log(`split-profile: ${sorted.length} functions -> ${out}`);
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((e) => {
    console.error(`split-profile: ${e.message}`);
    process.exit(1);
  });
}
