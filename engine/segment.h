// A TCP segment as the state machine sees it: control bits, SEQ, ACK,
// window and the number of payload octets (the octets themselves are not
// kept; exporters derive deterministic bytes from the sequence numbers).
#pragma once
#include <cstdint>
#include <string>

#include "seq.h"

namespace tcplab {

enum Flag : std::uint8_t {
  FLAG_FIN = 0x01,
  FLAG_SYN = 0x02,
  FLAG_RST = 0x04,
  FLAG_PSH = 0x08,
  FLAG_ACK = 0x10,
};

struct Segment {
  std::uint8_t flags = 0;
  Seq seq = 0;
  Seq ack = 0;            // meaningful only when FLAG_ACK is set
  std::uint32_t wnd = 0;  // SEG.WND
  std::uint32_t len = 0;  // payload octets (does not count SYN or FIN)

  bool has(Flag f) const { return (flags & f) != 0; }
  // SEG.LEN of RFC 9293: payload plus one for SYN and one for FIN.
  std::uint32_t seg_len() const {
    return len + (has(FLAG_SYN) ? 1u : 0u) + (has(FLAG_FIN) ? 1u : 0u);
  }
  bool operator==(const Segment& o) const {
    return flags == o.flags && seq == o.seq && (ack == o.ack || !has(FLAG_ACK)) &&
           wnd == o.wnd && len == o.len;
  }
};

// "SYN,ACK", "FIN,ACK", "RST,ACK" (Wireshark's order: SYN, FIN, RST, PSH,
// ACK); "none" when no bit is set.
std::string flags_text(std::uint8_t flags);
// "SYN,ACK seq=5000 ack=1001" plus " len=N" when N > 0.
std::string segment_label(const Segment& s);

}  // namespace tcplab
