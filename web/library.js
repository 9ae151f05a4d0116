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
});
