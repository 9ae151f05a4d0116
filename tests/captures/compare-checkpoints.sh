#!/bin/bash
# Replays a capture with `tcplab-sim replay --json --capture-point a` and
# compares the states with the kernel's at each checkpoint:
#
#   compare-checkpoints.sh TCPLAB_SIM CAPTURE.pcap CHECKPOINTS REFUSED
#
# CHECKPOINTS holds lines
# "checkpoint <connection> <tA0> <tA1> A=<STATE> <tB0> <tB1> B=<STATE>"
# (tests/captures/linux_crossing.cpp): ss read A's state at some moment
# between tA0 and tA1. A's state in the replay after the last segment of
# that connection captured before tA0, or before tA1, must be the kernel's
# (a state that changed while ss ran may be either); B's likewise. Every segment
# must be one its sender's engine would send; the receiver's engine may
# refuse none, except (REFUSED=yes) SYNs to a port nobody listens on,
# answered with a RST (closed.send_rst). Exit 0 pass, 1 fail.
set -u
sim=$1 cap=$2 checkpoints=$3 refused=$4
out=$(mktemp /tmp/tcplab-compare.XXXXXX)
trap 'rm -f "$out"' EXIT

echo "--- kernel (ss) at the checkpoints"
cat "$checkpoints"
echo "--- tcplab-sim replay --json --capture-point a"
"$sim" replay --json --capture-point a "$cap" >"$out" 2>"$out.err"
rc=$?
cat "$out.err" "$out"
rm -f "$out.err"
[ "$rc" -le 1 ] || { echo "FAIL: tcplab-sim replay could not read the capture (exit $rc)"; exit 1; }
[ -s "$out" ] || { echo "FAIL: the replay printed no segment"; exit 1; }

# Host $3's state in connection $1 after the last segment captured before $2 s.
state_at() {
  awk -v c="$1" -v t="$2" -v h="$3" '
    { match($0, /"connection": [0-9]+/); cn = substr($0, RSTART + 14, RLENGTH - 14) + 0
      match($0, /"time": [0-9.]+/); tm = substr($0, RSTART + 8, RLENGTH - 8) + 0
      if (cn == c && tm < t && match($0, "\"" h "\": \"[A-Z0-9-]+\""))
        S = substr($0, RSTART + 6, RLENGTH - 7) }
    END { print S }' "$out"
}

status=0
n=0
# Does host $3 of connection $1 have state $4 in the replay at $2 s or at $5 s?
state_between() {
  local at0 at1
  at0=$(state_at "$1" "$2" "$3") at1=$(state_at "$1" "$5" "$3")
  [ "$at0" = "$4" ] || [ "$at1" = "$4" ]
}

while read -r _ c ta0 ta1 a tb0 tb1 b; do
  n=$((n + 1))
  want_a=${a#A=} want_b=${b#B=}
  if state_between "$c" "$ta0" A "$want_a" "$ta1" && state_between "$c" "$tb0" B "$want_b" "$tb1"; then
    echo "checkpoint $n (connection $c, A ${ta0}-${ta1}s, B ${tb0}-${tb1}s): A $want_a, B $want_b: the replay agrees with the kernel"
  else
    echo "checkpoint $n (connection $c, A ${ta0}-${ta1}s, B ${tb0}-${tb1}s): kernel A $want_a, B $want_b;" \
         "replay A $(state_at "$c" "$ta0" A)..$(state_at "$c" "$ta1" A), B $(state_at "$c" "$tb0" B)..$(state_at "$c" "$tb1" B): DIFFERENT"
    status=1
  fi
done <"$checkpoints"
[ "$n" -gt 0 ] || { echo "FAIL: no checkpoint"; exit 1; }
if grep -q '"verdict": "unexpected"' "$out"; then
  echo "segments the sender's engine would not send:"
  grep '"verdict": "unexpected"' "$out"
  status=1
fi
rejected=$(grep '"verdict": "rejected"' "$out" | grep -v '"flags": \["SYN"\].*"reason": "closed.send_rst"')
if [ -n "$rejected" ]; then
  echo "segments the receiver's engine rejects:"
  echo "$rejected"
  status=1
fi
refusals=$(grep -c '"flags": \["SYN"\].*"verdict": "rejected", "reason": "closed.send_rst"' "$out")
if [ "$refused" = yes ] && [ "$refusals" -eq 0 ]; then
  echo "the SYNs to a port nobody listens on should be rejected with closed.send_rst"
  status=1
elif [ "$refused" != yes ] && [ "$refusals" -gt 0 ]; then
  echo "a SYN was refused where the kernel accepted it"
  status=1
fi
exit "$status"
