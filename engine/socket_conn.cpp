// What happens to a connection as its endpoint moves: errors for the
// application, the peer's FIN, the move from the SYN queue to the accept
// queue, orphans, forgetting a closed connection; and the blocked calls that
// can now return.
#include <algorithm>

#include "sockets.h"

namespace tcplab {

namespace {
// The errno a signal of the endpoint leaves for the application (Ok: none).
Errno errno_of_signal(Reason r) {
  if (r == Reason::SynSentRstReset) return Errno::ConnRefused;  // 3.10.7.3: "connection refused"
  if (r == Reason::RstReset || r == Reason::RstSynReceivedRefused) return Errno::ConnReset;  // 3.10.7.4
  if (r == Reason::TimerRetransmitGiveUp) return Errno::TimedOut;  // 3.8.3 R2
  return Errno::Ok;
}
}  // namespace

void World::on_tcp_event(int conn, const Event& e) {
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  if (e.kind == EventKind::Signal && errno_of_signal(e.reason) != Errno::Ok) {
    c.error = errno_of_signal(e.reason);
    // Linux tcp_reset: a RST in CLOSE-WAIT leaves EPIPE, not ECONNRESET
    // (measured: the send after it fails with EPIPE).
    if (c.error == Errno::ConnReset && e.from == State::CloseWait &&
        hosts_[static_cast<std::size_t>(c.host)].config.profile == StackProfile::Linux)
      c.error = Errno::Pipe;
    c.dead = true;
    if (e.reason == Reason::TimerRetransmitGiveUp && c.listener >= 0 && !c.in_accept_queue)
      note(c.host, c.listener, conn, SockReason::ListenerRequestExpired);
  }
  if (e.kind == EventKind::StateChanged &&
      (e.to == State::CloseWait || e.to == State::Closing || e.to == State::TimeWait))
    c.eof = true;  // each of these is entered on the peer's FIN (3.10.7.4, eighth check)
}

void World::forget(int conn) {
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  if (c.gone) return;
  c.gone = true;
  c.keepalive_at = c.fin_timeout_at = NEVER;
  auto it = by_tuple_.find({c.host, c.local.port, c.remote.addr, c.remote.port});
  if (it != by_tuple_.end() && it->second == conn) by_tuple_.erase(it);
  if (c.listener >= 0) {
    Socket* l = sock(c.host, c.listener);
    // Linux inet_csk_accept: a connection reset while it waits in the accept
    // queue stays there; accept() returns it and its first call reports the
    // error (BSD's ECONNABORTED from accept is not what Linux does).
    if (l != nullptr && c.in_accept_queue && c.dead) return;
    if (l != nullptr) {
      auto drop = [conn](std::vector<int>& q) { q.erase(std::remove(q.begin(), q.end(), conn), q.end()); };
      drop(l->syn_queue);
      drop(l->accept_queue);
    }
    c.listener = -1;
  }
}

void World::after_connection_change(int conn) {
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  if (c.gone) return;
  const Host& host = hosts_[static_cast<std::size_t>(c.host)];
  c.unread += c.ep.octets_received() - c.seen;
  c.seen = c.ep.octets_received();
  const State st = c.ep.state();
  if (st == State::Closed || (c.listener >= 0 && st == State::Listen)) {
    // A child that "returns to LISTEN" (3.10.7.4) is simply forgotten: the
    // listening socket never left LISTEN.
    forget(conn);
    return;
  }
  if (is_synchronized(st) && c.ep.config().max_retransmits != host.params.data_retries) {
    // The handshake is over: data and FIN retransmissions follow tcp_retries2.
    c.ep.config().max_retransmits = host.params.data_retries;
    c.ep.config().rto_max_ms = host.params.rto_max_ms;
  }
  if (c.listener >= 0 && !c.in_accept_queue && is_synchronized(st)) queue_to_accept(conn);
  if (c.orphan && st == State::FinWait2 && c.fin_timeout_at == NEVER && host.params.fin_timeout_ms != NEVER)
    c.fin_timeout_at = now_ + host.params.fin_timeout_ms;
  if (c.opt.keepalive && st == State::Established && c.keepalive_at == NEVER)
    c.keepalive_at = c.last_heard + c.opt.keep_idle_ms;
}

void World::conn_abort(int conn, SockReason why) {
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  if (c.gone) return;
  note(c.host, c.fd, conn, why);
  const Seq rcv_nxt = c.ep.tcb().rcv_nxt;
  Trace tmp;
  c.ep.abort(now_, tmp);
  if (hosts_[static_cast<std::size_t>(c.host)].params.rst_carries_ack) {
    // Linux tcp_send_active_reset: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>.
    for (Event& e : tmp)
      if (e.kind == EventKind::Sent && e.seg.has(FLAG_RST)) {
        e.seg.flags |= FLAG_ACK;
        e.seg.ack = rcv_nxt;
      }
  }
  absorb(conn, tmp);
  forget(conn);
}

void World::release_fd(int h, int fd) {
  Socket* s = sock(h, fd);
  if (s == nullptr) return;
  const int conn = s->conn;
  s->kind = SockKind::Closed;
  s->has_pending = false;
  if (conn >= 0) {
    Connection& c = conns_[static_cast<std::size_t>(conn)];
    c.fd = -1;
    if (!c.gone) {
      c.orphan = true;
      after_connection_change(conn);
    }
  }
}

void World::finish_blocked(int h, int fd, const CallResult& r) {
  Socket* s = sock(h, fd);
  if (s == nullptr) return;
  s->has_pending = false;
  s->has_result = true;
  s->result = r;
}

void World::settle() {
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    for (std::size_t i = 0; i < hosts_[h].fds.size(); ++i) {
      const Socket& s = hosts_[h].fds[i];
      if (s.kind != SockKind::Closed && s.has_pending) try_complete(static_cast<int>(h), s.fd);
    }
  }
}

