// The sockets API, one rule per test: when each call returns and with what.
#include "sockets_fixtures.h"

namespace tcplab {

TEST_CASE("connect blocks and returns 0 when the SYN,ACK arrives (RFC 9293 3.10.7.3)") {
  Lab lab = make_lab();
  const int lfd = listen_on(lab, 8);
  const int cfd = connect_from(lab, 0);
  const int c = lab.clients[0];
  CHECK(lab.w.pending(c, cfd));
  CHECK(lab.w.state_of(c, cfd) == State::SynSent);
  lab.w.advance_to(99);
  CHECK(lab.w.pending(c, cfd));
  lab.w.advance_to(100);  // SYN at 50, SYN,ACK back at 100
  const SockEvent* r = returned(lab.w, c, cfd, SockCall::Connect);
  REQUIRE(r != nullptr);
  CHECK(r->time == 100);
  CHECK(r->value == 0);
  CHECK(r->reason == SockReason::ConnectDone);
  CHECK(lab.w.state_of(c, cfd) == State::Established);
  // The server has not seen the ACK yet: its connection is still in the SYN queue.
  CHECK(listener(lab.w, lab.server, lfd).syn_queue.size() == 1);
  CHECK(listener(lab.w, lab.server, lfd).accept_queue.empty());
  // A call that returned at once leaves no result for take_result.
  CallResult stale;
  CHECK_FALSE(lab.w.take_result(lab.server, lfd, stale));
}

TEST_CASE("the handshake completes before accept: accept takes an ESTABLISHED connection off the accept queue") {
  Lab lab = make_lab();
  const int lfd = listen_on(lab, 8);
  connect_from(lab, 0);
  lab.w.advance_to(150);
  const Socket& l = listener(lab.w, lab.server, lfd);
  REQUIRE(l.accept_queue.size() == 1);
  CHECK(lab.w.connections()[static_cast<std::size_t>(l.accept_queue[0])].ep.state() == State::Established);
  CallResult r = lab.w.accept(lab.server, lfd);
  CHECK_FALSE(r.blocked);
  CHECK(r.reason == SockReason::AcceptDone);
  CHECK(lab.w.state_of(lab.server, static_cast<int>(r.value)) == State::Established);
  CHECK(listener(lab.w, lab.server, lfd).accept_queue.empty());
}

TEST_CASE("accept blocks while the accept queue is empty and returns when a connection completes") {
  Lab lab = make_lab();
  const int lfd = listen_on(lab, 8);
  CallResult r = lab.w.accept(lab.server, lfd);
  CHECK(r.blocked);
  CHECK(r.reason == SockReason::AcceptBlocks);
  connect_from(lab, 0);
  lab.w.advance_to(149);
  CHECK(lab.w.pending(lab.server, lfd));
  lab.w.advance_to(150);  // the final ACK arrives at 150
  CallResult done;
  REQUIRE(lab.w.result(lab.server, lfd, done));
  CHECK(done.err == Errno::Ok);
  CHECK(lab.w.state_of(lab.server, static_cast<int>(done.value)) == State::Established);
}

TEST_CASE("recv returns the bytes that arrived, then blocks, then returns 0 at the FIN") {
  Pair x = established_pair();
  World& w = x.lab.w;
  const int c = x.lab.clients[0];
  CHECK(w.send(c, x.cfd, 300).value == 300);
  w.advance_by(50);
  CallResult r = w.recv(x.lab.server, x.sfd, 1000);
  CHECK(r.value == 300);
  CHECK(r.reason == SockReason::RecvData);
  CHECK(w.recv(x.lab.server, x.sfd, 1000).blocked);
  const Instant t = w.now();
  w.close(c, x.cfd);
  w.advance_by(50);
  const SockEvent* e = returned(w, x.lab.server, x.sfd, SockCall::Recv, 0);
  // the first Returns is the data; find the EOF one
  CallResult eof;
  REQUIRE(w.result(x.lab.server, x.sfd, eof));
  CHECK(eof.value == 0);
  CHECK(eof.reason == SockReason::RecvEof);
  CHECK(w.state_of(x.lab.server, x.sfd) == State::CloseWait);
  CHECK(e != nullptr);
  CHECK(w.now() == t + 50);
}

TEST_CASE("connect to a port nobody listens on: RST, ECONNREFUSED") {
  Lab lab = make_lab();
  const int cfd = connect_from(lab, 0, 81);
  lab.w.advance_by(100);
  CallResult r;
  REQUIRE(lab.w.result(lab.clients[0], cfd, r));
  CHECK(r.err == Errno::ConnRefused);
  CHECK(r.reason == SockReason::ConnectRefused);
  CHECK(count_flags(sent_by(lab.w, lab.server), FLAG_RST | FLAG_ACK) == 1);
}

TEST_CASE("connect to a host that never answers: ETIMEDOUT after the SYN retries") {
  SUBCASE("Linux: 10 retransmissions (linear, then doubling), ETIMEDOUT at 131 s") {
    Lab lab = make_lab(1, StackProfile::Linux);
    const int h = lab.clients[0];
    const int fd = static_cast<int>(lab.w.socket(h).value);
    lab.w.connect(h, fd, SockAddr{0x0A0000FE, 80});
    lab.w.advance_to(130999);
    CHECK(lab.w.pending(h, fd));
    lab.w.advance_to(131000);
    CallResult r;
    REQUIRE(lab.w.result(h, fd, r));
    CHECK(r.err == Errno::TimedOut);
    CHECK(count_flags(sent_by(lab.w, h), FLAG_SYN) == 11);
  }
  SUBCASE("RFC profile: 5 doubling retransmissions, ETIMEDOUT at 63 s") {
    Lab lab = make_lab(1, StackProfile::Rfc9293);
    const int h = lab.clients[0];
    const int fd = static_cast<int>(lab.w.socket(h).value);
    lab.w.connect(h, fd, SockAddr{0x0A0000FE, 80});
    lab.w.advance_to(63000);
    CallResult r;
    REQUIRE(lab.w.result(h, fd, r));
    CHECK(r.err == Errno::TimedOut);
    CHECK(count_flags(sent_by(lab.w, h), FLAG_SYN) == 6);
  }
}

TEST_CASE("send after the peer's RST: ECONNRESET once, then EPIPE") {
  Pair x = established_pair();
  World& w = x.lab.w;
  w.setsockopt(x.lab.server, x.sfd, SockOpt::Linger, 1, 0);
  w.close(x.lab.server, x.sfd);
  w.advance_by(50);
  CHECK(w.state_of(x.lab.clients[0], x.cfd) == State::Closed);
  CHECK(w.send(x.lab.clients[0], x.cfd, 10).err == Errno::ConnReset);
  CHECK(w.send(x.lab.clients[0], x.cfd, 10).err == Errno::Pipe);
  CHECK(w.recv(x.lab.clients[0], x.cfd, 10).value == 0);
}

TEST_CASE("recv after the peer's RST: ECONNRESET") {
  Pair x = established_pair();
  World& w = x.lab.w;
  CHECK(w.recv(x.lab.clients[0], x.cfd, 10).blocked);
  w.setsockopt(x.lab.server, x.sfd, SockOpt::Linger, 1, 0);
  w.close(x.lab.server, x.sfd);
  w.advance_by(50);
  CallResult r;
  REQUIRE(w.result(x.lab.clients[0], x.cfd, r));
  CHECK(r.err == Errno::ConnReset);
}

TEST_CASE("send after shutdown(SHUT_WR): EPIPE; the FIN went out and reading goes on") {
  Pair x = established_pair();
  World& w = x.lab.w;
  const int c = x.lab.clients[0];
  const std::size_t m = mark(w);
  CHECK(w.shutdown(c, x.cfd, ShutHow::Wr).err == Errno::Ok);
  CHECK(count_flags(sent_by(w, c, m), FLAG_FIN | FLAG_ACK) == 1);
  CHECK(w.send(c, x.cfd, 10).err == Errno::Pipe);
  w.advance_by(100);
  CHECK(w.send(x.lab.server, x.sfd, 20).value == 20);
  w.advance_by(50);
  CHECK(w.recv(c, x.cfd, 100).value == 20);
}

TEST_CASE("bind: EADDRINUSE while a TIME-WAIT holds the port, unless SO_REUSEADDR on both") {
  for (int reuse = 0; reuse < 3; ++reuse) {
    CAPTURE(reuse);
    Lab lab = make_lab();
    // reuse 0: nobody sets it; 1: only the new socket; 2: the old listener and the new socket.
    const int lfd = listen_on(lab, 8, reuse == 2);
    const int cfd = connect_from(lab, 0);
    lab.w.advance_by(200);
    const int sfd = static_cast<int>(lab.w.accept(lab.server, lfd).value);
    lab.w.close(lab.server, sfd);  // the server closes first: it will hold TIME-WAIT
    lab.w.advance_by(50);
    lab.w.close(lab.clients[0], cfd);
    lab.w.advance_by(100);
    lab.w.close(lab.server, lfd);
    const int fd = static_cast<int>(lab.w.socket(lab.server).value);
    if (reuse > 0) lab.w.setsockopt(lab.server, fd, SockOpt::ReuseAddr, 1);
    CallResult r = lab.w.bind(lab.server, fd, HTTP);
    CHECK(r.err == (reuse == 2 ? Errno::Ok : Errno::AddrInUse));
    if (reuse == 0) {
      lab.w.advance_by(60000);  // Linux TIME-WAIT: 60 s
      CHECK(lab.w.bind(lab.server, fd, HTTP).err == Errno::Ok);
    }
  }
}

TEST_CASE("bind: EADDRINUSE against a listener even with SO_REUSEADDR") {
  Lab lab = make_lab();
  listen_on(lab, 8, true);
  const int fd = static_cast<int>(lab.w.socket(lab.server).value);
  lab.w.setsockopt(lab.server, fd, SockOpt::ReuseAddr, 1);
  CHECK(lab.w.bind(lab.server, fd, HTTP).err == Errno::AddrInUse);
}

TEST_CASE("close with unread data sends RST, not FIN (RFC 2525 2.17, Linux tcp_close)") {
  Pair x = established_pair();
  World& w = x.lab.w;
  w.send(x.lab.clients[0], x.cfd, 100);
  w.advance_by(50);
  const std::size_t m = mark(w);
  CallResult r = w.close(x.lab.server, x.sfd);
  CHECK(r.reason == SockReason::CloseUnreadRst);
  const std::vector<Segment> out = sent_by(w, x.lab.server, m);
  REQUIRE(out.size() == 1);
  CHECK(out[0].flags == (FLAG_RST | FLAG_ACK));  // Linux tcp_send_active_reset
  CHECK(count_flags(out, FLAG_FIN | FLAG_ACK) == 0);
  CHECK(w.recv(x.lab.clients[0], x.cfd, 10).blocked);
  w.advance_by(50);
  CallResult cr;
  REQUIRE(w.result(x.lab.clients[0], x.cfd, cr));
  CHECK(cr.err == Errno::ConnReset);
}

TEST_CASE("close with everything read sends FIN; the orphan goes on to FIN-WAIT-2 and TIME-WAIT") {
  Pair x = established_pair();
  World& w = x.lab.w;
  w.send(x.lab.clients[0], x.cfd, 100);
  w.advance_by(50);
  CHECK(w.recv(x.lab.server, x.sfd, 1000).value == 100);
  const std::size_t m = mark(w);
  CHECK(w.close(x.lab.server, x.sfd).reason == SockReason::CloseFin);
  CHECK(count_flags(sent_by(w, x.lab.server, m), FLAG_FIN | FLAG_ACK) == 1);
  w.advance_by(100);
  const Connection& c = w.connections()[1];  // conn 0 is the client's, 1 the server's child
  CHECK(c.orphan);
  CHECK(c.ep.state() == State::FinWait2);
}

TEST_CASE("SO_LINGER {1, 0}: close aborts with RST, no TIME-WAIT") {
  Pair x = established_pair();
  World& w = x.lab.w;
  w.setsockopt(x.lab.clients[0], x.cfd, SockOpt::Linger, 1, 0);
  const std::size_t m = mark(w);
  CHECK(w.close(x.lab.clients[0], x.cfd).reason == SockReason::CloseLingerZeroRst);
  const std::vector<Segment> out = sent_by(w, x.lab.clients[0], m);
  REQUIRE(out.size() == 1);
  CHECK(out[0].has(FLAG_RST));
  for (const Connection& c : w.connections())
    if (c.host == x.lab.clients[0]) CHECK(c.gone);
}

TEST_CASE("SO_LINGER {1, t}: close blocks until the FIN is acknowledged") {
  Pair x = established_pair();
  World& w = x.lab.w;
  w.setsockopt(x.lab.clients[0], x.cfd, SockOpt::Linger, 1, 5);
  CallResult r = w.close(x.lab.clients[0], x.cfd);
  CHECK(r.blocked);
  const Instant t = w.now();
  w.advance_by(100);
  const SockEvent* e = returned(w, x.lab.clients[0], x.cfd, SockCall::Close);
  REQUIRE(e != nullptr);
  CHECK(e->time == t + 100);
  CHECK(e->reason == SockReason::CloseLingerDone);
}

TEST_CASE("data for a socket already closed is answered with RST (Linux), acknowledged (RFC profile)") {
  for (StackProfile p : {StackProfile::Linux, StackProfile::Rfc9293}) {
    Pair x = established_pair(p);
    World& w = x.lab.w;
    w.close(x.lab.server, x.sfd);  // FIN; the client does not close
    w.advance_by(100);
    const std::size_t m = mark(w);
    w.send(x.lab.clients[0], x.cfd, 10);
    w.advance_by(50);
    const std::vector<Segment> out = sent_by(w, x.lab.server, m);
    REQUIRE(out.size() == 1);
    CHECK(out[0].has(FLAG_RST) == (p == StackProfile::Linux));
  }
}

TEST_CASE("calls on a descriptor that is not open: EBADF; recv on an unconnected socket: ENOTCONN") {
  Lab lab = make_lab();
  CHECK(lab.w.close(lab.server, 42).err == Errno::BadF);
  const int fd = static_cast<int>(lab.w.socket(lab.server).value);
  CHECK(fd == FIRST_FD);
  CHECK(lab.w.recv(lab.server, fd, 1).err == Errno::NotConn);
  CHECK(lab.w.send(lab.server, fd, 1).err == Errno::NotConn);
}

TEST_CASE("every call is traced: made, then blocks or returns, with a reason in both languages") {
  Pair x = established_pair();
  int made = 0, ended = 0;
  for (const SockEvent& e : x.lab.w.trace()) {
    made += e.kind == SockEventKind::CallMade ? 1 : 0;
    ended += (e.kind == SockEventKind::Returns || e.kind == SockEventKind::Blocks) ? 1 : 0;
    if (e.kind == SockEventKind::Returns || e.kind == SockEventKind::Blocks) {
      CHECK(e.reason != SockReason::None);
      CHECK(std::string(sock_reason_text(e.reason, false)).size() > 0);
      CHECK(std::string(sock_reason_text(e.reason, true)).size() > 0);
    }
  }
  // connect blocks then returns: one more end than calls.
  CHECK(ended == made + 1);
  CHECK(describe_sock_event(x.lab.w.trace()[0], true).find("socket") != std::string::npos);
}

TEST_CASE("socket reason keys are unique and round-trip") {
  for (int i = 0; i < sock_reason_count(); ++i) {
    const auto r = static_cast<SockReason>(i);
    auto back = sock_reason_from_key(sock_reason_key(r));
    REQUIRE(back.has_value());
    CHECK(*back == r);
  }
}

}  // namespace tcplab

