#!/usr/bin/env bash
# Builds the fuzz targets (clang, libFuzzer, ASan + UBSan; the "fuzz"
# preset) and runs each for a bounded time. Fails on a crash, a sanitizer
# report, an input slower than UNIT_TIMEOUT seconds, or a fuzzer that does
# not stop. Prints the executions of each target.
#
#   tests/fuzz/run.sh [TARGET...]          json scenario lesson capture share_actions
#   FUZZ_SECONDS=3600 tests/fuzz/run.sh capture    # fuzz longer (default 40 s each)
#
# Each target's corpus grows in build/fuzz/corpus/TARGET (kept between runs,
# never committed), seeded from tests/fuzz/corpus/TARGET and the project's
# own files of that kind. FUZZ_CORPUS=fresh starts from the seeds alone in a
# temporary folder (tests/run-all.sh: the same work on every machine, and no
# grown corpus whose loading alone outlasts the time limit). A finding is written to build/fuzz/artifacts/;
# reproduce it with build/fuzz/tests/fuzz/fuzz-TARGET FILE.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SECONDS_EACH=${FUZZ_SECONDS:-40}
UNIT_TIMEOUT=${FUZZ_UNIT_TIMEOUT:-25}
JOBS=$(nproc 2>/dev/null || echo 2)
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(json scenario lesson capture share_actions)

# Debian's clang ships libFuzzer (libclang_rt.fuzzer) with the compiler.
if ! command -v clang++ >/dev/null; then
  echo "installing clang (libFuzzer)"
  apt-get install -y clang >/dev/null
fi

cmake --preset fuzz >/dev/null
build=()
for t in "${TARGETS[@]}"; do build+=(--target "fuzz-$t"); done
cmake --build --preset fuzz -j"$JOBS" "${build[@]}"

# The project's own inputs of each kind join the committed seeds.
seeds_of() {
  case $1 in
    json) echo tests/scenarios/*.json lessons/*.json ;;
    scenario) echo tests/scenarios/*.json tests/scenarios-malformed/*.json tests/cli/*.json ;;
    lesson) echo lessons/*.json tests/lessons-malformed/*.json ;;
    *) echo ;;
  esac
}
max_len_of() {
  case $1 in
    lesson) echo 65536 ;;   # the built-in lessons are up to ~30 KB
    share_actions) echo 24008 ;;  # 8 + 12 per action, 2000 actions
    *) echo 16384 ;;
  esac
}

mkdir -p build/fuzz/artifacts
failed=()
summary=()
fresh=""
if [[ ${FUZZ_CORPUS:-keep} == fresh ]]; then
  fresh=$(mktemp -d)
  trap 'rm -rf "$fresh"' EXIT
fi
for t in "${TARGETS[@]}"; do
  work=${fresh:-build/fuzz/corpus}/$t
  mkdir -p "$work"
  # shellcheck disable=SC2046
  cp -n tests/fuzz/corpus/"$t"/* $(seeds_of "$t") "$work"/ 2>/dev/null || true
  log=build/fuzz/$t.log
  start=$(date +%s)
  rc=0
  # -max_total_time stops the fuzzer; `timeout` catches one that does not.
  timeout -k 10 $((SECONDS_EACH + 120)) "build/fuzz/tests/fuzz/fuzz-$t" \
    -max_total_time="$SECONDS_EACH" -timeout="$UNIT_TIMEOUT" -rss_limit_mb=2048 \
    -max_len="$(max_len_of "$t")" -print_final_stats=1 \
    -artifact_prefix="build/fuzz/artifacts/$t-" "$work" >"$log" 2>&1 || rc=$?
  took=$(($(date +%s) - start))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  inputs=$(find "$work" -type f | wc -l)
  line=$(printf 'fuzz-%-14s %10s executions in %3d s, corpus %5d inputs' "$t" "${runs:-?}" "$took" "$inputs")
  if [[ $rc -ne 0 ]]; then
    line+="  FAILED (exit $rc)"
    [[ $rc -eq 124 ]] && line+=": the fuzzer did not stop"
    failed+=("$t")
    echo "--- fuzz-$t: last lines of $log"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written|timeout' "$log" | head -n 20 || tail -n 30 "$log"
  fi
  echo "$line"
  summary+=("$line")
done

echo
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in build/fuzz/artifacts/)"
  exit 1
fi
