// Replay of a captured connection through two engine endpoints. See replay.h.
//
// [SECTION] Matching a captured segment with what an engine sends
// [SECTION] Setting up: who is A, windows, ISNs, late start
// [SECTION] One segment: would the sender send it, does the receiver take it
// [SECTION] JSON
#include "replay.h"

#include <algorithm>
#include <cstdio>

namespace tcplab {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Ok: return "ok";
    case Verdict::Unexpected: return "unexpected";
    case Verdict::Rejected: return "rejected";
  }
  return "ok";
}

std::size_t ReplayResult::count(Verdict v) const {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [v](const ReplayRow& r) { return r.verdict == v; }));
}

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Matching a captured segment with what an engine sends
//-----------------------------------------------------------------------------

// Is `got` (captured) the segment `e` (an engine's)? Flags, SEQ, ACK and
// length; PSH is never compared (it says nothing of the state). A RST is
// matched by its SEQ: Linux puts an ACK on the RST of an abort, which the
// RFC allows and which changes nothing for the receiver.
bool same_segment(const Segment& e, const Segment& got) {
  const std::uint8_t fe = e.flags & ~FLAG_PSH, fg = got.flags & ~FLAG_PSH;
  if (fg & FLAG_RST) {
    if (!(fe & FLAG_RST) || e.seq != got.seq) return false;
    if ((fe & FLAG_ACK) && (fg & FLAG_ACK) && e.ack != got.ack) return false;
    return (fe & ~FLAG_ACK) == (fg & ~FLAG_ACK);
  }
  if (fe != fg || e.seq != got.seq || e.len != got.len) return false;
  return !(fg & FLAG_ACK) || e.ack == got.ack;
}

// Several consecutive segments an engine sends for one call sequence (data,
// then a FIN) that a real stack puts in one segment: do they add up to `got`?
bool merged_segment(const std::vector<Segment>& parts, const Segment& got) {
  if (parts.size() < 2) return false;
  Segment m = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const Segment& p = parts[i];
    if (p.seq != m.seq + m.seg_len() || (p.flags & FLAG_RST) || (m.flags & FLAG_FIN)) return false;
    if ((p.flags & FLAG_ACK) != (m.flags & FLAG_ACK) || ((p.flags & FLAG_ACK) && p.ack != m.ack)) return false;
    m.flags = static_cast<std::uint8_t>(m.flags | p.flags);
    m.len += p.len;
  }
  return same_segment(m, got);
}

bool pure_ack(const Segment& s) {
  return s.len == 0 && !(s.flags & (FLAG_SYN | FLAG_FIN | FLAG_RST));
}

// An application call or timer that may make the sender emit a segment.
enum class Act : std::uint8_t { OpenActive, Send, Close, Abort, Retransmit };

Reason apply(Endpoint& e, Instant now, Act a, std::uint32_t octets, Trace& out) {
  switch (a) {
    case Act::OpenActive: return e.open(now, true, out);
    case Act::Send: return e.send(now, octets, out);
    case Act::Close: return e.close(now, out);
    case Act::Abort: return e.abort(now, out);
    case Act::Retransmit: return e.fire(now, TimerKind::Retransmit, out);
  }
  return Reason::None;
}

Reason apply(Simulation& sim, int host, Act a, std::uint32_t octets) {
  switch (a) {
    case Act::OpenActive: return sim.call(host, Call::OpenActive);
    case Act::Send: return sim.call(host, Call::Send, octets);
    case Act::Close: return sim.call(host, Call::Close);
    case Act::Abort: return sim.call(host, Call::Abort);
    case Act::Retransmit: return sim.fire_timer(host, TimerKind::Retransmit);
  }
  return Reason::None;
}

