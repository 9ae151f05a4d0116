// Captures: writing a trace as pcap, reading pcap/pcapng. See pcap.h.
//
// [SECTION] Checksums and octets
// [SECTION] Writing
// [SECTION] Reading: bounds-checked cursor
// [SECTION] Reading: link layer, IP, TCP
// [SECTION] Reading: pcap and pcapng files
// [SECTION] Connections and summaries
#include "pcap.h"

#include "connection_ends.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace tcplab {

//-----------------------------------------------------------------------------
// [SECTION] Checksums and octets
//-----------------------------------------------------------------------------

std::uint8_t payload_octet(Seq seq) { return static_cast<std::uint8_t>('a' + seq % 26u); }

std::uint32_t checksum_add(std::uint32_t sum, const std::uint8_t* data, std::size_t n) {
  // RFC 1071: 16-bit big-endian words, an odd last octet padded with zero.
  std::size_t i = 0;
  for (; i + 1 < n; i += 2) {
    sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
    sum = (sum & 0xFFFFu) + (sum >> 16);
  }
  if (i < n) {
    sum += static_cast<std::uint32_t>(data[i] << 8);
    sum = (sum & 0xFFFFu) + (sum >> 16);
  }
  return sum;
}

std::uint16_t checksum_finish(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFFu) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xFFFFu);
}

std::uint16_t tcp_checksum_ipv4(const std::uint8_t src[4], const std::uint8_t dst[4],
                                const std::uint8_t* tcp, std::size_t n) {
  // RFC 9293 3.1: the pseudo-header is source, destination, zero, protocol 6
  // and the TCP length.
  std::uint8_t pseudo[12] = {src[0], src[1], src[2], src[3], dst[0], dst[1], dst[2], dst[3],
                             0, 6, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
  std::uint32_t sum = checksum_add(0, pseudo, sizeof pseudo);
  return checksum_finish(checksum_add(sum, tcp, n));
}

std::uint16_t tcp_checksum_ipv6(const std::uint8_t src[16], const std::uint8_t dst[16],
                                const std::uint8_t* tcp, std::size_t n) {
  // RFC 8200 8.1: source, destination, 32-bit upper-layer length, next header.
  std::uint8_t tail[8] = {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                          static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), 0, 0, 0, 6};
  std::uint32_t sum = checksum_add(0, src, 16);
  sum = checksum_add(sum, dst, 16);
  sum = checksum_add(sum, tail, sizeof tail);
  return checksum_finish(checksum_add(sum, tcp, n));
}

//-----------------------------------------------------------------------------
// [SECTION] Writing
//-----------------------------------------------------------------------------

