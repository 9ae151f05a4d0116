// The course builder page (course-builder.html): an instructor picks
// lessons (built-in, and author lessons by URL), the language, the mastery
// score, the seed policy and SCORM version, then downloads a SCORM package
// zipped here in the browser (fflate, copied into dist/vendor/ by the build)
// or copies iframe snippets. The manifest comes from scorm-manifest.mjs,
// the same code as the build's packages.
import { zipSync } from './vendor/fflate.mjs';
import { PAGE_FILES, buildManifest, launchParameters } from './scorm-manifest.mjs';

const MAX_SEED = 9007199254740992;

const TEXT = {
  en: {
    title: 'tcplab course builder',
    intro: 'Pick lessons and settings, then download a SCORM package for your LMS (Moodle, Canvas, Blackboard, ' +
      'Open edX) or copy iframe snippets for a web page. Nothing is sent anywhere: the package is made in this browser.',
    lessons: 'Lessons', lessonsHint: 'Each lesson becomes one graded activity (SCO) of the package.',
    urls: 'Author lessons by URL (one per line)',
    urlsHint: 'A lesson file on another server must allow the LMS\'s origin (CORS: Access-Control-Allow-Origin).',
    settings: 'Settings', courseTitle: 'Course title', lang: 'Language of the lessons',
    langEn: 'English', langZh: 'Chinese', langBrowser: 'The learner\'s browser language',
    mastery: 'Mastery score (0-100, empty for none)',
    masteryHint: 'At or above it the LMS records passed, below it failed; with none, completed.',
    seed: 'Numbers (sequence numbers) of each learner',
    seedLearner: 'Per learner: each learner gets their own, the same in every session',
    seedFixed: 'The same for everyone, from this seed:',
    seedRandom: 'New numbers at each attempt',
    locked: 'Locked (assessment mode: no lesson menu, sandbox, exam or new numbers). Packages are always locked.',
    version: 'SCORM version', download: 'Download the SCORM package', snippet: 'Make iframe snippets',
    snippetOut: 'Iframe snippets (copy into a web page)',
    courseDefault: 'TCP connection management',
    errNoLesson: 'Pick at least one lesson or give a lesson URL.',
    errUrl: (line, u) => `Line ${line} of the lesson URLs is not an http(s) address or a relative path: ${u}`,
    errMastery: (v) => `The mastery score "${v}" is not a whole number from 0 to 100.`,
    errSeed: (v) => `The seed "${v}" is not a whole number from 1 to ${MAX_SEED}.`,
    errTitle: 'Give the course a title.',
    errFetch: (f, why) => `Could not read ${f} from this site (${why}); the course builder must be opened from ` +
      'the tcplab site itself, next to index.html.',
    making: 'Making the package…',
    made: (name, kb, n) => `Downloaded ${name} (${kb} KB, ${n} lesson${n === 1 ? '' : 's'}). Upload it to the LMS as a SCORM package.`,
    snippetMade: (n) => `${n} snippet${n === 1 ? '' : 's'} below; outside an LMS no score is recorded.`,
  },
  zh: {
    title: 'tcplab 课程打包工具',
    intro: '选择课程和设置，然后下载用于学习管理系统（Moodle、Canvas、Blackboard、Open edX）的 SCORM 课程包，' +
      '或复制用于网页的 iframe 代码。不会向任何地方发送数据：课程包在本浏览器中生成。',
    lessons: '课程', lessonsHint: '每个课程成为课程包中的一个计分活动（SCO）。',
    urls: '按网址添加的自编课程（每行一个）',
    urlsHint: '放在其他服务器上的课程文件必须允许学习管理系统的源访问（CORS：Access-Control-Allow-Origin）。',
    settings: '设置', courseTitle: '课程包标题', lang: '课程语言',
    langEn: '英文', langZh: '中文', langBrowser: '学习者浏览器的语言',
    mastery: '及格分数（0-100，留空表示不设）',
    masteryHint: '达到或超过该分数时，学习管理系统记为通过（passed），低于则记为未通过（failed）；不设时记为完成（completed）。',
    seed: '每个学习者的数字（序号）',
    seedLearner: '按学习者：每人一组自己的数字，每次进入都相同',
    seedFixed: '所有人相同，使用此种子：',
    seedRandom: '每次尝试使用新的数字',
    locked: '锁定（测评模式：没有课程菜单、沙盒、考试和换一组数字）。课程包总是锁定的。',
    version: 'SCORM 版本', download: '下载 SCORM 课程包', snippet: '生成 iframe 代码',
    snippetOut: 'iframe 代码（复制到网页中）',
    courseDefault: 'TCP 连接管理',
    errNoLesson: '请至少选择一个课程或填写一个课程网址。',
    errUrl: (line, u) => `课程网址第 ${line} 行不是 http(s) 地址或相对路径：${u}`,
    errMastery: (v) => `及格分数“${v}”不是 0 到 100 之间的整数。`,
    errSeed: (v) => `种子“${v}”不是 1 到 ${MAX_SEED} 之间的整数。`,
    errTitle: '请填写课程包标题。',
    errFetch: (f, why) => `无法从本网站读取 ${f}（${why}）；课程打包工具必须在 tcplab 网站上与 index.html 同目录打开。`,
    making: '正在生成课程包…',
    made: (name, kb, n) => `已下载 ${name}（${kb} KB，${n} 个课程）。请在学习管理系统中作为 SCORM 课程包上传。`,
    snippetMade: (n) => `下面是 ${n} 段代码；在学习管理系统之外不会记录成绩。`,
  },
};

