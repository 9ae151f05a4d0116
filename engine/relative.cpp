// Relative sequence numbers. See relative.h.
#include "relative.h"

namespace tcplab {

SeqBases sequence_bases(const ReplayResult& r) {
  SeqBases b;
  // A SYN fixes the base wherever it is; otherwise the first segment of the
  // host, then the other host's first ACK.
  for (const ReplayRow& row : r.rows) {
    const int h = row.from;
    if (row.seg.has(FLAG_SYN) && !row.seg.has(FLAG_RST)) {
      b.base[h] = row.seg.seq;
      b.known[h] = true;
    }
  }
  for (const ReplayRow& row : r.rows) {
    const int h = row.from;
    if (!b.known[h] && !row.seg.has(FLAG_RST)) {
      b.base[h] = row.seg.seq - 1;
      b.known[h] = true;
    }
  }
  for (const ReplayRow& row : r.rows) {
    const int other = row.from ^ 1;
    if (!b.known[other] && row.seg.has(FLAG_ACK) && !row.seg.has(FLAG_RST)) {
      b.base[other] = row.seg.ack - 1;
      b.known[other] = true;
    }
  }
  return b;
}

Segment relative_segment(const Segment& s, int from, const SeqBases& b) {
  Segment out = s;
  const int h = from & 1;
  // RFC 9293 3.10.7.1: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> carries no
  // sequence number of its sender's.
  const bool seq_zero_rst = s.has(FLAG_RST) && s.seq == 0;
  if (b.known[h] && !seq_zero_rst) out.seq = s.seq - b.base[h];
  if (b.known[h ^ 1] && s.has(FLAG_ACK)) out.ack = s.ack - b.base[h ^ 1];
  return out;
}

ReplayRow relative_row(const ReplayRow& row, const SeqBases& b) {
  ReplayRow out = row;
  out.seg = relative_segment(row.seg, row.from, b);
  return out;
}

Trace relative_trace(const Trace& t, const SeqBases& b) {
  Trace out = t;
  for (Event& e : out) {
    switch (e.kind) {
      case EventKind::Sent:
      case EventKind::Duplicated: e.seg = relative_segment(e.seg, e.host, b); break;
      case EventKind::Delivered:
      case EventKind::Accepted:
      case EventKind::Rejected:
      case EventKind::Lost:
      case EventKind::Dropped:
      case EventKind::Injected: e.seg = relative_segment(e.seg, e.host ^ 1, b); break;
      case EventKind::Call:
      case EventKind::CallError:
      case EventKind::StateChanged:
      case EventKind::TimerFired:
      case EventKind::Signal: break;
    }
  }
  return out;
}

}  // namespace tcplab
