// A minimal LMS for the SCORM tests: it unzips a package, serves its files
// as an LMS's file area would (optionally .wasm as application/octet-stream),
// reads the manifest like an LMS does (the item's launch URL and mastery
// score), and hosts the SCO in an iframe under a page whose window.API
// (SCORM 1.2) or window.API_1484_11 (SCORM 2004) is scorm-again, the
// LMS-side runtime from npm. The page keeps the data model across reloads
// in localStorage, as an LMS keeps it between sessions: a reload resumes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { unzipSync } from 'fflate';

// scorm-again's package exports no package.json: its folder from here.
const AGAIN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'scorm-again');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.ttf': 'font/ttf', '.xml': 'application/xml', '.wasm': 'application/wasm',
};

// The files of a zip as { name: Uint8Array }.
export function unzip(bytes) {
  return unzipSync(new Uint8Array(bytes));
}

// What an LMS reads from imsmanifest.xml: the schema version, each item's
// identifier, title, launch (resource href + parameters) and mastery score
// (1.2: adlcp:masteryscore; 2004: the primary objective's
// minNormalizedMeasure, as a 0-100 score).
export function readManifest(xml) {
  const version = /<schemaversion>([^<]+)<\/schemaversion>/.exec(xml)?.[1];
  const resources = new Map();
  for (const m of xml.matchAll(/<resource\s[^>]*identifier="([^"]+)"[^>]*href="([^"]+)"[^>]*>/g)) {
    resources.set(m[1], { href: m[2], tag: m[0] });
  }
  const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const items = [];
  for (const m of xml.matchAll(/<item\s([^>]*)>([\s\S]*?)<\/item>/g)) {
    const attr = (name) => new RegExp(`${name}="([^"]*)"`).exec(m[1])?.[1];
    const res = resources.get(attr('identifierref'));
    const m12 = /<adlcp:masteryscore>([^<]+)<\/adlcp:masteryscore>/.exec(m[2]);
    const m2004 = /<imsss:minNormalizedMeasure>([^<]+)<\/imsss:minNormalizedMeasure>/.exec(m[2]);
    items.push({
      identifier: attr('identifier'),
      title: unescape(/<title>([^<]*)<\/title>/.exec(m[2])?.[1] ?? ''),
      href: res?.href,
      resourceTag: res?.tag,
      parameters: unescape(attr('parameters') ?? ''),
      mastery: m12 ? Number(m12[1]) : m2004 ? Number(m2004[1]) * 100 : null,
    });
  }
  return { version, items };
}

// Serves the package's files under /content/ of `server`.
export function servePackage(server, files, { wasmMime = 'application/wasm' } = {}) {
  for (const [name, bytes] of Object.entries(files)) {
    const ext = path.extname(name).toLowerCase();
    const type = ext === '.wasm' ? wasmMime : MIME[ext] ?? 'application/octet-stream';
    server.override(`/content/${name}`, { status: 200, body: Buffer.from(bytes), headers: { 'Content-Type': type } });
  }
}

// The LMS page at /lms.html and scorm-again at /lms/runtime.js.
// lms.html#<JSON {version, learner, launch, mastery}>.
export function serveLms(server, version) {
  const file = version === '1.2' ? 'scorm12.min.js' : 'scorm2004.min.js';
  server.override('/lms/runtime.js', {
    status: 200, body: readFileSync(path.join(AGAIN_DIR, 'dist', file)),
    headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
  });
  server.override('/lms.html', {
    status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0}iframe{border:0;display:block}</style>
<script src="/lms/runtime.js"></script></head><body>
<iframe id="sco" style="width:1000px;height:640px"></iframe>
<script>
const cfg = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const v12 = cfg.version === '1.2';
const KEY = 'lms.cmi.' + cfg.learner;
const saved = JSON.parse(localStorage.getItem(KEY) || 'null');
window.previous = saved;  // how the last session ended
const api = v12 ? new Scorm12API({ logLevel: 5 }) : new Scorm2004API({ logLevel: 5 });
// What an LMS hands a new session: the learner, the manifest's mastery
// score and, when the last session was suspended, its suspend data.
const resume = saved && saved.exit === 'suspend';
if (v12) {
  api.loadFromJSON({
    core: { student_id: cfg.learner, student_name: 'Learner, Test', entry: resume ? 'resume' : 'ab-initio',
            lesson_status: saved ? saved.status : 'not attempted' },
    suspend_data: resume ? saved.suspend : '',
    student_data: cfg.mastery === null ? {} : { mastery_score: String(cfg.mastery) },
  });
} else {
  api.loadFromJSON({
    learner_id: cfg.learner, learner_name: 'Learner, Test', entry: resume ? 'resume' : '',
    suspend_data: resume ? saved.suspend : '',
    scaled_passing_score: cfg.mastery === null ? '' : String(cfg.mastery / 100),
  });
}
window.sessions = (saved ? saved.sessions : 0) + 1;
window.calls = [];
// The data model as the LMS would store it, after each commit and at the end.
function snapshot(event) {
  const cmi = JSON.parse(JSON.stringify(api.cmi));
  window.cmi = cmi;
  const core = v12 ? cmi.core : cmi;
  localStorage.setItem(KEY, JSON.stringify({
    exit: v12 ? core.exit : cmi.exit, suspend: cmi.suspend_data, sessions: window.sessions,
    status: v12 ? core.lesson_status : cmi.completion_status,
  }));
  window.calls.push(event);
}
for (const e of v12 ? ['LMSCommit', 'LMSFinish'] : ['Commit', 'Terminate']) api.on(e, () => snapshot(e));
api.on(v12 ? 'LMSInitialize' : 'Initialize', () => window.calls.push('init'));
window.api = api;
if (v12) window.API = api; else window.API_1484_11 = api;
document.getElementById('sco').src = cfg.launch;
</script></body></html>`,
  });
}

// The URL of lms.html for `launch` (a path under /content/).
export function lmsUrl(base, cfg) {
  return new URL(`lms.html#${encodeURIComponent(JSON.stringify(cfg))}`, base).href;
}
