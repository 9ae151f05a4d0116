// Captures (engine/pcap.h): checksums, the writer read back, every supported
// file format and link type from hand-built bytes, clear messages for
// malformed files, and a fuzz test of the reader.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "pcap.h"
#include "replay.h"
#include "rng.h"
#include "simulation.h"

using namespace tcplab;

namespace {

using Bytes = std::vector<std::uint8_t>;

void be16(Bytes& b, unsigned v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void be32(Bytes& b, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void le16(Bytes& b, unsigned v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void le32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void u32(Bytes& b, std::uint32_t v, bool big) { big ? be32(b, v) : le32(b, v); }
void u16(Bytes& b, unsigned v, bool big) { big ? be16(b, v) : le16(b, v); }

// A TCP header (with options) and `len` payload octets, checksum over the
// pseudo-header filled in by the caller's IP layer.
Bytes tcp_segment(std::uint16_t sport, std::uint16_t dport, Seq seq, Seq ack, std::uint8_t flags, std::uint32_t len,
                  const Bytes& options = {}) {
  Bytes t;
  be16(t, sport);
  be16(t, dport);
  be32(t, seq);
  be32(t, ack);
  t.push_back(static_cast<std::uint8_t>(((20 + options.size()) / 4) << 4));
  t.push_back(flags);
  be16(t, 512);
  be16(t, 0);
  be16(t, 0);
  t.insert(t.end(), options.begin(), options.end());
  for (std::uint32_t i = 0; i < len; ++i) t.push_back('x');
  return t;
}

Bytes ipv4(const Bytes& tcp, std::uint8_t last_src = 1, std::uint8_t last_dst = 2, std::uint16_t frag = 0x4000) {
  const std::uint8_t src[4] = {192, 168, 0, last_src}, dst[4] = {192, 168, 0, last_dst};
  Bytes t = tcp;
  const std::uint16_t c = tcp_checksum_ipv4(src, dst, t.data(), t.size());
  t[16] = static_cast<std::uint8_t>(c >> 8);
  t[17] = static_cast<std::uint8_t>(c);
  Bytes p = {0x45, 0};
  be16(p, static_cast<unsigned>(20 + t.size()));
  be16(p, 7);
  be16(p, frag);
  p.push_back(64);
  p.push_back(6);
  be16(p, 0);
  p.insert(p.end(), src, src + 4);
  p.insert(p.end(), dst, dst + 4);
  const std::uint16_t h = checksum_finish(checksum_add(0, p.data(), 20));
  p[10] = static_cast<std::uint8_t>(h >> 8);
  p[11] = static_cast<std::uint8_t>(h);
  p.insert(p.end(), t.begin(), t.end());
  return p;
}

// IPv6 ::1 -> ::2 with a hop-by-hop options header before TCP.
Bytes ipv6_hbh(const Bytes& tcp) {
  std::uint8_t src[16] = {}, dst[16] = {};
  src[15] = 1;
  dst[15] = 2;
  Bytes t = tcp;
  const std::uint16_t c = tcp_checksum_ipv6(src, dst, t.data(), t.size());
  t[16] = static_cast<std::uint8_t>(c >> 8);
  t[17] = static_cast<std::uint8_t>(c);
  Bytes p = {0x60, 0, 0, 0};
  be16(p, static_cast<unsigned>(8 + t.size()));
  p.push_back(0);  // next: hop-by-hop
  p.push_back(64);
  p.insert(p.end(), src, src + 16);
  p.insert(p.end(), dst, dst + 16);
  Bytes hbh = {6, 0, 1, 4, 0, 0, 0, 0};  // next: TCP, length 8, PadN
  p.insert(p.end(), hbh.begin(), hbh.end());
  p.insert(p.end(), t.begin(), t.end());
  return p;
}

Bytes pcap_file(std::uint32_t link, const std::vector<Bytes>& packets, bool big = false, bool nano = false) {
  Bytes f;
  u32(f, nano ? 0xA1B23C4Du : 0xA1B2C3D4u, big);
  u16(f, 2, big);
  u16(f, 4, big);
  u32(f, 0, big);
  u32(f, 0, big);
  u32(f, 65535, big);
  u32(f, link, big);
  std::uint32_t t = 0;
  for (const Bytes& p : packets) {
    u32(f, 100, big);
    u32(f, nano ? t * 1000 : t, big);
    u32(f, static_cast<std::uint32_t>(p.size()), big);
    u32(f, static_cast<std::uint32_t>(p.size()), big);
    f.insert(f.end(), p.begin(), p.end());
    t += 250;
  }
  return f;
}

void block(Bytes& f, std::uint32_t type, const Bytes& body, bool big) {
  Bytes b = body;
  while (b.size() % 4) b.push_back(0);
  const auto len = static_cast<std::uint32_t>(12 + b.size());
  u32(f, type, big);
  u32(f, len, big);
  f.insert(f.end(), b.begin(), b.end());
  u32(f, len, big);
}

// A pcapng section with one interface (ns resolution when tsresol = 9) and
// enhanced packet blocks, plus a simple packet block and an unknown block.
Bytes pcapng_file(std::uint16_t link, const std::vector<Bytes>& packets, bool big, int tsresol) {
  Bytes f, shb;
  u32(shb, 0x1A2B3C4Du, big);
  u16(shb, 1, big);
  u16(shb, 0, big);
  u32(shb, 0xFFFFFFFFu, big);
  u32(shb, 0xFFFFFFFFu, big);
  block(f, 0x0A0D0D0Au, shb, big);
  Bytes idb;
  u16(idb, link, big);
  u16(idb, 0, big);
  u32(idb, 0, big);
  u16(idb, 9, big);  // if_tsresol
  u16(idb, 1, big);
  idb.push_back(static_cast<std::uint8_t>(tsresol));
  idb.insert(idb.end(), 3, 0);
  u16(idb, 0, big);  // opt_endofopt
  u16(idb, 0, big);
  block(f, 1, idb, big);
  block(f, 0xDEAD, Bytes{1, 2, 3, 4}, big);  // unknown: skipped
  std::uint64_t ticks = 5;
  for (const Bytes& p : packets) {
    Bytes epb;
    u32(epb, 0, big);
    u32(epb, static_cast<std::uint32_t>(ticks >> 32), big);
    u32(epb, static_cast<std::uint32_t>(ticks), big);
    u32(epb, static_cast<std::uint32_t>(p.size()), big);
    u32(epb, static_cast<std::uint32_t>(p.size()), big);
    epb.insert(epb.end(), p.begin(), p.end());
    block(f, 6, epb, big);
    ticks += 1000;
  }
  Bytes spb;
  u32(spb, static_cast<std::uint32_t>(packets[0].size()), big);
  spb.insert(spb.end(), packets[0].begin(), packets[0].end());
  block(f, 3, spb, big);
  return f;
}

// A SYN with MSS, SACK-permitted, timestamps and window scale (as Linux).
const Bytes SYN_OPTIONS = {2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};

std::vector<Bytes> handshake_ipv4() {
  return {ipv4(tcp_segment(40000, 80, 100, 0, FLAG_SYN, 0, SYN_OPTIONS)),
          ipv4(tcp_segment(80, 40000, 900, 101, FLAG_SYN | FLAG_ACK, 0), 2, 1),
          ipv4(tcp_segment(40000, 80, 101, 901, FLAG_ACK, 0))};
}

PcapParseResult parse(const Bytes& b) { return parse_capture(b.data(), b.size()); }

void check_handshake(const PcapParseResult& r, int ip_version = 4) {
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.problems.empty());
  REQUIRE(r.segments.size() >= 3);
  REQUIRE(r.connections.size() == 1);
  CHECK(r.segments[0].ip_version == ip_version);
  CHECK(r.segments[0].seg.flags == FLAG_SYN);
  CHECK(r.segments[0].seg.seq == 100);
  CHECK(r.segments[0].sport == 40000);
  CHECK(r.segments[1].seg.flags == (FLAG_SYN | FLAG_ACK));
  CHECK(r.segments[1].seg.ack == 101);
  CHECK(r.segments[2].seg.ack == 901);
  CHECK(r.segments[0].checksum_checked);
  CHECK(r.segments[0].checksum_ok);
}

bool has_problem(const PcapParseResult& r, const std::string& part) {
  for (const std::string& p : r.problems)
    if (p.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_SUITE_BEGIN("pcap");

TEST_CASE("checksums: RFC 1071 example and a known IPv4 header") {
  const std::uint8_t rfc1071[] = {0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7};
  CHECK(checksum_add(0, rfc1071, sizeof rfc1071) == 0xDDF2);
  CHECK(checksum_finish(checksum_add(0, rfc1071, sizeof rfc1071)) == 0x220D);
  const std::uint8_t header[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                 0x00, 0x00, 0xC0, 0xA8, 0x00, 0x01, 0xC0, 0xA8, 0x00, 0xC7};
  CHECK(checksum_finish(checksum_add(0, header, sizeof header)) == 0xB861);
  // An odd length pads with zero.
  const std::uint8_t odd[] = {0x01, 0x02, 0x03};
  CHECK(checksum_finish(checksum_add(0, odd, 3)) == static_cast<std::uint16_t>(~(0x0102 + 0x0300)));
}

TEST_CASE("writer: a run read back gives every segment sent, with good checksums") {
  for (bool ethernet : {false, true}) {
    CAPTURE(ethernet);
    SimConfig c;
    c.iss[HOST_A] = {1000};
    c.iss[HOST_B] = {5000};
    c.net.auto_deliver = false;
    c.endpoint[HOST_A].send_within_window = false;  // one SEND, one segment
    Simulation sim(c);
    sim.call(HOST_B, Call::OpenPassive);
    sim.call(HOST_A, Call::OpenActive);
    sim.deliver_oldest(0);
    sim.advance_to(1234);
    sim.deliver_oldest(1);
    sim.deliver_oldest(0);
    sim.call(HOST_A, Call::Send, 70000);  // longer than one IPv4 packet: two packets
    sim.drop_oldest(0);                   // lost on the way: still on the sender's wire
    sim.call(HOST_A, Call::Close);
    std::vector<Segment> sent;
    std::vector<int> from;
    std::vector<Instant> when;
    for (const Event& e : sim.trace())
      if (e.kind == EventKind::Sent) {
        sent.push_back(e.seg);
        from.push_back(e.host);
        when.push_back(e.time);
      }
    PcapWriteOptions o;
    o.ethernet = ethernet;
    const Bytes bytes = trace_to_pcap(sim.trace(), o);
    const PcapParseResult r = parse(bytes);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.problems.empty());
    REQUIRE(r.segments.size() == sent.size() + 1);
    REQUIRE(r.connections.size() == 1);
    CHECK(r.connections[0].endpoint[0] == "10.0.0.1:49152");
    CHECK(r.connections[0].endpoint[1] == "10.0.0.2:80");
    std::size_t k = 0;
    for (std::size_t i = 0; i < sent.size(); ++i, ++k) {
      CAPTURE(i);
      const CapturedSegment& g = r.segments[k];
      CHECK(g.checksum_ok);
      CHECK(g.time_ns == when[i] * 1000000);
      CHECK(endpoint_text(g, true) == (from[i] == HOST_A ? "10.0.0.1:49152" : "10.0.0.2:80"));
      CHECK(g.seg.seq == sent[i].seq);
      if (sent[i].len > 65495) {
        CHECK(g.seg.len == 65495);
        ++k;
        CHECK(r.segments[k].seg.seq == sent[i].seq + 65495);
        CHECK(r.segments[k].seg.len == sent[i].len - 65495);
        continue;
      }
      CHECK(g.seg.flags == sent[i].flags);
      CHECK(g.seg.len == sent[i].len);
      if (sent[i].has(FLAG_ACK)) CHECK(g.seg.ack == sent[i].ack);
    }
  }
}

TEST_CASE("reader: pcap in both byte orders, micro- and nanosecond") {
  for (bool big : {false, true})
    for (bool nano : {false, true}) {
      CAPTURE(big);
      CAPTURE(nano);
      const PcapParseResult r = parse(pcap_file(101, handshake_ipv4(), big, nano));
      check_handshake(r);
      CHECK(r.segments[1].time_ns == 100LL * 1000000000 + 250000);
      CHECK(r.format == (nano ? "pcap (nanosecond)" : "pcap"));
    }
}

TEST_CASE("reader: TCP options are reported") {
  const PcapParseResult r = parse(pcap_file(101, handshake_ipv4()));
  REQUIRE(r.ok);
  const TcpOptions& o = r.segments[0].options;
  CHECK(o.mss == 1460);
  CHECK(o.sack_permitted);
  CHECK(o.has_timestamps);
  CHECK(o.tsval == 1);
  CHECK(o.wscale == 7);
  CHECK(o.text() == "mss=1460 sackOK ts=1/0 wscale=7");
}

TEST_CASE("reader: link types") {
  const std::vector<Bytes> ip = handshake_ipv4();
  auto wrap = [&](const Bytes& head) {
    std::vector<Bytes> out;
    for (const Bytes& p : ip) {
      Bytes b = head;
      b.insert(b.end(), p.begin(), p.end());
      out.push_back(b);
    }
    return out;
  };
  const Bytes mac = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};
  SUBCASE("Ethernet") {
    Bytes h = mac;
    be16(h, 0x0800);
    check_handshake(parse(pcap_file(1, wrap(h))));
  }
  SUBCASE("Ethernet with 802.1Q and 802.1ad tags") {
    Bytes h = mac;
    be16(h, 0x88A8);
    be16(h, 10);
    be16(h, 0x8100);
    be16(h, 20);
    be16(h, 0x0800);
    check_handshake(parse(pcap_file(1, wrap(h))));
  }
  SUBCASE("Linux cooked capture (SLL)") {
    Bytes h = {0, 0, 3, 4, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0};  // to us, ARPHRD_LOOPBACK, 6-octet address
    be16(h, 0x0800);
    check_handshake(parse(pcap_file(113, wrap(h))));
  }
  SUBCASE("Linux cooked capture v2 (SLL2)") {
    Bytes h;
    be16(h, 0x0800);
    h.insert(h.end(), 18, 0);
    check_handshake(parse(pcap_file(276, wrap(h))));
  }
  SUBCASE("BSD loopback (host order) and OpenBSD loopback (big-endian)") {
    Bytes le;
    le32(le, 2);
    check_handshake(parse(pcap_file(0, wrap(le))));
    Bytes be;
    be32(be, 2);
    check_handshake(parse(pcap_file(108, wrap(be))));
  }
  SUBCASE("raw IPv4") { check_handshake(parse(pcap_file(228, ip))); }
  SUBCASE("raw IPv6 with a hop-by-hop header") {
    std::vector<Bytes> v6 = {ipv6_hbh(tcp_segment(40000, 80, 100, 0, FLAG_SYN, 0)),
                             ipv6_hbh(tcp_segment(80, 40000, 900, 101, FLAG_SYN | FLAG_ACK, 0)),
                             ipv6_hbh(tcp_segment(40000, 80, 101, 901, FLAG_ACK, 0))};
    // The answer goes the other way: swap the addresses of the second.
    std::swap_ranges(v6[1].begin() + 8, v6[1].begin() + 24, v6[1].begin() + 24);
    const PcapParseResult r = parse(pcap_file(229, v6));
    REQUIRE(r.ok);
    CHECK(r.segments.size() == 3);
    CHECK(r.connections.size() == 1);
    CHECK(endpoint_text(r.segments[0], true) == "[::1]:40000");
    CHECK(r.segments[0].checksum_ok);
  }
  SUBCASE("not TCP is counted and skipped") {
    Bytes h = mac;
    be16(h, 0x0806);  // ARP
    std::vector<Bytes> pk = wrap(h);
    Bytes udp = ip[0];
    udp[9] = 17;
    pk.push_back(udp);
    const PcapParseResult r = parse(pcap_file(1, pk));
    REQUIRE(r.ok);
    CHECK(r.segments.empty());
    CHECK(r.non_tcp == 4);
  }
}

TEST_CASE("reader: pcapng in both byte orders, with if_tsresol, SPB and unknown blocks") {
  for (bool big : {false, true}) {
    CAPTURE(big);
    const PcapParseResult r = parse(pcapng_file(101, handshake_ipv4(), big, 9));
    check_handshake(r);
    CHECK(r.format == "pcapng");
    CHECK(r.packets == 4);
    CHECK(r.segments.size() == 4);
    CHECK(r.segments[1].time_ns == 1005);
  }
  const PcapParseResult us = parse(pcapng_file(101, handshake_ipv4(), false, 6));
  REQUIRE(us.ok);
  CHECK(us.segments[1].time_ns == 1005000);
  const PcapParseResult bin = parse(pcapng_file(101, handshake_ipv4(), false, 0x80 | 10));
  REQUIRE(bin.ok);
  CHECK(bin.segments[1].time_ns == 981445312);  // 1005 / 1024 s
}

TEST_CASE("reader: malformed files get messages naming what and where") {
  CHECK(parse({}).error.find("too short") != std::string::npos);
  CHECK(parse({'h', 'e', 'l', 'l', 'o'}).error.find("bad magic number 0x68656C6C") != std::string::npos);
  Bytes f = pcap_file(101, handshake_ipv4());
  CHECK(parse(Bytes(f.begin(), f.begin() + 10)).error.find("truncated pcap file header") != std::string::npos);
  const PcapParseResult wifi = parse(pcap_file(105, handshake_ipv4()));
  CHECK_FALSE(wifi.ok);
  CHECK(wifi.error.find("unsupported link type 105 (IEEE 802.11)") != std::string::npos);
  const PcapParseResult cut = parse(Bytes(f.begin(), f.end() - 7));
  REQUIRE(cut.ok);
  CHECK(cut.segments.size() == 2);
  CHECK(has_problem(cut, "packet 3 (offset"));
  CHECK(has_problem(cut, "truncated packet"));
  const PcapParseResult frag = parse(pcap_file(101, {ipv4(tcp_segment(1, 2, 3, 4, FLAG_ACK, 0), 1, 2, 0x2000)}));
  CHECK(has_problem(frag, "packet 1 (offset 40): IPv4 fragment: not supported"));
  Bytes short_tcp = ipv4(tcp_segment(1, 2, 3, 4, FLAG_ACK, 0));
  short_tcp.resize(30);
  CHECK(has_problem(parse(pcap_file(101, {short_tcp})), "TCP header truncated: 10 of 20 octets"));
  Bytes bad_offset = ipv4(tcp_segment(1, 2, 3, 4, FLAG_ACK, 0));
  bad_offset[32] = 0x20;
  CHECK(has_problem(parse(pcap_file(101, {bad_offset})), "TCP data offset 2 is below the minimum 5"));
  Bytes ng = pcapng_file(101, handshake_ipv4(), false, 6);
  ng[ng.size() - 1] ^= 0x40;  // trailing length of the last block
  CHECK(has_problem(parse(ng), "trailing length differs"));
  Bytes ng2 = pcapng_file(101, handshake_ipv4(), false, 6);
  ng2[8] = 0;  // byte-order magic
  CHECK(parse(ng2).error.find("bad byte-order magic") != std::string::npos);
}

TEST_CASE("reader: random mutations and truncations never crash or read out of bounds") {
  const Bytes seeds[] = {pcap_file(1, [] {
                           std::vector<Bytes> v;
                           Bytes mac = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x81, 0, 0, 5, 0x08, 0};
                           for (const Bytes& p : handshake_ipv4()) {
                             Bytes b = mac;
                             b.insert(b.end(), p.begin(), p.end());
                             v.push_back(b);
                           }
                           return v;
                         }()),
                         pcapng_file(101, handshake_ipv4(), true, 9),
                         pcap_file(229, {ipv6_hbh(tcp_segment(1, 2, 3, 4, FLAG_SYN, 5, SYN_OPTIONS))}, false, true)};
  Rng rng(42);
  std::size_t parsed = 0;
  for (int round = 0; round < 6000; ++round) {
    Bytes b = seeds[round % 3];
    const std::uint32_t edits = 1 + rng.below(8);
    for (std::uint32_t k = 0; k < edits; ++k) {
      const std::uint32_t at = rng.below(static_cast<std::uint32_t>(b.size()));
      switch (rng.below(4)) {
        case 0: b[at] = static_cast<std::uint8_t>(rng.next_u32()); break;
        case 1: b[at] ^= static_cast<std::uint8_t>(1u << rng.below(8)); break;
        case 2: b[at] = rng.below(2) ? 0xFF : 0x00; break;
        case 3: b.resize(at + 1); break;
      }
    }
    // An exact-size heap copy, so a sanitizer sees any read past the end.
    std::vector<std::uint8_t> exact(b.begin(), b.end());
    const PcapParseResult r = parse_capture(exact.empty() ? nullptr : exact.data(), exact.size());
    if (!r.ok) CHECK_FALSE(r.error.empty());
    for (std::size_t i = 0; i < r.connections.size(); ++i) {
      const ReplayResult rep = replay_connection(r, i);
      CHECK(rep.ok);
      CHECK(rep.rows.size() == r.connections[i].segment_count);
    }
    parsed += r.ok;
  }
  CHECK(parsed > 100);
}


// [issue 18] Hostile pcapng files: D11 (messages), D6 (timestamps).

namespace {

// A little-endian pcapng section: its header, one interface description
// block with `idb_body` as it is, and one enhanced packet block per packet
// at `ticks`.
Bytes pcapng_raw(const Bytes& idb_body, const std::vector<Bytes>& packets, std::uint64_t ticks) {
  Bytes f, shb;
  le32(shb, 0x1A2B3C4Du);
  le16(shb, 1);
  le16(shb, 0);
  le32(shb, 0xFFFFFFFFu);
  le32(shb, 0xFFFFFFFFu);
  block(f, 0x0A0D0D0Au, shb, false);
  block(f, 1, idb_body, false);
  for (const Bytes& p : packets) {
    Bytes epb;
    le32(epb, 0);
    le32(epb, static_cast<std::uint32_t>(ticks >> 32));
    le32(epb, static_cast<std::uint32_t>(ticks));
    le32(epb, static_cast<std::uint32_t>(p.size()));
    le32(epb, static_cast<std::uint32_t>(p.size()));
    epb.insert(epb.end(), p.begin(), p.end());
    block(f, 6, epb, false);
  }
  return f;
}

// An interface (raw IP) with if_tsresol and if_tsoffset options.
Bytes idb(std::uint8_t tsresol, std::int64_t tsoffset) {
  Bytes b;
  le16(b, 101);
  le16(b, 0);
  le32(b, 0);
  le16(b, 9);
  le16(b, 1);
  b.push_back(tsresol);
  b.insert(b.end(), 3, 0);
  le16(b, 14);
  le16(b, 8);
  const auto u = static_cast<std::uint64_t>(tsoffset);
  le32(b, static_cast<std::uint32_t>(u));  // a little-endian 64-bit integer
  le32(b, static_cast<std::uint32_t>(u >> 32));
  le16(b, 0);
  le16(b, 0);
  return b;
}

// An IPv6 header with payload length 0 and the given next header.
Bytes ipv6_empty(std::uint8_t next) {
  Bytes p = {0x60, 0, 0, 0, 0, 0, next, 64};
  p.insert(p.end(), 32, 0);
  return p;
}

constexpr std::int64_t LIMIT = 4000000000000000000ll;  // the reader's clamp

}  // namespace

TEST_CASE("reader: a too-short interface description block names the block, not a packet") {
  const PcapParseResult r = parse(pcapng_raw(Bytes{1, 0, 0, 0}, {}, 0));
  REQUIRE(r.ok);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0] == "pcapng block at offset 28: interface description block too short: 4 of 8 octets");
}

