// scorm.js: the page's SCORM adapter (SCORM 1.2 and 2004 4th edition), for
// pages opened from a package (the launch URL has scorm=1.2 or scorm=2004).
//
// At load (before the wasm starts): finds the LMS's API (API for 1.2,
// API_1484_11 for 2004) in the window.parent chain, then the opener's;
// Initialize; reads the learner id and the suspend data, which the app
// asks for (web/scorm.cpp through library.js) to choose the learner's seed
// and to resume. Then, for each answer the app reports: one
// cmi.interactions entry, the suspend data (the attempt record), Commit;
// at the lesson's end the score (0-100 with min and max; 2004 also scaled)
// and the status by the mastery score. On pagehide: session_time, exit,
// Commit, Finish. Without an API the lesson works and a banner says that
// nothing is recorded.
'use strict';

(function () {
  const params = new URLSearchParams(location.search);
  const wanted = params.get('scorm');
  if (wanted === null) return; // not a package: no adapter at all

  const SUSPEND_MAX_12 = 4096; // CMIString4096 (SCORM 1.2 RTE 3.4.2.3)

  // ---------------------------------------------------------- finding the API
  // The usual search (ADL's): up the parent chain, at most 10 levels, then
  // the opener's chain. Cross-origin frames throw on access: skip them.
  function findIn(win, name) {
    for (let depth = 0; win && depth < 10; depth++) {
      try {
        if (win[name]) return win[name];
      } catch (e) { /* another origin */ }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  function findApi(name) {
    let api = findIn(window, name);
    if (!api && window.opener) {
      try { api = findIn(window.opener, name); } catch (e) { api = null; }
    }
    return api;
  }

  // The two versions' names for the same things.
  const V12 = {
    version: '1.2', api: 'API', init: 'LMSInitialize', finish: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue',
    commit: 'LMSCommit', error: 'LMSGetLastError', learner: 'cmi.core.student_id', suspend: 'cmi.suspend_data',
    raw: 'cmi.core.score.raw', min: 'cmi.core.score.min', max: 'cmi.core.score.max', exit: 'cmi.core.exit',
    session: 'cmi.core.session_time', count: 'cmi.interactions._count',
  };
  const V2004 = {
    version: '2004', api: 'API_1484_11', init: 'Initialize', finish: 'Terminate', get: 'GetValue', set: 'SetValue',
    commit: 'Commit', error: 'GetLastError', learner: 'cmi.learner_id', suspend: 'cmi.suspend_data',
    raw: 'cmi.score.raw', min: 'cmi.score.min', max: 'cmi.score.max', exit: 'cmi.exit',
    session: 'cmi.session_time', count: 'cmi.interactions._count',
  };

  let v = null;
  let api = null;
  const order = wanted === '1.2' ? [V12] : wanted === '2004' ? [V2004] : [V2004, V12];
  for (const candidate of order) {
    api = findApi(candidate.api);
    if (api) { v = candidate; break; }
  }

  const state = {
    active: false, version: v ? v.version : '', learner: '', suspend: '', interactions: 0,
    mastery: null, started: Date.now(), finished: false, completed: false, errors: [],
  };

  function get(name) {
    const value = api[v.get](name);
    return value === null || value === undefined ? '' : String(value);
  }
  function set(name, value) {
    const ok = String(api[v.set](name, String(value))) === 'true';
    if (!ok) state.errors.push(name + '=' + String(value).slice(0, 40) + ': error ' + api[v.error]());
    return ok;
  }
  function commit() {
    if (state.active && !state.finished) api[v.commit]('');
  }

  // ------------------------------------------------------------- the banner
  // Outside an LMS: the lesson still works; say plainly that it is not
  // recorded, in both languages (the page's own language is not known yet).
  function banner(en, zh) {
    const show = function () {
      const box = document.createElement('div');
      box.id = 'tcplab-scorm-status';
      box.setAttribute('role', 'status');
      const s = box.style;
      s.position = 'fixed'; s.left = '8px'; s.bottom = '8px'; s.maxWidth = 'calc(100vw - 16px)'; s.zIndex = '4';
      s.padding = '6px 10px'; s.background = '#fff8e1'; s.color = '#1d1d1d'; s.border = '1px solid #8a6d00';
      s.borderRadius = '6px'; s.font = '13px/1.4 system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
      const p1 = document.createElement('span');
      p1.lang = 'en';
      p1.textContent = en + ' ';
      const p2 = document.createElement('span');
      p2.lang = 'zh-CN';
      p2.textContent = zh;
      // It covers a strip of the lesson: the learner may put it away.
      const close = document.createElement('button');
      close.type = 'button';
      close.textContent = 'OK / 知道了';
      close.style.font = 'inherit';
      close.style.marginLeft = '8px';
      close.style.minHeight = '28px';
      close.addEventListener('click', function () { box.remove(); });
      box.appendChild(p1);
      box.appendChild(p2);
      box.appendChild(close);
      document.body.appendChild(box);
    };
    if (document.body) show();
    else document.addEventListener('DOMContentLoaded', show);
  }

  // --------------------------------------------------------------- start-up
  function mastery() {
    // The LMS's value (from the manifest) first, then the package's URL.
    let m = NaN;
    if (v === V12) m = parseFloat(get('cmi.student_data.mastery_score'));
    else {
      const scaled = parseFloat(get('cmi.scaled_passing_score'));
      if (isFinite(scaled)) m = scaled * 100;
    }
    if (!isFinite(m)) m = parseFloat(params.get('mastery'));
    return isFinite(m) && m >= 0 && m <= 100 ? m : null;
  }

  function start() {
    if (!api) {
      banner('Not recording: this lesson was opened outside a learning management system (no SCORM API found), ' +
             'so no score is kept.',
             '未记录：本课不是在学习管理系统中打开的（找不到 SCORM 接口），不会保存成绩。');
      return;
    }
    if (String(api[v.init]('')) !== 'true') {
      banner('Not recording: the learning management system refused to start the session (SCORM error ' +
             api[v.error]() + ').', '未记录：学习管理系统拒绝开始会话（SCORM 错误 ' + api[v.error]() + '）。');
      return;
    }
    state.active = true;
    state.learner = get(v.learner);
    state.suspend = get(v.suspend);
    state.interactions = parseInt(get(v.count), 10) || 0;
    state.mastery = mastery();
    if (v === V12) {
      const status = get('cmi.core.lesson_status');
      if (status === '' || status === 'not attempted') set('cmi.core.lesson_status', 'incomplete');
    } else {
      const status = get('cmi.completion_status');
      if (status === '' || status === 'unknown' || status === 'not attempted') set('cmi.completion_status', 'incomplete');
    }
    commit();
  }

  // ---------------------------------------------------------- interactions
  const KIND_TYPE = { state: 'fill-in', number: 'fill-in', choose: 'choice', order: 'sequencing', act: 'performance' };

  function letters(list) {
    return list.split(',').map(function (i) { return String.fromCharCode(97 + Number(i)); }).join(',');
  }
  function ids(prefix, list) {
    return list.split(',').map(function (i) { return prefix + i; }).join('[,]');
  }
  // The learner's response in the format the version's type asks for.
  function response(a) {
    if (a.kind === 'choose') return v === V12 ? letters(a.value) : ids('choice_', a.value);
    if (a.kind === 'order') return v === V12 ? letters(a.value) : ids('item_', a.value);
    if (a.kind === 'act') {
      const f = a.value.split(':');
      if (v === V12) return f.join(' ');
      const names = f[0] === 'call' ? ['host', 'call', 'octets'] : ['host', 'flags', 'seq', 'ack', 'len', 'wnd'];
      return names.map(function (n, i) { return n + '[.]' + f[i + 1]; }).join('[,]');
    }
    return a.value;
  }
  function pad(n, w) { return String(Math.floor(n)).padStart(w, '0'); }
  function timespan(seconds) {
    if (v === V2004) return 'PT' + (Math.round(seconds * 100) / 100) + 'S';
    const s = Math.max(0, seconds);
    const hs = Math.round((s % 1) * 100);
    return pad(s / 3600, 4) + ':' + pad((s % 3600) / 60, 2) + ':' + pad(s % 60, 2) + '.' + pad(hs === 100 ? 99 : hs, 2);
  }
  function timestamp(d) {
    const t = pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
    if (v === V12) return t;
    return d.getFullYear() + '-' + pad(d.getMonth() + 1, 2) + '-' + pad(d.getDate(), 2) + 'T' + t;
  }

  function interaction(a) {
    const n = 'cmi.interactions.' + state.interactions + '.';
    state.interactions++;
    set(n + 'id', a.id);
    set(n + 'type', KIND_TYPE[a.kind] || (v === V12 ? 'performance' : 'other'));
    set(n + (v === V12 ? 'student_response' : 'learner_response'), response(a));
    set(n + 'result', a.correct ? 'correct' : v === V12 ? 'wrong' : 'incorrect');
    set(n + 'latency', timespan(a.latency));
    set(n + (v === V12 ? 'time' : 'timestamp'), timestamp(new Date()));
  }

  // The attempt record, shortened for SCORM 1.2's 4,096 characters: the
  // first answers still replay (resuming at an earlier point).
  function suspend(record) {
    if (v === V12 && record.length > SUSPEND_MAX_12) {
      const r = JSON.parse(record);
      delete r.score;
      delete r.questions;
      while (r.answers.length > 0 && JSON.stringify(r).length > SUSPEND_MAX_12) r.answers.pop();
      record = JSON.stringify(r);
      console.warn('tcplab: the attempt is longer than SCORM 1.2 keeps; the suspend data holds its first ' +
                   r.answers.length + ' answers');
    }
    set(v.suspend, record);
  }

  function complete(c) {
    const pct = Math.max(0, Math.min(100, c.percent));
    set(v.raw, pct);
    set(v.min, 0);
    set(v.max, 100);
    const passed = state.mastery === null ? null : pct >= state.mastery;
    if (v === V12) {
      set('cmi.core.lesson_status', passed === null ? 'completed' : passed ? 'passed' : 'failed');
    } else {
      set('cmi.score.scaled', Math.round(pct * 100) / 10000);
      set('cmi.completion_status', 'completed');
      set('cmi.success_status', passed === null ? 'unknown' : passed ? 'passed' : 'failed');
    }
    state.completed = true;
  }

  // What the app reports (web/scorm.cpp).
  function record(e) {
    if (!state.active || state.finished) return;
    if (e.kind === 'answer') {
      interaction(e.answer);
      suspend(e.record);
    } else if (e.kind === 'complete') {
      suspend(e.record);
      complete(e);
    } else if (e.kind === 'resumeFailed') {
      console.warn('tcplab: the saved attempt could not be resumed (' + e.reason + '); the lesson starts again');
    }
    commit();
  }

  // The session ends with the page (closing the LMS's window or frame,
  // going elsewhere): pagehide is the last event browsers fire reliably.
  function finish() {
    if (!state.active || state.finished) return;
    set(v.session, timespan((Date.now() - state.started) / 1000));
    // Unfinished: suspend, so the next launch resumes; finished: a new
    // launch is a new attempt.
    set(v.exit, state.completed ? (v === V12 ? '' : 'normal') : 'suspend');
    api[v.commit]('');
    api[v.finish]('');
    state.finished = true;
  }

  start();
  window.addEventListener('pagehide', finish);

  window.tcplabScorm = {
    start: function () {
      return { active: state.active, version: state.version, learner: state.learner, suspend: state.suspend };
    },
    record: record,
    finish: finish,
    // For tests and the curious: what the adapter did.
    status: function () {
      return { active: state.active, version: state.version, learner: state.learner, mastery: state.mastery,
               interactions: state.interactions, completed: state.completed, finished: state.finished,
               errors: state.errors.slice() };
    },
  };
})();
