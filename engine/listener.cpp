// The listening socket: a connection per SYN (RFC 9293 3.10.7.2 makes the
// LISTEN TCB itself move on; a server keeps listening, so each SYN gets a
// new endpoint of its own, as in every real stack). Its SYN queue (children
// in SYN-RECEIVED) and accept queue (children ESTABLISHED, not yet accepted)
// are bounded by the backlog; overflow and SYN cookies follow Linux
// (net/ipv4/tcp_input.c tcp_conn_request, tcp_minisocks.c tcp_check_req,
// syncookies.c).
#include <algorithm>

#include "sockets.h"
#include "syn_cookie.h"

namespace tcplab {

namespace {
constexpr Duration SYNCOOKIE_VALID_MS = 120000;  // Linux TCP_SYNCOOKIE_VALID

CookieTuple cookie_tuple(const Packet& p) {
  return CookieTuple{p.src.addr, p.dst.addr, p.src.port, p.dst.port};
}
std::uint32_t minute_of(Instant t) { return static_cast<std::uint32_t>(t / 60000); }
}  // namespace

// Linux sk_acceptq_is_full: ack_backlog > max_ack_backlog, so backlog + 1
// connections fit; the RFC profile takes the backlog literally.
bool World::acceptq_full(int h, const Socket& l) const {
  const auto n = static_cast<int>(l.accept_queue.size());
  return hosts_[static_cast<std::size_t>(h)].params.accept_queue_plus_one ? n > l.backlog : n >= l.backlog;
}

// Linux 6.x inet_csk_reqsk_queue_is_full: qlen > max_ack_backlog (the same
// bound as the accept queue; tcp_max_syn_backlog matters only beyond it).
bool World::synq_full(int h, const Socket& l) const {
  const auto n = static_cast<int>(l.syn_queue.size());
  return hosts_[static_cast<std::size_t>(h)].params.accept_queue_plus_one ? n > l.backlog : n >= l.backlog;
}

void World::listener_segment(int h, int lfd, const Packet& p) {
  const Segment& s = p.seg;
  if (s.has(FLAG_SYN) && !s.has(FLAG_ACK) && !s.has(FLAG_RST)) {
    listener_syn(h, lfd, p);
    return;
  }
  const Socket* l = sock(h, lfd);
  if (s.has(FLAG_ACK) && !s.has(FLAG_RST) && !s.has(FLAG_SYN) && l->last_cookie != NEVER) {
    listener_cookie_ack(h, lfd, p);
    return;
  }
  // Anything else is what a LISTEN TCB does with it (3.10.7.2): a RST is
  // ignored, an ACK answered <SEQ=SEG.ACK><CTL=RST>, the rest dropped.
  Endpoint listen(static_cast<std::uint8_t>(h), EndpointConfig{}, {}, 0);
  Trace tmp;
  listen.open(now_, false, tmp);
  tmp.clear();
  listen.on_segment(now_, s, tmp);
  absorb_reply(h, lfd, p, tmp);
}

void World::listener_syn(int h, int lfd, const Packet& p, std::vector<Seq> iss) {
  Socket* l = sock(h, lfd);
  const SynCookies mode = hosts_[static_cast<std::size_t>(h)].config.syncookies;
  bool want_cookie = false;
  if (mode == SynCookies::Always || synq_full(h, *l)) {
    if (mode == SynCookies::Off) {
      note(h, lfd, -1, SockReason::ListenerSynQueueFull);
      return;
    }
    want_cookie = true;
  }
  if (acceptq_full(h, *l)) {
    note(h, lfd, -1, SockReason::ListenerAcceptQueueFullSyn);
    return;
  }
  if (want_cookie) {
    // Stateless: <SEQ=cookie><ACK=SEG.SEQ+1><CTL=SYN,ACK>, nothing kept.
    const Host& host = hosts_[static_cast<std::size_t>(h)];
    Segment sa;
    sa.flags = FLAG_SYN | FLAG_ACK;
    sa.seq = syn_cookie_make(host.cookie_secret, cookie_tuple(p), p.seg.seq, minute_of(now_), 3);
    sa.ack = p.seg.seq + 1;
    sa.wnd = host.config.rcv_wnd;
    l->last_cookie = now_;
    note(h, lfd, -1, SockReason::CookieSent);
    transmit(h, p.dst, p.src, sa);
    return;
  }
  const int conn = new_connection(h, p.dst, p.src, iss.empty() ? next_iss(h, p.dst, p.src) : std::move(iss));
  l = sock(h, lfd);
  l->syn_queue.push_back(conn);
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  c.listener = lfd;
  c.opt = l->opt;
  configure_endpoint(h, c.ep, false);
  note(h, lfd, conn, SockReason::ListenerNewRequest);
  Trace tmp;
  c.ep.open(now_, false, tmp);
  c.ep.on_segment(now_, p.seg, tmp);  // 3.10.7.2: SYN,ACK, SYN-RECEIVED
  absorb(conn, tmp);
}

void World::listener_cookie_ack(int h, int lfd, const Packet& p) {
  Socket* l = sock(h, lfd);
  const Host& host = hosts_[static_cast<std::size_t>(h)];
  // Linux tcp_synq_no_recent_overflow: cookies are checked only within two
  // minutes of the last one sent.
  const bool recent = now_ - l->last_cookie < SYNCOOKIE_VALID_MS;
  const int mss = recent ? syn_cookie_check(host.cookie_secret, cookie_tuple(p), p.seg.seq - 1, p.seg.ack - 1,
                                            minute_of(now_))
                         : -1;
  if (mss < 0) {
    answer_no_socket(h, p, SockReason::CookieInvalid);
    return;
  }
  if (acceptq_full(h, *l)) {
    note(h, lfd, -1, SockReason::CookieAcceptQueueFull);
    return;
  }
  const int conn = new_connection(h, p.dst, p.src, {});
  l = sock(h, lfd);
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  c.listener = lfd;
  c.opt = l->opt;
  c.from_cookie = true;
  note(h, lfd, conn, SockReason::CookieValid);
  Trace tmp;
  // The TCB is rebuilt from the ACK: ISS = cookie, IRS = SEG.SEQ - 1.
  c.ep.synchronize(now_, p.seg.ack, p.seg.seq, p.seg.wnd, tmp);
  for (Event& ev : tmp) ev.reason = Reason::None;
  absorb(conn, tmp);
  if (p.seg.len > 0 || p.seg.has(FLAG_FIN)) {
    conns_[static_cast<std::size_t>(conn)].ep.on_segment(now_, p.seg, tmp);
    absorb(conn, tmp);
  }
}

// A segment for a child still in the SYN queue. True when the listener
// handled it (the endpoint never sees it).
bool World::child_segment(int conn, const Packet& p) {
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  const int h = c.host;
  const Host& host = hosts_[static_cast<std::size_t>(h)];
  const Segment& s = p.seg;
  if (c.ep.state() != State::SynReceived) return false;
  if (s.has(FLAG_SYN) && !s.has(FLAG_ACK) && !s.has(FLAG_RST) && s.seq == c.ep.tcb().irs &&
      host.params.resend_synack_on_syn) {
    // Linux tcp_check_req: a retransmitted SYN gets the SYN,ACK again
    // (inet_rtx_syn_ack), counted as a retransmission.
    note(h, c.listener, conn, SockReason::ListenerRepeatedSyn);
    Trace tmp;
    c.ep.fire(now_, TimerKind::Retransmit, tmp);
    absorb(conn, tmp);
    return true;
  }
  const bool final_ack = s.has(FLAG_ACK) && !s.has(FLAG_SYN) && !s.has(FLAG_RST) && s.ack == c.ep.tcb().iss + 1;
  const Socket* l = sock(h, c.listener);
  if (!final_ack || l == nullptr || !acceptq_full(h, *l)) return false;
  if (host.config.abort_on_overflow) {
    note(h, c.listener, conn, SockReason::ListenerOverflowRst);
    transmit(h, c.local, c.remote, Segment{FLAG_RST, s.ack, 0, 0, 0});
    forget(conn);
    return true;
  }
  // Linux tcp_check_req listen_overflow: inet_rsk(req)->acked = 1, the ACK
  // is dropped; the SYN,ACK timer goes on and the client's answer to the
  // next SYN,ACK is another chance.
  c.final_ack_dropped = true;
  note(h, c.listener, conn, SockReason::ListenerOverflowDropAck);
  return true;
}

// RFC 1122 4.2.2.13 and Linux tcp_timewait_state_process (TCP_TW_SYN): a
// SYN above RCV.NXT of a TIME-WAIT ends it, and the listener takes the SYN
// with an ISN above everything the old connection sent (SND.NXT + 65537).
bool World::reopen_time_wait(int conn, const Packet& p) {
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  const Segment& s = p.seg;
  if (c.ep.state() != State::TimeWait || !s.has(FLAG_SYN) || s.has(FLAG_ACK) || s.has(FLAG_RST)) return false;
  if (!hosts_[static_cast<std::size_t>(c.host)].params.reopen_time_wait || !seq_gt(s.seq, c.ep.tcb().rcv_nxt)) return false;
  const int lfd = find_listener(c.host, p.dst.port);
  if (lfd < 0) return false;
  const Seq iss = c.ep.tcb().snd_nxt + 65537;
  note(c.host, lfd, conn, SockReason::TimeWaitReopened);
  const int h = c.host;
  forget(conn);
  listener_syn(h, lfd, p, {iss});
  return true;
}

void World::queue_to_accept(int conn) {
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  Socket* l = sock(c.host, c.listener);
  if (l == nullptr) return;
  auto& q = l->syn_queue;
  q.erase(std::remove(q.begin(), q.end(), conn), q.end());
  l->accept_queue.push_back(conn);
  c.in_accept_queue = true;
  note(c.host, c.listener, conn, SockReason::ListenerToAcceptQueue);
}

}  // namespace tcplab