TEST_CASE("reader: IPv6 payload length 0 is a jumbogram only with a hop-by-hop header") {
  const PcapParseResult none = parse(pcap_file(101, {ipv6_empty(59)}));
  CHECK(none.problems.empty());
  CHECK(none.non_tcp == 1);
  CHECK(has_problem(parse(pcap_file(101, {ipv6_empty(0)})), "IPv6 jumbogram"));
  CHECK_FALSE(has_problem(parse(pcap_file(101, {ipv6_empty(6)})), "jumbogram"));
}

TEST_CASE("reader: timestamps from extreme if_tsoffset and if_tsresol are clamped, not overflowed") {
  const std::vector<Bytes> syn = {handshake_ipv4()[0]};
  SUBCASE("a huge positive and negative if_tsoffset") {
    CHECK(parse(pcapng_raw(idb(6, INT64_MAX), syn, 5)).segments.at(0).time_ns == LIMIT);
    CHECK(parse(pcapng_raw(idb(6, INT64_MIN), syn, 5)).segments.at(0).time_ns == -LIMIT);
    CHECK(parse(pcapng_raw(idb(6, -1), syn, 5000000)).segments.at(0).time_ns == 4000000000ll);
  }
  SUBCASE("binary resolution: 2^0 s per tick, the largest tick count") {
    CHECK(parse(pcapng_raw(idb(0x80, 0), syn, UINT64_MAX)).segments.at(0).time_ns == LIMIT);
    CHECK(parse(pcapng_raw(idb(0x80 | 127, 0), syn, 1)).segments.at(0).time_ns == 0);
  }
  SUBCASE("decimal: seconds with the largest tick count; picoseconds") {
    CHECK(parse(pcapng_raw(idb(0, 0), syn, UINT64_MAX)).segments.at(0).time_ns == LIMIT);
    CHECK(parse(pcapng_raw(idb(12, 0), syn, 1000000000000ull)).segments.at(0).time_ns == 1000000000);
  }
}

TEST_CASE("replay: segments at both ends of time replay without overflow") {
  // A SYN at -4e18 ns and its SYN,ACK at +4e18 ns: 8e18 apart, under 2^63.
  const std::vector<Bytes> hs = handshake_ipv4();
  Bytes f = pcapng_raw(idb(6, INT64_MIN), {hs[0]}, 5);
  const Bytes later = pcapng_raw(idb(6, INT64_MAX), {hs[1]}, 5);
  f.insert(f.end(), later.begin(), later.end());
  const PcapParseResult cap = parse(f);
  REQUIRE(cap.segments.size() == 2);
  const ReplayResult r = replay_connection(cap, 0);
  REQUIRE(r.ok);
  CHECK(r.rows.at(1).time == doctest::Approx(8e9));
  CHECK(r.sim.now() > 0);
}

TEST_SUITE_END();
