#!/usr/bin/env node
// Browser end-to-end tests of the built page, in Debian's headless Chromium.
//
//   node tests/browser/run.mjs [--dist DIR] [--filter TEXT] [--list]
//                              [--jobs N | --shard K/N]
//
// --filter takes a regular expression over "file: testName" (a plain word
// matches as a substring).
// --jobs N runs the tests in N processes (each its own server and browser,
// so no state is shared), shard K/N taking every N-th test from the K-th;
// their lines are printed as they come, prefixed [K/N], then one summary.
// The default is TCPLAB_BROWSER_JOBS or 1.
//
// Serves DIR (default: dist-test/ at the top of the repo: the page with the
// current answer in its state hook; t.prodDist is dist/, the page as hosted) on a
// free loopback port,
// launches /usr/bin/chromium once, and runs every test in tests/*.mjs: each
// file's exported async functions whose names start with `test`, in file
// order, each given a fresh browser context through `t.open()`. Screenshots
// go to tests/browser/artifacts/. Ends with "N passed, N failed" and exits
// non-zero when a test failed (2 when the run could not start).
//
// A test:  export async function testSomething(t) {
//            const { page, errors } = await t.open('index.html');
//            t.assert.equal(await page.title(), '...');
//          }
// t: browser, server ({ url, port, setHeaders, override, reset }), url, dist,
//    artifacts, assert (node:assert/strict), open(path, options) (see
//    lib/harness.mjs openPage), startServer(options) (another server, closed
//    after the test), log(...), plus the helpers of lib/harness.mjs.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as harness from './lib/harness.mjs';
import { startServer } from './lib/server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const TEST_TIMEOUT_MS = Number(process.env.TCPLAB_TEST_TIMEOUT_MS ?? 90000);
// Shards share the machine: each test's time limit (a guard against a hung
// test, never a measure of speed) grows with their number.
const TIMEOUT_SCALE = Number(process.env.TCPLAB_TIMEOUT_SCALE ?? 1);

function parseArgs(argv) {
  const args = { dist: process.env.TCPLAB_DIST ?? path.join(ROOT, 'dist-test'), filter: '', list: false,
                 jobs: Number(process.env.TCPLAB_BROWSER_JOBS ?? 1), shard: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dist') args.dist = path.resolve(argv[++i]);
    else if (a === '--filter') args.filter = argv[++i];
    else if (a === '--list') args.list = true;
    else if (a === '--jobs') args.jobs = Number(argv[++i]);
    else if (a === '--shard') {
      const m = /^(\d+)\/(\d+)$/.exec(argv[++i] ?? '');
      if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new Error('--shard takes K/N, 1 <= K <= N');
      args.shard = { k: Number(m[1]), n: Number(m[2]) };
    }
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(args.jobs) || args.jobs < 1 || args.jobs > 16) throw new Error('--jobs takes 1 to 16');
  return args;
}

// Runs this script once per shard, prints each line as it comes with its
// shard's prefix, and sums the shards' counts; exit 1 when any failed.
async function runShards(args, argv) {
  const { spawn } = await import('node:child_process');
  const rest = argv.filter((a, i) => a !== '--jobs' && argv[i - 1] !== '--jobs');
  const runs = [];
  for (let k = 1; k <= args.jobs; k++) {
    const tag = `[${k}/${args.jobs}] `;
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...rest, '--shard', `${k}/${args.jobs}`],
      { stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TCPLAB_BROWSER_JOBS: '1', TCPLAB_TIMEOUT_SCALE: process.env.TCPLAB_TIMEOUT_SCALE ?? String(args.jobs) } });
    const summary = { passed: 0, failed: [], code: null };
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const counts = /^(\d+) passed, (\d+) failed$/.exec(line);
        if (counts) summary.passed = Number(counts[1]);
        if (line.startsWith('FAIL  ')) summary.failed.push(line.slice(6).replace(/ \([\d.]+ s\)$/, ''));
        console.log(tag + line);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    runs.push(new Promise((resolve) => child.on('close', (code) => { summary.code = code; resolve(summary); })));
  }
  const done = await Promise.all(runs);
  const failed = done.flatMap((d) => d.failed);
  const passed = done.reduce((n, d) => n + d.passed, 0);
  console.log('');
  if (failed.length) console.log(`failed: ${failed.join(', ')}`);
  console.log(`${passed} passed, ${failed.length} failed (${args.jobs} processes)`);
  if (done.some((d) => d.code === 2) && !failed.length) return 2;
  return failed.length || done.some((d) => d.code !== 0) ? 1 : 0;
}

