// CLOSED: the user calls that leave it (RFC 9293 3.10.1) and the answer of a
// host without a TCB to any segment (3.10.7.1).
#include "fixtures.h"

using namespace fx;

TEST_SUITE("CLOSED") {

// RFC 9293 3.10.1 OPEN, CLOSED STATE: "if passive ... enter LISTEN state".
TEST_CASE("CLOSED + passive OPEN -> LISTEN") {
  Simulation sim = closed();
  std::size_t m = mark(sim);
  Reason r = sim.call(HOST_B, Call::OpenPassive);
  CHECK(key(r) == "open.passive.listen");
  CHECK(state_of(sim, HOST_B) == State::Listen);
  CHECK(path(sim, m, HOST_B) == "CLOSED -> LISTEN");
  CHECK(change_reason(sim, m, HOST_B) == "open.passive.listen");
  CHECK(all_sent_text(sim, m) == "nothing");
  CHECK(sim.endpoint(HOST_B).next_deadline() == NEVER);
}

// RFC 9293 3.10.1 OPEN, CLOSED STATE: "If active ..., issue a SYN segment. An
// initial send sequence number (ISS) is selected. A SYN segment of the form
// <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter
// SYN-SENT state". The SYN is retransmitted on the timer (3.10.8).
TEST_CASE("CLOSED + active OPEN -> SYN-SENT") {
  Simulation sim = closed();
  std::size_t m = mark(sim);
  Reason r = sim.call(HOST_A, Call::OpenActive);
  CHECK(key(r) == "open.active.send_syn");
  CHECK(state_of(sim, HOST_A) == State::SynSent);
  CHECK(path(sim, m, HOST_A) == "CLOSED -> SYN-SENT");
  CHECK(change_reason(sim, m, HOST_A) == "open.active.send_syn");
  CHECK(sent_text(sim, m, HOST_A) == "SYN seq=1000");
  CHECK(in_flight_text(sim, HOST_A) == "SYN seq=1000");
  const Tcb& t = tcb_of(sim, HOST_A);
  CHECK(t.iss == 1000);
  CHECK(t.snd_una == 1000);
  CHECK(t.snd_nxt == 1001);
  CHECK(sim.endpoint(HOST_A).timers().retransmit == 0 + 1000);  // rto_initial_ms
  CHECK_FALSE(sim.endpoint(HOST_A).passive_open());
}

// RFC 9293 3.10.2 SEND, 3.10.4 CLOSE, 3.10.5 ABORT in CLOSED STATE:
// "error: connection does not exist" (for CLOSE: "connection illegal for this
// process"). Nothing changes, nothing is sent.
TEST_CASE("CLOSED + SEND, CLOSE or ABORT -> CLOSED (no connection)") {
  Simulation sim = closed();
  std::size_t m = mark(sim);
  SUBCASE("SEND") {
    CHECK(key(sim.call(HOST_A, Call::Send, 100)) == "send.error.no_connection");
    CHECK(call_error(sim, m, HOST_A) == "send.error.no_connection");
    CHECK(sim.endpoint(HOST_A).queued_octets() == 0);
  }
  SUBCASE("CLOSE") {
    CHECK(key(sim.call(HOST_A, Call::Close)) == "close.error.no_connection");
    CHECK(call_error(sim, m, HOST_A) == "close.error.no_connection");
  }
  SUBCASE("ABORT") {
    CHECK(key(sim.call(HOST_A, Call::Abort)) == "abort.error.no_connection");
    CHECK(call_error(sim, m, HOST_A) == "abort.error.no_connection");
  }
  CHECK(state_of(sim, HOST_A) == State::Closed);
  CHECK(path(sim, m, HOST_A) == "no change");
  CHECK(all_sent_text(sim, m) == "nothing");
}

// RFC 9293 3.10.7.1: "An incoming segment not containing a RST causes a RST
// to be sent in response ... If the ACK bit is off, sequence number zero is
// used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. If the ACK bit is on,
// <SEQ=SEG.ACK><CTL=RST>". "An incoming segment containing a RST is
// discarded."
TEST_CASE("CLOSED + segment -> RST") {
  Simulation sim = closed();
  std::size_t m = mark(sim);
  SUBCASE("SYN: RST,ACK acknowledging the SYN") {
    Reason r = sim.inject(HOST_A, seg(FLAG_SYN, 7000));
    CHECK(key(r) == "closed.send_rst");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, HOST_A) == "RST,ACK seq=0 ack=7001");
  }
  SUBCASE("SYN with data: SEG.LEN counts the SYN and the octets") {
    Reason r = sim.inject(HOST_A, seg(FLAG_SYN, 7000, 0, 10));
    CHECK(key(r) == "closed.send_rst");
    CHECK(sent_text(sim, m, HOST_A) == "RST,ACK seq=0 ack=7011");
  }
  SUBCASE("FIN without ACK") {
    sim.inject(HOST_A, seg(FLAG_FIN, 7000));
    CHECK(sent_text(sim, m, HOST_A) == "RST,ACK seq=0 ack=7001");
  }
  SUBCASE("ACK: RST at SEG.ACK, without ACK bit") {
    Reason r = sim.inject(HOST_A, seg(FLAG_ACK, 7000, 3333, 20));
    CHECK(key(r) == "closed.send_rst");
    CHECK(sent_text(sim, m, HOST_A) == "RST seq=3333");
  }
  SUBCASE("SYN,ACK: RST at SEG.ACK") {
    sim.inject(HOST_A, seg(FLAG_SYN | FLAG_ACK, 7000, 1001));
    CHECK(sent_text(sim, m, HOST_A) == "RST seq=1001");
  }
  SUBCASE("RST: discarded") {
    Reason r = sim.inject(HOST_A, seg(FLAG_RST, 7000));
    CHECK(key(r) == "closed.rst.drop");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, HOST_A) == "nothing");
  }
  SUBCASE("RST,ACK: discarded") {
    Reason r = sim.inject(HOST_A, seg(FLAG_RST | FLAG_ACK, 7000, 1001));
    CHECK(key(r) == "closed.rst.drop");
    CHECK(sent_text(sim, m, HOST_A) == "nothing");
  }
  CHECK(state_of(sim, HOST_A) == State::Closed);
  CHECK(path(sim, m, HOST_A) == "no change");
}

// The same rule once a connection is over: a SYN that reaches a host that
// never listened is refused (3.10.7.1), the peer learns "connection refused"
// in SYN-SENT (3.10.7.3).
TEST_CASE("CLOSED + SYN from a peer -> RST, peer SYN-SENT -> CLOSED") {
  Simulation sim = closed();
  sim.call(HOST_A, Call::OpenActive);
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_A);
  CHECK(state_of(sim, HOST_B) == State::Closed);
  CHECK(verdict(sim, m, HOST_B) == "closed.send_rst");
  CHECK(sent_text(sim, m, HOST_B) == "RST,ACK seq=0 ack=1001");
  m = mark(sim);
  deliver_from(sim, HOST_B);
  CHECK(state_of(sim, HOST_A) == State::Closed);
  CHECK(change_reason(sim, m, HOST_A) == "syn_sent.rst.connection_refused");
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
}

}  // TEST_SUITE
