#!/bin/bash
# Replays a capture with `tcplab-sim replay --json --capture-point a` and
# compares the states with the kernel's at each checkpoint:
#
#   compare-checkpoints.sh TCPLAB_SIM CAPTURE.pcap CHECKPOINTS REFUSED
#
# CHECKPOINTS holds lines "checkpoint <connection> <tA> A=<STATE> <tB> B=<STATE>"
# (tests/captures/linux_crossing.cpp); A's state after the last segment of
# that connection captured before tA must be A's kernel's, B's likewise. Every segment
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
while read -r _ c ta a tb b; do
  n=$((n + 1))
  want_a=${a#A=} want_b=${b#B=}
  got_a=$(state_at "$c" "$ta" A) got_b=$(state_at "$c" "$tb" B)
  if [ "$got_a" = "$want_a" ] && [ "$got_b" = "$want_b" ]; then
    echo "checkpoint $n (connection $c, ${ta}s/${tb}s): A $got_a, B $got_b: the replay agrees with the kernel"
  else
    echo "checkpoint $n (connection $c, ${ta}s/${tb}s): kernel A $want_a, B $want_b; replay A ${got_a:-?}, B ${got_b:-?}: DIFFERENT"
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