const $ = (id) => document.getElementById(id);
let ui = /^zh/i.test(new URLSearchParams(location.search).get('lang') || navigator.language || '') ? 'zh' : 'en';
let lessons = [];

function t(key, ...args) {
  const v = TEXT[ui][key];
  return typeof v === 'function' ? v(...args) : v;
}

function render() {
  document.documentElement.lang = ui === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('ui-en').setAttribute('aria-pressed', String(ui === 'en'));
  $('ui-zh').setAttribute('aria-pressed', String(ui === 'zh'));
  const title = $('course-title');
  if (!title.value || title.value === TEXT.en.courseDefault || title.value === TEXT.zh.courseDefault) {
    title.value = t('courseDefault');
  }
  const list = $('lesson-list');
  const checked = new Set([...list.querySelectorAll('input:checked')].map((i) => i.value));
  list.textContent = '';
  for (const l of lessons) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'lesson';
    box.value = l.id;
    box.checked = checked.has(l.id);
    label.append(box, ` ${l.order}. ${l.title[ui]}`);
    list.appendChild(label);
  }
}

// ------------------------------------------------------------ reading the form

function fail(message) {
  $('message').textContent = message;
  $('status').textContent = '';
  return null;
}

function wholeNumber(s, lo, hi) {
  if (!/^\d{1,16}$/.test(s)) return null;
  const n = Number(s);
  return n >= lo && n <= hi ? n : null;
}

// The form as options, or null after saying what is wrong.
function readForm() {
  $('message').textContent = '';
  const picked = lessons.filter((l) => document.querySelector(`#lesson-list input[value="${l.id}"]`)?.checked);
  const urls = [];
  const lines = $('urls').value.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const u = lines[i].trim();
    if (!u) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(u) && !/^https?:\/\//i.test(u)) return fail(t('errUrl', i + 1, u));
    if (/\s/.test(u)) return fail(t('errUrl', i + 1, u));
    urls.push(u);
  }
  if (picked.length + urls.length === 0) return fail(t('errNoLesson'));
  const m = $('mastery').value.trim();
  const mastery = m === '' ? null : wholeNumber(m, 0, 100);
  if (m !== '' && mastery === null) return fail(t('errMastery', m));
  const seedPolicy = document.querySelector('input[name="seed"]:checked').value;
  let seed = null;
  if (seedPolicy === 'fixed') {
    seed = wholeNumber($('seed-value').value.trim(), 1, MAX_SEED);
    if (seed === null) return fail(t('errSeed', $('seed-value').value.trim()));
  }
  const title = $('course-title').value.trim();
  if (!title) return fail(t('errTitle'));
  return { picked, urls, mastery, seedPolicy, seed, title, lang: $('lang').value, locked: $('locked').checked,
    version: $('version').value };
}

