#!/usr/bin/env bash
# web/bench.sh: build the web pages (if needed) and benchmark the lesson
# against the floor page: gzip sizes, time to the first frame, CPU per frame,
# CPU while idle. Prints figures and targets; not a test (exit status is
# non-zero only when something could not run).
#
#   web/bench.sh                     setup + build tcplab and floor + benchmark
#   web/bench.sh --no-build          benchmark dist/ and dist-floor/ as they are
#   web/bench.sh --runs 11           more page loads for the startup median
#   web/bench.sh --idle-seconds 10   longer CPU windows
#   web/bench.sh --json out.json     also write the raw figures
#
# Other arguments go to tests/browser/bench.mjs (see its header).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=1
ARGS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done

if [[ $BUILD -eq 1 ]]; then
  bash "$ROOT/web/setup.sh" >/dev/null
  CACHE=${TCPLAB_CACHE:-${HOME:-/root}/.cache/tcplab}
  # shellcheck source=/dev/null
  source "$CACHE/env"
  cd "$ROOT"
  if [[ ! -f build/web/CMakeCache.txt ]]; then
    echo "bench: cmake --preset web"
    log=$(mktemp)
    cmake --preset web \
      -DTCPLAB_IMGUI_DIR="$TCPLAB_IMGUI_DIR" \
      -DTCPLAB_SDL2_PREFIX="$TCPLAB_SDL2_PREFIX" \
      -DDOCTEST_INCLUDE_DIR="$TCPLAB_HOST_HEADERS" > "$log" 2>&1 \
      || { cat "$log" >&2; rm -f "$log"; exit 1; }
    rm -f "$log"
  fi
  echo "bench: cmake --build --preset web --target tcplab floor"
  log=$(mktemp)
  if ! cmake --build --preset web --parallel "$(nproc)" --target tcplab floor > "$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "bench: the web build failed" >&2
    exit 1
  fi
  rm -f "$log"
fi

cd "$ROOT"
exec node "$ROOT/tests/browser/bench.mjs" "${ARGS[@]}"
