// Replay: when did each captured segment reach its receiver? A capture lists
// segments in the order one point of the path saw them, not in the order
// the hosts processed them: two segments can cross (both FINs of a
// simultaneous close, both SYNs of a simultaneous open, data or a RST
// crossing a FIN). The plan below infers, from the segments alone, after
// which captured segment each one was delivered, so the replay hands it to
// its receiver neither too early (which would make the receiver's own later
// segments impossible) nor too late.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "segment.h"

namespace tcplab {

// Where the capture was taken. Timestamps are trusted only where the point
// makes them meaningful: at A, A's segments are stamped when sent and B's
// when they reach A (so a segment toward B cannot have arrived before B sent
// something stamped less than one round trip later); in the middle, both
// directions are judged that way; Unknown trusts no timestamp.
enum class CapturePoint : std::uint8_t { Unknown, AtA, AtB, Middle };
const char* capture_point_name(CapturePoint p);  // "unknown", "a", "b", "middle"
// "a", "b", "middle", "unknown" (as the command line spells them).
bool parse_capture_point(const std::string& text, CapturePoint& out);

struct OrderedSegment {
  int from = 0;              // HOST_A or HOST_B
  Segment seg;
  std::int64_t time_ns = 0;  // capture timestamp
};

// Why a segment was kept in flight past its own row.
enum class HoldRule : std::uint8_t {
  None,       // delivered right after its own row
  AckBelow,   // the receiver later sent an ACK below its end (RFC 9293 3.10.7.4)
  BareSyn,    // the receiver later sent a SYN without ACK (3.10.7.2/3.10.7.3)
  RstUnseen,  // the receiver went on sending after an acceptable RST (3.10.7.4, RFC 5961 3.2)
  RstReply,   // the receiver answered it with a RST from CLOSED, after a RST of its own (3.10.7.1)
  TooSoon,    // the receiver's segment left clearly less than one round trip after it (under 3/4)
  Fifo,       // an earlier segment in the same direction was still in flight
};
const char* hold_rule_key(HoldRule r);  // "none", "ack_below", ...

struct Delivery {
  std::size_t after = 0;  // delivered right after this row (>= the segment's own)
  HoldRule rule = HoldRule::None;
};

// One Delivery per segment of `segs` (one connection, capture order).
std::vector<Delivery> delivery_plan(const std::vector<OrderedSegment>& segs, CapturePoint point);

}  // namespace tcplab
