#!/bin/bash
# The final ACK on a full accept queue, on real kernels: clients in
# namespace A (10.12.0.1), the server in B (10.12.0.2), joined by
# tests/captures/tun_relay.cpp delaying every packet 200 ms (loopback
# completes a handshake inside connect(), so nothing would overlap there),
# then `linux-sockets overflow-ack` compares both kernels with the engine.
#
#   sockets-delayed.sh TUN_RELAY LINUX_SOCKETS
#
# Exit 0 agree, 1 differ, 77 skipped (no root or no TUN device).
set -u
relay=$1 prog=$2
delay=200
ns_a=tcplab-sa-$$ ns_b=tcplab-sb-$$
if ! ip netns add "$ns_a" 2>/dev/null; then
  echo "SKIP (overflow-ack): cannot create a network namespace here (needs root)"
  exit 77
fi
ip netns add "$ns_b" || { ip netns del "$ns_a"; echo "FAIL: cannot create a second namespace"; exit 1; }
dir=$(mktemp -d /tmp/tcplab-sockets.XXXXXX)
relay_pid=
cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
  wait 2>/dev/null
  ip netns del "$ns_a" 2>/dev/null
  ip netns del "$ns_b" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
if [ ! -c /dev/net/tun ]; then
  echo "SKIP (overflow-ack): no TUN device (/dev/net/tun)"
  exit 77
fi
"$relay" "$ns_a" "$ns_b" "$delay" >"$dir/relay.out" 2>&1 &
relay_pid=$!
for _ in $(seq 100); do
  grep -q ready "$dir/relay.out" && break
  kill -0 "$relay_pid" 2>/dev/null || break
  sleep 0.05
done
grep -q ready "$dir/relay.out" || { echo "FAIL: the relay did not start: $(cat "$dir/relay.out")"; exit 1; }
ip -n "$ns_a" addr add 10.12.0.1/24 dev tl0 && ip -n "$ns_a" link set tl0 up || exit 1
ip -n "$ns_b" addr add 10.12.0.2/24 dev tl0 && ip -n "$ns_b" link set tl0 up || exit 1
"$prog" overflow-ack "$ns_a" "$ns_b" "$delay"
