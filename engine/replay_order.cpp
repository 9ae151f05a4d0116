// When each captured segment reached its receiver. See replay_order.h.
//
// A segment f from x to y is delivered right after its own row unless a
// later segment s of y shows that f had not reached y when y sent s; then f
// is delivered right after the last such s (before the first of y's
// segments that acknowledges it). The rules that hold f, in the order the
// code tries them, are the HoldRule values.
#include "replay_order.h"

#include <algorithm>
#include <deque>
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

// For each segment with new sequence space, the first of its receiver's
// later segments whose ACK covers it (RFC 9293 3.10.7.4: an ACK acknowledges
// everything received in order up to it): it had arrived by then.
// segs.size() when there is none. One pass: the ends of new space toward a
// host only grow, so they are covered in order.
std::vector<std::size_t> proof_rows(const std::vector<OrderedSegment>& segs, const std::vector<bool>& fresh) {
  std::vector<std::size_t> proof(segs.size(), segs.size());
  std::deque<std::size_t> waiting[2];  // waiting[y]: fresh segments toward y, not yet covered
  for (std::size_t j = 0; j < segs.size(); ++j) {
    const int h = segs[j].from & 1;
    const Segment& s = segs[j].seg;
    if (s.has(FLAG_ACK)) {
      std::deque<std::size_t>& w = waiting[h];
      while (!w.empty() && seq_ge(s.ack, end_of(segs[w.front()].seg))) {
        proof[w.front()] = j;
        w.pop_front();
      }
    }
    if (fresh[j]) waiting[h ^ 1].push_back(j);
  }
  return proof;
}

// rows[h]: the indexes of host h's segments, in capture order.
void rows_of(const std::vector<OrderedSegment>& segs, std::vector<std::size_t> rows[2]) {
  for (std::size_t j = 0; j < segs.size(); ++j) rows[segs[j].from & 1].push_back(j);
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
// `resets`: the rows of y's RSTs.
std::size_t reset_before_reply(const std::vector<OrderedSegment>& segs, std::size_t i,
                               const std::vector<std::size_t>& resets) {
  const Segment& f = segs[i].seg;
  if (!f.has(FLAG_ACK) || f.has(FLAG_RST) || f.seg_len() == 0) return segs.size();
  std::size_t abort = segs.size();
  for (auto it = std::upper_bound(resets.begin(), resets.end(), i); it != resets.end(); ++it) {
    const Segment& s = segs[*it].seg;
    if (abort < segs.size() && !s.has(FLAG_ACK) && s.seq == f.ack) return abort;
    abort = *it;
  }
  return segs.size();
}

// The last of y's segments before the proof that says f (row i) had not
// arrived; a segment without new sequence space (no proof) is held only
// while y's segments, one after the other, keep saying so.
Delivery last_hold(const std::vector<OrderedSegment>& segs, std::size_t i, bool fresh, std::size_t proof,
                   const std::vector<std::size_t>& y_rows, bool timed, std::int64_t rtt) {
  Delivery d{i, HoldRule::None};
  auto first = std::upper_bound(y_rows.begin(), y_rows.end(), i);
  if (fresh) {
    // Backwards from the proof: the first that holds is the last one.
    auto it = std::lower_bound(first, y_rows.end(), proof);
    while (it != first) {
      --it;
      const HoldRule r = holds(segs[i], true, segs[*it], timed, rtt);
      if (r != HoldRule::None) return {*it, r};
    }
    return d;
  }
  for (auto it = first; it != y_rows.end(); ++it) {
    const HoldRule r = holds(segs[i], false, segs[*it], timed, rtt);
    if (r == HoldRule::None) break;
    d = {*it, r};
  }
  return d;
}

}  // namespace

std::vector<Delivery> delivery_plan(const std::vector<OrderedSegment>& segs, CapturePoint point) {
  const std::size_t n = segs.size();
  const std::vector<bool> fresh = new_space(segs);
  const std::vector<std::size_t> proof = proof_rows(segs, fresh);
  std::int64_t rtt[2];
  round_trips(segs, fresh, proof, rtt);
  std::vector<std::size_t> rows[2], resets[2];
  rows_of(segs, rows);
  for (std::size_t j = 0; j < n; ++j)
    if (segs[j].seg.has(FLAG_RST)) resets[segs[j].from & 1].push_back(j);

  std::vector<Delivery> plan(n);
  std::size_t last_after[2] = {0, 0};
  bool have_last[2] = {false, false};
  for (std::size_t i = 0; i < n; ++i) {
    const int y = segs[i].from ^ 1;
    Delivery d = last_hold(segs, i, fresh[i], proof[i], rows[y], trusted_toward(point, y), rtt[y]);
    const std::size_t abort = reset_before_reply(segs, i, resets[y]);
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
