// shell.js: the page around the tcplab WebAssembly app (see shell.html).
//
// 1. Checks that the browser has WebAssembly and WebGL2; if not, shows the
//    error overlay and loads nothing.
// 2. Defines `Module` for Emscripten's index.js: the canvas, a wasm loader
//    that reports download progress, and the abort handler.
// 3. Starts index.js (whose tag Emscripten wrote into <template
//    id="emscripten-script">), so the page needs no inline script.
// 4. Loads the second part of the lesson page's code (index.deferred.wasm,
//    see web/split_wasm.py) when library.js asks, after the first frame.
//
// For tests: window.tcplabStatus is 'loading' | 'ready' | 'error', and
// window.tcplabError holds the error text. 'ready' means the app has drawn its
// first frame (the platform layer calls Module.tcplabReady).
'use strict';

(function () {
  const canvas = document.getElementById('canvas');
  const loading = document.getElementById('loading');
  const loadingText = document.getElementById('loading-text');
  const loadingBar = document.getElementById('loading-bar');
  const errorBox = document.getElementById('error');
  const errorText = document.getElementById('error-text');

  window.tcplabStatus = 'loading';
  window.tcplabError = '';

  // Commands a host page posts while the wasm loads are kept here and
  // handed to the app when it listens (web/library.js, embed init).
  window.tcplabEarlyMessages = [];
  const keepEarly = function (e) {
    if (!window.tcplabEarlyMessages) {
      window.removeEventListener('message', keepEarly);
      return;
    }
    // A page that never starts the app (no WebGL2) must not hoard messages.
    if (window.tcplabEarlyMessages.length < 100) {
      window.tcplabEarlyMessages.push({ source: e.source, origin: e.origin, data: e.data });
    } else if (!keepEarly.warned) {
      keepEarly.warned = true;
      console.warn('tcplab: more than 100 messages came while the page loaded; the rest are dropped');
    }
  };
  window.addEventListener('message', keepEarly);

  function setStatus(status) {
    window.tcplabStatus = status;
    document.documentElement.dataset.tcplabStatus = status;
  }

  // Keeps the first error: later ones are usually its consequences.
  function fail(message) {
    if (window.tcplabStatus === 'error') return;
    const text = String(message || 'Unknown error.');
    setStatus('error');
    window.tcplabError = text;
    errorText.textContent = text;
    loading.hidden = true;
    errorBox.hidden = false;
    console.warn('tcplab: ' + text);
  }

  function progress(text, fraction) {
    if (window.tcplabStatus !== 'loading') return;
    if (text) loadingText.textContent = text;
    if (fraction === undefined || fraction === null) {
      loadingBar.removeAttribute('value'); // indeterminate
    } else {
      loadingBar.max = 1;
      loadingBar.value = Math.max(0, Math.min(1, fraction));
    }
  }

  function formatBytes(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : Math.round(n / 1024) + ' KB';
  }

  // ------------------------------------------------------------- 1. checks
  function missingFeature() {
    // The smallest valid module: magic number and version.
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    let hasWasm = false;
    try {
      hasWasm = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function' &&
                WebAssembly.validate(empty);
    } catch (e) {
      hasWasm = false;
    }
    if (!hasWasm) {
      return 'This browser cannot run WebAssembly, which this lesson is made of. ' +
             'Use a current version of Chrome, Edge, Firefox or Safari.';
    }
    let gl = null;
    try {
      gl = document.createElement('canvas').getContext('webgl2');
    } catch (e) {
      gl = null;
    }
    if (!gl) {
      return 'This browser cannot draw with WebGL2, which this lesson needs. ' +
             'Turn on hardware acceleration (graphics acceleration) in the browser settings, ' +
             'or use a current version of Chrome, Edge, Firefox or Safari.';
    }
    const lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext(); // give the probe's context back
    return '';
  }

  // ------------------------------------------------------------- 2. Module
  const template = document.getElementById('emscripten-script');
  const tag = template && template.content.querySelector('script');
  const mainSrc = tag ? tag.getAttribute('src') : null;
  const wasmUrl = (mainSrc || 'index.js').replace(/\.js(\?.*)?$/, '.wasm');

  // Fetches the wasm with a progress report, compiling while it downloads.
  function instantiateWasm(imports, receiveInstance) {
    progress('Downloading the lesson\u2026', 0);
    fetch(wasmUrl, { credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('the server answered HTTP ' + response.status +
                          (response.statusText ? ' ' + response.statusText : ''));
        }
        // With Content-Encoding, Content-Length counts compressed bytes.
        const encoded = (response.headers.get('Content-Encoding') || 'identity') !== 'identity';
        const total = encoded ? 0 : Number(response.headers.get('Content-Length')) || 0;
        if (response.body && typeof TransformStream === 'function') {
          let loaded = 0;
          const counted = response.body.pipeThrough(new TransformStream({
            transform: function (chunk, controller) {
              loaded += chunk.byteLength;
              progress('Downloading the lesson\u2026 ' + formatBytes(loaded) +
                       (total ? ' of ' + formatBytes(total) : ''), total ? loaded / total : null);
              controller.enqueue(chunk);
            },
          }));
          response = new Response(counted, { headers: { 'Content-Type': 'application/wasm' } });
        }
        // An LMS's file area may serve .wasm as application/octet-stream,
        // which instantiateStreaming refuses: compile from the bytes then.
        const type = (response.headers.get('Content-Type') || '').split(';')[0].trim();
        if (typeof WebAssembly.instantiateStreaming === 'function' && type === 'application/wasm') {
          return WebAssembly.instantiateStreaming(response, imports);
        }
        return response.arrayBuffer().then(function (bytes) {
          return WebAssembly.instantiate(bytes, imports);
        });
      })
      .then(function (result) {
        progress('Starting\u2026', 1);
        receiveInstance(result.instance, result.module);
      })
      .catch(function (e) {
        fail('Could not load ' + wasmUrl + ': ' + (e && e.message ? e.message : e) + '.');
      });
    return {}; // asynchronous: Emscripten waits for receiveInstance
  }

  // ------------------------------------------------- 4. the deferred code
  // The lesson page's wasm comes in two parts (web/split_wasm.py):
  // index.wasm holds what the first frame runs, index.deferred.wasm the
  // rest. library.js asks for the second part right after the first frame,
  // together with the lessons. A deferred function called before then
  // (a click in the first moments) reaches Emscripten's placeholder, which
  // calls loadSplitModule: the part is then fetched synchronously, once.
  const deferredUrl = wasmUrl.replace(/\.wasm$/, '.deferred.wasm');
  // For tests: how the part came ('fetch' or 'sync') and which deferred
  // functions were called before it had come.
  const deferred = { state: 'waiting', via: '', early: [], promise: null };

  function instantiateDeferred(module, via) {
    if (deferred.state === 'ready') return;
    // Its elements fill the placeholders' slots in the shared table.
    new WebAssembly.Instance(module, { primary: window.Module.asm });
    deferred.state = 'ready';
    deferred.via = via;
  }

  function deferredFailed(reason) {
    deferred.state = 'failed';
    const text = 'Could not load ' + deferredUrl + ' (the rest of the lesson\'s code): ' + reason + '.';
    fail(text);
    return new Error(text);
  }

  function loadDeferredNow(file, imports, name) {
    deferred.early.push({ name: String(name), status: window.tcplabStatus });
    if (deferred.state === 'ready') return;
    if (deferred.state === 'failed') throw new Error('the deferred code is missing');
    const request = new XMLHttpRequest();
    request.open('GET', deferredUrl, false);
    // A synchronous request cannot ask for an ArrayBuffer: take the bytes
    // as a string of char codes 0-255.
    request.overrideMimeType('text/plain; charset=x-user-defined');
    try {
      request.send(null);
    } catch (e) {
      throw deferredFailed('the network failed');
    }
    if (request.status !== 200) throw deferredFailed('the server answered HTTP ' + request.status);
    const text = request.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    try {
      instantiateDeferred(new WebAssembly.Module(bytes), 'sync');
    } catch (e) {
      throw deferredFailed(e && e.message ? e.message : String(e));
    }
  }

  // Resolves once the deferred part is in; rejects (after showing the
  // error) if it cannot be had.
  function loadDeferred() {
    if (deferred.state === 'ready') return Promise.resolve();
    if (deferred.promise) return deferred.promise;
    deferred.promise = fetch(deferredUrl, { credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw deferredFailed('the server answered HTTP ' + response.status);
        return response.arrayBuffer();
      }, function () {
        throw deferredFailed('the network failed');
      })
      .then(function (bytes) {
        return WebAssembly.compile(bytes).catch(function (e) {
          throw deferredFailed(e && e.message ? e.message : String(e));
        });
      })
      .then(function (module) {
        instantiateDeferred(module, 'fetch');
      });
    return deferred.promise;
  }

  window.Module = {
    canvas: canvas,
    instantiateWasm: instantiateWasm,
    // Emscripten's name for the placeholders' loader (-sSPLIT_MODULE).
    loadSplitModule: loadDeferredNow,
    tcplabLoadDeferred: loadDeferred,
    tcplabDeferred: deferred,
    setStatus: function (text) {
      if (text) progress(text.replace(/\.\.\.$/, '\u2026'));
    },
    monitorRunDependencies: function (left) {
      if (left === 0) progress('Starting\u2026', 1);
    },
    onAbort: function (what) {
      fail('The lesson stopped with an internal error: ' + what);
    },
    // Called by the platform layer (web/platform.cpp).
    tcplabReady: function () {
      if (window.tcplabStatus !== 'loading') return;
      setStatus('ready');
      loading.hidden = true;
      watchSize();
    },
    tcplabError: function (text) {
      fail(text);
    },
  };

  // The app stops its frame loop when nothing moves; a change of the
  // canvas's size or of the devicePixelRatio (zoom, another screen) comes
  // without an SDL event, so it wakes the loop from here.
  function wake() {
    if (window.Module && Module._tcplab_wake) Module._tcplab_wake();
  }
  function watchSize() {
    if (window.ResizeObserver) new ResizeObserver(wake).observe(canvas);
    window.addEventListener('resize', wake);
    const watchRatio = function () {
      const query = window.matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
      const changed = function () {
        query.removeEventListener('change', changed);
        wake();
        watchRatio();
      };
      query.addEventListener('change', changed);
    };
    if (window.matchMedia) watchRatio();
    document.addEventListener('visibilitychange', wake);
    // A last resort twice a second (some ratio changes fire no event at all).
    let last = window.devicePixelRatio + 'x' + canvas.clientWidth + 'x' + canvas.clientHeight;
    setInterval(function () {
      const now = window.devicePixelRatio + 'x' + canvas.clientWidth + 'x' + canvas.clientHeight;
      if (now !== last) {
        last = now;
        wake();
      }
    }, 500);
  }

  window.addEventListener('error', function (event) {
    // Resource errors (no .message) are handled where they are loaded.
    if (event && event.message) fail('Script error: ' + event.message);
  });
  window.addEventListener('unhandledrejection', function (event) {
    const reason = event && event.reason;
    fail('Script error: ' + (reason && reason.message ? reason.message : reason));
  });

  // Keyboard focus: SDL prevents the default of mousedown, so a click would
  // not focus the canvas by itself.
  canvas.addEventListener('pointerdown', function () {
    if (document.activeElement !== canvas) canvas.focus({ preventScroll: true });
  });
  // In a course page's frame, the wheel scrolls the course page once the
  // panel under the pointer has nothing left to scroll that way: the event
  // is kept from SDL (which would cancel it) and the browser scrolls on.
  if (window.top !== window) {
    window.addEventListener('wheel', function (event) {
      const M = window.Module;
      if (!M || !M._tcplab_can_scroll || event.target !== canvas) return;
      if (!M._tcplab_can_scroll(event.deltaY)) event.stopImmediatePropagation();
    }, { capture: true, passive: true });
  }
  canvas.addEventListener('webglcontextlost', function (event) {
    event.preventDefault();
    fail('The graphics context (WebGL) was lost, for example after a GPU reset. Reload the page.');
  });

  // ------------------------------------------------------------- 3. start
  const missing = missingFeature();
  if (missing) {
    fail(missing);
    return;
  }
  if (!tag) {
    fail('The page is incomplete: no loader script (build error in shell.html).');
    return;
  }
  progress('Loading\u2026', null);
  const script = document.createElement('script');
  if (mainSrc) {
    script.src = mainSrc;
    script.async = true;
    script.onerror = function () {
      fail('Could not load ' + mainSrc + '.');
    };
  } else {
    // Emscripten settings that make it write an inline loader (e.g.
    // SINGLE_FILE) break a strict CSP: say so.
    console.warn('tcplab: Emscripten wrote an inline loader script; a strict CSP will block it.');
    script.textContent = tag.textContent;
  }
  document.body.appendChild(script);
})();
