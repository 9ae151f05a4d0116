// The timers of the sockets layer (keepalive, the orphaned FIN-WAIT-2
// timeout, the SYN flood's clock) and the host events (a process exits, a
// host crashes and reboots, a link goes down and up).
#include <algorithm>

#include "sockets.h"

namespace tcplab {

Instant World::layer_deadline() const {
  Instant d = flood_next_;
  for (const auto& kv : by_tuple_) {
    const Connection& c = conns_[static_cast<std::size_t>(kv.second)];
    d = std::min(d, std::min(c.keepalive_at, c.fin_timeout_at));
  }
  for (const Host& h : hosts_)
    for (const Socket& s : h.fds)
      if (s.kind != SockKind::Closed && s.has_pending && s.pending.until != NEVER) d = std::min(d, s.pending.until);
  return d;
}

void World::fire_layer_timers() {
  std::vector<int> due_ka, due_fin;
  for (const auto& kv : by_tuple_) {
    const Connection& c = conns_[static_cast<std::size_t>(kv.second)];
    if (c.keepalive_at <= now_) due_ka.push_back(kv.second);
    if (c.fin_timeout_at <= now_) due_fin.push_back(kv.second);
  }
  for (int conn : due_ka) keepalive_tick(conn);
  for (int conn : due_fin) {
    Connection& c = conns_[static_cast<std::size_t>(conn)];
    c.fin_timeout_at = NEVER;
    if (c.gone || c.ep.state() != State::FinWait2) continue;  // the FIN came in time
    // Linux tcp_fin_timeout: an orphan waits this long for the peer's FIN,
    // then goes without a segment (RFC 9293 has no such timer).
    note(c.host, -1, conn, SockReason::FinWait2Timeout);
    forget(conn);
  }
  if (flood_next_ <= now_) flood_tick();
}

// RFC 1122 4.2.3.6 and Linux tcp_keepalive_timer: after keep_idle without a
// segment from the peer, a probe every keep_intvl; keep_cnt unanswered
// probes reset the connection with ETIMEDOUT.
void World::keepalive_tick(int conn) {
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  if (c.gone || c.ep.state() != State::Established || !c.opt.keepalive) {
    c.keepalive_at = NEVER;
    return;
  }
  if (c.probes >= c.opt.keep_cnt) {
    c.keepalive_at = NEVER;
    c.error = Errno::TimedOut;
    c.dead = true;
    conn_abort(conn, SockReason::KeepaliveDead);
    return;
  }
  // The probe is <SEQ=SND.UNA-1><ACK=RCV.NXT><CTL=ACK>: an old sequence
  // number, so the peer must answer with an ACK (3.10.7.4 first check).
  Segment probe;
  probe.flags = FLAG_ACK;
  probe.seq = c.ep.tcb().snd_una - 1;
  probe.ack = c.ep.tcb().rcv_nxt;
  probe.wnd = c.ep.tcb().rcv_wnd;
  ++c.probes;
  c.keepalive_at = now_ + c.opt.keep_intvl_ms;
  note(c.host, c.fd, conn, SockReason::KeepaliveProbe);
  transmit(c.host, c.local, c.remote, probe);
}

void World::start_flood(SockAddr target, std::uint32_t per_second, std::uint32_t count) {
  flood_target_ = target;
  flood_left_ = count;
  flood_gap_ms_ = per_second == 0 ? 1000 : std::max<Duration>(1, 1000 / per_second);
  flood_sent_ = per_second > 1000 ? per_second / 1000 : 1;  // SYNs per tick
  flood_next_ = count > 0 ? now_ : NEVER;
}

// Spoofed SYNs from 198.18.0.0/15 (RFC 2544's benchmark range): nobody there
// answers the SYN,ACK, so each half-open connection waits out its retries.
void World::flood_tick() {
  for (std::uint32_t i = 0; i < flood_sent_ && flood_left_ > 0; ++i, --flood_left_) {
    Segment syn;
    syn.flags = FLAG_SYN;
    syn.seq = rng_.next_u32();
    syn.wnd = 64240;
    const SockAddr src{0xC6120000u | rng_.below(0x20000u), static_cast<Port>(1024 + rng_.below(64000))};
    transmit(-1, src, flood_target_, syn, true);
  }
  flood_next_ = flood_left_ > 0 ? now_ + flood_gap_ms_ : NEVER;
}

void World::process_exit(int h) {
  note(h, -1, -1, SockReason::ProcessExit);
  // The kernel closes every descriptor as close() would (RST where data
  // was unread, or SO_LINGER {1, 0}), listeners first.
  const auto& fds = hosts_[static_cast<std::size_t>(h)].fds;
  std::vector<int> order;
  for (const Socket& s : fds)
    if (s.kind == SockKind::Listening) order.push_back(s.fd);
  for (const Socket& s : fds)
    if (s.kind != SockKind::Closed && s.kind != SockKind::Listening) order.push_back(s.fd);
  for (int fd : order) {
    if (Socket* s = sock(h, fd)) {
      s->opt.linger = s->opt.linger && s->opt.linger_s == 0;  // exit never waits to linger
      close(h, fd);
    }
  }
}

void World::crash(int h) {
  note(h, -1, -1, SockReason::HostCrash);
  Host& host = hosts_[static_cast<std::size_t>(h)];
  host.up = false;
  host.fds.clear();
  std::vector<int> mine;
  for (const auto& kv : by_tuple_)
    if (conns_[static_cast<std::size_t>(kv.second)].host == h) mine.push_back(kv.second);
  for (int conn : mine) {
    conns_[static_cast<std::size_t>(conn)].fd = -1;
    forget(conn);
  }
}

void World::reboot(int h) {
  Host& host = hosts_[static_cast<std::size_t>(h)];
  host.up = true;
  ++host.boot;
  host.cookie_secret = rng_.next();
  note(h, -1, -1, SockReason::HostReboot);
}

void World::set_link(int h, bool up) {
  hosts_[static_cast<std::size_t>(h)].link_up = up;
  note(h, -1, -1, up ? SockReason::LinkUp : SockReason::LinkDownNote);
}

}  // namespace tcplab
