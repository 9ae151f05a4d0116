// The listening socket's queues, their overflow, SYN cookies and a SYN flood.
#include "sockets_fixtures.h"
#include "syn_cookie.h"

namespace tcplab {

TEST_CASE("accept queue: Linux holds backlog + 1; the next SYN is dropped and retried") {
  Lab lab = make_lab(3, StackProfile::Linux, SynCookies::Off);
  const int lfd = listen_on(lab, 1);
  for (int i = 0; i < 3; ++i) {
    connect_from(lab, i);
    lab.w.advance_by(200);
  }
  const Socket& l = listener(lab.w, lab.server, lfd);
  CHECK(l.accept_queue.size() == 2);
  CHECK(count_notes(lab.w, SockReason::ListenerAcceptQueueFullSyn) == 1);
  CHECK(lab.w.state_of(lab.clients[2], FIRST_FD) == State::SynSent);
  // accept makes room; the client's retransmitted SYN (1 s) gets in.
  lab.w.accept(lab.server, lfd);
  lab.w.advance_by(1000);
  CHECK(lab.w.state_of(lab.clients[2], FIRST_FD) == State::Established);
  CHECK(listener(lab.w, lab.server, lfd).accept_queue.size() == 2);
}

TEST_CASE("accept queue: the RFC profile holds exactly the backlog") {
  Lab lab = make_lab(2, StackProfile::Rfc9293, SynCookies::Off);
  const int lfd = listen_on(lab, 1);
  for (int i = 0; i < 2; ++i) {
    connect_from(lab, i);
    lab.w.advance_by(200);
  }
  CHECK(listener(lab.w, lab.server, lfd).accept_queue.size() == 1);
  CHECK(lab.w.state_of(lab.clients[1], FIRST_FD) == State::SynSent);
}

// Client 0 fills one place; clients 1 and 2 send their SYNs while there is
// room, so both get SYN,ACKs; client 1's ACK fills the queue (2 = backlog + 1)
// and client 2's final ACK finds it full.
static Lab overflow_lab(int& lfd) {
  Lab lab = make_lab(3, StackProfile::Linux, SynCookies::Off);
  lfd = listen_on(lab, 1);
  connect_from(lab, 0);
  lab.w.advance_by(200);
  connect_from(lab, 1);
  connect_from(lab, 2);
  return lab;
}

TEST_CASE("full accept queue: the final ACK is dropped, the server stays SYN-RECEIVED and resends its SYN,ACK") {
  int lfd = -1;
  Lab lab = overflow_lab(lfd);
  const std::size_t m = mark(lab.w);
  lab.w.advance_by(150);  // ACKs arrive at +150
  CHECK(count_notes(lab.w, SockReason::ListenerOverflowDropAck, m) == 1);
  const Socket& l = listener(lab.w, lab.server, lfd);
  CHECK(l.accept_queue.size() == 2);
  REQUIRE(l.syn_queue.size() == 1);
  const Connection& child = lab.w.connections()[static_cast<std::size_t>(l.syn_queue[0])];
  CHECK(child.ep.state() == State::SynReceived);
  CHECK(child.final_ack_dropped);
  // The client believes it is connected: connect returned at the SYN,ACK.
  CHECK(lab.w.state_of(lab.clients[2], FIRST_FD) == State::Established);
  // The SYN,ACK is retransmitted after 1 s; the client answers with an ACK
  // (3.10.7.4: an old SYN,ACK is answered with <ACK=RCV.NXT>), dropped again.
  const std::size_t m2 = mark(lab.w);
  lab.w.advance_by(1100);
  CHECK(count_flags(sent_by(lab.w, lab.server, m2), FLAG_SYN | FLAG_ACK) == 1);
  CHECK(count_flags(sent_by(lab.w, lab.clients[2], m2), FLAG_ACK) == 1);
  CHECK(count_notes(lab.w, SockReason::ListenerOverflowDropAck, m2) == 1);
  // After accept frees a place, the next round completes the connection.
  lab.w.accept(lab.server, lfd);
  lab.w.advance_by(2100);
  CHECK(listener(lab.w, lab.server, lfd).accept_queue.size() == 2);
  CHECK(listener(lab.w, lab.server, lfd).syn_queue.empty());
}

TEST_CASE("full accept queue with tcp_abort_on_overflow: the final ACK is answered with RST") {
  WorldConfig wc;
  wc.latency_ms = 50;
  Lab lab{World(wc), 0, {}};
  HostConfig s;
  s.addr = SERVER_ADDR;
  s.syncookies = SynCookies::Off;
  s.abort_on_overflow = true;
  lab.server = lab.w.add_host(s);
  for (int i = 0; i < 3; ++i) {
    HostConfig c;
    c.addr = client_addr(i);
    lab.clients.push_back(lab.w.add_host(c));
  }
  const int lfd = listen_on(lab, 1);
  connect_from(lab, 0);
  lab.w.advance_by(200);
  connect_from(lab, 1);
  const int c2 = connect_from(lab, 2);
  const std::size_t m = mark(lab.w);
  lab.w.advance_by(150);
  CHECK(count_notes(lab.w, SockReason::ListenerOverflowRst, m) == 1);
  CHECK(count_flags(sent_by(lab.w, lab.server, m), FLAG_RST) == 1);
  CHECK(listener(lab.w, lab.server, lfd).syn_queue.empty());
  lab.w.advance_by(50);
  // The client had returned from connect; its next recv learns of the reset.
  CHECK(lab.w.state_of(lab.clients[2], c2) == State::Closed);
  CHECK(lab.w.recv(lab.clients[2], c2, 10).err == Errno::ConnReset);
}

TEST_CASE("a repeated SYN in SYN-RECEIVED: Linux resends the SYN,ACK, RFC 9293 answers with an ACK") {
  for (StackProfile p : {StackProfile::Linux, StackProfile::Rfc9293}) {
    Lab lab = make_lab(1, p);
    listen_on(lab, 8);
    lab.w.add_drop_rule(DropRule{lab.server, -1, FLAG_SYN | FLAG_ACK, 1});  // the SYN,ACK is lost
    connect_from(lab, 0);
    lab.w.advance_to(999);
    const std::size_t m = mark(lab.w);
    lab.w.advance_to(1050);  // the client's SYN again at 1000, at the server at 1050
    const std::vector<Segment> out = sent_by(lab.w, lab.server, m);
    REQUIRE(out.size() >= 1);
    if (p == StackProfile::Linux) CHECK(out[0].flags == (FLAG_SYN | FLAG_ACK));
    else CHECK(out[0].flags == FLAG_ACK);
  }
}

TEST_CASE("a half-open connection is forgotten after tcp_synack_retries (63 s), nothing sent") {
  Lab lab = make_lab(1, StackProfile::Linux, SynCookies::Off);
  const int lfd = listen_on(lab, 8);
  lab.w.start_flood(SockAddr{SERVER_ADDR, HTTP}, 1, 1);
  lab.w.advance_to(100);
  REQUIRE(listener(lab.w, lab.server, lfd).syn_queue.size() == 1);
  lab.w.advance_to(50 + 62999);
  CHECK(listener(lab.w, lab.server, lfd).syn_queue.size() == 1);
  lab.w.advance_to(50 + 63000);  // SYN,ACKs at 1, 3, 7, 15, 31 s; gives up at 63 s
  CHECK(listener(lab.w, lab.server, lfd).syn_queue.empty());
  CHECK(count_flags(sent_by(lab.w, lab.server), FLAG_SYN | FLAG_ACK) == 6);
  CHECK(count_notes(lab.w, SockReason::ListenerRequestExpired) == 1);
}

TEST_CASE("SYN cookie: the ISN encodes the connection and is checked when the ACK returns") {
  const CookieTuple t{client_addr(0), SERVER_ADDR, 40000, 80};
  const Seq c = syn_cookie_make(42, t, 1000, 7, 3);
  CHECK(syn_cookie_check(42, t, 1000, c, 7) == 3);
  CHECK(syn_cookie_check(42, t, 1000, c, 8) == 3);   // the next minute still
  CHECK(syn_cookie_check(42, t, 1000, c, 9) == -1);  // two minutes later: too old
  // Like Linux, a client ISN a little off only shifts the MSS index; one far
  // off breaks the cookie.
  CHECK(syn_cookie_check(42, t, 1000 + 100000, c, 7) == -1);
  CHECK(syn_cookie_check(43, t, 1000, c, 7) == -1);  // another secret
  CookieTuple u = t;
  u.sport = 40001;
  CHECK(syn_cookie_check(42, u, 1000, c, 7) == -1);  // another port
  CHECK(syn_cookie_check(42, t, 1000, c + 1, 7) == -1);
}

TEST_CASE("tcp_syncookies=2: every SYN gets a cookie, nothing is kept until the ACK") {
  Lab lab = make_lab(1, StackProfile::Linux, SynCookies::Always);
  const int lfd = listen_on(lab, 8);
  const int cfd = connect_from(lab, 0);
  lab.w.advance_to(50);
  CHECK(count_notes(lab.w, SockReason::CookieSent) == 1);
  CHECK(listener(lab.w, lab.server, lfd).syn_queue.empty());
  lab.w.advance_to(150);
  CHECK(count_notes(lab.w, SockReason::CookieValid) == 1);
  REQUIRE(listener(lab.w, lab.server, lfd).accept_queue.size() == 1);
  CallResult a = lab.w.accept(lab.server, lfd);
  const int sfd = static_cast<int>(a.value);
  CHECK(lab.w.state_of(lab.server, sfd) == State::Established);
  // The rebuilt connection carries data both ways.
  lab.w.send(lab.clients[0], cfd, 10);
  lab.w.advance_by(50);
  CHECK(lab.w.recv(lab.server, sfd, 100).value == 10);
  lab.w.send(lab.server, sfd, 7);
  lab.w.advance_by(50);
  CHECK(lab.w.recv(lab.clients[0], cfd, 100).value == 7);
}

TEST_CASE("an ACK with a forged cookie is answered with RST; the right one is accepted") {
  Lab lab = make_lab(1, StackProfile::Linux, SynCookies::Always);
  const int lfd = listen_on(lab, 8);
  connect_from(lab, 0);
  lab.w.add_drop_rule(DropRule{lab.clients[0], -1, FLAG_ACK, 1});  // the real ACK is lost
  lab.w.advance_to(150);
  const Connection& client = lab.w.connections()[0];
  const SockAddr from = client.local, to{SERVER_ADDR, HTTP};
  Segment ack;
  ack.flags = FLAG_ACK;
  ack.seq = client.ep.tcb().snd_nxt;
  ack.ack = client.ep.tcb().rcv_nxt + 5000000;  // not SYN,ACK's ISN + 1
  std::size_t m = mark(lab.w);
  lab.w.send_raw(from, to, ack);
  lab.w.advance_by(50);
  CHECK(count_notes(lab.w, SockReason::CookieInvalid, m) >= 1);
  CHECK(count_flags(sent_by(lab.w, lab.server, m), FLAG_RST) == 1);
  CHECK(listener(lab.w, lab.server, lfd).accept_queue.empty());
  ack.ack = client.ep.tcb().rcv_nxt;
  m = mark(lab.w);
  lab.w.send_raw(from, to, ack);
  lab.w.advance_by(50);
  CHECK(count_notes(lab.w, SockReason::CookieValid, m) == 1);
  CHECK(listener(lab.w, lab.server, lfd).accept_queue.size() == 1);
}

TEST_CASE("SYN flood: without cookies a full SYN queue shuts clients out; with cookies they get in") {
  for (SynCookies mode : {SynCookies::Off, SynCookies::WhenFull}) {
    Lab lab = make_lab(1, StackProfile::Linux, mode);
    const int lfd = listen_on(lab, 16);
    lab.w.start_flood(SockAddr{SERVER_ADDR, HTTP}, 1000, 200);
    lab.w.advance_to(300);
    CHECK(listener(lab.w, lab.server, lfd).syn_queue.size() == 17);  // backlog + 1 (Linux '>')
    const int cfd = connect_from(lab, 0);
    lab.w.advance_by(200);
    const State s = lab.w.state_of(lab.clients[0], cfd);
    if (mode == SynCookies::Off) CHECK(s == State::SynSent);
    else CHECK(s == State::Established);
  }
}

}  // namespace tcplab

