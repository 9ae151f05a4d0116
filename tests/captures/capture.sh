#!/bin/bash
# Captures one connection made by the real Linux TCP stack and checks that
# the engine's replay of the capture reaches the states the kernel reported.
#
#   capture.sh TCPLAB_SIM LINUX_TCP SCENARIO
#
# In a private network namespace (unshare -n, loopback up) tcpdump records
# lo while LINUX_TCP (tests/captures/linux_tcp.cpp) runs SCENARIO and prints
# the kernel's states (ss -tan) at its checkpoints; then `tcplab-sim replay
# --json` replays the capture and, at each checkpoint, the states after the
# last segment before it must equal the kernel's. The capture is made now,
# never committed. Exit 0 pass, 1 fail, 77 skipped (no privilege to create
# a network namespace).
set -u
sim=$1 prog=$2 scenario=$3
port=5000

fail() { echo "FAIL ($scenario): $*"; exit 1; }

if [ -z "${TCPLAB_IN_NETNS:-}" ]; then
  for tool in tcpdump ss unshare ip; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (web/setup.sh installs tcpdump; ss and ip are in iproute2)"
  done
  if ! unshare -n true 2>/dev/null; then
    echo "SKIP ($scenario): cannot create a network namespace here (needs root or CAP_SYS_ADMIN)"
    exit 77
  fi
  TCPLAB_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi

ip link set lo up || fail "cannot bring lo up in the namespace"
dir=$(mktemp -d /tmp/tcplab-capture.XXXXXX)
trap 'rm -rf "$dir"' EXIT
tcpdump -i lo --immediate-mode -U -s 0 -w "$dir/cap.pcap" "tcp port $port" 2>"$dir/tcpdump.err" &
tcpdump_pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$dir/tcpdump.err" && break
  sleep 0.05
done
grep -q "listening on" "$dir/tcpdump.err" || { kill "$tcpdump_pid"; fail "tcpdump did not start: $(cat "$dir/tcpdump.err")"; }

"$prog" "$scenario" "$port" >"$dir/checkpoints.txt" || { kill "$tcpdump_pid"; fail "the socket program failed"; }
sleep 0.5
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid"

echo "--- tcpdump"
tcpdump -nr "$dir/cap.pcap" 2>/dev/null
echo "--- kernel (ss) at the checkpoints"
cat "$dir/checkpoints.txt"
echo "--- tcplab-sim replay --json"
"$sim" replay --json "$dir/cap.pcap" >"$dir/replay.json" 2>"$dir/replay.err"
rc=$?
cat "$dir/replay.err" "$dir/replay.json"
[ "$rc" -le 1 ] || fail "tcplab-sim replay could not read the capture (exit $rc)"
[ -s "$dir/replay.json" ] || fail "the replay printed no segment"

status=0
n=0
while read -r _ t a b; do
  n=$((n + 1))
  want_a=${a#A=} want_b=${b#B=}
  # The states after the last segment captured before the checkpoint.
  got=$(awk -v t="$t" '
    { match($0, /"time": [0-9.]+/); tm = substr($0, RSTART + 8, RLENGTH - 8) + 0
      if (tm < t) { match($0, /"A": "[A-Z0-9-]+"/); A = substr($0, RSTART + 6, RLENGTH - 7)
                    match($0, /"B": "[A-Z0-9-]+"/); B = substr($0, RSTART + 6, RLENGTH - 7) } }
    END { print A " " B }' "$dir/replay.json")
  read -r got_a got_b <<<"$got"
  if [ "$got_a" = "$want_a" ] && [ "$got_b" = "$want_b" ]; then
    echo "checkpoint $n at ${t}s: A $got_a, B $got_b: the replay agrees with the kernel"
  else
    echo "checkpoint $n at ${t}s: kernel A $want_a, B $want_b; replay A ${got_a:-?}, B ${got_b:-?}: DIFFERENT"
    status=1
  fi
done <"$dir/checkpoints.txt"
[ "$n" -gt 0 ] || fail "the socket program recorded no checkpoint"
# Every segment is one the sender's engine would send; the receiver's engine
# refuses none, except the SYN that reaches no listener (refused).
if grep -q '"verdict": "unexpected"' "$dir/replay.json"; then
  echo "segments the sender's engine would not send:"
  grep '"verdict": "unexpected"' "$dir/replay.json"
  status=1
fi
rejected=$(grep '"verdict": "rejected"' "$dir/replay.json")
if [ "$scenario" = refused ]; then
  if ! grep -q '"flags": \["SYN"\].*"verdict": "rejected", "reason": "closed.send_rst"' <<<"$rejected"; then
    echo "the SYN to a port nobody listens on should be rejected with closed.send_rst"
    status=1
  fi
elif [ -n "$rejected" ]; then
  echo "segments the receiver's engine rejects:"
  echo "$rejected"
  status=1
fi
[ "$status" -eq 0 ] && echo "PASS ($scenario)" || echo "FAIL ($scenario)"
exit "$status"
