#!/bin/bash
# Captures a connection whose segments cross, made by the real Linux TCP
# stack, and checks the engine's replay against the kernel's states.
#
#   crossing.sh TCPLAB_SIM TUN_RELAY LINUX_CROSSING SCENARIO [SAVE_DIR]
#
# Two network namespaces, A (10.12.0.1) and B (10.12.0.2), joined by
# TUN_RELAY (tests/captures/tun_relay.cpp), which delays every packet by
# 200 ms each way: loopback delivers at once and this kernel has no netem.
# tcpdump records A's side of the link (the capture point is A) while
# LINUX_CROSSING runs SCENARIO and prints the kernels' states (ss) at its
# checkpoints; compare-checkpoints.sh then replays the capture. With
# SAVE_DIR the capture and the checkpoints are kept there as
# SCENARIO.pcap and SCENARIO.checkpoints (the committed fixtures are made
# so). Exit 0 pass, 1 fail, 77 skipped (no root or no TUN device).
set -u
sim=$1 relay=$2 prog=$3 scenario=$4 save=${5:-}
delay=200
here=$(cd "$(dirname "$0")" && pwd)

fail() { echo "FAIL ($scenario): $*"; exit 1; }
for tool in tcpdump ss ip; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (web/setup.sh installs tcpdump; ss and ip are in iproute2)"
done
ns_a=tcplab-a-$$ ns_b=tcplab-b-$$
if ! ip netns add "$ns_a" 2>/dev/null; then
  echo "SKIP ($scenario): cannot create a network namespace here (needs root)"
  exit 77
fi
ip netns add "$ns_b" || fail "cannot create a second namespace"
dir=$(mktemp -d /tmp/tcplab-crossing.XXXXXX)
relay_pid= tcpdump_pid=
cleanup() {
  [ -n "$tcpdump_pid" ] && kill "$tcpdump_pid" 2>/dev/null
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
  wait 2>/dev/null
  ip netns del "$ns_a" 2>/dev/null
  ip netns del "$ns_b" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

if [ ! -c /dev/net/tun ]; then
  echo "SKIP ($scenario): no TUN device (/dev/net/tun)"
  exit 77
fi
"$relay" "$ns_a" "$ns_b" "$delay" >"$dir/relay.out" 2>&1 &
relay_pid=$!
for _ in $(seq 100); do
  grep -q ready "$dir/relay.out" && break
  kill -0 "$relay_pid" 2>/dev/null || break
  sleep 0.05
done
grep -q ready "$dir/relay.out" || fail "the relay did not start: $(cat "$dir/relay.out")"
ip -n "$ns_a" addr add 10.12.0.1/24 dev tl0 && ip -n "$ns_a" link set tl0 up || fail "cannot set up A's link"
ip -n "$ns_b" addr add 10.12.0.2/24 dev tl0 && ip -n "$ns_b" link set tl0 up || fail "cannot set up B's link"

ip netns exec "$ns_a" tcpdump -i tl0 --immediate-mode -U -s 0 -w "$dir/cap.pcap" tcp 2>"$dir/tcpdump.err" &
tcpdump_pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$dir/tcpdump.err" && break
  sleep 0.05
done
grep -q "listening on" "$dir/tcpdump.err" || fail "tcpdump did not start: $(cat "$dir/tcpdump.err")"

"$prog" "$scenario" "$ns_a" "$ns_b" "$delay" >"$dir/checkpoints.txt" || fail "the socket program failed"
sleep 0.3
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid"
tcpdump_pid=
echo "--- tcpdump (at A)"
tcpdump -nr "$dir/cap.pcap" 2>/dev/null
if [ -n "$save" ]; then
  cp "$dir/cap.pcap" "$save/$scenario.pcap"
  cp "$dir/checkpoints.txt" "$save/$scenario.checkpoints"
fi
refused=no
[ "$scenario" = refused-twice ] && refused=yes
if bash "$here/compare-checkpoints.sh" "$sim" "$dir/cap.pcap" "$dir/checkpoints.txt" "$refused"; then
  echo "PASS ($scenario)"
else
  echo "FAIL ($scenario)"
  exit 1
fi
