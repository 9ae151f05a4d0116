// Sequence numbers relative to each side's initial sequence number, as
// Wireshark shows them by default: a host's SYN is 0, its first data octet
// 1; the ACK field is relative to the other side's ISN. Display only: the
// replay and the engine always work with the absolute numbers.
#pragma once
#include "replay.h"
#include "trace.h"

namespace tcplab {

struct SeqBases {
  // base[h]: the number host h's relative 0 stands for (its ISN).
  Seq base[2] = {0, 0};
  // false: nothing in the capture tells (the numbers stay absolute).
  bool known[2] = {false, false};
};

// Wireshark's rule: a host's base is the SEQ of its SYN; without one (the
// capture begins late) its first SEQ minus 1; without any segment of its
// own, the first ACK the other host sends it, minus 1.
SeqBases sequence_bases(const ReplayResult& r);

// `s` sent by `from`, with SEQ relative to from's base and ACK (when set)
// relative to the other host's. A RST with SEQ 0 and no ACK (a reply from
// CLOSED to a segment without ACK) keeps SEQ 0.
Segment relative_segment(const Segment& s, int from, const SeqBases& b);
// A row with its segment made relative (its options text keeps SACK and
// timestamp values absolute).
ReplayRow relative_row(const ReplayRow& row, const SeqBases& b);
// A trace with every segment made relative (for the ladder): the sender of
// a Sent or Duplicated event is its host, of every other event carrying a
// segment the other host.
Trace relative_trace(const Trace& t, const SeqBases& b);

}  // namespace tcplab