bool World::try_complete(int h, int fd) {
  Socket* s = sock(h, fd);
  const PendingCall p = s->pending;
  call_arg_ = p.arg;
  switch (p.call) {
    case SockCall::Accept: {
      if (s->accept_queue.empty()) return false;
      const int conn = s->accept_queue.front();
      s->accept_queue.erase(s->accept_queue.begin());
      const SockOptions opt = s->opt;
      const int nfd = new_fd(h);  // may move the fds: `s` is not used after this
      Socket* n = sock(h, nfd);
      Connection& c = conns_[static_cast<std::size_t>(conn)];
      n->kind = SockKind::Connected;
      n->bound = true;
      n->local = c.local;
      n->opt = opt;  // an accepted socket inherits the listener's options
      n->conn = conn;
      c.fd = nfd;
      c.listener = -1;
      c.in_accept_queue = false;
      c.opt = opt;
      after_connection_change(conn);
      CallResult r = returns(h, fd, SockCall::Accept, nfd, Errno::Ok, SockReason::AcceptDone);
      trace_.back().conn = conn;
      finish_blocked(h, fd, r);
      return true;
    }
    case SockCall::Connect: {
      Connection& c = conns_[static_cast<std::size_t>(s->conn)];
      if (is_synchronized(c.ep.state()) || (c.ep.state() == State::Closed && c.error == Errno::Ok && !c.dead)) {
        s->kind = SockKind::Connected;
        finish_blocked(h, fd, returns(h, fd, SockCall::Connect, 0, Errno::Ok, SockReason::ConnectDone));
        return true;
      }
      if (c.error == Errno::Ok) return false;
      const Errno err = c.error;
      c.error = Errno::Ok;
      // Linux: a failed connect leaves the socket unconnected; connect may be tried again.
      s->kind = SockKind::Fresh;
      s->conn = -1;
      finish_blocked(h, fd, returns(h, fd, SockCall::Connect, -1, err,
                                    err == Errno::ConnRefused ? SockReason::ConnectRefused
                                                              : SockReason::ConnectTimedOut));
      return true;
    }
    case SockCall::Recv: {
      CallResult r;
      if (!recv_now(h, fd, static_cast<std::uint32_t>(p.arg), r)) return false;
      finish_blocked(h, fd, r);
      return true;
    }
    case SockCall::Close: {
      const Connection* c = s->conn >= 0 ? &conns_[static_cast<std::size_t>(s->conn)] : nullptr;
      const bool acked = c == nullptr || c->gone || c->ep.state() == State::FinWait2 ||
                         c->ep.state() == State::TimeWait || c->ep.state() == State::Closed;
      if (!acked && now_ < p.until) return false;
      CallResult r = returns(h, fd, SockCall::Close, 0, Errno::Ok,
                             acked ? SockReason::CloseLingerDone : SockReason::CloseLingerTimeout);
      release_fd(h, fd);
      (void)r;
      return true;
    }
    case SockCall::Socket: case SockCall::Bind: case SockCall::Listen: case SockCall::Send:
    case SockCall::Shutdown: case SockCall::SetSockOpt:
      return false;
  }
  return false;
}

}  // namespace tcplab