// The calls that could make a host send `s`, most likely first.
std::vector<std::vector<Act>> candidates(const Endpoint& x, const Segment& s) {
  std::vector<std::vector<Act>> c;
  const bool before_nxt = seq_lt(s.seq, x.tcb().snd_nxt);
  if (s.has(FLAG_RST)) {
    c.push_back({Act::Abort});
    return c;
  }
  if (s.has(FLAG_SYN)) {
    if (x.state() == State::Closed || x.state() == State::Listen) c.push_back({Act::OpenActive});
    c.push_back({Act::Retransmit});
    return c;
  }
  if (before_nxt) c.push_back({Act::Retransmit});
  if (s.len > 0 && s.has(FLAG_FIN)) c.push_back({Act::Send, Act::Close});
  else if (s.len > 0) c.push_back({Act::Send});
  else if (s.has(FLAG_FIN)) c.push_back({Act::Close});
  return c;
}

// Why the sender's engine would not send `s` (the first rule it breaks).
Reason unexpected_reason(const Endpoint& x, const Segment& s) {
  if (s.has(FLAG_SYN)) return Reason::ReplayUnexpectedSyn;
  if (s.has(FLAG_RST)) return Reason::ReplayUnexpectedRst;
  const Tcb& t = x.tcb();
  bool known_seq = s.seq == t.snd_nxt;
  for (const Outstanding& o : x.outstanding()) known_seq |= s.seq == o.seq;
  if (!known_seq) return Reason::ReplayUnexpectedSeq;
  if (s.has(FLAG_ACK) && s.ack != t.rcv_nxt) return Reason::ReplayUnexpectedAck;
  if (s.has(FLAG_FIN)) return Reason::ReplayUnexpectedFin;
  if (s.len > 0) return Reason::ReplayUnexpectedData;
  return Reason::ReplayUnexpectedSegment;
}

// What made the sender send the segment, from the reason of the call.
Reason cause_of(Act a, Reason r) { return a == Act::Retransmit ? Reason::TimerRetransmit : r; }

