// JavaScript the wasm calls (linked with --js-library, so the page needs no
// eval and no inline script).
mergeInto(LibraryManager.library, {
  tcplab_js_now_ms: function () {
    return performance.now();
  },
  tcplab_js_random: function () {
    return Math.random();
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
  // Fetches the built-in lessons (lessons.json, next to the page) after the
  // first frame and hands the text to tcplab_lesson_bundle_loaded(text, 0),
  // or (0, reason) when it could not be had. The rest of the page's code
  // (index.deferred.wasm, shell.js) is fetched meanwhile and must be in
  // first: tcplab_lesson_bundle_loaded and all it calls live there. If it
  // cannot be had, shell.js shows why and the app is not called again.
  tcplab_js_fetch_lesson_bundle__deps: ['malloc'],
  tcplab_js_fetch_lesson_bundle: function (url) {
    var path = UTF8ToString(url);
    var copy = function (s) {
      var n = lengthBytesUTF8(s) + 1;
      var p = _malloc(n);
      stringToUTF8(s, p, n);
      return p;
    };
    var code = Module['tcplabLoadDeferred'] ? Module['tcplabLoadDeferred']() : Promise.resolve();
    var lessons = fetch(path, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) return { reason: 'HTTP ' + r.status };
      return r.text().then(function (t) { return { text: t }; },
                           function () { return { reason: 'the download broke off' }; });
    }, function () { return { reason: 'the network failed' }; });
    code.then(function () { return lessons; }).then(function (got) {
      if (got.text !== undefined) return Module['_tcplab_lesson_bundle_loaded'](copy(got.text), 0);
      console.warn('tcplab: could not load the built-in lessons (' + path + '): ' + got.reason);
      Module['_tcplab_lesson_bundle_loaded'](0, copy(got.reason));
    }, function (e) {
      console.warn('tcplab: the lessons wait for code that did not come: ' + (e && e.message ? e.message : e));
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
    // The embedding is told how it went (a `ready` or an `error` event).
    var told = function (ok, reason) {
      var n = lengthBytesUTF8(reason) + 1;
      var p = _malloc(n);
      stringToUTF8(reason, p, n);
      Module['_tcplab_embed_lesson_fetched'](ok, p);
    };
    var failed = function (reason) {
      console.warn('tcplab: could not fetch the lesson ' + u + ': ' + reason);
      deliver(u, null);
      told(0, reason);
    };
    fetch(u).then(function (r) {
      if (!r.ok) return failed('http ' + r.status);
      return r.text().then(function (t) { deliver(u, t); told(1, ''); });
    }, function () {
      // fetch gives the same TypeError for a CORS refusal and a network
      // failure; a no-cors request reaches a server that refuses only CORS.
      var cross = false;
      try { cross = new URL(u, location.href).origin !== location.origin; } catch (e) { cross = false; }
      if (!cross) return failed('network');
      fetch(u, { mode: 'no-cors' }).then(function () { failed('cors'); }, function () { failed('network'); });
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
  // ---------------------------------------------------------------- embedding
  // (web/embed.cpp). Messages to the host page go to window.parent, only to
  // the checked parentOrigin; without one, only the content height is sent
  // (to any origin: it tells nothing about the learner). Commands are taken
  // only from window.parent at parentOrigin.
  tcplab_js_embed_init__deps: ['malloc'],
  tcplab_js_embed_init: function (origin, instance, locked) {
    var cfg = { origin: UTF8ToString(origin), instance: UTF8ToString(instance), sent: [], locked: !!locked };
    Module['tcplabEmbed'] = cfg;
    var str = function (s) {
      var n = lengthBytesUTF8(s) + 1;
      var p = _malloc(n);
      stringToUTF8(s, p, n);
      return p;
    };
    // Every command from the parent at parentOrigin goes to the app, which
    // queues it until `ready` and answers each with an `ack` event.
    var receive = function (e) {
      if (!cfg.origin || window.parent === window) return;
      if (e.source !== window.parent || e.origin !== cfg.origin) return;
      var d = e.data;
      if (!d || typeof d !== 'object' || d.target !== 'tcplab' || typeof d.type !== 'string') return;
      var arg = d.type === 'openLesson' ? d.lesson : d.type === 'setLanguage' ? d.lang : '';
      if (typeof arg !== 'string') arg = '';
      var id = (typeof d.id === 'string' && d.id.length <= 64) || (typeof d.id === 'number' && isFinite(d.id))
        ? JSON.stringify(d.id) : 'null';
      Module['_tcplab_embed_command'](str(d.type.slice(0, 64)), str(arg.slice(0, 200)), str(id));
    };
    // Messages that came while the wasm was loading (shell.js kept them).
    var early = window.tcplabEarlyMessages;
    window.tcplabEarlyMessages = null;
    window.addEventListener('message', receive);
    if (early) early.forEach(receive);
    // Out of view or hidden: the app stops its clock and its frames.
    var inView = true;
    var update = function () {
      var visible = inView && document.visibilityState !== 'hidden';
      Module['_tcplab_set_visible'](visible ? 1 : 0);
    };
    if (window.IntersectionObserver && Module['canvas']) {
      new IntersectionObserver(function (entries) {
        inView = entries[entries.length - 1].isIntersecting;
        update();
      }).observe(Module['canvas']);
    }
    document.addEventListener('visibilitychange', update);
    // Another instance (iframe, tab) saved progress.
    window.addEventListener('storage', function (e) {
      if (e.key === null || e.key === 'tcplab.progress.v1') Module['_tcplab_progress_changed']();
    });
  },
  // The SCORM adapter (web/scorm.js): what it found at start-up, as JSON
  // copied into buf (returns its length; -1 without the adapter).
  tcplab_js_scorm_start: function (buf, size) {
    if (!window.tcplabScorm) return -1;
    var v = JSON.stringify(window.tcplabScorm.start());
    stringToUTF8(v, buf, size);
    return lengthBytesUTF8(v);
  },
  // An answer, a completion or a failed resume for the LMS (scorm.cpp).
  tcplab_js_scorm: function (json) {
    if (window.tcplabScorm) window.tcplabScorm.record(JSON.parse(UTF8ToString(json)));
  },
  // A warning for the host page's developer (never for the learner).
  tcplab_js_console_warn: function (text) {
    console.warn('tcplab: ' + UTF8ToString(text));
  },
  tcplab_js_post: function (json) {
    var cfg = Module['tcplabEmbed'];
    if (!cfg) return;
    var msg = JSON.parse(UTF8ToString(json));
    msg.source = 'tcplab';
    msg.instance = cfg.instance;
    cfg.sent.push(msg.type);
    if (window.parent === window) return;
    if (cfg.origin) window.parent.postMessage(msg, cfg.origin);
    else if (msg.type === 'height') window.parent.postMessage(msg, '*');
  },
  // The notice of ignored URL parameters: a small dismissible panel at the
  // bottom of the page (DOM, so it can be read aloud and selected).
  tcplab_js_notice: function (json) {
    var n = JSON.parse(UTF8ToString(json));
    var box = document.getElementById('tcplab-notice');
    if (!box) {
      box = document.createElement('div');
      box.id = 'tcplab-notice';
      box.setAttribute('role', 'status');
      var s = box.style;
      s.position = 'fixed'; s.left = '50%'; s.bottom = '12px'; s.transform = 'translateX(-50%)';
      s.boxSizing = 'border-box'; s.width = 'min(38rem, calc(100vw - 24px))'; s.maxHeight = '40vh';
      s.overflow = 'auto'; s.padding = '10px 14px'; s.background = '#fff8e1'; s.color = '#1d1d1d';
      s.border = '1px solid #8a6d00'; s.borderLeft = '6px solid #8a6d00'; s.borderRadius = '6px';
      s.boxShadow = '0 2px 10px rgba(0,0,0,0.18)'; s.zIndex = '5';
      s.font = '14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
      document.body.appendChild(box);
    }
    box.lang = n.lang === 'zh' ? 'zh-Hans' : 'en';
    box.textContent = '';
    var title = document.createElement('p');
    title.style.margin = '0 0 4px'; title.style.fontWeight = '600';
    title.textContent = n.title;
    box.appendChild(title);
    var list = document.createElement('ul');
    list.style.margin = '0 0 8px'; list.style.paddingLeft = '1.2em';
    n.items.forEach(function (t) {
      var li = document.createElement('li');
      li.textContent = t;
      li.style.overflowWrap = 'anywhere';
      list.appendChild(li);
    });
    box.appendChild(list);
    var ok = document.createElement('button');
    ok.type = 'button';
    ok.id = 'tcplab-notice-dismiss';
    ok.textContent = n.dismiss;
    ok.style.font = 'inherit'; ok.style.padding = '4px 14px'; ok.style.minHeight = '32px';
    ok.addEventListener('click', function () {
      box.remove();
      Module['_tcplab_notice_dismissed']();
      if (Module['canvas']) Module['canvas'].focus({ preventScroll: true });
    });
    box.appendChild(ok);
  },
  // The share panel: the link in a text field (selected, so it can be
  // copied by hand when the clipboard is not available), Copy and Close.
  tcplab_js_share: function (query, texts) {
    var url = location.origin + location.pathname + UTF8ToString(query);
    var t = JSON.parse(UTF8ToString(texts));
    var old = document.getElementById('tcplab-share');
    if (old) old.remove();
    var box = document.createElement('div');
    box.id = 'tcplab-share';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', t.title);
    var s = box.style;
    s.position = 'fixed'; s.left = '50%'; s.top = '56px'; s.transform = 'translateX(-50%)';
    s.boxSizing = 'border-box'; s.width = 'min(40rem, calc(100vw - 24px))'; s.padding = '12px 16px';
    s.background = '#ffffff'; s.color = '#1d1d1d'; s.border = '1px solid #5f5f5f'; s.borderRadius = '6px';
    s.boxShadow = '0 4px 16px rgba(0,0,0,0.22)'; s.zIndex = '6';
    s.font = '14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
    var h = document.createElement('p');
    h.style.margin = '0 0 4px'; h.style.fontWeight = '600';
    h.textContent = t.title;
    var p = document.createElement('p');
    p.style.margin = '0 0 8px';
    p.textContent = t.explain;
    var input = document.createElement('input');
    input.id = 'tcplab-share-link';
    input.type = 'text';
    input.readOnly = true;
    input.value = url;
    input.setAttribute('aria-label', t.label);
    input.style.boxSizing = 'border-box'; input.style.width = '100%'; input.style.font = '13px monospace';
    input.style.padding = '6px'; input.style.minHeight = '32px';
    var status = document.createElement('p');
    status.id = 'tcplab-share-status';
    status.setAttribute('aria-live', 'polite');
    status.style.margin = '6px 0'; status.style.minHeight = '1.4em';
    var row = document.createElement('div');
    var button = function (text, id, fn) {
      var b = document.createElement('button');
      b.type = 'button'; b.id = id; b.textContent = text;
      b.style.font = 'inherit'; b.style.padding = '4px 14px'; b.style.minHeight = '32px'; b.style.marginRight = '8px';
      b.addEventListener('click', fn);
      row.appendChild(b);
      return b;
    };
    var copy = function () {
      input.focus();
      input.select();
      var manual = function () { status.textContent = t.manual; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () { status.textContent = t.copied; }, manual);
      } else {
        manual();
      }
    };
    button(t.copy, 'tcplab-share-copy', copy);
    button(t.close, 'tcplab-share-close', function () {
      box.remove();
      if (Module['canvas']) Module['canvas'].focus({ preventScroll: true });
    });
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { box.remove(); if (Module['canvas']) Module['canvas'].focus({ preventScroll: true }); }
    });
    box.appendChild(h); box.appendChild(p); box.appendChild(input); box.appendChild(status); box.appendChild(row);
    document.body.appendChild(box);
    copy();
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
  $tcplabDeliverFile__deps: ['malloc', '$tcplabProgressBox'],
  $tcplabDeliverFile: function (f) {
    var cstr = function (s) {
      var n = lengthBytesUTF8(s) + 1;
      var p = _malloc(n);
      stringToUTF8(s, p, n);
      return p;
    };
    // Assessment mode: the learner stays in the lesson asked for.
    if (Module['tcplabEmbed'] && Module['tcplabEmbed'].locked) return;
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
    // Reading a big file takes a while: the learner sees what is happening
    // and may cancel until the replay starts.
    var zh = document.documentElement.lang === 'zh-CN';
    var mb = (f.size / 1048576).toFixed(1);
    var status = tcplabProgressBox(zh ? '正在读取 ' + f.name + '（' + mb + ' MB）…' : 'Reading ' + f.name + ' (' + mb + ' MB)…',
                                   zh ? '取消' : 'Cancel');
    f.arrayBuffer().then(function (buf) {
      if (status.cancelled) return;
      status.text(zh ? '正在回放 ' + f.name + '…' : 'Replaying ' + f.name + '…');
      // Two animation frames: the message is painted before the replay,
      // which runs in one go (bounded by the 64 MB limit).
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          if (status.cancelled) return;
          status.close();
          var bytes = new Uint8Array(buf);
          var p = _malloc(bytes.length || 1);
          HEAPU8.set(bytes, p);
          Module['_tcplab_capture_loaded'](cstr(f.name), p, bytes.length);
        });
      });
    }, function () {
      status.close();
      if (!status.cancelled) Module['_tcplab_capture_loaded'](cstr(f.name), 0, -1);
    });
  },
  // A small status box over the page with a Cancel button; returns
  // { cancelled, text(t), close() }.
  $tcplabProgressBox: function (text, cancel) {
    var old = document.getElementById('tcplab-progress');
    if (old) old.remove();
    var box = document.createElement('div');
    box.id = 'tcplab-progress';
    box.setAttribute('role', 'status');
    var s = box.style;
    s.position = 'fixed'; s.left = '50%'; s.top = '40%'; s.transform = 'translate(-50%, -50%)';
    s.maxWidth = 'calc(100vw - 24px)'; s.boxSizing = 'border-box'; s.padding = '12px 16px';
    s.background = '#ffffff'; s.color = '#1d1d1d'; s.border = '1px solid #445'; s.borderRadius = '6px';
    s.boxShadow = '0 2px 12px rgba(0,0,0,0.25)'; s.zIndex = '6'; s.display = 'flex'; s.gap = '12px';
    s.alignItems = 'center'; s.font = '15px/1.4 system-ui, "Noto Sans CJK SC", sans-serif';
    var label = document.createElement('span');
    label.textContent = text;
    var button = document.createElement('button');
    button.id = 'tcplab-progress-cancel';
    button.textContent = cancel;
    button.style.minHeight = '44px';
    box.appendChild(label);
    box.appendChild(button);
    document.body.appendChild(box);
    var status = {
      cancelled: false,
      text: function (t) { label.textContent = t; },
      close: function () { box.remove(); },
    };
    button.addEventListener('click', function () { status.cancelled = true; status.close(); });
    return status;
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
