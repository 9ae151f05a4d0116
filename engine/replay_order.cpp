// When each captured segment reached its receiver. See replay_order.h.
//
// A segment f from x to y is delivered right after its own row unless a
// later segment s of y shows that f had not reached y when y sent s; then f
// is delivered right after the last such s (before the first of y's
// segments that acknowledges it). The rules that hold f, in the order the
// code tries them, are the HoldRule values.
#include "replay_order.h"

#include <algorithm>
#include <limits>

namespace tcplab {

const char* capture_point_name(CapturePoint p) {
  switch (p) {
    case CapturePoint::Unknown: return "unknown";
    case CapturePoint::AtA: return "a";
    case CapturePoint::AtB: return "b";
    case CapturePoint::Middle: return "middle";
  }
  return "unknown";
}

bool parse_capture_point(const std::string& text, CapturePoint& out) {
  for (CapturePoint p : {CapturePoint::Unknown, CapturePoint::AtA, CapturePoint::AtB, CapturePoint::Middle}) {
    if (text == capture_point_name(p)) {
      out = p;
      return true;
    }
  }
  return false;
}

const char* hold_rule_key(HoldRule r) {
  switch (r) {
    case HoldRule::None: return "none";
    case HoldRule::AckBelow: return "ack_below";
    case HoldRule::BareSyn: return "bare_syn";
    case HoldRule::RstUnseen: return "rst_unseen";
    case HoldRule::RstReply: return "rst_reply";
    case HoldRule::TooSoon: return "too_soon";
    case HoldRule::Fifo: return "fifo";
  }
  return "none";
}

namespace {

constexpr std::int64_t NO_RTT = std::numeric_limits<std::int64_t>::max();

// Are the timestamps of segments travelling toward `host` meaningful? At A,
// segments toward B are stamped when A sends them and B's answers when they
// reach A: the gap between them is at least one round trip when B had the
// segment before answering. Toward the capture host itself every arrival is
// stamped, so no timestamp can say a segment had not arrived.
bool trusted_toward(CapturePoint p, int host) {
  switch (p) {
    case CapturePoint::Unknown: return false;
    case CapturePoint::AtA: return host == 1;
    case CapturePoint::AtB: return host == 0;
    case CapturePoint::Middle: return true;
  }
  return false;
}

Seq end_of(const Segment& s) { return s.seq + s.seg_len(); }

// Does f (toward y) occupy sequence space that no earlier segment toward y
// occupied? Only then can an ACK of y prove that f itself arrived.
std::vector<bool> new_space(const std::vector<OrderedSegment>& segs) {
  std::vector<bool> out(segs.size(), false);
  bool have[2] = {false, false};
  Seq covered[2] = {0, 0};
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const Segment& f = segs[i].seg;
    const int dir = segs[i].from & 1;
    if (f.seg_len() == 0) continue;
    const Seq end = end_of(f);
    out[i] = !have[dir] || seq_gt(end, covered[dir]);
    if (out[i]) covered[dir] = end;
    have[dir] = true;
  }
  return out;
}

// The first of y's segments after i whose ACK covers f (RFC 9293 3.10.7.4:
// an ACK acknowledges everything received in order up to it): f had arrived
// by then. segs.size() when there is none.
std::size_t proof_row(const std::vector<OrderedSegment>& segs, std::size_t i) {
  const int y = segs[i].from ^ 1;
  const Seq end = end_of(segs[i].seg);
  for (std::size_t j = i + 1; j < segs.size(); ++j) {
    const Segment& s = segs[j].seg;
    if (segs[j].from == y && s.has(FLAG_ACK) && seq_ge(s.ack, end)) return j;
  }
  return segs.size();
}

// Per receiving host, the shortest gap between a segment toward it and the
// first segment of it that acknowledges it: the round trip as this capture
// point sees it.
void round_trips(const std::vector<OrderedSegment>& segs, const std::vector<bool>& fresh,
                 const std::vector<std::size_t>& proof, std::int64_t rtt[2]) {
  rtt[0] = rtt[1] = NO_RTT;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (!fresh[i] || proof[i] >= segs.size()) continue;
    const int y = segs[i].from ^ 1;
    rtt[y] = std::min(rtt[y], segs[proof[i]].time_ns - segs[i].time_ns);
  }
}

