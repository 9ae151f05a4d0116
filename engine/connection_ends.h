// Captures: when does a segment of a known address/port pair start a new
// connection? A pair can carry several incarnations one after the other (a
// port reused after TIME-WAIT, a second attempt after a refused one); RFC
// 9293 3.4.1 has each begin with a SYN. Used by parse_capture's grouping.
#pragma once
#include "segment.h"
#include "pcap.h"

namespace tcplab {

// What one incarnation has shown so far; `first` is true for segments sent
// by the endpoint that sent the incarnation's first segment.
struct ConnectionEnds {
  bool syn_sent[2] = {false, false};
  Seq iss[2] = {0, 0};
  bool fin[2] = {false, false};
  bool rst = false;

  void saw(const CapturedSegment& s, bool first) {
    const int side = first ? 0 : 1;
    if (s.seg.has(FLAG_SYN) && !syn_sent[side]) {
      syn_sent[side] = true;
      iss[side] = s.seg.seq;
    }
    if (s.seg.has(FLAG_FIN)) fin[side] = true;
    if (s.seg.has(FLAG_RST)) rst = true;
  }
};

// A SYN without ACK starts a new incarnation when its sender already opened
// this one with another ISN (not a retransmission), or when this one has
// ended (a RST, or FINs both ways). A SYN from the other side of a
// connection still opening is a simultaneous open, not a new connection.
inline bool starts_again(const ConnectionEnds& e, const CapturedSegment& s, bool first) {
  if (!s.seg.has(FLAG_SYN) || s.seg.has(FLAG_ACK)) return false;
  const int side = first ? 0 : 1;
  if (e.syn_sent[side] && e.iss[side] != s.seg.seq) return true;
  return e.rst || (e.fin[0] && e.fin[1]);
}

}  // namespace tcplab
