// The sockets API: each call is traced when made, then either returns at once
// (value or errno) or blocks until settle() finds its condition met.
#include "sockets.h"

namespace tcplab {

namespace {
SockReason error_reason(Errno e) {
  if (e == Errno::ConnReset) return SockReason::ErrReset;
  if (e == Errno::Pipe) return SockReason::SendPipe;
  return SockReason::ErrTimedOut;
}
}  // namespace

CallResult World::socket(int h) {
  made(h, -1, SockCall::Socket, 0);
  const int fd = new_fd(h);
  CallResult r = returns(h, fd, SockCall::Socket, fd, Errno::Ok, SockReason::SocketCreated);
  return r;
}

CallResult World::setsockopt(int h, int fd, SockOpt opt, int value, int value2) {
  made(h, fd, SockCall::SetSockOpt, static_cast<std::int64_t>(opt));
  Socket* s = sock(h, fd);
  if (s == nullptr) return returns(h, fd, SockCall::SetSockOpt, -1, Errno::BadF, SockReason::BadFd);
  switch (opt) {
    case SockOpt::ReuseAddr: s->opt.reuse_addr = value != 0; break;
    case SockOpt::Linger: s->opt.linger = value != 0; s->opt.linger_s = value2; break;
    case SockOpt::KeepAlive: s->opt.keepalive = value != 0; break;
    case SockOpt::KeepIdle: s->opt.keep_idle_ms = static_cast<Duration>(value) * 1000; break;
    case SockOpt::KeepIntvl: s->opt.keep_intvl_ms = static_cast<Duration>(value) * 1000; break;
    case SockOpt::KeepCnt: s->opt.keep_cnt = value; break;
  }
  if (s->conn >= 0) {
    Connection& c = conns_[static_cast<std::size_t>(s->conn)];
    c.opt = s->opt;
    if (!c.opt.keepalive) c.keepalive_at = NEVER;
    // Linux sock_setsockopt arms the keepalive timer a full idle time from now.
    else c.keepalive_at = now_ + c.opt.keep_idle_ms;
    after_connection_change(s->conn);
  }
  return returns(h, fd, SockCall::SetSockOpt, 0, Errno::Ok, SockReason::OptionSet);
}

CallResult World::bind(int h, int fd, Port port) {
  made(h, fd, SockCall::Bind, port);
  Socket* s = sock(h, fd);
  if (s == nullptr) return returns(h, fd, SockCall::Bind, -1, Errno::BadF, SockReason::BadFd);
  if (s->bound || s->kind != SockKind::Fresh) return returns(h, fd, SockCall::Bind, -1, Errno::Inval, SockReason::Invalid);
  if (bind_conflict(h, port, *s)) return returns(h, fd, SockCall::Bind, -1, Errno::AddrInUse, SockReason::BindInUse);
  s->bound = true;
  s->local = SockAddr{hosts_[static_cast<std::size_t>(h)].config.addr, port};
  return returns(h, fd, SockCall::Bind, 0, Errno::Ok, SockReason::BindOk);
}

CallResult World::listen(int h, int fd, int backlog) {
  made(h, fd, SockCall::Listen, backlog);
  Socket* s = sock(h, fd);
  if (s == nullptr) return returns(h, fd, SockCall::Listen, -1, Errno::BadF, SockReason::BadFd);
  if (s->kind != SockKind::Fresh && s->kind != SockKind::Listening)
    return returns(h, fd, SockCall::Listen, -1, Errno::Inval, SockReason::Invalid);
  if (!s->bound) {
    // Linux inet_autobind: listen on an unbound socket takes an ephemeral port.
    s->local = SockAddr{hosts_[static_cast<std::size_t>(h)].config.addr, ephemeral_port(h)};
    s->bound = true;
  }
  // Linux __sys_listen: the backlog is capped by net.core.somaxconn.
  const int cap = hosts_[static_cast<std::size_t>(h)].config.somaxconn;
  s->backlog = backlog < 0 ? 0 : (backlog > cap ? cap : backlog);
  s->kind = SockKind::Listening;
  return returns(h, fd, SockCall::Listen, 0, Errno::Ok, SockReason::ListenOk);
}

CallResult World::accept(int h, int fd) {
  made(h, fd, SockCall::Accept, 0);
  Socket* s = sock(h, fd);
  if (s == nullptr) return returns(h, fd, SockCall::Accept, -1, Errno::BadF, SockReason::BadFd);
  if (s->kind != SockKind::Listening) return returns(h, fd, SockCall::Accept, -1, Errno::Inval, SockReason::Invalid);
  s->pending = PendingCall{SockCall::Accept, now_, 0, NEVER};
  s->has_pending = true;
  if (try_complete(h, fd)) {
    // Returned at once: the result is the return value, not a later event.
    CallResult r;
    take_result(h, fd, r);
    return r;
  }
  s = sock(h, fd);
  s->has_pending = false;
  return blocks(h, fd, SockCall::Accept, 0, SockReason::AcceptBlocks);
}

CallResult World::connect(int h, int fd, SockAddr to) {
  made(h, fd, SockCall::Connect, (static_cast<std::int64_t>(to.addr) << 16) | to.port);
  Socket* s = sock(h, fd);
  if (s == nullptr) return returns(h, fd, SockCall::Connect, -1, Errno::BadF, SockReason::BadFd);
  if (s->kind == SockKind::Connecting) return returns(h, fd, SockCall::Connect, -1, Errno::Already, SockReason::AlreadyConnecting);
  if (s->kind == SockKind::Connected) return returns(h, fd, SockCall::Connect, -1, Errno::IsConn, SockReason::IsConnected);
  if (s->kind == SockKind::Listening) return returns(h, fd, SockCall::Connect, -1, Errno::IsConn, SockReason::Invalid);
  if (!s->bound) {
    const Port p = ephemeral_port(h);
    s = sock(h, fd);
    s->local = SockAddr{hosts_[static_cast<std::size_t>(h)].config.addr, p};
    s->bound = true;
  }
  const int conn = new_connection(h, s->local, to, next_iss(h, s->local, to));
  s = sock(h, fd);
  s->conn = conn;
  s->kind = SockKind::Connecting;
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  c.fd = fd;
  c.opt = s->opt;
  Trace tmp;
  c.ep.open(now_, true, tmp);  // RFC 9293 3.10.1: <SEQ=ISS><CTL=SYN>, SYN-SENT
  CallResult r = blocks(h, fd, SockCall::Connect, (static_cast<std::int64_t>(to.addr) << 16) | to.port,
                        SockReason::ConnectSentSyn);
  absorb(conn, tmp);
  settle();
  return r;
}

CallResult World::send(int h, int fd, std::uint32_t octets) {
  made(h, fd, SockCall::Send, octets);
  Socket* s = sock(h, fd);
  if (s == nullptr) return returns(h, fd, SockCall::Send, -1, Errno::BadF, SockReason::BadFd);
  if (s->conn < 0 || s->kind == SockKind::Connecting)
    return returns(h, fd, SockCall::Send, -1, Errno::NotConn, SockReason::NotConnected);
  Connection& c = conns_[static_cast<std::size_t>(s->conn)];
  if (c.error != Errno::Ok) {
    // Linux sock_error: the pending error is reported once, then cleared.
    const Errno err = c.error;
    c.error = Errno::Ok;
    return returns(h, fd, SockCall::Send, -1, err, error_reason(err));
  }
  const State st = c.ep.state();
  if (c.dead || s->shut_wr || c.gone || (st != State::Established && st != State::CloseWait))
    return returns(h, fd, SockCall::Send, -1, Errno::Pipe, SockReason::SendPipe);
  Trace tmp;
  c.ep.send(now_, octets, tmp);  // RFC 9293 3.10.2
  const int conn = s->conn;
  CallResult r = returns(h, fd, SockCall::Send, octets, Errno::Ok, SockReason::SendDone);
  absorb(conn, tmp);
  settle();
  return r;
}

// recv's answer if it can be given now: data, 0 at the FIN, or the error.
bool World::recv_now(int h, int fd, std::uint32_t max, CallResult& out) {
  Socket* s = sock(h, fd);
  Connection& c = conns_[static_cast<std::size_t>(s->conn)];
  if (c.unread > 0 && !s->shut_rd) {
    const std::uint64_t n = c.unread < max ? c.unread : max;
    c.unread -= n;
    out = returns(h, fd, SockCall::Recv, static_cast<std::int64_t>(n), Errno::Ok, SockReason::RecvData);
    return true;
  }
  // Linux tcp_recvmsg: once the peer's FIN has arrived (SOCK_DONE) recv
  // says 0 before any pending error.
  if (c.eof || s->shut_rd) {
    out = returns(h, fd, SockCall::Recv, 0, Errno::Ok, SockReason::RecvEof);
    return true;
  }
  if (c.error != Errno::Ok) {
    const Errno err = c.error;
    c.error = Errno::Ok;
    out = returns(h, fd, SockCall::Recv, -1, err, error_reason(err));
    return true;
  }
  if (c.dead || c.gone) {
    out = returns(h, fd, SockCall::Recv, 0, Errno::Ok, SockReason::RecvEof);
    return true;
  }
  return false;
}

CallResult World::recv(int h, int fd, std::uint32_t max) {
  made(h, fd, SockCall::Recv, max);
  Socket* s = sock(h, fd);
  if (s == nullptr) return returns(h, fd, SockCall::Recv, -1, Errno::BadF, SockReason::BadFd);
  if (s->conn < 0 || s->kind == SockKind::Connecting)
    return returns(h, fd, SockCall::Recv, -1, Errno::NotConn, SockReason::NotConnected);
  CallResult r;
  if (recv_now(h, fd, max, r)) return r;
  return blocks(h, fd, SockCall::Recv, max, SockReason::RecvBlocks);
}

CallResult World::shutdown(int h, int fd, ShutHow how) {
  made(h, fd, SockCall::Shutdown, static_cast<std::int64_t>(how));
  Socket* s = sock(h, fd);
  if (s == nullptr) return returns(h, fd, SockCall::Shutdown, -1, Errno::BadF, SockReason::BadFd);
  if (s->conn < 0) return returns(h, fd, SockCall::Shutdown, -1, Errno::NotConn, SockReason::NotConnected);
  const int conn = s->conn;
  if (how != ShutHow::Wr) s->shut_rd = true;
  if (how == ShutHow::Rd) return returns(h, fd, SockCall::Shutdown, 0, Errno::Ok, SockReason::ShutdownRd);
  const bool already = s->shut_wr;
  s->shut_wr = true;
  Trace tmp;
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  if (!already && !c.gone) c.ep.close(now_, tmp);  // RFC 9293 3.10.4: FIN after the queued data
  CallResult r = returns(h, fd, SockCall::Shutdown, 0, Errno::Ok, SockReason::ShutdownWr);
  absorb(conn, tmp);
  settle();
  return r;
}

namespace {
// Linux tcp_need_reset: the states in which an abort sends a RST.
bool needs_reset(State s) {
  return s == State::Established || s == State::CloseWait || s == State::FinWait1 ||
         s == State::FinWait2 || s == State::SynReceived;
}
}  // namespace

CallResult World::close(int h, int fd) {
  made(h, fd, SockCall::Close, 0);
  Socket* s = sock(h, fd);
  if (s == nullptr) return returns(h, fd, SockCall::Close, -1, Errno::BadF, SockReason::BadFd);
  if (s->kind == SockKind::Listening) {
    // Linux inet_csk_listen_stop: queued connections are reset, requests dropped.
    const std::vector<int> accepted = s->accept_queue, half = s->syn_queue;
    note(h, fd, -1, SockReason::CloseListener);
    for (int conn : accepted) conn_abort(conn, SockReason::CloseListener);
    for (int conn : half) forget(conn);
    CallResult r = returns(h, fd, SockCall::Close, 0, Errno::Ok, SockReason::CloseListener);
    release_fd(h, fd);
    settle();
    return r;
  }
  const int conn = s->conn;
  if (conn < 0 || conns_[static_cast<std::size_t>(conn)].gone) {
    CallResult r = returns(h, fd, SockCall::Close, 0, Errno::Ok, SockReason::CloseQuiet);
    release_fd(h, fd);
    return r;
  }
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  const SockOptions opt = s->opt;
  if ((c.unread > 0 || (opt.linger && opt.linger_s == 0)) && needs_reset(c.ep.state())) {
    // RFC 2525 2.17 and Linux tcp_close: unread data is lost, so the peer
    // must not believe it was delivered: RST, not FIN. SO_LINGER {1, 0}: the
    // same abort on request (no TIME-WAIT). In the other states there is
    // nothing to reset and the close goes on as usual.
    const SockReason why = c.unread > 0 ? SockReason::CloseUnreadRst : SockReason::CloseLingerZeroRst;
    conn_abort(conn, why);
    CallResult r = returns(h, fd, SockCall::Close, 0, Errno::Ok, why);
    release_fd(h, fd);
    settle();
    return r;
  }
  Trace tmp;
  // A FIN goes out only from these states (RFC 9293 3.10.4); SYN-SENT is
  // simply forgotten, and after shutdown(SHUT_WR) the FIN has gone already.
  const State before = c.ep.state();
  const bool fin = !s->shut_wr && (before == State::Established || before == State::CloseWait ||
                                   before == State::SynReceived);
  if (!s->shut_wr && before != State::Closed) c.ep.close(now_, tmp);
  s->shut_wr = true;
  if (opt.linger && opt.linger_s > 0 && is_synchronized(conns_[static_cast<std::size_t>(conn)].ep.state())) {
    CallResult r = blocks(h, fd, SockCall::Close, 0, SockReason::CloseLingerBlocks,
                          now_ + static_cast<Duration>(opt.linger_s) * 1000);
    absorb(conn, tmp);
    settle();
    return r;
  }
  CallResult r = returns(h, fd, SockCall::Close, 0, Errno::Ok, fin ? SockReason::CloseFin : SockReason::CloseQuiet);
  absorb(conn, tmp);
  release_fd(h, fd);
  settle();
  return r;
}

}  // namespace tcplab
