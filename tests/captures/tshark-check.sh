#!/bin/bash
# Exports a scenario's run as .pcap (tcplab-sim run --pcap) and checks it with
# real tools: tshark reads it without warnings or malformed packets, every
# packet's direction, flags, SEQ, ACK and length equal the segments the run
# emitted (tcplab-sim run --json), and tshark and tcpdump -vv both find every
# IP and TCP checksum correct.
#
#   tshark-check.sh TCPLAB_SIM SCENARIO.json
set -u
sim=$1 file=$2
fail() { echo "FAIL ($(basename "$file")): $*"; exit 1; }
command -v tshark >/dev/null || fail "tshark is not installed (Debian package tshark; web/setup.sh installs it)"
command -v tcpdump >/dev/null || fail "tcpdump is not installed (Debian package tcpdump; web/setup.sh installs it)"
dir=$(mktemp -d /tmp/tcplab-tshark.XXXXXX)
trap 'rm -rf "$dir"' EXIT

"$sim" run --pcap "$dir/run.pcap" "$file" >/dev/null || fail "tcplab-sim run --pcap failed"
"$sim" run --json "$file" 2>/dev/null >"$dir/steps.json" || fail "tcplab-sim run --json failed"

# The run's segments, in order: "A SYN,ACK 5000 1001 0" (ACK "-" without the ACK bit).
grep -o '{"from": "[AB]", "flags": \[[^]]*\], "seq": [0-9]*\(, "ack": [0-9]*\)\?, "len": [0-9]*}' "$dir/steps.json" |
  sed -E 's/\{"from": "([AB])", "flags": \[([^]]*)\], "seq": ([0-9]+)(, "ack": ([0-9]+))?, "len": ([0-9]+)\}/\1 \2 \3 \5 \6/' |
  awk '{ n = split($0, w, " "); from = w[1]; flags = ""; i = 2
         while (w[i] ~ /^"/) { f = w[i]; gsub(/[",]/, "", f); flags = flags (flags == "" ? "" : ",") f; i++ }
         seq = w[i]; if (n - i == 2) { ack = w[i+1]; len = w[i+2] } else { ack = "-"; len = w[i+1] }
         print from, flags, seq, ack, len }' >"$dir/want.txt"
[ -s "$dir/want.txt" ] || fail "the run emitted no segment"

# What tshark reads, with checksum validation on.
tshark -n -r "$dir/run.pcap" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
  -o tcp.relative_sequence_numbers:FALSE -T fields -E separator=' ' \
  -e ip.src -e tcp.flags -e tcp.seq -e tcp.ack -e tcp.len -e ip.checksum.status -e tcp.checksum.status \
  >"$dir/tshark.txt" 2>"$dir/tshark.err" || fail "tshark could not read the file: $(cat "$dir/tshark.err")"
grep -v '^Running as user "root"' "$dir/tshark.err" | grep -q . && fail "tshark warned: $(cat "$dir/tshark.err")"
# Expert infos of warning or error severity (malformed packets, bad checksums).
tshark -n -r "$dir/run.pcap" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -z expert,warn -q \
  2>/dev/null >"$dir/expert.txt"
grep -qi 'malformed\|error\|checksum' "$dir/expert.txt" && fail "tshark expert info: $(cat "$dir/expert.txt")"

# Flags as a sorted list of names on both sides; checksum status 1 is "good"
# (0 bad, 2 unverified).
sort_flags() { tr ',' '\n' <<<"$1" | sort | paste -sd, -; }
while read -r from flags seq ack len; do
  echo "$from $(sort_flags "$flags") $seq $ack $len"
done <"$dir/want.txt" >"$dir/want-sorted.txt"
mv "$dir/want-sorted.txt" "$dir/want.txt"
while read -r src flags seq ack len ipsum tcpsum; do
  v=$((flags))
  names=""
  for pair in 1:FIN 2:SYN 4:RST 8:PSH 16:ACK; do
    (( v & ${pair%%:*} )) && names="$names,${pair#*:}"
  done
  [ "$src" = 10.0.0.1 ] && from=A || from=B
  (( v & 16 )) || ack=-
  [ "$ipsum" = 1 ] && [ "$tcpsum" = 1 ] || echo "BADSUM $src $flags $seq"
  echo "$from $(sort_flags "${names#,}") $seq $ack $len"
done <"$dir/tshark.txt" >"$dir/got.txt"
grep -q BADSUM "$dir/got.txt" && fail "checksums not verified good by tshark: $(grep BADSUM "$dir/got.txt")"
if ! diff "$dir/want.txt" "$dir/got.txt" >"$dir/diff.txt"; then
  cat "$dir/diff.txt"
  fail "the packets differ from the run's segments (< run, > tshark)"
fi

tcpdump -vv -n -r "$dir/run.pcap" >"$dir/tcpdump.txt" 2>/dev/null || fail "tcpdump could not read the file"
grep -qi incorrect "$dir/tcpdump.txt" && fail "tcpdump -vv: $(grep -i incorrect "$dir/tcpdump.txt")"
good=$(grep -c 'cksum 0x[0-9a-f]* (correct)' "$dir/tcpdump.txt")
count=$(wc -l <"$dir/want.txt")
[ "$good" -eq "$count" ] || fail "tcpdump -vv found $good correct TCP checksums for $count packets"
echo "PASS ($(basename "$file")): $count packets, flags/seq/ack/len as the run, checksums correct (tshark, tcpdump)"