#include "socket_table.h"

namespace tcplab {

TEST_CASE("ss view: the listener's Recv-Q is its accept queue, Send-Q its backlog; queued connections are listed") {
  Lab lab = make_lab(3, StackProfile::Linux, SynCookies::Off);
  listen_on(lab, 1);
  for (int i = 0; i < 3; ++i) {
    connect_from(lab, i);
    lab.w.advance_by(200);
  }
  const std::vector<SsRow> rows = ss_table(lab.w, lab.server);
  REQUIRE(rows.size() == 3);  // the listener and two connections waiting for accept
  CHECK(rows[0].state == State::Listen);
  CHECK(rows[0].recv_q == 2);
  CHECK(rows[0].send_q == 1);
  CHECK(rows[1].state == State::Established);
  CHECK(rows[1].fd == -1);
  lab.w.send(lab.clients[0], FIRST_FD, 7);
  lab.w.advance_by(50);
  CHECK(ss_table(lab.w, lab.server)[1].recv_q == 7);
}

}  // namespace tcplab

namespace tcplab {

TEST_CASE("a connection reset while it waits in the accept queue: accept returns it, recv says ECONNRESET (Linux)") {
  Lab lab = make_lab();
  const int lfd = listen_on(lab, 4);
  const int cfd = connect_from(lab, 0);
  lab.w.advance_by(200);
  lab.w.setsockopt(lab.clients[0], cfd, SockOpt::Linger, 1, 0);
  lab.w.close(lab.clients[0], cfd);  // RST
  lab.w.advance_by(50);
  REQUIRE(listener(lab.w, lab.server, lfd).accept_queue.size() == 1);
  const CallResult a = lab.w.accept(lab.server, lfd);
  REQUIRE(a.err == Errno::Ok);
  const int sfd = static_cast<int>(a.value);
  CHECK(lab.w.state_of(lab.server, sfd) == State::Closed);
  CHECK(lab.w.recv(lab.server, sfd, 10).err == Errno::ConnReset);
  CHECK(lab.w.recv(lab.server, sfd, 10).value == 0);
}

}  // namespace tcplab