// Which rule, if any, says that f (row i) had not reached y when y sent s (row j)?
HoldRule holds(const OrderedSegment& f, bool fresh, const OrderedSegment& s, bool timed, std::int64_t rtt) {
  const Segment& a = f.seg;
  const Segment& b = s.seg;
  // 3.10.7.4: y's ACK is its RCV.NXT; below f's end, f had not arrived.
  if (fresh && b.has(FLAG_ACK) && seq_lt(b.ack, end_of(a))) return HoldRule::AckBelow;
  // 3.10.7.2 / 3.10.7.3: a host that has a SYN answers with SYN,ACK; a SYN
  // without ACK says it had none.
  if (a.has(FLAG_SYN) && b.has(FLAG_SYN) && !b.has(FLAG_ACK)) return HoldRule::BareSyn;
  // 3.10.7.4 second check (RFC 5961 3.2): a RST at exactly RCV.NXT closes the
  // connection; y sending anything but a RST afterwards had not seen it.
  if (a.has(FLAG_RST) && !b.has(FLAG_RST) && b.has(FLAG_ACK) && b.ack == a.seq) return HoldRule::RstUnseen;
  // y answered sooner than a round trip after f: f cannot have been there.
  // The shortest round trip seen includes the hosts' own delays and jitter
  // (about 10 ms of 400 on the relay of tests/captures): a quarter of it is
  // left as margin, so only clear cases are held.
  if (timed && rtt != NO_RTT && s.time_ns - f.time_ns < rtt - rtt / 4) return HoldRule::TooSoon;
  return HoldRule::None;
}

// 3.10.7.1: a host without a connection answers a segment that has an ACK
// with <SEQ=SEG.ACK><CTL=RST>. When y sends such a RST for f after a RST of
// its own (its abort), f reached y after that abort: the last RST of y
// before the reply. segs.size() when the capture does not show that.
std::size_t reset_before_reply(const std::vector<OrderedSegment>& segs, std::size_t i) {
  const Segment& f = segs[i].seg;
  if (!f.has(FLAG_ACK) || f.has(FLAG_RST) || f.seg_len() == 0) return segs.size();
  const int y = segs[i].from ^ 1;
  std::size_t abort = segs.size();
  for (std::size_t j = i + 1; j < segs.size(); ++j) {
    const Segment& s = segs[j].seg;
    if (segs[j].from != y || !s.has(FLAG_RST)) continue;
    if (abort < segs.size() && !s.has(FLAG_ACK) && s.seq == f.ack) return abort;
    abort = j;
  }
  return segs.size();
}

}  // namespace

std::vector<Delivery> delivery_plan(const std::vector<OrderedSegment>& segs, CapturePoint point) {
  const std::size_t n = segs.size();
  const std::vector<bool> fresh = new_space(segs);
  std::vector<std::size_t> proof(n, n);
  for (std::size_t i = 0; i < n; ++i)
    if (fresh[i]) proof[i] = proof_row(segs, i);
  std::int64_t rtt[2];
  round_trips(segs, fresh, proof, rtt);

  std::vector<Delivery> plan(n);
  std::size_t last_after[2] = {0, 0};
  bool have_last[2] = {false, false};
  for (std::size_t i = 0; i < n; ++i) {
    const int y = segs[i].from ^ 1;
    const bool timed = trusted_toward(point, y);
    Delivery d{i, HoldRule::None};
    // Disproofs only count before the proof; a segment without new sequence
    // space has no proof, and is held only while its receiver's segments
    // keep saying it had not arrived.
    for (std::size_t j = i + 1; j < proof[i]; ++j) {
      if (segs[j].from != y) continue;
      const HoldRule r = holds(segs[i], fresh[i], segs[j], timed, rtt[y]);
      if (r != HoldRule::None) d = {j, r};
      else if (!fresh[i]) break;
    }
    const std::size_t abort = reset_before_reply(segs, i);
    if (abort < n && abort > d.after) d = {abort, HoldRule::RstReply};
    // The path keeps order: nothing overtakes a segment still in flight.
    if (have_last[y] && last_after[y] > d.after) d = {last_after[y], HoldRule::Fifo};
    last_after[y] = d.after;
    have_last[y] = true;
    plan[i] = d;
  }
  return plan;
}

}  // namespace tcplab
