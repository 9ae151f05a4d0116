// Keepalive, a process that exits against a host that crashes, a reboot,
// the link going down, an orphaned FIN-WAIT-2 timing out.
#include "sockets_fixtures.h"

namespace tcplab {

static void keepalive_on(World& w, int h, int fd, int idle_s, int intvl_s, int cnt) {
  w.setsockopt(h, fd, SockOpt::KeepAlive, 1);
  w.setsockopt(h, fd, SockOpt::KeepIdle, idle_s);
  w.setsockopt(h, fd, SockOpt::KeepIntvl, intvl_s);
  w.setsockopt(h, fd, SockOpt::KeepCnt, cnt);
}

TEST_CASE("keepalive: an idle connection is probed and the peer's ACK keeps it alive") {
  Pair x = established_pair();
  World& w = x.lab.w;
  const int c = x.lab.clients[0];
  keepalive_on(w, c, x.cfd, 10, 2, 3);
  const Instant t0 = w.now();
  const std::size_t m = mark(w);
  w.advance_to(t0 + 10000);
  CHECK(count_notes(w, SockReason::KeepaliveProbe, m) == 1);
  // The probe is SND.UNA - 1: an old sequence number the peer must ACK.
  const std::vector<Segment> probe = sent_by(w, c, m);
  REQUIRE(probe.size() == 1);
  CHECK(probe[0].seq == w.connections()[0].ep.tcb().snd_una - 1);
  w.advance_by(100);
  CHECK(count_notes(w, SockReason::KeepaliveAnswered, m) == 1);
  CHECK(count_flags(sent_by(w, x.lab.server, m), FLAG_ACK) == 1);
  CHECK(w.state_of(c, x.cfd) == State::Established);
}

TEST_CASE("keepalive: a crashed peer never answers; after TCP_KEEPCNT probes the connection is reset, ETIMEDOUT") {
  Pair x = established_pair();
  World& w = x.lab.w;
  const int c = x.lab.clients[0];
  keepalive_on(w, c, x.cfd, 10, 2, 3);
  CHECK(w.recv(c, x.cfd, 10).blocked);
  const Instant t0 = w.now();
  w.crash(x.lab.server);
  w.advance_to(t0 + 15999);
  CHECK(count_notes(w, SockReason::KeepaliveProbe) == 3);  // at 10, 12, 14 s
  CHECK(w.pending(c, x.cfd));
  w.advance_to(t0 + 16000);
  CallResult r;
  REQUIRE(w.result(c, x.cfd, r));
  CHECK(r.err == Errno::TimedOut);
  CHECK(count_notes(w, SockReason::KeepaliveDead) == 1);
}

TEST_CASE("process exit closes the sockets: the peer reads 0 (FIN); a crash sends nothing") {
  SUBCASE("exit") {
    Pair x = established_pair();
    World& w = x.lab.w;
    CHECK(w.recv(x.lab.clients[0], x.cfd, 10).blocked);
    w.process_exit(x.lab.server);
    w.advance_by(50);
    CallResult r;
    REQUIRE(w.result(x.lab.clients[0], x.cfd, r));
    CHECK(r.value == 0);
    CHECK(w.state_of(x.lab.clients[0], x.cfd) == State::CloseWait);
  }
  SUBCASE("exit with unread data: RST, the peer gets ECONNRESET") {
    Pair x = established_pair();
    World& w = x.lab.w;
    w.send(x.lab.clients[0], x.cfd, 10);
    w.advance_by(50);
    CHECK(w.recv(x.lab.clients[0], x.cfd, 10).blocked);
    w.process_exit(x.lab.server);
    w.advance_by(50);
    CallResult r;
    REQUIRE(w.result(x.lab.clients[0], x.cfd, r));
    CHECK(r.err == Errno::ConnReset);
  }
  SUBCASE("crash") {
    Pair x = established_pair();
    World& w = x.lab.w;
    CHECK(w.recv(x.lab.clients[0], x.cfd, 10).blocked);
    const std::size_t m = mark(w);
    w.crash(x.lab.server);
    w.advance_by(60000);
    CHECK(sent_by(w, x.lab.server, m).empty());
    CHECK(w.pending(x.lab.clients[0], x.cfd));  // a half-open connection (RFC 9293 3.5.1)
    CHECK(w.state_of(x.lab.clients[0], x.cfd) == State::Established);
  }
}

TEST_CASE("after a reboot the host answers the old connection's data with RST: ECONNRESET") {
  Pair x = established_pair();
  World& w = x.lab.w;
  const int c = x.lab.clients[0];
  w.crash(x.lab.server);
  w.advance_by(1000);
  w.reboot(x.lab.server);
  CHECK(w.send(c, x.cfd, 10).value == 10);
  w.advance_by(100);
  CHECK(count_notes(w, SockReason::NoSocketRst) == 1);
  CHECK(w.state_of(c, x.cfd) == State::Closed);
  CHECK(w.send(c, x.cfd, 10).err == Errno::ConnReset);
}

TEST_CASE("while the link is down segments are lost; retransmission delivers them when it is back") {
  Pair x = established_pair();
  World& w = x.lab.w;
  const int c = x.lab.clients[0];
  w.set_link(c, false);
  w.send(c, x.cfd, 10);
  w.advance_by(500);
  CHECK(w.recv(x.lab.server, x.sfd, 100).blocked);
  w.set_link(c, true);
  w.advance_by(1000);  // the retransmission at 1 s
  CallResult r;
  REQUIRE(w.result(x.lab.server, x.sfd, r));
  CHECK(r.value == 10);
}

TEST_CASE("an orphaned FIN-WAIT-2 times out after tcp_fin_timeout (Linux); RFC 9293 waits for ever") {
  for (StackProfile p : {StackProfile::Linux, StackProfile::Rfc9293}) {
    Pair x = established_pair(p);
    World& w = x.lab.w;
    const int c = x.lab.clients[0];
    w.close(c, x.cfd);
    w.advance_by(100);  // FIN acked: FIN-WAIT-2; the server never closes
    const Connection& conn = w.connections()[0];
    REQUIRE(conn.ep.state() == State::FinWait2);
    w.advance_by(59999);
    CHECK_FALSE(w.connections()[0].gone);
    w.advance_by(1);
    CHECK(w.connections()[0].gone == (p == StackProfile::Linux));
  }
}

TEST_CASE("TIME-WAIT lasts 60 s on Linux, 2*MSL = 240 s in the RFC profile") {
  for (StackProfile p : {StackProfile::Linux, StackProfile::Rfc9293}) {
    Pair x = established_pair(p);
    World& w = x.lab.w;
    w.close(x.lab.clients[0], x.cfd);
    w.advance_by(50);
    w.close(x.lab.server, x.sfd);
    w.advance_by(50);
    REQUIRE(w.connections()[0].ep.state() == State::TimeWait);
    const Duration tw = p == StackProfile::Linux ? 60000 : 240000;
    w.advance_by(tw - 1);
    CHECK(w.connections()[0].ep.state() == State::TimeWait);
    w.advance_by(1);
    CHECK(w.connections()[0].gone);
  }
}

}  // namespace tcplab

