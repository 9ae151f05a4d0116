// The network between the hosts (one latency for every path, random loss
// from the world's PRNG, drop rules, hosts and links that are down) and how
// an arriving segment finds its connection: by 4-tuple, else the listening
// socket of its port, else no socket (RST, RFC 9293 3.10.7.1).
#include <algorithm>

#include "sockets.h"

namespace tcplab {

namespace {
Packet make_packet(std::uint32_t id, SockAddr src, SockAddr dst, const Segment& seg, Instant now) {
  Packet p;
  p.id = id;
  p.src = src;
  p.dst = dst;
  p.seg = seg;
  p.sent_at = now;
  return p;
}
}  // namespace

void World::transmit(int h, SockAddr src, SockAddr dst, const Segment& seg, bool spoofed) {
  Packet p = make_packet(next_packet_++, src, dst, seg, now_);
  p.spoofed = spoofed;
  p.deliver_at = now_ + config_.latency_ms;
  SockEvent e;
  e.time = now_;
  e.host = h;
  e.pkt = p;
  e.kind = SockEventKind::Sent;
  e.reason = spoofed ? SockReason::SpoofedSyn : SockReason::None;
  auto conn_it = by_tuple_.find({h, src.port, dst.addr, dst.port});
  if (conn_it != by_tuple_.end()) e.conn = conn_it->second;
  trace_.push_back(e);
  const int to = host_by_addr(dst.addr);
  for (DropRule& r : drop_rules_) {
    if (r.count <= 0 || (r.from >= 0 && r.from != h) || (r.to >= 0 && r.to != to) || (seg.flags & r.flags) != r.flags)
      continue;
    --r.count;
    e.kind = SockEventKind::Lost;
    e.reason = SockReason::DroppedByRule;
    trace_.push_back(e);
    return;
  }
  if (h >= 0 && !hosts_[static_cast<std::size_t>(h)].link_up) {
    e.kind = SockEventKind::Lost;
    e.reason = SockReason::LinkDown;
    trace_.push_back(e);
    return;
  }
  if (rng_.chance_ppm(config_.loss_ppm)) p.lost = true;
  // Every path has the same latency, so appending keeps (deliver_at, id) order.
  net_.push_back(p);
}

std::uint32_t World::send_raw(SockAddr src, SockAddr dst, const Segment& seg) {
  if (!config_.keep_trace) trace_.clear();
  const std::uint32_t id = next_packet_;
  transmit(host_by_addr(src.addr), src, dst, seg);
  return id;
}

bool World::take_next_packet(Instant t, Packet& out) {
  if (net_.empty() || net_.front().deliver_at > t) return false;
  out = net_.front();
  net_.erase(net_.begin());
  return true;
}

int World::find_connection(int h, const Packet& p) const {
  auto it = by_tuple_.find({h, p.dst.port, p.src.addr, p.src.port});
  return it == by_tuple_.end() ? -1 : it->second;
}

int World::find_listener(int h, Port port) const {
  for (const Socket& s : hosts_[static_cast<std::size_t>(h)].fds)
    if (s.kind == SockKind::Listening && s.local.port == port) return s.fd;
  return -1;
}

// No socket for the segment: the reply of a host without a TCB (3.10.7.1),
// computed by an endpoint in CLOSED.
void World::answer_no_socket(int h, const Packet& p, SockReason why) {
  Endpoint closed(static_cast<std::uint8_t>(h), EndpointConfig{}, {}, 0);
  Trace tmp;
  closed.on_segment(now_, p.seg, tmp);
  bool replied = false;
  for (const Event& ev : tmp) replied = replied || ev.kind == EventKind::Sent;
  if (replied) note(h, -1, -1, why);
  absorb_reply(h, -1, p, tmp);
}

// The events of an endpoint that keeps no state (a host without a TCB, a
// LISTEN that forks nothing): traced for host h, replies sent back to p's source.
void World::absorb_reply(int h, int fd, const Packet& p, const Trace& tmp) {
  for (const Event& ev : tmp) {
    SockEvent e = event(SockEventKind::Tcp, h, fd);
    e.tcp = ev;
    trace_.push_back(e);
    if (ev.kind == EventKind::Sent) transmit(h, p.dst, p.src, ev.seg);
  }
}

void World::arrive(const Packet& p) {
  const int h = host_by_addr(p.dst.addr);
  SockEvent e;
  e.time = now_;
  e.host = h;
  e.pkt = p;
  e.kind = SockEventKind::Lost;
  if (p.lost) e.reason = SockReason::Lost;
  else if (h < 0) e.reason = SockReason::NoRoute;
  else if (!hosts_[static_cast<std::size_t>(h)].up) e.reason = SockReason::HostDown;
  else if (!hosts_[static_cast<std::size_t>(h)].link_up) e.reason = SockReason::LinkDown;
  if (e.reason != SockReason::None) {
    trace_.push_back(e);
    return;
  }
  e.kind = SockEventKind::Arrived;
  const int conn = find_connection(h, p);
  e.conn = conn;
  trace_.push_back(e);
  if (conn < 0) {
    const int lfd = find_listener(h, p.dst.port);
    if (lfd >= 0) listener_segment(h, lfd, p);
    else answer_no_socket(h, p, SockReason::NoSocketRst);
    return;
  }
  if (reopen_time_wait(conn, p)) return;
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  if (c.probes > 0 && !p.seg.has(FLAG_RST)) note(h, c.fd, conn, SockReason::KeepaliveAnswered);
  c.last_heard = now_;
  c.probes = 0;
  if (c.opt.keepalive && c.keepalive_at != NEVER) c.keepalive_at = now_ + c.opt.keep_idle_ms;
  if (c.listener >= 0 && !c.in_accept_queue && child_segment(conn, p)) return;
  const State st = c.ep.state();
  if (c.orphan && p.seg.len > 0 && hosts_[static_cast<std::size_t>(h)].params.rst_on_orphan_data &&
      (st == State::FinWait1 || st == State::FinWait2)) {
    // Linux tcp_rcv_state_process: after close() nobody will read new data;
    // the connection is reset and the data answered with <SEQ=SEG.ACK><CTL=RST>.
    note(h, -1, conn, SockReason::OrphanDataRst);
    Trace tmp;
    c.ep.abort(now_, tmp);
    for (Event& ev : tmp)
      if (ev.kind == EventKind::Sent) ev.seg = Segment{FLAG_RST, p.seg.ack, 0, 0, 0};
    absorb(conn, tmp);
    forget(conn);
    return;
  }
  Trace tmp;
  c.ep.on_segment(now_, p.seg, tmp);
  absorb(conn, tmp);
}

//-----------------------------------------------------------------------------
// Time
//-----------------------------------------------------------------------------

Instant World::next_deadline() const {
  Instant d = net_.empty() ? NEVER : net_.front().deliver_at;
  for (const auto& kv : by_tuple_) d = std::min(d, conns_[static_cast<std::size_t>(kv.second)].ep.next_deadline());
  return std::min(d, layer_deadline());
}

bool World::step_next() {
  const Instant d = next_deadline();
  if (d == NEVER) return false;
  if (d > now_) now_ = d;
  if (!config_.keep_trace) trace_.clear();
  // One instant: every delivery due (oldest first), then the connections'
  // timers in 4-tuple order, then this layer's timers.
  Packet p;
  while (take_next_packet(now_, p)) arrive(p);
  std::vector<int> due;
  for (const auto& kv : by_tuple_)
    if (conns_[static_cast<std::size_t>(kv.second)].ep.next_deadline() <= now_) due.push_back(kv.second);
  for (int conn : due) {
    Connection& c = conns_[static_cast<std::size_t>(conn)];
    if (c.gone) continue;
    const Host& host = hosts_[static_cast<std::size_t>(c.host)];
    if (c.ep.state() == State::SynSent) {
      // Linux tcp_syn_linear_timeouts: the first SYN retransmissions keep
      // the initial RTO, later ones double it.
      const bool linear = c.ep.retransmit_count() + 1 <= host.params.syn_linear_timeouts;
      c.ep.config().rto_max_ms = linear ? host.params.rto_initial_ms : host.params.rto_max_ms;
    }
    Trace tmp;
    c.ep.on_time(now_, tmp);
    absorb(conn, tmp);
  }
  fire_layer_timers();
  settle();
  return true;
}

void World::advance_to(Instant t) {
  while (next_deadline() <= t)
    if (!step_next()) break;
  if (t > now_) now_ = t;
  settle();
}

}  // namespace tcplab