// The captured segment of `row` (network id `id`) reaches its receiver; the
// verdict becomes `rejected` when the receiver's engine refuses it.
void deliver_row(Simulation& sim, ReplayRow& row, std::uint32_t id) {
  const int y = row.from ^ 1;
  const std::size_t at = sim.trace().size();
  sim.deliver(id);
  row.delivered = true;
  for (std::size_t k = at; k < sim.trace().size(); ++k) {
    const Event& e = sim.trace()[k];
    if ((e.kind != EventKind::Accepted && e.kind != EventKind::Rejected) || e.host != y) continue;
    row.received = e.reason;
    if (e.kind == EventKind::Rejected) {
      row.verdict = Verdict::Rejected;
      row.reason = e.reason;
    } else if (row.verdict == Verdict::Ok) {
      row.reason = e.reason;
    }
    break;
  }
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Setting up: who is A, windows, ISNs, late start
//-----------------------------------------------------------------------------

ReplayResult replay_connection(const PcapParseResult& capture, std::size_t connection, std::size_t upto,
                               const ReplayOptions& options) {
  ReplayResult r;
  if (!capture.ok) {
    r.error = capture.error;
    return r;
  }
  if (connection >= capture.connections.size()) {
    r.error = "no connection " + std::to_string(connection) + ": the capture has " +
              std::to_string(capture.connections.size());
    return r;
  }
  const CaptureConnection& conn = capture.connections[connection];
  std::vector<const CapturedSegment*> segs;
  for (std::size_t i : conn.segments)
    if (i < capture.segments.size()) segs.push_back(&capture.segments[i]);
  if (segs.empty()) {
    r.error = "connection " + std::to_string(connection) + " has no segments";
    return r;
  }

  // A is the host that sent the first SYN; when the capture does not begin
  // with one, the first segment's sender.
  const CapturedSegment& first = *segs[0];
  r.late_start = !(first.seg.has(FLAG_SYN) && !first.seg.has(FLAG_ACK));
  const std::string a_name = endpoint_text(first, true);
  r.endpoint[HOST_A] = a_name;
  r.endpoint[HOST_B] = endpoint_text(first, false);
  auto sender = [&](const CapturedSegment& s) { return endpoint_text(s, true) == a_name ? HOST_A : HOST_B; };

  // Window scaling (RFC 7323 2.2): in effect only when both SYNs carry it;
  // the SYNs' own windows are never scaled.
  int ws[2] = {-1, -1};
  const CapturedSegment* syn[2] = {nullptr, nullptr};
  const CapturedSegment* first_of[2] = {nullptr, nullptr};
  for (const CapturedSegment* s : segs) {
    const int h = sender(*s);
    if (!first_of[h]) first_of[h] = s;
    if (s->seg.has(FLAG_SYN) && !syn[h]) {
      syn[h] = s;
      ws[h] = s->options.wscale;
    }
  }
  const bool scaling = ws[0] >= 0 && ws[1] >= 0;
  const bool scale_unknown = r.late_start && !(syn[0] && syn[1]);
  auto window = [&](const CapturedSegment& s, int h) -> std::uint32_t {
    const std::uint32_t w = s.seg.wnd;
    if (s.seg.has(FLAG_SYN)) return w;
    if (scaling) return w << std::min(ws[h], 14);
    if (scale_unknown) return w << 14;  // unknown scale: the largest the window could be
    return w;
  };
  std::uint32_t max_wnd[2] = {1, 1};
  for (const CapturedSegment* s : segs) {
    const int h = sender(*s);
    max_wnd[h] = std::max(max_wnd[h], std::min<std::uint32_t>(window(*s, h), 1u << 30));
  }

  SimConfig c;
  c.seed = 1;
  c.net.auto_deliver = false;
  c.net.latency_ms = 0;
  for (int h = 0; h < 2; ++h) {
    EndpointConfig& e = c.endpoint[h];
    e.rfc5961 = true;  // as Linux
    e.delayed_ack = false;
    e.close_on_fin = false;
    // Timers never fire by themselves: a retransmission in the capture fires
    // the retransmission timer, and TIME-WAIT lasts past any capture.
    e.rto_initial_ms = e.rto_max_ms = 1000000000000LL;
    e.max_retransmits = -1;
    e.msl_ms = 1000000000000LL;
    // Each host receives with the largest window it advertised.
    e.rcv_wnd = max_wnd[h];
    e.send_within_window = false;
    if (syn[h] && !r.late_start) c.iss[h] = {syn[h]->seg.seq};
  }
  r.sim = Simulation(c);
  Simulation& sim = r.sim;

  if (scaling)
    r.notes.push_back({"window scaling: A shifts by " + std::to_string(ws[0]) + ", B by " + std::to_string(ws[1]),
                       "窗口扩大选项：A 的移位数为 " + std::to_string(ws[0]) + "，B 的移位数为 " + std::to_string(ws[1])});
  if (!r.late_start) {
    // B listens before the SYN arrives, unless it refuses it (a RST: no
    // listener) or opens too (a SYN of its own: simultaneous open).
    const CapturedSegment* b = first_of[HOST_B];
    const bool refuses = b && b->seg.has(FLAG_RST);
    const bool opens = b && b->seg.has(FLAG_SYN) && !b->seg.has(FLAG_ACK);
    if (!refuses && !opens) sim.call(HOST_B, Call::OpenPassive);
    if (refuses)
      r.notes.push_back({"B answers the first SYN with a RST: no application listens, so B starts CLOSED",
                         "B 用 RST 回答第一个 SYN：没有应用程序在监听，所以 B 从 CLOSED 开始"});
    if (opens)
      r.notes.push_back({"B sends a SYN of its own: a simultaneous open, both start CLOSED",
                         "B 也发出了自己的 SYN：同时打开，两端都从 CLOSED 开始"});
  } else {
    // The capture began late: both hosts ESTABLISHED, A's SND.NXT and B's
    // RCV.NXT from A's first SEQ, the other direction from A's first ACK (or
    // B's first SEQ).
    const Segment& fa = first.seg;
    Seq b_nxt = fa.has(FLAG_ACK) ? fa.ack : (first_of[HOST_B] ? first_of[HOST_B]->seg.seq : 0);
    sim.synchronize(HOST_A, fa.seq, b_nxt, max_wnd[HOST_B]);
    sim.synchronize(HOST_B, b_nxt, fa.seq, max_wnd[HOST_A]);
    r.late_start_note = "the capture begins after the handshake (its first segment is " + flags_text(fa.flags) +
                        ", not a SYN): both hosts start ESTABLISHED, synchronised from the first segments" +
                        (scale_unknown ? "; the window scale is unknown, so windows are taken as large as they could be" : "");
  }

  //---------------------------------------------------------------------------
  // [SECTION] One segment: would the sender send it, does the receiver take it
  //---------------------------------------------------------------------------

  const std::int64_t t0 = first.time_ns;
  const std::size_t replayed = std::min(upto, segs.size());
  std::vector<OrderedSegment> ordered;
  for (const CapturedSegment* s : segs) ordered.push_back({sender(*s), s->seg, s->time_ns});
  const std::vector<Delivery> plan = delivery_plan(ordered, options.capture_point);
  // Captured segments on the wire, not yet delivered: (row, network id) in
  // capture order. The engine's own segments in flight that are not in this
  // list are ones it would send and the capture has not shown (yet).
  std::vector<std::pair<std::size_t, std::uint32_t>> wire;
  auto on_wire = [&](std::uint32_t id) {
    return std::any_of(wire.begin(), wire.end(), [id](const auto& w) { return w.second == id; });
  };

  for (std::size_t i = 0; i < replayed; ++i) {
    const CapturedSegment& s = *segs[i];
    const int x = sender(s);
    ReplayRow row;
    row.index = i;
    row.packet = s.packet;
    row.time = static_cast<double>(s.time_ns - t0) / 1e9;
    row.from = x;
    row.tcp_flags = s.tcp_flags;
    row.seg = s.seg;
    row.options = s.options.text();
    row.delivered_after = plan[i].after;
    row.held = plan[i].rule;
    row.trace_begin = sim.trace().size();
    sim.set_time(s.time_ns > t0 ? (s.time_ns - t0) / 1000000 : 0);

    Segment cap = s.seg;
    cap.wnd = window(s, x);

    // Segments the sender's engine has already sent and nobody took yet
    // (not one already matched with an earlier captured segment).
    auto pending_match = [&]() -> std::uint32_t {
      for (const InFlight& f : sim.network().in_flight(x))
        if (!on_wire(f.id) && same_segment(f.seg, cap)) return f.id;
      return 0;
    };
    std::uint32_t id = pending_match();
    bool unexpected = false;
    if (id == 0) {
      // Try the calls that could make the sender emit it, on a copy first.
      for (const std::vector<Act>& acts : candidates(sim.endpoint(x), cap)) {
        Endpoint copy = sim.endpoint(x);
        Trace tmp;
        Reason first_reason = Reason::None;
        for (std::size_t k = 0; k < acts.size(); ++k) {
          Reason rr = apply(copy, sim.now(), acts[k], cap.len, tmp);
          if (k == 0) first_reason = cause_of(acts[k], rr);
        }
        std::vector<Segment> sent;
        for (const Event& e : tmp)
          if (e.kind == EventKind::Sent) sent.push_back(e.seg);
        bool single = false;
        for (const Segment& g : sent) single |= same_segment(g, cap);
        const bool merged = !single && merged_segment(sent, cap);
        if (!single && !merged) continue;
        const std::uint32_t before = sim.network().last_id();
        for (Act a : acts) apply(sim, x, a, cap.len);
        row.cause = first_reason;
        if (single) {
          id = pending_match();
        } else {
          // The real stack put the pieces into one segment: that one goes on.
          std::vector<std::uint32_t> pieces;
          for (const InFlight& f : sim.network().in_flight(x))
            if (f.id > before) pieces.push_back(f.id);
          for (std::uint32_t p : pieces) sim.withdraw(p);
          id = sim.send_raw(x, cap);
        }
        break;
      }
    }
    if (id == 0) {
      const Endpoint& ex = sim.endpoint(x);
      if (pure_ack(cap) && cap.seq == ex.tcb().snd_nxt && cap.ack == ex.tcb().rcv_nxt &&
          is_synchronized(ex.state())) {
        row.cause = Reason::ReplayAckRepeated;
      } else {
        unexpected = true;
        row.cause = unexpected_reason(ex, cap);
      }
      id = sim.send_raw(x, cap);
    }
    // The capture shows what the sender really sent: ACKs its engine still
    // owed are covered by this segment (delayed and combined ACKs).
    std::vector<std::uint32_t> stale;
    for (const InFlight& f : sim.network().in_flight(x))
      if (f.id != id && !on_wire(f.id) && pure_ack(f.seg)) stale.push_back(f.id);
    for (std::uint32_t p : stale) sim.withdraw(p);
    row.verdict = unexpected ? Verdict::Unexpected : Verdict::Ok;
    row.reason = unexpected ? row.cause : Reason::None;
    r.rows.push_back(row);
    wire.emplace_back(i, id);

    // Every captured segment whose time has come reaches its receiver, in
    // capture order.
    for (std::size_t w = 0; w < wire.size();) {
      if (plan[wire[w].first].after > i) {
        ++w;
        continue;
      }
      deliver_row(sim, r.rows[wire[w].first], wire[w].second);
      wire.erase(wire.begin() + static_cast<std::ptrdiff_t>(w));
    }
    ReplayRow& done = r.rows.back();
    done.state[0] = sim.endpoint(HOST_A).state();
    done.state[1] = sim.endpoint(HOST_B).state();
    done.trace_end = sim.trace().size();
  }

  // ACKs the engines still owe at the end were not captured; other segments
  // they would have sent stay in flight, and are said.
  for (int d = 0; d < 2; ++d) {
    std::vector<std::uint32_t> stale;
    for (const InFlight& f : sim.network().in_flight(d)) {
      if (on_wire(f.id)) continue;  // captured, still on its way (a partial replay)
      if (pure_ack(f.seg)) stale.push_back(f.id);
      else if (replayed == segs.size())
        r.notes.push_back({std::string(d == HOST_A ? "A" : "B") + "'s engine would also send " + segment_label(f.seg) +
                               ", which is not in the capture",
                           std::string(d == HOST_A ? "A" : "B") + " 的协议栈还会发送 " + segment_label(f.seg) +
                               "，抓包里没有它"});
    }
    sim.withdraw(stale);  // all at once: one by one is quadratic (issue 18, D8)
  }
  r.ok = true;
  return r;
}

//-----------------------------------------------------------------------------
// [SECTION] JSON
//-----------------------------------------------------------------------------

std::string replay_row_json(const ReplayRow& row) {
  std::string flags;
  static const struct {
    std::uint8_t bit;
    const char* name;
  } NAMES[] = {{0x02, "SYN"}, {0x01, "FIN"}, {0x04, "RST"}, {0x08, "PSH"},
               {0x10, "ACK"}, {0x20, "URG"}, {0x40, "ECE"}, {0x80, "CWR"}};
  for (const auto& n : NAMES)
    if (row.tcp_flags & n.bit) flags += std::string(flags.empty() ? "" : ", ") + "\"" + n.name + "\"";
  char time[32];
  std::snprintf(time, sizeof time, "%.6f", row.time);
  return "{\"index\": " + std::to_string(row.index) + ", \"time\": " + time + ", \"from\": \"" +
         (row.from == HOST_A ? "A" : "B") + "\", \"flags\": [" + flags + "], \"seq\": " + std::to_string(row.seg.seq) +
         ", \"ack\": " + std::to_string(row.seg.ack) + ", \"len\": " + std::to_string(row.seg.len) + ", \"A\": \"" +
         state_name(row.state[0]) + "\", \"B\": \"" + state_name(row.state[1]) + "\", \"verdict\": \"" +
         verdict_name(row.verdict) + "\", \"reason\": \"" + reason_key(row.reason) + "\"}";
}

std::string replay_row_json(const ReplayRow& row, std::size_t connection) {
  std::string j = replay_row_json(row);
  j.insert(1, "\"connection\": " + std::to_string(connection) + ", ");
  if (row.delivered_after != row.index) {
    j.pop_back();
    j += ", \"delivered_after\": " + std::to_string(row.delivered_after) + ", \"held\": \"" +
         hold_rule_key(row.held) + "\"}";
  }
  return j;
}

}  // namespace tcplab
