#!/usr/bin/env node
// Browser end-to-end tests of the built page, in Debian's headless Chromium.
//
//   node tests/browser/run.mjs [--dist DIR] [--filter TEXT] [--list]
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

function parseArgs(argv) {
  const args = { dist: process.env.TCPLAB_DIST ?? path.join(ROOT, 'dist-test'), filter: '', list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dist') args.dist = path.resolve(argv[++i]);
    else if (a === '--filter') args.filter = argv[++i];
    else if (a === '--list') args.list = true;
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return args;
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
      if (filter && !id.includes(filter)) continue;
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
    console.log('usage: node tests/browser/run.mjs [--dist DIR] [--filter TEXT] [--list]');
    return 0;
  }
  const tests = await collectTests(args.filter);
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
      await withTimeout(test.fn(t), test.fn.timeoutMs ?? TEST_TIMEOUT_MS, test.id);
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