namespace {

void put_le32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_le16(std::vector<std::uint8_t>& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put_be16(std::vector<std::uint8_t>& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put_be32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void set_be16(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

// The largest payload one IPv4 packet holds (65535 - 20 - 20).
constexpr std::uint32_t MAX_PAYLOAD = 65495;

// One IPv4+TCP packet (with an Ethernet header when asked) appended to `out`
// as a pcap record.
void write_packet(std::vector<std::uint8_t>& out, Instant t, int from, const Segment& seg, Seq seq,
                  std::uint8_t flags, std::uint32_t len, std::uint16_t ip_id,
                  const PcapWriteOptions& o) {
  std::vector<std::uint8_t> p;
  const int to = from ^ 1;
  if (o.ethernet) {
    const std::uint8_t mac[2] = {0x0A, 0x0B};
    for (int i = 0; i < 5; ++i) p.push_back(i == 0 ? 0x02 : 0x00);
    p.push_back(mac[to]);
    for (int i = 0; i < 5; ++i) p.push_back(i == 0 ? 0x02 : 0x00);
    p.push_back(mac[from]);
    put_be16(p, 0x0800);
  }
  const std::size_t ip = p.size();
  const std::uint16_t total = static_cast<std::uint16_t>(20 + 20 + len);
  p.push_back(0x45);  // IPv4, 20-octet header
  p.push_back(0);
  put_be16(p, total);
  put_be16(p, ip_id);
  put_be16(p, 0x4000);  // don't fragment
  p.push_back(64);      // TTL
  p.push_back(6);       // TCP
  put_be16(p, 0);       // checksum, below
  const std::uint8_t* src = o.endpoints.addr[from].data();
  const std::uint8_t* dst = o.endpoints.addr[to].data();
  p.insert(p.end(), src, src + 4);
  p.insert(p.end(), dst, dst + 4);
  set_be16(p, ip + 10, checksum_finish(checksum_add(0, p.data() + ip, 20)));

  const std::size_t tcp = p.size();
  put_be16(p, o.endpoints.port[from]);
  put_be16(p, o.endpoints.port[to]);
  put_be32(p, seq);
  put_be32(p, (flags & FLAG_ACK) ? seg.ack : 0u);
  p.push_back(5 << 4);  // data offset: 20 octets, no options
  p.push_back(flags);
  put_be16(p, static_cast<std::uint16_t>(std::min<std::uint32_t>(seg.wnd, 0xFFFF)));
  put_be16(p, 0);  // checksum, below
  put_be16(p, 0);  // urgent pointer
  // Payload octets follow the sequence numbers they occupy (a SYN takes the
  // first number, so data on a SYN starts one later).
  const Seq first = seq + ((flags & FLAG_SYN) ? 1u : 0u);
  for (std::uint32_t i = 0; i < len; ++i) p.push_back(payload_octet(first + i));
  set_be16(p, tcp + 16, tcp_checksum_ipv4(src, dst, p.data() + tcp, p.size() - tcp));

  put_le32(out, static_cast<std::uint32_t>(t / 1000));
  put_le32(out, static_cast<std::uint32_t>((t % 1000) * 1000));
  put_le32(out, static_cast<std::uint32_t>(p.size()));
  put_le32(out, static_cast<std::uint32_t>(p.size()));
  out.insert(out.end(), p.begin(), p.end());
}

}  // namespace

namespace {

// The segments a pcap export writes: Sent events, and Injected ones as they
// reached their host. -1 for other events, else the sending host.
int exported_from(const Event& e) {
  if (e.kind == EventKind::Sent) return e.host & 1;
  if (e.kind == EventKind::Injected) return (e.host & 1) ^ 1;
  return -1;
}

}  // namespace

std::string pcap_export_problem(const Trace& trace, const PcapWriteOptions& options) {
  const std::uint64_t per_packet = 16 + (options.ethernet ? 14 : 0) + 40;
  std::uint64_t bytes = 24, segments = 0;
  for (const Event& e : trace) {
    const int from = exported_from(e);
    if (from < 0) continue;
    ++segments;
    const std::uint64_t len = e.seg.len;
    if (len > PCAP_EXPORT_MAX_SEGMENT_OCTETS)
      return "segment " + std::to_string(segments) + " (" + (from == 0 ? "A -> B" : "B -> A") + ") carries " +
             std::to_string(len) + " octets; an export takes at most " +
             std::to_string(PCAP_EXPORT_MAX_SEGMENT_OCTETS) + " per segment";
    const std::uint64_t packets = len == 0 ? 1 : (len + MAX_PAYLOAD - 1) / MAX_PAYLOAD;
    bytes += packets * per_packet + len;
    if (bytes > PCAP_EXPORT_MAX_BYTES)
      return "the capture would be larger than " + std::to_string(PCAP_EXPORT_MAX_BYTES >> 20) +
             " MiB (at segment " + std::to_string(segments) + "), the largest file tcplab reads back";
  }
  return "";
}

std::vector<std::uint8_t> trace_to_pcap(const Trace& trace, const PcapWriteOptions& options) {
  std::vector<std::uint8_t> out;
  if (!pcap_export_problem(trace, options).empty()) return out;
  put_le32(out, 0xA1B2C3D4u);  // microsecond timestamps, written little-endian
  put_le16(out, 2);
  put_le16(out, 4);
  put_le32(out, 0);       // GMT offset
  put_le32(out, 0);       // timestamp accuracy
  put_le32(out, 262144);  // snapshot length
  put_le32(out, options.ethernet ? 1u : 101u);
  std::uint16_t ip_id[2] = {1, 1};
  for (const Event& e : trace) {
    const int from = exported_from(e);
    if (from < 0) continue;
    const Segment& s = e.seg;
    const Instant t = e.time < 0 ? 0 : e.time;
    // A segment longer than one IPv4 packet goes out as several packets with
    // consecutive sequence numbers (as segmentation offload puts it on the
    // wire); SYN rides on the first, FIN and PSH on the last.
    Seq seq = s.seq;
    std::uint32_t left = s.len;
    bool first = true;
    do {
      const std::uint32_t part = std::min(left, MAX_PAYLOAD);
      left -= part;
      std::uint8_t flags = s.flags;
      if (!first) flags = static_cast<std::uint8_t>(flags & ~FLAG_SYN);
      if (left > 0) flags = static_cast<std::uint8_t>(flags & ~(FLAG_FIN | FLAG_PSH));
      write_packet(out, t, from, s, seq, flags, part, ip_id[from]++, options);
      seq += part + ((flags & FLAG_SYN) ? 1u : 0u);
      first = false;
    } while (left > 0);
  }
  return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Reading: bounds-checked cursor
//-----------------------------------------------------------------------------

namespace {

// A view of [p, p+n): every read checks its bounds first.
struct Bytes {
  const std::uint8_t* p = nullptr;
  std::size_t n = 0;
  bool has(std::size_t at, std::size_t len) const { return at <= n && len <= n - at; }
  std::uint8_t u8(std::size_t at) const { return p[at]; }
  std::uint16_t be16(std::size_t at) const { return static_cast<std::uint16_t>(p[at] << 8 | p[at + 1]); }
  std::uint32_t be32(std::size_t at) const {
    return static_cast<std::uint32_t>(p[at]) << 24 | static_cast<std::uint32_t>(p[at + 1]) << 16 |
           static_cast<std::uint32_t>(p[at + 2]) << 8 | p[at + 3];
  }
  std::uint16_t le16(std::size_t at) const { return static_cast<std::uint16_t>(p[at] | p[at + 1] << 8); }
  std::uint32_t le32(std::size_t at) const {
    return static_cast<std::uint32_t>(p[at + 3]) << 24 | static_cast<std::uint32_t>(p[at + 2]) << 16 |
           static_cast<std::uint32_t>(p[at + 1]) << 8 | p[at];
  }
  std::uint16_t u16(std::size_t at, bool big) const { return big ? be16(at) : le16(at); }
  std::uint32_t u32(std::size_t at, bool big) const { return big ? be32(at) : le32(at); }
  Bytes sub(std::size_t at, std::size_t len) const { return Bytes{p + at, len}; }
};

std::string num(std::uint64_t v) { return std::to_string(v); }

const char* link_type_name(std::uint32_t lt) {
  switch (lt) {
    case 0: return "BSD loopback";
    case 1: return "Ethernet";
    case 101: return "raw IP";
    case 105: return "IEEE 802.11";
    case 108: return "OpenBSD loopback";
    case 113: return "Linux cooked capture (SLL)";
    case 127: return "IEEE 802.11 radiotap";
    case 228: return "raw IPv4";
    case 229: return "raw IPv6";
    case 276: return "Linux cooked capture v2 (SLL2)";
    default: return nullptr;
  }
}

std::string link_type_text(std::uint32_t lt) {
  const char* n = link_type_name(lt);
  return "link type " + num(lt) + (n ? std::string(" (") + n + ")" : std::string());
}

//-----------------------------------------------------------------------------
// [SECTION] Reading: link layer, IP, TCP
//-----------------------------------------------------------------------------

struct Reader {
  PcapParseResult& r;
  std::size_t packet = 0;  // current packet number
  std::size_t offset = 0;  // file offset of the current packet's data

  void problem(const std::string& what) { say("packet " + num(packet) + " (offset " + num(offset) + "): " + what); }
  // A block that is not a packet (an interface description) has no packet
  // number: "packet 0 (offset 0)" named none (issue 18, D11).
  void block_problem(std::size_t at, const std::string& what) {
    say("pcapng block at offset " + num(at) + ": " + what);
  }
  void say(const std::string& line) {
    if (r.problems.size() < 100)
      r.problems.push_back(line);
    else if (r.problems.size() == 100)
      r.problems.push_back("more problems follow; only the first 100 are listed");
  }

  void parse_options(Bytes tcp, std::size_t hlen, TcpOptions& o) {
    std::size_t i = 20;
    while (i < hlen) {
      const std::uint8_t kind = tcp.u8(i);
      if (kind == 0) break;  // end of option list
      if (kind == 1) {       // no-operation
        ++i;
        continue;
      }
      if (i + 1 >= hlen) {
        o.malformed = true;
        break;
      }
      const std::uint8_t len = tcp.u8(i + 1);
      if (len < 2 || i + len > hlen) {
        o.malformed = true;
        break;
      }
      switch (kind) {
        case 2:
          if (len == 4) o.mss = tcp.be16(i + 2);
          else o.malformed = true;
          break;
        case 3:
          if (len == 3) o.wscale = tcp.u8(i + 2);
          else o.malformed = true;
          break;
        case 4: o.sack_permitted = true; break;
        case 5:
          for (std::size_t b = i + 2; b + 8 <= i + len; b += 8) o.sack.emplace_back(tcp.be32(b), tcp.be32(b + 4));
          break;
        case 8:
          if (len == 10) {
            o.has_timestamps = true;
            o.tsval = tcp.be32(i + 2);
            o.tsecr = tcp.be32(i + 6);
          } else {
            o.malformed = true;
          }
          break;
        default: ++o.unknown; break;
      }
      i += len;
    }
  }

  // `tcp` holds what was captured of the TCP segment; `tcp_len` is its
  // length according to the IP header.
  void parse_tcp(Bytes tcp, std::size_t tcp_len, CapturedSegment s, const Bytes& ip_src,
                 const Bytes& ip_dst) {
    if (!tcp.has(0, 20)) {
      problem("TCP header truncated: " + num(tcp.n) + " of 20 octets captured");
      return;
    }
    const std::size_t hlen = static_cast<std::size_t>(tcp.u8(12) >> 4) * 4;
    if (hlen < 20) {
      problem("TCP data offset " + num(hlen / 4) + " is below the minimum 5");
      return;
    }
    if (hlen > tcp_len) {
      problem("TCP header of " + num(hlen) + " octets is longer than the segment (" + num(tcp_len) + ")");
      return;
    }
    if (!tcp.has(0, hlen)) {
      problem("TCP options truncated: " + num(tcp.n) + " of " + num(hlen) + " header octets captured");
      return;
    }
    s.sport = tcp.be16(0);
    s.dport = tcp.be16(2);
    s.seg.seq = tcp.be32(4);
    s.seg.ack = tcp.be32(8);
    s.tcp_flags = tcp.u8(13);
    s.seg.flags = static_cast<std::uint8_t>(s.tcp_flags & (FLAG_FIN | FLAG_SYN | FLAG_RST | FLAG_PSH | FLAG_ACK));
    if (!(s.seg.flags & FLAG_ACK)) s.seg.ack = 0;
    s.seg.wnd = tcp.be16(14);
    s.seg.len = static_cast<std::uint32_t>(tcp_len - hlen);
    parse_options(tcp, hlen, s.options);
    if (tcp.n >= tcp_len) {
      s.checksum_checked = true;
      const std::uint16_t c = s.ip_version == 4 ? tcp_checksum_ipv4(ip_src.p, ip_dst.p, tcp.p, tcp_len)
                                                : tcp_checksum_ipv6(ip_src.p, ip_dst.p, tcp.p, tcp_len);
      s.checksum_ok = c == 0;  // the sum over a segment with its checksum is zero
    }
    r.segments.push_back(s);
  }

  void parse_ipv4(Bytes b, const CapturedSegment& base) {
    if (!b.has(0, 20)) {
      problem("IPv4 header truncated: " + num(b.n) + " of 20 octets captured");
      return;
    }
    const std::size_t ihl = static_cast<std::size_t>(b.u8(0) & 0x0F) * 4;
    if (ihl < 20) {
      problem("IPv4 header length " + num(ihl) + " is below 20");
      return;
    }
    if (!b.has(0, ihl)) {
      problem("IPv4 options truncated: " + num(b.n) + " of " + num(ihl) + " header octets captured");
      return;
    }
    const std::size_t total = b.be16(2);
    if (total < ihl) {
      problem("IPv4 total length " + num(total) + " is shorter than its header (" + num(ihl) + ")");
      return;
    }
    const std::uint16_t frag = b.be16(6);
    if ((frag & 0x2000) != 0 || (frag & 0x1FFF) != 0) {
      problem("IPv4 fragment: not supported (reassemble the capture first)");
      return;
    }
    if (b.u8(9) != 6) {
      ++r.non_tcp;
      return;
    }
    CapturedSegment s = base;
    s.ip_version = 4;
    std::copy(b.p + 12, b.p + 16, s.src.begin());
    std::copy(b.p + 16, b.p + 20, s.dst.begin());
    // Link-layer padding beyond the total length is not part of the packet;
    // a snapshot length may have cut the packet short.
    const std::size_t have = std::min(b.n, total);
    parse_tcp(b.sub(ihl, have - ihl), total - ihl, s, b.sub(12, 4), b.sub(16, 4));
  }

  void parse_ipv6(Bytes b, const CapturedSegment& base) {
    if (!b.has(0, 40)) {
      problem("IPv6 header truncated: " + num(b.n) + " of 40 octets captured");
      return;
    }
    const std::size_t payload = b.be16(4);
    std::uint8_t next = b.u8(6);
    // RFC 2675: a jumbogram has payload length 0 AND a hop-by-hop header
    // (carrying the Jumbo Payload option). Length 0 with any other next
    // header is an empty packet (e.g. 59, no next header), not a jumbogram
    // (issue 18, D11).
    if (payload == 0 && next == 0) {
      problem("IPv6 jumbogram (payload length 0, hop-by-hop header): not supported");
      return;
    }
    std::size_t at = 40;
    const std::size_t end = 40 + payload;
    for (int hops = 0;; ++hops) {
      if (next == 6) break;
      if (next == 0 || next == 43 || next == 60 || next == 51) {
        // Hop-by-hop, routing and destination options: (len+1)*8 octets;
        // authentication header: (len+2)*4 octets.
        if (!b.has(at, 2) || hops > 16) {
          problem("IPv6 extension header truncated at octet " + num(at));
          return;
        }
        const std::size_t len = next == 51 ? (static_cast<std::size_t>(b.u8(at + 1)) + 2) * 4
                                           : (static_cast<std::size_t>(b.u8(at + 1)) + 1) * 8;
        next = b.u8(at);
        at += len;
        if (at > end) {
          problem("IPv6 extension headers run past the payload length " + num(payload));
          return;
        }
        continue;
      }
      if (next == 44) {
        problem("IPv6 fragment: not supported (reassemble the capture first)");
        return;
      }
      ++r.non_tcp;  // another protocol, or no next header (59)
      return;
    }
    CapturedSegment s = base;
    s.ip_version = 6;
    std::copy(b.p + 8, b.p + 24, s.src.begin());
    std::copy(b.p + 24, b.p + 40, s.dst.begin());
    if (at > end) {
      problem("IPv6 payload length " + num(payload) + " leaves no room for TCP");
      return;
    }
    const std::size_t have = std::min(b.n, end);
    if (at > have) {
      problem("IPv6 packet truncated before its TCP header");
      return;
    }
    parse_tcp(b.sub(at, have - at), end - at, s, b.sub(8, 16), b.sub(24, 16));
  }

  // Dispatches on an EtherType (after skipping VLAN tags at `at`).
  void parse_ethertype(Bytes b, std::size_t type_at, std::size_t at, const CapturedSegment& base) {
    std::uint16_t type = b.be16(type_at);
    // 802.1Q (0x8100), 802.1ad (0x88A8) and the older QinQ 0x9100: a 4-octet
    // tag whose last two octets are the next EtherType.
    for (int tags = 0; type == 0x8100 || type == 0x88A8 || type == 0x9100; ++tags) {
      if (!b.has(at, 4) || tags > 8) {
        problem("VLAN tag truncated at octet " + num(at));
        return;
      }
      type = b.be16(at + 2);
      at += 4;
    }
    if (type == 0x0800) parse_ipv4(b.sub(at, b.n - at), base);
    else if (type == 0x86DD) parse_ipv6(b.sub(at, b.n - at), base);
    else ++r.non_tcp;  // ARP, 802.3 length field, other protocols
  }

  void parse_ip_by_version(Bytes b, const CapturedSegment& base) {
    if (!b.has(0, 1)) {
      problem("empty packet");
      return;
    }
    const int v = b.u8(0) >> 4;
    if (v == 4) parse_ipv4(b, base);
    else if (v == 6) parse_ipv6(b, base);
    else problem("IP version " + num(static_cast<std::uint64_t>(v)) + " is neither 4 nor 6");
  }

  void parse_packet(std::uint32_t link, Bytes b, std::int64_t time_ns) {
    CapturedSegment base;
    base.packet = packet;
    base.time_ns = time_ns;
    switch (link) {
      case 1:  // Ethernet II
        if (!b.has(0, 14)) return problem("Ethernet header truncated: " + num(b.n) + " of 14 octets");
        return parse_ethertype(b, 12, 14, base);
      case 113:  // Linux SLL: protocol at 14
        if (!b.has(0, 16)) return problem("Linux cooked (SLL) header truncated: " + num(b.n) + " of 16 octets");
        return parse_ethertype(b, 14, 16, base);
      case 276:  // Linux SLL2: protocol at 0
        if (!b.has(0, 20)) return problem("Linux cooked (SLL2) header truncated: " + num(b.n) + " of 20 octets");
        return parse_ethertype(b, 0, 20, base);
      case 101:
      case 12:
      case 14: return parse_ip_by_version(b, base);
      case 228:
        if (!b.has(0, 1) || (b.u8(0) >> 4) != 4) return problem("raw IPv4 link type, but not an IPv4 packet");
        return parse_ipv4(b, base);
      case 229:
        if (!b.has(0, 1) || (b.u8(0) >> 4) != 6) return problem("raw IPv6 link type, but not an IPv6 packet");
        return parse_ipv6(b, base);
      case 0:
      case 108: {
        // A 4-octet address family: host byte order of the capturing machine
        // for 0 (BSD loopback), big-endian for 108 (OpenBSD loopback).
        if (!b.has(0, 4)) return problem("loopback header truncated: " + num(b.n) + " of 4 octets");
        std::uint32_t fam = b.be32(0);
        if (link == 0 && fam > 0xFFFF) fam = b.le32(0);
        Bytes ip = b.sub(4, b.n - 4);
        if (fam == 2) return parse_ipv4(ip, base);
        if (fam == 10 || fam == 24 || fam == 28 || fam == 30) return parse_ipv6(ip, base);
        ++r.non_tcp;
        return;
      }
      default:
        return problem("unsupported " + link_type_text(link));
    }
  }
};

bool link_supported(std::uint32_t lt) {
  switch (lt) {
    case 0: case 1: case 12: case 14: case 101: case 108: case 113: case 228: case 229: case 276: return true;
    default: return false;
  }
}

// Timestamps are kept within +-4e18 ns (+-126 years around 1970): any two
// then differ by less than 2^63, so the replay's `time_ns - t0` cannot
// overflow, whatever if_tsresol and if_tsoffset a file claims (issue 18,
// D6: three overflows, each undefined behaviour).
constexpr std::int64_t TIME_NS_LIMIT = 4000000000000000000ll;

std::int64_t clamp_time_ns(long double ns) {
  if (!(ns > -static_cast<long double>(TIME_NS_LIMIT))) return -TIME_NS_LIMIT;  // NaN too
  if (ns > static_cast<long double>(TIME_NS_LIMIT)) return TIME_NS_LIMIT;
  return static_cast<std::int64_t>(ns);
}

// A timestamp in units of 10^-k s (decimal) or 2^-k s, plus an offset in
// seconds, in ns. Decimal resolutions up to ns stay in exact integers while
// they fit; the rest is computed in long double (wide enough never to
// overflow) and clamped before the conversion back to an integer.
std::int64_t ticks_to_ns(std::uint64_t ticks, bool binary, int k, std::int64_t offset_s) {
  if (!binary && k <= 9) {
    std::uint64_t mul = 1;
    for (int i = k; i < 9; ++i) mul *= 10;
    const bool fits = ticks <= static_cast<std::uint64_t>(TIME_NS_LIMIT) / mul && offset_s > -4000000000ll &&
                      offset_s < 4000000000ll;  // then the sum stays under 2^63
    if (fits) return clamp_time_ns(static_cast<long double>(static_cast<std::int64_t>(ticks * mul) + offset_s * 1000000000));
  }
  long double scale = 1;  // 2^k or 10^|k-9|, exact for the values that occur
  for (int i = 0; i < (binary ? k : (k > 9 ? k - 9 : 9 - k)); ++i) scale *= binary ? 2 : 10;
  long double ns = static_cast<long double>(ticks);
  if (binary) ns = ns * 1e9L / scale;
  else if (k > 9) ns /= scale;
  else ns *= scale;
  return clamp_time_ns(ns + static_cast<long double>(offset_s) * 1e9L);
}

//-----------------------------------------------------------------------------
// [SECTION] Reading: pcap and pcapng files
//-----------------------------------------------------------------------------

void parse_pcap(Bytes f, bool big, bool nano, PcapParseResult& r) {
  r.format = nano ? "pcap (nanosecond)" : "pcap";
  if (!f.has(0, 24)) {
    r.error = "truncated pcap file header: " + num(f.n) + " of 24 octets";
    return;
  }
  // The link type is the low 16 bits; the upper ones may carry FCS flags.
  const std::uint32_t link = f.u32(20, big) & 0xFFFF;
  if (!link_supported(link)) {
    r.error = "unsupported " + link_type_text(link) +
              ": tcplab reads Ethernet, Linux cooked capture (SLL, SLL2), raw IP and loopback captures";
    return;
  }
  r.ok = true;
  Reader rd{r};
  std::size_t at = 24;
  while (at < f.n) {
    ++r.packets;
    rd.packet = r.packets;
    rd.offset = at;
    if (!f.has(at, 16)) {
      rd.problem("truncated record header: " + num(f.n - at) + " of 16 octets (the file ends early)");
      --r.packets;
      return;
    }
    const std::uint32_t sec = f.u32(at, big), frac = f.u32(at + 4, big);
    const std::uint32_t incl = f.u32(at + 8, big);
    if (!f.has(at + 16, incl)) {
      rd.problem("truncated packet: the record says " + num(incl) + " octets, " + num(f.n - at - 16) +
                 " remain (the file ends early)");
      return;
    }
    const std::int64_t ns = static_cast<std::int64_t>(sec) * 1000000000 + (nano ? frac : static_cast<std::int64_t>(frac) * 1000);
    rd.offset = at + 16;
    rd.parse_packet(link, f.sub(at + 16, incl), ns);
    at += 16 + static_cast<std::size_t>(incl);
  }
}

struct Interface {
  std::uint32_t link = 0;
  bool binary = false;  // if_tsresol: 2^-k instead of 10^-k
  int resol = 6;
  std::int64_t offset_s = 0;  // if_tsoffset
};

void parse_pcapng(Bytes f, PcapParseResult& r) {
  r.format = "pcapng";
  Reader rd{r};
  std::vector<Interface> ifs;
  bool big = false;
  bool any_section = false;
  std::size_t at = 0;
  while (at < f.n) {
    if (!f.has(at, 12)) {
      if (!any_section) r.error = "truncated pcapng file: " + num(f.n) + " octets";
      else rd.problem("truncated block header at offset " + num(at) + ": " + num(f.n - at) + " octets remain");
      return;
    }
    const std::uint32_t raw_type = f.le32(at);
    if (raw_type == 0x0A0D0D0Au) {
      // Section header: its byte-order magic decides the order of this section.
      const std::uint32_t magic = f.le32(at + 8);
      if (magic == 0x1A2B3C4Du) big = false;
      else if (magic == 0x4D3C2B1Au) big = true;
      else {
        const std::string msg = "pcapng section header at offset " + num(at) + " has a bad byte-order magic";
        if (!any_section) r.error = msg;
        else rd.problem(msg);
        return;
      }
      any_section = true;
      r.ok = true;
      ifs.clear();
    } else if (!any_section) {
      r.error = "not a pcapng file: no section header at offset 0";
      return;
    }
    const std::uint32_t type = f.u32(at, big);
    const std::uint32_t len = f.u32(at + 4, big);
    if (len < 12 || len % 4 != 0 || !f.has(at, len)) {
      rd.offset = at;
      rd.packet = r.packets + 1;
      rd.problem("pcapng block of type " + num(type) + " at offset " + num(at) + " has a bad length " + num(len) +
                 (f.has(at, len) ? "" : " (the file ends early)"));
      return;
    }
    if (f.u32(at + len - 4, big) != len) {
      rd.offset = at;
      rd.packet = r.packets + 1;
      rd.problem("pcapng block at offset " + num(at) + ": trailing length differs from leading length " + num(len));
      return;
    }
    Bytes body = f.sub(at + 8, len - 12);
    if (type == 1) {  // Interface description
      if (!body.has(0, 8)) {
        rd.block_problem(at, "interface description block too short: " + num(body.n) + " of 8 octets");
      } else {
        Interface i;
        i.link = body.u16(0, big);
        std::size_t o = 8;
        while (body.has(o, 4)) {
          const std::uint16_t code = body.u16(o, big), olen = body.u16(o + 2, big);
          if (code == 0 || !body.has(o + 4, olen)) break;
          if (code == 9 && olen >= 1) {
            const std::uint8_t v = body.u8(o + 4);
            i.binary = (v & 0x80) != 0;
            i.resol = v & 0x7F;
          } else if (code == 14 && olen == 8) {
            const std::uint64_t hi = body.u32(o + 4, big), lo = body.u32(o + 8, big);
            i.offset_s = static_cast<std::int64_t>(big ? (hi << 32 | lo) : (lo << 32 | hi));
          }
          o += 4 + ((olen + 3u) & ~3u);
        }
        ifs.push_back(i);
      }
    } else if (type == 6 || type == 3 || type == 2) {  // enhanced, simple, obsolete packet
      ++r.packets;
      rd.packet = r.packets;
      rd.offset = at;
      std::uint32_t iface = 0, cap = 0;
      std::uint64_t ticks = 0;
      std::size_t data = 0;
      bool has_time = true;
      if (type == 6 || type == 2) {
        if (!body.has(0, 20)) {
          rd.problem("packet block too short");
          at += len;
          continue;
        }
        iface = type == 6 ? body.u32(0, big) : body.u16(0, big);
        ticks = static_cast<std::uint64_t>(body.u32(4, big)) << 32 | body.u32(8, big);
        cap = body.u32(12, big);
        data = 20;
      } else {
        if (!body.has(0, 4)) {
          rd.problem("simple packet block too short");
          at += len;
          continue;
        }
        cap = std::min<std::uint32_t>(body.u32(0, big), static_cast<std::uint32_t>(body.n - 4));
        data = 4;
        has_time = false;
      }
      if (!body.has(data, cap)) {
        rd.problem("captured length " + num(cap) + " runs past the end of its block");
      } else if (iface >= ifs.size()) {
        rd.problem("packet names interface " + num(iface) + ", but the section describes " + num(ifs.size()));
      } else {
        const Interface& i = ifs[iface];
        const std::int64_t ns = has_time ? ticks_to_ns(ticks, i.binary, i.resol, i.offset_s) : 0;
        rd.offset = at + 8 + data;
        rd.parse_packet(i.link, body.sub(data, cap), ns);
      }
    }
    // Other blocks (name resolution, statistics, custom, ...) are skipped.
    at += len;
  }
}

}  // namespace

PcapParseResult parse_capture(const std::uint8_t* data, std::size_t n) {
  PcapParseResult r;
  Bytes f{data, data ? n : 0};
  if (!f.has(0, 4)) {
    r.error = "not a capture file: " + num(f.n) + " octets, too short for a pcap or pcapng header";
    return r;
  }
  const std::uint32_t m = f.be32(0);
  if (m == 0xD4C3B2A1u) parse_pcap(f, false, false, r);
  else if (m == 0xA1B2C3D4u) parse_pcap(f, true, false, r);
  else if (m == 0x4D3CB2A1u) parse_pcap(f, false, true, r);
  else if (m == 0xA1B23C4Du) parse_pcap(f, true, true, r);
  else if (m == 0x0A0D0D0Au) parse_pcapng(f, r);
  else {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08X", m);
    r.error = std::string("not a pcap or pcapng file: bad magic number 0x") + hex + " at offset 0";
    return r;
  }
  if (!r.ok) return r;

  // [SECTION] Connections: grouped by the unordered pair of endpoints.
  std::map<std::string, std::size_t> index;
  std::vector<ConnectionEnds> ends;
  for (std::size_t i = 0; i < r.segments.size(); ++i) {
    const CapturedSegment& s = r.segments[i];
    const std::size_t alen = s.ip_version == 4 ? 4 : 16;
    std::string a(reinterpret_cast<const char*>(s.src.data()), alen);
    std::string b(reinterpret_cast<const char*>(s.dst.data()), alen);
    a += static_cast<char>(s.sport >> 8);
    a += static_cast<char>(s.sport & 0xFF);
    b += static_cast<char>(s.dport >> 8);
    b += static_cast<char>(s.dport & 0xFF);
    const std::string key = std::to_string(s.ip_version) + (a < b ? a + '|' + b : b + '|' + a);
    auto it = index.find(key);
    // A port reused after TIME-WAIT (or a new attempt after a refusal) is a
    // new connection: RFC 9293 3.4.1, a new incarnation starts with a SYN.
    if (it != index.end() && starts_again(ends[it->second], s, endpoint_text(s, true) == r.connections[it->second].endpoint[0])) {
      index.erase(it);
      it = index.end();
    }
    if (it == index.end()) {
      CaptureConnection c;
      c.endpoint[0] = endpoint_text(s, true);
      c.endpoint[1] = endpoint_text(s, false);
      c.first_time_ns = s.time_ns;
      it = index.emplace(key, r.connections.size()).first;
      r.connections.push_back(c);
    }
    CaptureConnection& c = r.connections[it->second];
    if (ends.size() < r.connections.size()) ends.resize(r.connections.size());
    ends[it->second].saw(s, endpoint_text(s, true) == c.endpoint[0]);
    c.segments.push_back(i);
    ++c.segment_count;
    if (s.seg.has(FLAG_SYN) && !s.seg.has(FLAG_ACK)) c.has_syn = true;
  }
  return r;
}

//-----------------------------------------------------------------------------
// [SECTION] Connections and summaries
//-----------------------------------------------------------------------------

std::string endpoint_text(const CapturedSegment& s, bool source) {
  const std::array<std::uint8_t, 16>& a = source ? s.src : s.dst;
  const std::uint16_t port = source ? s.sport : s.dport;
  if (s.ip_version == 4)
    return num(a[0]) + "." + num(a[1]) + "." + num(a[2]) + "." + num(a[3]) + ":" + num(port);
  // RFC 5952: lower-case hex, leading zeros dropped, the longest run of two
  // or more zero groups written "::".
  std::uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<std::uint16_t>(a[2 * i] << 8 | a[2 * i + 1]);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out = "[";
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (i > 0 && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out + "]:" + num(port);
}

std::string TcpOptions::text() const {
  std::string t;
  auto add = [&](const std::string& s) { t += (t.empty() ? "" : " ") + s; };
  if (mss >= 0) add("mss=" + num(static_cast<std::uint64_t>(mss)));
  if (sack_permitted) add("sackOK");
  if (has_timestamps) add("ts=" + num(tsval) + "/" + num(tsecr));
  if (wscale >= 0) add("wscale=" + num(static_cast<std::uint64_t>(wscale)));
  for (const auto& b : sack) add("sack=" + num(b.first) + "-" + num(b.second));
  if (unknown > 0) add(num(static_cast<std::uint64_t>(unknown)) + " other");
  if (malformed) add("(malformed options)");
  return t;
}

std::string CaptureConnection::summary() const {
  return endpoint[0] + " <-> " + endpoint[1] + ", " + num(segment_count) +
         (segment_count == 1 ? " segment" : " segments");
}

std::string PcapParseResult::summary() const {
  if (!ok) return error;
  std::string s = format + ", " + num(packets) + (packets == 1 ? " packet: " : " packets: ") +
                  num(segments.size()) + (segments.size() == 1 ? " TCP segment in " : " TCP segments in ") +
                  num(connections.size()) + (connections.size() == 1 ? " connection" : " connections");
  if (non_tcp > 0) s += ", " + num(non_tcp) + " not TCP skipped";
  if (!problems.empty()) s += ", " + num(problems.size()) + (problems.size() == 1 ? " problem" : " problems");
  return s;
}

}  // namespace tcplab