namespace tcplab {

TEST_CASE("Linux's SYN retry budget: tcp_syn_retries 6 holds 10 retransmissions, 2 holds 5, 1 holds 2") {
  CHECK(linux_syn_retransmissions(6, 4, 1000, 120000) == 10);
  CHECK(linux_syn_retransmissions(2, 4, 1000, 120000) == 5);
  CHECK(linux_syn_retransmissions(1, 4, 1000, 120000) == 2);
  // Without linear timeouts, the classic 6 doubling retransmissions (127 s).
  CHECK(linux_syn_retransmissions(6, 0, 1000, 120000) == 6);
}

}  // namespace tcplab

namespace tcplab {

TEST_CASE("a RST in CLOSE-WAIT: Linux reports EPIPE, RFC profile ECONNRESET; recv says 0 first (the FIN came before)") {
  for (StackProfile p : {StackProfile::Linux, StackProfile::Rfc9293}) {
    Pair x = established_pair(p);
    World& w = x.lab.w;
    const int c = x.lab.clients[0];
    w.setsockopt(x.lab.server, x.sfd, SockOpt::Linger, 1, 0);
    w.shutdown(x.lab.server, x.sfd, ShutHow::Wr);  // FIN: the client goes to CLOSE-WAIT
    w.advance_by(100);
    REQUIRE(w.state_of(c, x.cfd) == State::CloseWait);
    w.close(x.lab.server, x.sfd);  // SO_LINGER {1, 0}: RST
    w.advance_by(50);
    CHECK(w.recv(c, x.cfd, 10).value == 0);
    CHECK(w.send(c, x.cfd, 10).err == (p == StackProfile::Linux ? Errno::Pipe : Errno::ConnReset));
  }
}

}  // namespace tcplab

