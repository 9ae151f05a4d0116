// Exam papers exported from the page: at the end of a lesson, "Export
// paper" / "导出试卷" downloads this run's ladder as SVG (seq, ack and states
// blank, numbered) and its answer key as text, the same paper as
// `tcplab-lesson export --svg OUT --blank seq,ack,state` (lessons/
// lesson_export.cpp). The SVG is parsed by the browser's XML parser, its
// blanks must be blank, and the key must match the segments this run sent.
// The button and its text fit at the five sizes in both languages.
// Screenshots: artifacts/paper-*.png.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { poll } from './lesson-helpers.mjs';
import { click, openApp, visibleRect } from './lessons.mjs';
import { SIZES, checkScreen, openAt } from './screen.mjs';

const T = (en, zh) => ({ en, zh });

// A whole conversation (handshake, data both ways, a close with data after
// the first FIN, TIME-WAIT), told in one narration: the end comes at once.
export const PAPER_LESSON = {
  id: 'paper-test', version: 1,
  title: T('A paper of one run', '一次运行的试卷'), summary: T('Export', '导出'),
  steps: [
    { do: [
      { app: 'B', call: 'open_passive' }, { app: 'A', call: 'open_active' },
      { deliver: 'A->B', which: 'next' }, { deliver: 'B->A', which: 'next' }, { deliver: 'A->B', which: 'next' },
      { app: 'A', call: 'send', bytes: 200 }, { deliver: 'A->B', which: 'next' }, { deliver: 'B->A', which: 'next' },
      { app: 'A', call: 'close' }, { deliver: 'A->B', which: 'next' }, { deliver: 'B->A', which: 'next' },
      { app: 'B', call: 'send', bytes: 100 }, { deliver: 'B->A', which: 'next' }, { deliver: 'A->B', which: 'next' },
      { app: 'B', call: 'close' }, { deliver: 'B->A', which: 'next' }, { deliver: 'A->B', which: 'next' },
    ], say: T('A whole connection, from the first SYN to TIME-WAIT.', '一次完整的连接，从第一个 SYN 到 TIME-WAIT。') },
    { ask: { id: 'last', kind: 'state', host: 'A', expect: 'TIME-WAIT',
      prompt: T('Which state is the client in?', '客户端处于什么状态？'), hint: T('It closed first.', '它先关闭。'),
      explain: T('The host that closed first waits 2MSL.', '先关闭的一方等待 2MSL。') } },
  ],
};

const STATE_NAMES = /\b(CLOSED|LISTEN|SYN-SENT|SYN-RECEIVED|ESTABLISHED|FIN-WAIT-1|FIN-WAIT-2|CLOSE-WAIT|CLOSING|LAST-ACK|TIME-WAIT)\b/;

