#!/usr/bin/env bash
# Runs every test of tcplab on this machine, installing what is missing first:
#   1. the native engine build: doctest unit tests + every scenario file
#      through tcplab-sim (ctest);
#   2. the engine tests compiled to WebAssembly and run under node (ctest);
#   3. the web lesson build and the browser tests in Debian's Chromium.
# Between 1 and 2, every fuzz target runs for FUZZ_SECONDS (default 25)
# seconds (tests/fuzz/run.sh): five targets, with the build of the fuzz
# preset about 6 minutes; FUZZ_SECONDS=0 skips them.
# Every stage prints how long it took.
# Usage: tests/run-all.sh [--native-only]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JOBS=$(nproc 2>/dev/null || echo 2)
STAGE=""
STAGE_START=0
# The time of the stage that just ended (also the one that failed: EXIT).
stage_done() {
  if [[ -n $STAGE ]]; then printf '=== %s: %d s ===\n' "$STAGE" $(($(date +%s) - STAGE_START)); fi
  STAGE=""
}
step() {
  stage_done
  STAGE="$*"
  STAGE_START=$(date +%s)
  printf '\n=== %s ===\n' "$*"
}
trap stage_done EXIT

step "set-up (installs only what is missing)"
web/setup.sh

step "native engine: build"
cmake --preset native >/dev/null
cmake --build --preset native -j"$JOBS"
step "native engine: unit tests and scenarios (ctest)"
ctest --test-dir build/native --output-on-failure -j"$JOBS"
step "scenario runner over every scenario file"
build/native/engine/tcplab-sim run tests/scenarios/*.json | tail -n 1

if [[ ${FUZZ_SECONDS:-25} != 0 ]]; then
  step "fuzz targets, ${FUZZ_SECONDS:-25} s each (clang, libFuzzer, ASan + UBSan)"
  FUZZ_SECONDS=${FUZZ_SECONDS:-25} FUZZ_CORPUS=fresh tests/fuzz/run.sh
fi

if [[ ${1:-} == --native-only ]]; then exit 0; fi

step "engine tests compiled to wasm, under node"
export NODE_PATH=/usr/share/nodejs
cmake --preset web >/dev/null
cmake --build --preset web -j"$JOBS" --target tcplab-tests
ctest --test-dir build/web --output-on-failure

step "web lesson: build"
cmake --build --preset web -j"$JOBS"

step "web lesson: Debug build (loaded once by the browser tests)"
cmake --preset web-debug >/dev/null
cmake --build --preset web-debug -j"$JOBS"

# One browser process per core (at most 4): each has its own server and
# Chromium; TCPLAB_BROWSER_JOBS=1 runs them one after another.
BROWSER_JOBS=${TCPLAB_BROWSER_JOBS:-$((JOBS < 4 ? JOBS : 4))}
step "browser tests (Chromium + playwright-core, $BROWSER_JOBS processes)"
node tests/browser/run.mjs --jobs "$BROWSER_JOBS"
stage_done
echo
echo "All tests passed."