namespace tcplab {

TEST_CASE("a port reused while the server holds TIME-WAIT: Linux reopens it with ISN = old SND.NXT + 65537") {
  for (StackProfile p : {StackProfile::Linux, StackProfile::Rfc9293}) {
    CAPTURE(static_cast<int>(p));
    Pair x = established_pair(p);
    World& w = x.lab.w;
    const int c = x.lab.clients[0];
    const Port cport = w.connections()[0].local.port;
    w.close(x.lab.server, x.sfd);  // the server closes first: TIME-WAIT on its side
    w.advance_by(50);
    w.close(c, x.cfd);
    w.advance_by(100);
    const Connection& tw = w.connections()[1];
    REQUIRE(tw.ep.state() == State::TimeWait);
    const Seq old_snd_nxt = tw.ep.tcb().snd_nxt;
    const int fd = static_cast<int>(w.socket(c).value);
    REQUIRE(w.bind(c, fd, cport).err == Errno::Ok);
    w.connect(c, fd, SockAddr{SERVER_ADDR, HTTP});
    const std::size_t m = mark(w);
    w.advance_by(100);
    if (p == StackProfile::Linux) {
      CHECK(count_notes(w, SockReason::TimeWaitReopened, m) == 1);
      CHECK(w.state_of(c, fd) == State::Established);
      const std::vector<Segment> out = sent_by(w, x.lab.server, m);
      REQUIRE(out.size() == 1);
      CHECK(out[0].flags == (FLAG_SYN | FLAG_ACK));
      CHECK(out[0].seq == old_snd_nxt + 65537);
    } else {
      CHECK(count_notes(w, SockReason::TimeWaitReopened, m) == 0);
      CHECK(w.state_of(c, fd) != State::Established);
    }
  }
}

}  // namespace tcplab
