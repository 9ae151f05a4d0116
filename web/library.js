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
  // Offers bytes from the wasm heap as a file download (a capture, the
  // ladder as text or SVG).
  tcplab_js_download: function (name, mime, ptr, size) {
    var bytes = HEAPU8.slice(ptr, ptr + size);
    var url = URL.createObjectURL(new Blob([bytes], { type: UTF8ToString(mime) }));
    var a = document.createElement('a');
    a.href = url;
    a.download = UTF8ToString(name);
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
  },
  // Files the learner gives the page: a capture (.pcap, .pcapng) goes to
  // tcplab_capture_loaded(name, bytes, size) (size -1: could not be read,
  // -2: too large), a lesson (.json) to the lesson loader. The file picker
  // and drag and drop on the canvas both come here.
  tcplab_js_pick_capture_file__deps: ['malloc', '$tcplabDeliverFile'],
  tcplab_js_pick_capture_file: function () {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = '.pcap,.pcapng,.cap,.dmp';
    input.addEventListener('change', function () {
      if (input.files && input.files[0]) tcplabDeliverFile(input.files[0]);
    });
    input.click();
  },
  $tcplabDeliverFile__deps: ['malloc'],
  $tcplabDeliverFile: function (f) {
    var cstr = function (s) {
      var n = lengthBytesUTF8(s) + 1;
      var p = _malloc(n);
      stringToUTF8(s, p, n);
      return p;
    };
    if (/\.json$/i.test(f.name)) {
      f.text().then(function (t) { Module['tcplabDeliverLesson'](f.name, t); },
                    function () { Module['tcplabDeliverLesson'](f.name, null); });
      return;
    }
    var MAX = 64 * 1024 * 1024;
    if (f.size > MAX) {
      Module['_tcplab_capture_loaded'](cstr(f.name), 0, -2);
      return;
    }
    f.arrayBuffer().then(function (buf) {
      var bytes = new Uint8Array(buf);
      var p = _malloc(bytes.length || 1);
      HEAPU8.set(bytes, p);
      Module['_tcplab_capture_loaded'](cstr(f.name), p, bytes.length);
    }, function () {
      Module['_tcplab_capture_loaded'](cstr(f.name), 0, -1);
    });
  },
  // Dropping a file on the canvas opens it (a capture or a lesson).
  tcplab_js_install_drop__deps: ['$tcplabDeliverFile'],
  tcplab_js_install_drop: function () {
    var target = Module['canvas'] || document.getElementById('canvas');
    if (!target) return;
    target.addEventListener('dragover', function (e) {
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    });
    target.addEventListener('drop', function (e) {
      e.preventDefault();
      var files = e.dataTransfer && e.dataTransfer.files;
      if (files && files.length > 0) tcplabDeliverFile(files[0]);
    });
  },
});