namespace tcplab {

TEST_CASE("SO_LINGER {1, t}: close returns after t seconds when the FIN is never acknowledged") {
  Pair x = established_pair();
  World& w = x.lab.w;
  const int c = x.lab.clients[0];
  w.setsockopt(c, x.cfd, SockOpt::Linger, 1, 2);
  w.crash(x.lab.server);
  const Instant t = w.now();
  CHECK(w.close(c, x.cfd).blocked);
  w.advance_by(1999);
  CHECK(returned(w, c, x.cfd, SockCall::Close) == nullptr);
  w.advance_by(1);
  const SockEvent* e = returned(w, c, x.cfd, SockCall::Close);
  REQUIRE(e != nullptr);
  CHECK(e->time == t + 2000);
  CHECK(e->value == 0);
  CHECK(e->reason == SockReason::CloseLingerTimeout);
  // The connection goes on without its socket, still retransmitting its FIN.
  CHECK(w.connections()[0].orphan);
  CHECK(w.connections()[0].ep.state() == State::FinWait1);
}

TEST_CASE("shutdown(SHUT_RD): recv returns 0 at once, nothing is sent") {
  Pair x = established_pair();
  World& w = x.lab.w;
  const std::size_t m = mark(w);
  CHECK(w.shutdown(x.lab.server, x.sfd, ShutHow::Rd).reason == SockReason::ShutdownRd);
  CHECK(sent_by(w, x.lab.server, m).empty());
  CHECK(w.recv(x.lab.server, x.sfd, 10).value == 0);
  CHECK(w.state_of(x.lab.server, x.sfd) == State::Established);
}

}  // namespace tcplab