async function collectTests(filter) {
  const dir = path.join(HERE, 'tests');
  const files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
  const tests = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href);
    for (const [name, fn] of Object.entries(mod)) {
      if (!name.startsWith('test') || typeof fn !== 'function') continue;
      const id = `${file.replace(/\.mjs$/, '')}: ${name}`;
      if (filter && !new RegExp(filter).test(id)) continue;
      tests.push({ id, fn });
    }
  }
  return tests;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log('usage: node tests/browser/run.mjs [--dist DIR] [--filter TEXT] [--list] [--jobs N | --shard K/N]');
    return 0;
  }
  if (args.jobs > 1 && !args.shard && !args.list) return runShards(args, process.argv.slice(2));
  let tests = await collectTests(args.filter);
  if (args.shard) tests = tests.filter((_, i) => i % args.shard.n === args.shard.k - 1);
  if (args.list) {
    for (const t of tests) console.log(t.id);
    return 0;
  }
  if (!existsSync(path.join(args.dist, 'index.html'))) {
    console.error(`browser tests: no ${path.join(args.dist, 'index.html')}: build the web preset first ` +
                  '(web/serve.sh --build-only)');
    return 2;
  }
  if (!existsSync(harness.CHROMIUM)) {
    console.error(`browser tests: no Chromium at ${harness.CHROMIUM}: run web/setup.sh`);
    return 2;
  }
  if (tests.length === 0) {
    console.error('browser tests: no test matched');
    return 2;
  }

  const artifacts = path.join(HERE, 'artifacts');
  await mkdir(artifacts, { recursive: true });
  const server = await startServer({ root: args.dist });
  const browser = await harness.launchBrowser();
  console.log(`browser tests: ${tests.length} test(s), ${args.dist} at ${server.url}, ` +
              `Chromium ${browser.version()}`);

  const failures = [];
  let passed = 0;
  for (const test of tests) {
    const opened = [];
    const extraServers = [];
    const logs = [];
    const t = {
      ...harness,
      assert,
      browser,
      server,
      url: server.url,
      dist: args.dist,
      prodDist: process.env.TCPLAB_PROD_DIST ?? path.join(ROOT, 'dist'),
      artifacts,
      log: (...parts) => logs.push(parts.join(' ')),
      async open(target = '', options = {}) {
        const url = /^https?:/.test(target) ? target : new URL(target, options.baseUrl ?? server.url).href;
        const result = await harness.openPage(browser, url, options);
        opened.push(result);
        return result;
      },
      async startServer(options = {}) {
        const s = await startServer({ root: args.dist, ...options });
        extraServers.push(s);
        return s;
      },
    };
    const start = Date.now();
    try {
      await withTimeout(test.fn(t), (test.fn.timeoutMs ?? TEST_TIMEOUT_MS) * TIMEOUT_SCALE, test.id);
      passed++;
      console.log(`ok    ${test.id} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failures.push(test.id);
      console.log(`FAIL  ${test.id} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
      console.log(`      ${String(err && err.stack ? err.stack : err).split('\n').join('\n      ')}`);
      for (const line of logs) console.log(`      log: ${line}`);
      for (const [i, o] of opened.entries()) {
        for (const m of o.messages.slice(-30)) console.log(`      page ${i + 1} console: ${m}`);
      }
    } finally {
      server.reset();
      for (const o of opened) await o.context.close().catch(() => {});
      for (const s of extraServers) await s.close().catch(() => {});
    }
  }

  await browser.close();
  await server.close();
  console.log('');
  if (failures.length) console.log(`failed: ${failures.join(', ')}`);
  console.log(`${passed} passed, ${failures.length} failed`);
  return failures.length ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`browser tests: ${err && err.stack ? err.stack : err}`);
  process.exit(2);
});
