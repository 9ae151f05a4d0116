#!/usr/bin/env node
// Writes the SCORM packages of the built page (README: Using tcplab in an LMS):
//
//   node web/scorm-package.mjs --dist DIR --lessons DIR --out DIR [--python python3]
//
// <out>/tcplab-course-<lang>-scorm<12|2004>.zip: every built-in lesson as an
// SCO of one course (English and Chinese); <out>/lessons/<id>-scorm<12|2004>.zip:
// one lesson each, in the learner's browser language. Locked (assessment
// mode), per-learner numbers, mastery score 80. The manifests come from
// web/scorm-manifest.mjs (the course builder page uses the same); the zips
// from web/scorm_zip.py.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PAGE_FILES, buildManifest, launchParameters } from './scorm-manifest.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MASTERY = 80;
const VERSIONS = [['1.2', 'scorm12'], ['2004', 'scorm2004']];
const COURSE_TITLE = { en: 'tcplab: TCP connection management', zh: 'tcplab：TCP 连接管理' };

function args(argv) {
  const a = { python: 'python3' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    if (!['dist', 'lessons', 'out', 'python'].includes(k) || argv[i + 1] === undefined) {
      throw new Error(`unknown or incomplete argument ${argv[i]} (see the header of scorm-package.mjs)`);
    }
    a[k] = argv[i + 1];
  }
  for (const k of ['dist', 'lessons', 'out']) if (!a[k]) throw new Error(`--${k} is required`);
  return a;
}

// The built-in lessons in course order: id, order, title in both languages.
function lessons(dir) {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const l = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    return { id: l.id, order: l.order ?? 0, title: l.title };
  }).sort((x, y) => x.order - y.order || x.id.localeCompare(y.id));
}

function writePackage(a, zipPath, manifest) {
  const stage = zipPath + '.d';
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const f of PAGE_FILES) {
    const from = path.join(a.dist, f);
    if (!existsSync(from)) throw new Error(`${from} is missing: build the page first`);
    copyFileSync(from, path.join(stage, f));
  }
  writeFileSync(path.join(stage, 'imsmanifest.xml'), manifest);
  execFileSync(a.python, [path.join(HERE, 'scorm_zip.py'), zipPath, stage], { stdio: 'inherit' });
  rmSync(stage, { recursive: true, force: true });
}

function main() {
  const a = args(process.argv.slice(2));
  const all = lessons(a.lessons);
  mkdirSync(path.join(a.out, 'lessons'), { recursive: true });
  const files = ['imsmanifest.xml', ...PAGE_FILES];
  let count = 0;
  for (const [version, tag] of VERSIONS) {
    for (const lang of ['en', 'zh']) {
      const items = all.map((l) => ({
        id: l.id, title: l.title[lang], mastery: MASTERY,
        parameters: launchParameters(version, { lesson: l.id, lang, mastery: MASTERY, seedPolicy: 'learner' }),
      }));
      const manifest = buildManifest({ version, identifier: `tcplab-course-${lang}-${tag}`,
        title: COURSE_TITLE[lang], items, files });
      writePackage(a, path.join(a.out, `tcplab-course-${lang}-${tag}.zip`), manifest);
      count++;
    }
    for (const l of all) {
      const title = `${l.title.en} · ${l.title.zh}`;
      const items = [{ id: l.id, title, mastery: MASTERY,
        parameters: launchParameters(version, { lesson: l.id, lang: '', mastery: MASTERY, seedPolicy: 'learner' }) }];
      const manifest = buildManifest({ version, identifier: `tcplab-${l.id}-${tag}`, title, items, files });
      writePackage(a, path.join(a.out, 'lessons', `${l.id}-${tag}.zip`), manifest);
      count++;
    }
  }
  // The course builder page's list of built-in lessons.
  writeFileSync(path.join(a.dist, 'course-lessons.json'), JSON.stringify(all) + '\n');
  console.log(`scorm-package: ${count} packages in ${a.out}, course-lessons.json in ${a.dist}`);
}

try {
  main();
} catch (e) {
  console.error(`scorm-package: ${e.message}`);
  process.exit(1);
}