namespace tcplab {

TEST_CASE("close with unread data after both FINs: nothing to reset, the TIME-WAIT stays") {
  // Both FINs first (the client's after 5 octets it never reads), then close.
  Pair y = established_pair();
  World& v = y.lab.w;
  const int d = y.lab.clients[0];
  v.send(y.lab.server, y.sfd, 5);
  v.shutdown(d, y.cfd, ShutHow::Wr);
  v.advance_by(50);
  v.recv(y.lab.server, y.sfd, 100);    // the server reads to the end...
  v.shutdown(y.lab.server, y.sfd, ShutHow::Wr);
  v.advance_by(100);
  REQUIRE(v.state_of(d, y.cfd) == State::TimeWait);
  const std::size_t m = mark(v);
  CHECK(v.close(d, y.cfd).reason == SockReason::CloseQuiet);  // ...the client never read its 5 octets
  CHECK(sent_by(v, d, m).empty());
  CHECK(v.connections()[0].ep.state() == State::TimeWait);
  CHECK_FALSE(v.connections()[0].gone);
}

TEST_CASE("close during connect: the SYN-SENT connection is forgotten, nothing sent") {
  Lab lab = make_lab();
  const int cfd = connect_from(lab, 0);
  const std::size_t m = mark(lab.w);
  CHECK(lab.w.close(lab.clients[0], cfd).reason == SockReason::CloseQuiet);
  CHECK(sent_by(lab.w, lab.clients[0], m).empty());
  CHECK(lab.w.connections()[0].gone);
}

}  // namespace tcplab
