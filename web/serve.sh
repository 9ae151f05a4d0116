#!/usr/bin/env bash
# web/serve.sh: set up, build the web preset and serve the page on loopback.
#
#   web/serve.sh                 setup + build + serve dist/ on 127.0.0.1:8080
#   web/serve.sh --build-only    setup + build, no server
#   web/serve.sh --port 9000     another port (a busy one tries the next ones)
#   web/serve.sh --floor         serve dist-floor/ (the size/speed baseline)
#
# Builds the page targets only (tcplab, floor, tcplab_scorm: the SCORM packages and
# the course builder); `cmake --build --preset web`
# builds the wasm tests as well.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_ONLY=0
PORT=${PORT:-8080}
DIST=dist
while [[ $# -gt 0 ]]; do
  case $1 in
    --build-only) BUILD_ONLY=1 ;;
    --port) PORT=${2:?--port needs a number}; shift ;;
    --floor) DIST=dist-floor ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "serve: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

bash "$ROOT/web/setup.sh"
CACHE=${TCPLAB_CACHE:-${HOME:-/root}/.cache/tcplab}
# shellcheck source=/dev/null
source "$CACHE/env"

cd "$ROOT"
echo "serve: cmake --preset web"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cmake --preset web \
  -DTCPLAB_IMGUI_DIR="$TCPLAB_IMGUI_DIR" \
  -DTCPLAB_SDL2_PREFIX="$TCPLAB_SDL2_PREFIX" \
  -DDOCTEST_INCLUDE_DIR="$TCPLAB_HOST_HEADERS" > "$log" 2>&1 \
  || { cat "$log" >&2; exit 1; }
rm -f "$log"
echo "serve: cmake --build --preset web --target tcplab floor tcplab_scorm"
cmake --build --preset web --parallel "$(nproc)" --target tcplab floor tcplab_scorm

for f in index.html index.js index.wasm index.deferred.wasm; do
  [[ -f $ROOT/dist/$f ]] || { echo "serve: dist/$f was not built" >&2; exit 1; }
done
# The wasm's two parts: before the first frame, and after it (web/split_wasm.py).
for f in index.wasm index.deferred.wasm; do
  raw=$(stat -c %s "$ROOT/dist/$f")
  gz=$(gzip -9 -c "$ROOT/dist/$f" | wc -c)
  echo "serve: dist/$f $((raw / 1024)) KB ($((gz / 1024)) KB gzip)"
done

if [[ $BUILD_ONLY -eq 1 ]]; then
  echo "serve: built $ROOT/dist (and dist-floor); not serving (--build-only)"
  exit 0
fi
exec node "$ROOT/tests/browser/lib/server.mjs" --root "$ROOT/$DIST" --port "$PORT" --host 127.0.0.1
