// A capture holding one direction only (issue 18 D8; tests/bench/inputs.cpp
// makes the same natively): A's SYN, then n-1 data segments of
// `len` octets (ACKing a SYN,ACK the capture never shows). Classic pcap,
// Ethernet, IPv4, TCP with correct checksums.
export function oneDirectionPcap(n, len = 100) {
  const rec = 16 + 14 + 20 + 20 + len;
  const buf = Buffer.alloc(24 + n * rec);
  buf.writeUInt32LE(0xa1b2c3d4, 0); buf.writeUInt16LE(2, 4); buf.writeUInt16LE(4, 6);
  buf.writeUInt32LE(65535, 16); buf.writeUInt32LE(1, 20);
  let seq = 1000;
  let o = 24;
  for (let i = 0; i < n; i++) {
    const syn = i === 0;
    const dlen = syn ? 0 : len;
    const caplen = 54 + dlen;
    buf.writeUInt32LE(Math.floor(i / 1000), o); buf.writeUInt32LE((i % 1000) * 1000, o + 4);
    buf.writeUInt32LE(caplen, o + 8); buf.writeUInt32LE(caplen, o + 12);
    const e = o + 16;
    buf.writeUInt16BE(0x0800, e + 12);
    const ip = e + 14;
    buf[ip] = 0x45; buf.writeUInt16BE(40 + dlen, ip + 2); buf[ip + 8] = 64; buf[ip + 9] = 6;
    buf.writeUInt32BE(0x0a000001, ip + 12); buf.writeUInt32BE(0x0a000002, ip + 16);
    buf.writeUInt16BE(cksum(buf, ip, 20, 0), ip + 10);
    const t = ip + 20;
    buf.writeUInt16BE(40000, t); buf.writeUInt16BE(80, t + 2);
    buf.writeUInt32BE(seq >>> 0, t + 4); buf.writeUInt32BE(syn ? 0 : 5001, t + 8);
    buf[t + 12] = 0x50; buf[t + 13] = syn ? 0x02 : 0x10; buf.writeUInt16BE(65535, t + 14);
    const pseudo = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 20 + dlen;
    buf.writeUInt16BE(cksum(buf, t, 20 + dlen, pseudo), t + 16);
    seq += syn ? 1 : dlen;
    o += 16 + caplen;
  }
  return buf.subarray(0, o);
}
function cksum(b, at, n, start) {
  let s = start;
  for (let i = 0; i < n; i += 2) s += (b[at + i] << 8) | (i + 1 < n ? b[at + i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return (~s) & 0xffff;
}