// The SCOs: built-in lessons first, then the author lessons by URL.
function items(o, version) {
  const common = { lang: o.lang, mastery: o.mastery, seedPolicy: o.seedPolicy, seed: o.seed, locked: o.locked };
  const out = o.picked.map((l) => ({ id: l.id, title: l.title[o.lang || ui], mastery: o.mastery,
    parameters: launchParameters(version, { ...common, lesson: l.id }) }));
  o.urls.forEach((u, i) => out.push({ id: `url-${i + 1}`, title: decodeURIComponent(u.split('/').pop() || u),
    mastery: o.mastery, parameters: launchParameters(version, { ...common, lessonUrl: u }) }));
  return out;
}

// ------------------------------------------------------------ the package

async function pageFiles() {
  const files = {};
  for (const f of PAGE_FILES) {
    let r;
    try {
      r = await fetch(new URL(f, location.href));
    } catch (e) {
      throw new Error(t('errFetch', f, e.message));
    }
    if (!r.ok) throw new Error(t('errFetch', f, `HTTP ${r.status}`));
    files[f] = new Uint8Array(await r.arrayBuffer());
  }
  return files;
}

async function download() {
  const o = readForm();
  if (!o) return;
  $('status').textContent = t('making');
  let files;
  try {
    files = await pageFiles();
  } catch (e) {
    fail(e.message);
    return;
  }
  const manifest = buildManifest({ version: o.version, identifier: `tcplab-course-${Date.now()}`, title: o.title,
    items: items(o, o.version), files: ['imsmanifest.xml', ...PAGE_FILES] });
  // The manifest first: some LMSs look for it at the start of the file.
  const zip = zipSync({ 'imsmanifest.xml': new TextEncoder().encode(manifest), ...files }, { level: 9 });
  const name = `tcplab-${o.version === '1.2' ? 'scorm12' : 'scorm2004'}.zip`;
  const url = URL.createObjectURL(new Blob([zip], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  $('status').textContent = t('made', name, Math.round(zip.length / 1024), o.picked.length + o.urls.length);
}

// ------------------------------------------------------------ iframe snippets

function snippet() {
  const o = readForm();
  if (!o) return;
  const base = new URL('index.html', location.href).href;
  const one = (title, params) => {
    const p = new URLSearchParams(params);
    if (o.lang) p.set('lang', o.lang);
    if (o.locked) p.set('lock', '1');
    if (o.seedPolicy === 'fixed') p.set('seed', String(o.seed));
    const esc = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    return `<iframe src="${esc(`${base}?${p}`)}" title="${esc(title)}" style="width:100%;height:720px;border:0"` +
      ' allow="clipboard-write"></iframe>';
  };
  const out = o.picked.map((l) => one(l.title[o.lang || ui], { mode: 'lesson', lesson: l.id }));
  for (const u of o.urls) out.push(one(u, { mode: 'lesson', lessonUrl: u }));
  $('snippet-out').value = out.join('\n');
  $('snippet-out').select();
  $('status').textContent = t('snippetMade', out.length);
}

// ------------------------------------------------------------ start

$('ui-en').addEventListener('click', () => { ui = 'en'; render(); });
$('ui-zh').addEventListener('click', () => { ui = 'zh'; render(); });
$('download').addEventListener('click', download);
$('snippet').addEventListener('click', snippet);
$('lang').value = ui;  // the lessons in the instructor's language, to start with
render();
fetch('course-lessons.json').then((r) => r.json()).then((list) => {
  lessons = list;
  render();
  document.documentElement.dataset.ready = '1';
}, (e) => fail(t('errFetch', 'course-lessons.json', e.message)));
