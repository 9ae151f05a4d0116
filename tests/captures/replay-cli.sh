#!/bin/bash
# `tcplab-sim replay` on captures with several connections (the committed
# Linux captures in tests/captures/linux/): one section per connection, the
# connection number in --json, --connection N, --relative, and the exit
# codes (0 every segment ok, 1 some segment not, 2 an unreadable file or a
# wrong command line).
#
#   replay-cli.sh TCPLAB_SIM
set -u
sim=$1
dir=$(cd "$(dirname "$0")" && pwd)/linux
status=0
check() {  # check WHAT CONDITION...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; status=1; fi
}

out=$("$sim" replay "$dir/port-reuse.pcap"); rc=$?
check "port reuse: exit 0 (every segment of both connections ok)" test "$rc" -eq 0
check "port reuse: two connections on one address/port pair" grep -q "TCP segments in 2 connections" <<<"$out"
check "port reuse: one section per connection" test "$(grep -c '^== connection [01]: ' <<<"$out")" -eq 2

json=$("$sim" replay --json "$dir/port-reuse.pcap" 2>/dev/null)
check "--json: every line carries its connection" test "$(grep -c '^{"connection": [01], "index"' <<<"$json")" -eq "$(wc -l <<<"$json")"
check "--json: connection 1 begins with its own index 0" grep -q '^{"connection": 1, "index": 0, .*"flags": \["SYN"\]' <<<"$json"

one=$("$sim" replay --json --connection 1 "$dir/port-reuse.pcap" 2>/dev/null); rc=$?
check "--connection 1: exit 0" test "$rc" -eq 0
check "--connection 1: only connection 1" test "$(grep -vc '"connection": 1,' <<<"$one")" -eq 0

rel=$("$sim" replay --json --relative --connection 0 "$dir/port-reuse.pcap" 2>/dev/null)
check "--relative: A's SYN is seq 0" grep -q '"index": 0, .*"flags": \["SYN"\], "seq": 0, "ack": 0' <<<"$rel"
check "--relative: B's SYN,ACK is seq 0 ack 1" grep -q '"index": 1, .*"flags": \["SYN", "ACK"\], "seq": 0, "ack": 1,' <<<"$rel"
check "--relative: A's data is seq 1 len 100" grep -q '"from": "A", "flags": \["PSH", "ACK"\], "seq": 1, "ack": 1, "len": 100' <<<"$rel"
text=$("$sim" replay --relative --connection 0 "$dir/port-reuse.pcap")
check "--relative: the ladder is relative too" grep -q 'SYN,ACK seq=0 ack=1' <<<"$text"

"$sim" replay "$dir/refused-twice.pcap" >/dev/null 2>&1; rc=$?
check "two refused attempts: exit 1 (each SYN is rejected by CLOSED)" test "$rc" -eq 1
"$sim" replay --connection 5 "$dir/port-reuse.pcap" >/dev/null 2>&1; rc=$?
check "--connection 5 of 2: exit 2" test "$rc" -eq 2
"$sim" replay --capture-point x "$dir/port-reuse.pcap" >/dev/null 2>&1; rc=$?
check "--capture-point x: exit 2" test "$rc" -eq 2
"$sim" replay "$dir/no-such-file.pcap" >/dev/null 2>&1; rc=$?
check "a file that cannot be read: exit 2" test "$rc" -eq 2
exit "$status"