async function openPaperLesson(t, lang, seed, size = null) {
  t.server.override('/paper.json', { status: 200, body: JSON.stringify(PAPER_LESSON),
    headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  const query = `?lessonUrl=paper.json&lang=${lang}&seed=${seed}`;
  const L = size ? await openAt(t, size, query, lang) : await openApp(t, query, { lang });
  await L.waitFor((s) => s.mode === 'lesson' && s.lesson && s.lesson.id === 'paper-test', 'the paper lesson opened');
  return L;
}

// Continue, then the one question answered: the lesson's end. The paper is
// not offered before (its key answers the lesson's questions).
async function toTheEnd(L) {
  await click(L, 'lesson.continue');
  const s = await L.waitFor((x) => x.question && x.question.id === 'last', 'the question');
  L.t.assert.ok(!(await L.hooks())['lesson.paper'], 'no paper while a question is asked');
  await click(L, `lesson.state.${s.question.answer}`);
  const end = await L.waitFor((x) => x.lesson.finished, 'the end of the lesson');
  // The states when the conversation ended (the page's clock may run on).
  return { ...end, A: s.A, B: s.B };
}

// Parses the SVG with the browser's XML parser: the texts drawn, in order,
// or the parser's error.
function parseSvg(page, svg) {
  return page.evaluate((src) => {
    const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
    const err = doc.getElementsByTagName('parsererror')[0];
    if (err) return { error: err.textContent };
    return { root: doc.documentElement.nodeName, texts: [...doc.getElementsByTagName('text')].map((e) => e.textContent) };
  }, svg);
}

// One line of the key: "(3) row 2 ack = 1001" / "(3) 第 2 行 ack = 1001".
const KEY_LINE = {
  en: /^\((\d+)\) row (\d+) (seq|ack|flags|state of A|state of B) = (.+)$/,
  zh: /^\((\d+)\) 第 (\d+) 行 (seq|ack|标志位|A 的状态|B 的状态) = (.+)$/,
};
const FIELD = { 'state of A': 'A', 'A 的状态': 'A', 'state of B': 'B', 'B 的状态': 'B', 标志位: 'flags' };

async function exportPaper(t, lang) {
  const seed = lang === 'en' ? 7101 : 7102;
  const L = await openPaperLesson(t, lang, seed);
  const end = await toTheEnd(L);
  const downloads = [];
  L.page.on('download', (d) => downloads.push(d));
  await click(L, 'lesson.paper');
  await poll(() => downloads.length >= 2, { timeout: 15000, what: 'two downloads: the paper and its key' });
  const files = {};
  for (const d of downloads) {
    const file = path.join(t.artifacts, `${lang}-${d.suggestedFilename()}`);
    await d.saveAs(file);
    files[d.suggestedFilename()] = await readFile(file, 'utf8');
  }
  const base = `tcplab-paper-test-seed${seed}-paper`;
  t.assert.deepEqual(Object.keys(files).sort(), [`${base}.key.txt`, `${base}.svg`], 'the paper and its key, named by the run');
  const svg = files[`${base}.svg`];
  const key = files[`${base}.key.txt`].trim().split('\n');

  // Well-formed: the browser's XML parser reads it.
  const parsed = await parseSvg(L.page, svg);
  t.assert.equal(parsed.error, undefined, `the SVG parses: ${parsed.error}`);
  t.assert.equal(parsed.root, 'svg');
  t.assert.ok(parsed.texts[0].includes(PAPER_LESSON.title[lang]), `the title in ${lang}: ${parsed.texts[0]}`);
  t.assert.ok(parsed.texts[0].includes(String(seed)), 'the seed on the paper');

  // The key: one line per blank, each matching the run's segments.
  t.assert.match(key[0], lang === 'en' ? new RegExp(`^Answer key \\(seed ${seed}\\)$`) : new RegExp(`^答案（种子 ${seed}）$`));
  const sent = end.sent;
  t.assert.equal(sent.length, 11, 'the run sent 11 segments, all delivered');
  const entries = key.slice(1).map((line) => {
    const m = KEY_LINE[lang].exec(line);
    t.assert.ok(m, `a key line: ${line}`);
    return { n: Number(m[1]), row: Number(m[2]) - 1, field: FIELD[m[3]] ?? m[3], answer: m[4] };
  });
  t.assert.deepEqual(entries.map((e) => e.n), entries.map((_, i) => i + 1), 'blanks numbered 1, 2, 3, ...');
  const last = { A: null, B: null };
  for (const e of entries) {
    t.assert.ok(e.field !== 'flags', 'flags are given, not blank');
    if (e.field === 'seq' || e.field === 'ack') {
      t.assert.ok(sent[e.row].label.split(' ').includes(`${e.field}=${e.answer}`),
        `(${e.n}) row ${e.row + 1} ${e.field} = ${e.answer}: the run sent ${sent[e.row].label}`);
    } else {
      t.assert.match(e.answer, STATE_NAMES, `(${e.n}) a state`);
      last[e.field] = e.answer;
    }
  }
  t.assert.equal(entries.filter((e) => e.field === 'seq').length, sent.length - 2, 'every seq blank but the two ISNs');
  t.assert.equal(entries.filter((e) => e.field === 'ack').length, sent.filter((x) => /ack=/.test(x.label)).length,
    'every ack blank');
  t.assert.deepEqual(last, { A: end.A, B: end.B }, 'the last states in the key are the run\'s states at its end');

  // The blanks are blank: each number once as (n)____, no ack, no state,
  // and only the two ISNs as seq.
  const all = parsed.texts.join('\n');
  for (const e of entries) t.assert.equal(all.split(`(${e.n})____`).length - 1, 1, `blank (${e.n}) drawn once`);
  t.assert.equal((all.match(/____/g) ?? []).length, entries.length, 'as many blanks as key lines');
  t.assert.doesNotMatch(all, /ack=\d/, 'no ack number on the paper');
  t.assert.doesNotMatch(all, STATE_NAMES, 'no state on the paper');
  const isns = [sent.find((x) => x.from === 'A'), sent.find((x) => x.from === 'B')].map((x) => /seq=(\d+)/.exec(x.label)[1]);
  t.assert.deepEqual([...all.matchAll(/seq=(\d+)/g)].map((m) => m[1]), isns, 'each host\'s ISN given, no other seq');
  await L.screenshot(`paper-${lang}-end-1024x640`);
  t.assert.deepEqual(L.errors, [], 'no console errors or page errors');
}

export async function testPaperExportedFromThePageEn(t) { await exportPaper(t, 'en'); }
export async function testPaperExportedFromThePageZh(t) { await exportPaper(t, 'zh'); }

// The end of the lesson with its Export paper button: every text run inside
// its panel at the five sizes.
async function fits(t, lang) {
  const problems = [];
  for (const size of SIZES) {
    const L = await openPaperLesson(t, lang, 7200, size);
    await L.setPainting(false);  // text only: painted for screenshots (Lesson.painted)
    const tag = `${size.name}-${lang}`;
    await toTheEnd(L);
    await visibleRect(L, 'lesson.paper');
    await checkScreen(L, `${tag} lesson end`, problems);
    await L.screenshot(`paper-${tag}-end`);
    t.assert.deepEqual(L.errors, [], `${tag}: no console errors or page errors`);
    await (L.top ?? L.page).context().close();
  }
  t.assert.equal(problems.length, 0, `${problems.length} problem(s):\n  ${problems.slice(0, 30).join('\n  ')}`);
}

function named(fn, ms) {
  fn.timeoutMs = ms;
  return fn;
}

export const testPaperButtonFitsAtFiveSizesEn = named((t) => fits(t, 'en'), 300000);
export const testPaperButtonFitsAtFiveSizesZh = named((t) => fits(t, 'zh'), 300000);
