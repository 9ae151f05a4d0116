// JavaScript the wasm calls (linked with --js-library, so the page needs no
// eval and no inline script).
mergeInto(LibraryManager.library, {
  tcplab_js_now_ms: function () {
    return performance.now();
  },
  tcplab_js_random: function () {
    return Math.random();
  },
  // A non-negative integer URL parameter, or -1 when absent or malformed.
  tcplab_js_url_number: function (name) {
    var v = new URLSearchParams(location.search).get(UTF8ToString(name));
    if (v === null || v.length === 0 || !/^[0-9]+$/.test(v)) return -1;
    return Number(v);
  },
  // Fetches a font file next to the page and hands its bytes to the wasm
  // (tcplab_cjk_font_loaded(which, ptr, size); (which, 0, 0) on failure).
  tcplab_js_fetch_font__deps: ['malloc'],
  tcplab_js_fetch_font: function (url, which) {
    var path = UTF8ToString(url);
    var done = function (ptr, size) { Module['_tcplab_cjk_font_loaded'](which, ptr, size); };
    fetch(path).then(function (r) {
      if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
      return r.arrayBuffer();
    }).then(function (buf) {
      var bytes = new Uint8Array(buf);
      var ptr = _malloc(bytes.length);
      HEAPU8.set(bytes, ptr);
      done(ptr, bytes.length);
    }).catch(function (e) {
      console.warn('tcplab: could not load the Chinese font: ' + e.message);
      done(0, 0);
    });
  },
  // localStorage, which may be unavailable (private mode, sandboxed
  // iframe): then nothing is kept, and nothing breaks.
  tcplab_js_storage_get: function (key, buf, size) {
    var v = null;
    try { v = window.localStorage.getItem(UTF8ToString(key)); } catch (e) { v = null; }
    if (v === null) return -1;
    if (lengthBytesUTF8(v) + 1 > size) return -2;
    stringToUTF8(v, buf, size);
    return lengthBytesUTF8(v);
  },
  tcplab_js_storage_set: function (key, value) {
    try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) { }
  },
  // Lets the learner pick a lesson file (or fetches one by URL) and hands
  // its text to tcplab_lesson_text_loaded(name, text) (text 0 on failure).
  tcplab_js_pick_lesson_file__deps: ['malloc'],
  tcplab_js_pick_lesson_file: function () {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.addEventListener('change', function () {
      var f = input.files && input.files[0];
      if (!f) return;
      f.text().then(function (t) { Module['tcplabDeliverLesson'](f.name, t); },
                    function () { Module['tcplabDeliverLesson'](f.name, null); });
    });
    input.click();
  },
  tcplab_js_fetch_lesson__deps: ['malloc'],
  tcplab_js_fetch_lesson: function (url) {
    var u = UTF8ToString(url);
    var deliver = function (name, text) {
      var n = lengthBytesUTF8(name) + 1;
      var pn = _malloc(n);
      stringToUTF8(name, pn, n);
      var pt = 0;
      if (text !== null) {
        var m = lengthBytesUTF8(text) + 1;
        pt = _malloc(m);
        stringToUTF8(text, pt, m);
      }
      Module['_tcplab_lesson_text_loaded'](pn, pt);
    };
    Module['tcplabDeliverLesson'] = deliver;
    if (u.length === 0) return;
    fetch(u).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.text();
    }).then(function (t) { deliver(u, t); }, function (e) {
      console.warn('tcplab: could not fetch the lesson ' + u + ': ' + e.message);
      deliver(u, null);
    });
  },
  // The browser's preferred language starts with "zh".
  tcplab_js_prefers_chinese: function () {
    var langs = navigator.languages || [navigator.language || ''];
    return langs.length > 0 && /^zh/i.test(langs[0]) ? 1 : 0;
  },
  // The value of URL parameter `name` copied into buf (at most size-1
  // bytes); returns its length, or -1 when absent.
  tcplab_js_url_param: function (name, buf, size) {
    var v = new URLSearchParams(location.search).get(UTF8ToString(name));
    if (v === null) return -1;
    stringToUTF8(v, buf, size);
    return lengthBytesUTF8(v);
  },
  // ---- Accessibility (web/announce.cpp): the live region, the canvas's
  // text alternative and the transcript dialog, all outside the canvas.
  // Appends one announcement to the ARIA live region #announcer (role=log):
  // screen readers speak what is added; the last few stay for reading.
  tcplab_js_announce: function (text, lang) {
    var box = document.getElementById('announcer');
    if (!box) return;
    var p = document.createElement('p');
    p.textContent = UTF8ToString(text);
    p.lang = UTF8ToString(lang);
    box.appendChild(p);
    while (box.childNodes.length > 12) box.removeChild(box.firstChild);
  },
  tcplab_js_set_canvas_label: function (text, lang) {
    var canvas = document.getElementById('canvas');
    if (!canvas) return;
    var l = UTF8ToString(lang);
    canvas.setAttribute('aria-label', UTF8ToString(text));
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    var alt = document.getElementById('canvas-text');
    if (alt) alt.textContent = UTF8ToString(text);
  },
  // Opens the transcript <dialog> with `text`; Copy uses the clipboard API
  // when the page may, else selects the text for the learner to copy.
  tcplab_js_show_transcript: function (title, text, copy, close, copied, lang) {
    var dlg = document.getElementById('transcript');
    if (!dlg) return;
    var area = document.getElementById('transcript-text');
    var copyBtn = document.getElementById('transcript-copy');
    var closeBtn = document.getElementById('transcript-close');
    var status = document.getElementById('transcript-status');
    var copiedText = UTF8ToString(copied);
    dlg.lang = UTF8ToString(lang) === 'zh' ? 'zh-CN' : 'en';
    document.getElementById('transcript-title').textContent = UTF8ToString(title);
    area.value = UTF8ToString(text);
    copyBtn.textContent = UTF8ToString(copy);
    closeBtn.textContent = UTF8ToString(close);
    status.textContent = '';
    if (!dlg.dataset.wired) {
      dlg.dataset.wired = '1';
      copyBtn.addEventListener('click', function () {
        area.focus();
        area.select();
        var done = function () { status.textContent = dlg.dataset.copied; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(area.value).then(done, function () {
            try { if (document.execCommand('copy')) done(); } catch (e) { }
          });
        } else {
          try { if (document.execCommand('copy')) done(); } catch (e) { }
        }
      });
      closeBtn.addEventListener('click', function () { dlg.close(); });
      dlg.addEventListener('close', function () {
        var canvas = document.getElementById('canvas');
        if (canvas) canvas.focus({ preventScroll: true });
      });
    }
    dlg.dataset.copied = copiedText;
    if (typeof dlg.showModal === 'function') { if (!dlg.open) dlg.showModal(); } else dlg.setAttribute('open', '');
    area.scrollTop = area.scrollHeight;
    area.focus();
  },
});
