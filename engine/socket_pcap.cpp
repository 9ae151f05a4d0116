#include "socket_pcap.h"

#include "pcap.h"

namespace tcplab {

namespace {

constexpr std::uint32_t MAX_PAYLOAD = 65495;  // 65535 - 20 (IPv4) - 20 (TCP)

void put16(std::vector<std::uint8_t>& b, std::uint16_t v) {  // network order
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v >> 16));
  put16(b, static_cast<std::uint16_t>(v));
}
void le32(std::vector<std::uint8_t>& b, std::uint32_t v) {  // the pcap headers are little-endian
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// One IPv4+TCP packet: `len` payload octets from `seq`.
std::vector<std::uint8_t> packet(const Packet& p, std::uint8_t flags, Seq seq, std::uint32_t len, std::uint16_t ip_id) {
  std::vector<std::uint8_t> ip;
  ip.push_back(0x45);
  ip.push_back(0);
  put16(ip, static_cast<std::uint16_t>(40 + len));
  put16(ip, ip_id);
  put16(ip, 0x4000);  // DF
  ip.push_back(64);
  ip.push_back(6);
  put16(ip, 0);
  put32(ip, p.src.addr);
  put32(ip, p.dst.addr);
  const std::uint16_t ipsum = checksum_finish(checksum_add(0, ip.data(), ip.size()));
  ip[10] = static_cast<std::uint8_t>(ipsum >> 8);
  ip[11] = static_cast<std::uint8_t>(ipsum);
  std::vector<std::uint8_t> tcp;
  put16(tcp, p.src.port);
  put16(tcp, p.dst.port);
  put32(tcp, seq);
  put32(tcp, (flags & FLAG_ACK) ? p.seg.ack : 0);
  tcp.push_back(5 << 4);
  tcp.push_back(flags);
  put16(tcp, static_cast<std::uint16_t>(p.seg.wnd > 65535 ? 65535 : p.seg.wnd));
  put16(tcp, 0);
  put16(tcp, 0);
  const Seq first = seq + ((flags & FLAG_SYN) ? 1u : 0u);
  for (std::uint32_t i = 0; i < len; ++i) tcp.push_back(payload_octet(first + i));
  std::uint8_t src[4], dst[4];
  for (int i = 0; i < 4; ++i) {
    src[i] = static_cast<std::uint8_t>(p.src.addr >> (24 - 8 * i));
    dst[i] = static_cast<std::uint8_t>(p.dst.addr >> (24 - 8 * i));
  }
  const std::uint16_t sum = tcp_checksum_ipv4(src, dst, tcp.data(), tcp.size());
  tcp[16] = static_cast<std::uint8_t>(sum >> 8);
  tcp[17] = static_cast<std::uint8_t>(sum);
  ip.insert(ip.end(), tcp.begin(), tcp.end());
  return ip;
}

void record(std::vector<std::uint8_t>& out, Instant t, const std::vector<std::uint8_t>& pkt) {
  le32(out, static_cast<std::uint32_t>(t / 1000));
  le32(out, static_cast<std::uint32_t>((t % 1000) * 1000));
  le32(out, static_cast<std::uint32_t>(pkt.size()));
  le32(out, static_cast<std::uint32_t>(pkt.size()));
  out.insert(out.end(), pkt.begin(), pkt.end());
}

}  // namespace

std::vector<std::uint8_t> world_to_pcap(const World& w) {
  std::vector<std::uint8_t> out;
  le32(out, 0xA1B2C3D4u);  // microsecond timestamps
  out.push_back(2); out.push_back(0);  // version 2.4
  out.push_back(4); out.push_back(0);
  le32(out, 0);
  le32(out, 0);
  le32(out, 65535);
  le32(out, 101);  // LINKTYPE_RAW
  std::uint16_t ip_id = 1;
  for (const SockEvent& e : w.trace()) {
    if (e.kind != SockEventKind::Sent) continue;
    const Segment& s = e.pkt.seg;
    std::uint32_t left = s.len;
    Seq seq = s.seq;
    bool first = true;
    do {
      const std::uint32_t n = left > MAX_PAYLOAD ? MAX_PAYLOAD : left;
      const bool last = n == left;
      std::uint8_t flags = s.flags & static_cast<std::uint8_t>(~(FLAG_FIN | FLAG_PSH | FLAG_SYN));
      if (first) flags |= s.flags & FLAG_SYN;
      if (last) flags |= s.flags & (FLAG_FIN | FLAG_PSH);
      record(out, e.time, packet(e.pkt, flags, seq, n, ip_id++));
      seq += n + ((flags & FLAG_SYN) ? 1u : 0u);
      left -= n;
      first = false;
    } while (left > 0);
  }
  return out;
}

}  // namespace tcplab
