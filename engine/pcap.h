// Captures: a run written as a .pcap file, and .pcap/.pcapng files read back
// into TCP segments grouped by connection. Bytes in, bytes out: the caller
// reads and writes files (the command-line tool, the browser's download and
// file picker).
//
// [SECTION] Writing: trace_to_pcap() puts every segment of a trace on an
//           IPv4 wire with real headers and checksums.
// [SECTION] Reading: parse_capture() accepts classic pcap (both byte orders,
//           micro- and nanosecond timestamps) and pcapng; link types
//           Ethernet (with 802.1Q/802.1ad tags), Linux cooked capture
//           (SLL, SLL2), raw IP and BSD loopback; IPv4 and IPv6. Every
//           problem is a message naming the packet and the byte offset; the
//           reader never reads outside the buffer.
// [SECTION] Connections: segments grouped by their address/port pair, for
//           the learner to pick one.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "segment.h"
#include "trace.h"

namespace tcplab {

// [SECTION] Writing

// The addresses the exported packets carry: host A is the client
// 10.0.0.1:49152, host B the server 10.0.0.2:80 unless said otherwise.
struct PcapEndpoints {
  std::array<std::uint8_t, 4> addr[2] = {{{10, 0, 0, 1}}, {{10, 0, 0, 2}}};
  std::uint16_t port[2] = {49152, 80};
};

struct PcapWriteOptions {
  PcapEndpoints endpoints;
  // false: LINKTYPE_RAW (101), each packet starts with its IPv4 header;
  // true: LINKTYPE_ETHERNET (1) with made-up MAC addresses 02:00:00:00:00:0A/0B.
  bool ethernet = false;
};

// A classic pcap file (microsecond timestamps, little-endian) with one
// IPv4+TCP packet per segment a host put on the wire: every Sent event of the
// trace (retransmissions, replies, hand-built segments; segments later lost
// or dropped too, since the capture point is the sender's wire) and every
// Injected event (the segment as it reached its host). Timestamps are the
// virtual clock (t = 0 is 1970-01-01T00:00:00Z plus the time in ms). Payload
// octets are payload_octet(seq) for each sequence number they occupy.
//
// Refused (an empty vector) when pcap_export_problem() says why: a hand-built
// segment of 4294967295 octets made 65,000 packets and aborted the page in
// operator new (issue 18, D7).
std::vector<std::uint8_t> trace_to_pcap(const Trace& trace, const PcapWriteOptions& options = {});

// Limits of an export. No real segment carries more than 65495 octets (one
// IPv4 packet); 1 MiB leaves room for the runs the lessons make while
// refusing the hand-built giants. The file limit equals what the page and
// tcplab-sim accept as input, so every export can be read back.
constexpr std::uint64_t PCAP_EXPORT_MAX_SEGMENT_OCTETS = 1u << 20;
constexpr std::uint64_t PCAP_EXPORT_MAX_BYTES = 64u << 20;

// Why `trace` cannot be exported ("segment 3 (A -> B) carries 4294967295
// octets; an export takes at most 1048576 per segment"), or "" when it can.
// Computed from the lengths alone, before anything is allocated.
std::string pcap_export_problem(const Trace& trace, const PcapWriteOptions& options = {});

// The octet a segment carries at sequence number `seq`: 'a'..'z' repeating,
// so the same stream always has the same bytes.
std::uint8_t payload_octet(Seq seq);

// RFC 1071 ones' complement sum of `n` octets added to `sum`, not folded.
std::uint32_t checksum_add(std::uint32_t sum, const std::uint8_t* data, std::size_t n);
// Folds a sum to 16 bits and complements it: the value a header carries.
std::uint16_t checksum_finish(std::uint32_t sum);
// The TCP checksum (RFC 9293 3.1) of `tcp` (header + payload, checksum field
// as it is) over the IPv4 pseudo-header of src and dst.
std::uint16_t tcp_checksum_ipv4(const std::uint8_t src[4], const std::uint8_t dst[4],
                                const std::uint8_t* tcp, std::size_t n);
// The same over the IPv6 pseudo-header (RFC 8200 8.1).
std::uint16_t tcp_checksum_ipv6(const std::uint8_t src[16], const std::uint8_t dst[16],
                                const std::uint8_t* tcp, std::size_t n);

// [SECTION] Reading

// TCP options as they were on the wire (RFC 9293 3.2, RFC 7323, RFC 2018).
// They are reported; the state machine does not use them, except the window
// scale that sizes the replay's windows.
struct TcpOptions {
  int mss = -1;       // -1: absent
  int wscale = -1;    // -1: absent
  bool sack_permitted = false;
  std::vector<std::pair<Seq, Seq>> sack;  // SACK blocks (left, right)
  bool has_timestamps = false;
  std::uint32_t tsval = 0, tsecr = 0;
  int unknown = 0;    // options of other kinds
  bool malformed = false;  // the option list ran past the header
  // "mss=65495 sackOK ts=123/0 wscale=7", empty when there are none.
  std::string text() const;
};

struct CapturedSegment {
  std::size_t packet = 0;    // 1-based packet number in the file
  std::int64_t time_ns = 0;  // timestamp, ns since the Unix epoch
  int ip_version = 4;
  // Addresses (IPv4 in the first 4 octets) and ports.
  std::array<std::uint8_t, 16> src{}, dst{};
  std::uint16_t sport = 0, dport = 0;
  std::uint8_t tcp_flags = 0;  // all 8 bits (CWR, ECE, URG too)
  Segment seg;                 // flags (FIN..ACK), seq, ack, wnd as sent (unscaled), payload len
  TcpOptions options;
  // The TCP checksum could be checked (the whole segment was captured) and
  // was right / wrong. Offloaded checksums are often wrong in captures taken
  // on the sending host; this is reported, never a reason to refuse.
  bool checksum_checked = false;
  bool checksum_ok = false;
};

// "10.0.0.1:49152" or "[::1]:80".
std::string endpoint_text(const CapturedSegment& s, bool source);

struct CaptureConnection {
  // The endpoint that sent the connection's first segment, then the other.
  std::string endpoint[2];
  std::size_t segment_count = 0;
  std::int64_t first_time_ns = 0;
  bool has_syn = false;  // a SYN without ACK opens it in the capture
  std::vector<std::size_t> segments;  // indexes into PcapParseResult::segments, capture order
  // "10.0.0.1:49152 <-> 10.0.0.2:80, 9 segments"
  std::string summary() const;
};

struct PcapParseResult {
  // false: the file could not be read at all (bad magic, truncated header,
  // unsupported link type everywhere); `error` says why and where.
  bool ok = false;
  std::string error;
  std::string format;  // "pcap", "pcap (nanosecond)", "pcapng"
  std::size_t packets = 0;   // packets (records / packet blocks) in the file
  std::size_t non_tcp = 0;   // packets that are not TCP (skipped)
  std::vector<CapturedSegment> segments;
  std::vector<CaptureConnection> connections;  // in order of first segment
  // One message per packet that could not be read or was skipped for a
  // reason other than "not TCP" ("packet 7 (offset 412): IPv4 fragment: not
  // supported"), at most 100, then a count.
  std::vector<std::string> problems;
  // A one-line summary: "pcapng, 12 packets: 10 TCP segments in 1
  // connection, 2 not TCP skipped".
  std::string summary() const;
};

// Reads a whole .pcap or .pcapng file. Never reads outside [data, data+n).
PcapParseResult parse_capture(const std::uint8_t* data, std::size_t n);

}  // namespace tcplab
