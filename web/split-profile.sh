#!/usr/bin/env bash
# web/split-profile.sh: record what the lesson page's first frame runs and
# write it to web/first_frame_functions.txt (the functions web/split_wasm.py
# keeps in index.wasm; the rest of the code comes after the first frame).
# Run it after changing what the first frame draws; the browser test
# split.mjs fails, naming the function, when the list has gone stale.
#
# Builds the page instrumented (cmake -DTCPLAB_SPLIT_PROFILE=ON) in
# build/web-split-profile/, opens it in Chromium at a few sizes and
# languages (tests/browser/split-profile.mjs), and writes the list.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build/web-split-profile
cd "$ROOT"
cmake --preset web -B "$BUILD" -DTCPLAB_SPLIT_PROFILE=ON -DTCPLAB_DIST_DIR="$BUILD/dist" \
  -DTCPLAB_TEST_DIST_DIR="$BUILD/dist-test" -DTCPLAB_FLOOR_DIST_DIR="$BUILD/dist-floor" >/dev/null
cmake --build "$BUILD" --target tcplab tcplab_test -j"$(nproc)"
node tests/browser/split-profile.mjs --out web/first_frame_functions.txt "$BUILD/dist" "$BUILD/dist-test"
