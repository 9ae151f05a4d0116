// SYN-SENT: segments (RFC 9293 3.10.7.3), user calls, the SYN's
// retransmission timer (3.10.8).
#include "fixtures.h"

using namespace fx;

TEST_SUITE("SYN-SENT") {

// RFC 9293 3.10.7.3 fourth check: "RCV.NXT is set to SEG.SEQ+1, IRS is set to
// SEG.SEQ. SND.UNA should be advanced to equal SEG.ACK ... If SND.UNA > ISS
// (our SYN has been ACKed), change the connection state to ESTABLISHED, form
// an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it."
TEST_CASE("SYN-SENT + SYN,ACK -> ESTABLISHED") {
  SUBCASE("the three-way handshake") {
    Simulation sim = syn_received();  // B's SYN,ACK <SEQ=5000><ACK=1001> in flight
    std::size_t m = mark(sim);
    deliver_from(sim, HOST_B);
    CHECK(state_of(sim, HOST_A) == State::Established);
    CHECK(path(sim, m, HOST_A) == "SYN-SENT -> ESTABLISHED");
    CHECK(verdict(sim, m, HOST_A) == "syn_sent.syn_ack.established");
    CHECK(change_reason(sim, m, HOST_A) == "syn_sent.syn_ack.established");
    CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1001 ack=5001");
    const Tcb& t = tcb_of(sim, HOST_A);
    CHECK(t.irs == 5000);
    CHECK(t.rcv_nxt == 5001);
    CHECK(t.snd_una == 1001);
    CHECK(t.snd_nxt == 1001);
    CHECK(t.snd_wnd == WND);  // SND.WND <- SEG.WND
    // Nothing left to acknowledge: the retransmission timer is off.
    CHECK(sim.endpoint(HOST_A).timers().retransmit == NEVER);
    CHECK(sim.endpoint(HOST_A).outstanding().empty());
  }
  SUBCASE("data queued by SEND rides on the ACK (BEHAVIOUR.md, 3.10.7.3)") {
    Simulation sim = syn_sent();
    std::size_t m = mark(sim);
    Reason r = sim.call(HOST_A, Call::Send, 100);
    CHECK(key(r) == "send.queued_until_established");
    CHECK(sent_text(sim, m, HOST_A) == "nothing");
    CHECK(sim.endpoint(HOST_A).queued_octets() == 100);
    deliver_from(sim, HOST_A);
    m = mark(sim);
    deliver_from(sim, HOST_B);
    CHECK(state_of(sim, HOST_A) == State::Established);
    CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1001 ack=5001 len=100");
    CHECK(tcb_of(sim, HOST_A).snd_nxt == 1101);
    CHECK(sim.endpoint(HOST_A).queued_octets() == 0);
    // Data is outstanding now: the timer runs for it.
    CHECK(sim.endpoint(HOST_A).timers().retransmit == sim.now() + 1000);
  }
  SUBCASE("ISS 2^32-1: the SYN,ACK acknowledges sequence number 0") {
    SimConfig c = config();
    c.iss[HOST_A] = {0xFFFFFFFFu};
    Simulation sim = syn_received(c);
    CHECK(sent_text(sim, 0, HOST_A) == "SYN seq=4294967295");
    CHECK(sent_text(sim, 0, HOST_B) == "SYN,ACK seq=5000 ack=0");
    std::size_t m = mark(sim);
    deliver_from(sim, HOST_B);
    CHECK(state_of(sim, HOST_A) == State::Established);
    CHECK(sent_text(sim, m, HOST_A) == "ACK seq=0 ack=5001");
    CHECK(tcb_of(sim, HOST_A).snd_una == 0);
    CHECK(tcb_of(sim, HOST_A).snd_nxt == 0);
  }
}

// 3.10.7.3 fourth check: "Otherwise, enter SYN-RECEIVED, form a SYN,ACK
// segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it." (simultaneous
// open, Figure 7)
TEST_CASE("SYN-SENT + SYN -> SYN-RECEIVED") {
  Simulation sim = simultaneous_open();
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_B);  // B's SYN <SEQ=5000> reaches A in SYN-SENT
  CHECK(state_of(sim, HOST_A) == State::SynReceived);
  CHECK(path(sim, m, HOST_A) == "SYN-SENT -> SYN-RECEIVED");
  CHECK(verdict(sim, m, HOST_A) == "syn_sent.syn.simultaneous_open");
  CHECK(change_reason(sim, m, HOST_A) == "syn_sent.syn.simultaneous_open");
  CHECK(sent_text(sim, m, HOST_A) == "SYN,ACK seq=1000 ack=5001");
  const Tcb& t = tcb_of(sim, HOST_A);
  CHECK(t.irs == 5000);
  CHECK(t.rcv_nxt == 5001);
  CHECK(t.snd_una == 1000);  // our SYN is not acknowledged yet
  CHECK(t.snd_nxt == 1001);
  CHECK_FALSE(sim.endpoint(HOST_A).passive_open());
}

// 3.10.7.3 second check: "If the ACK was acceptable, then signal to the user
// "error: connection reset", drop the segment, enter CLOSED state, delete
// TCB, and return. Otherwise (no ACK), drop the segment and return." An
// unacceptable ACK on an RST: "drop the segment and return" (first check).
TEST_CASE("SYN-SENT + RST -> CLOSED") {
  SUBCASE("RST,ACK acknowledging the SYN: connection refused") {
    Simulation sim = closed();  // B never listened: it answers with RST,ACK
    sim.call(HOST_A, Call::OpenActive);
    deliver_from(sim, HOST_A);
    REQUIRE(in_flight_text(sim, HOST_B) == "RST,ACK seq=0 ack=1001");
    std::size_t m = mark(sim);
    deliver_from(sim, HOST_B);
    CHECK(state_of(sim, HOST_A) == State::Closed);
    CHECK(path(sim, m, HOST_A) == "SYN-SENT -> CLOSED");
    CHECK(verdict(sim, m, HOST_A) == "syn_sent.rst.connection_refused");
    CHECK(change_reason(sim, m, HOST_A) == "syn_sent.rst.connection_refused");
    CHECK(signals(sim, m, HOST_A) == "syn_sent.rst.connection_refused");
    CHECK(sent_text(sim, m, HOST_A) == "nothing");
    CHECK(sim.endpoint(HOST_A).next_deadline() == NEVER);
  }
  SUBCASE("RST without ACK: dropped") {
    Simulation sim = syn_sent();
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_A, seg(FLAG_RST, 5000));
    CHECK(key(r) == "syn_sent.rst_without_ack.drop");
    CHECK(reason_rejects(r));
    CHECK(state_of(sim, HOST_A) == State::SynSent);
    CHECK(sent_text(sim, m, HOST_A) == "nothing");
  }
  SUBCASE("RST with an unacceptable ACK: dropped, no RST in reply") {
    Simulation sim = syn_sent();
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_A, seg(FLAG_RST | FLAG_ACK, 0, 1000));  // SEG.ACK =< ISS
    CHECK(key(r) == "syn_sent.unacceptable_ack.rst.drop");
    CHECK(reason_rejects(r));
    CHECK(state_of(sim, HOST_A) == State::SynSent);
    CHECK(sent_text(sim, m, HOST_A) == "nothing");
  }
}

// 3.10.7.3 first check: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset
// (unless the RST bit is set, if so drop the segment and return)
// <SEQ=SEG.ACK><CTL=RST> and discard the segment. Return."
TEST_CASE("SYN-SENT + bad ACK -> RST") {
  Simulation sim = syn_sent();
  std::size_t m = mark(sim);
  SUBCASE("SYN,ACK acknowledging the ISS itself (SEG.ACK = ISS)") {
    Reason r = sim.inject(HOST_A, seg(FLAG_SYN | FLAG_ACK, 5000, 1000));
    CHECK(key(r) == "syn_sent.unacceptable_ack.send_rst");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, HOST_A) == "RST seq=1000");
  }
  SUBCASE("SYN,ACK acknowledging beyond SND.NXT") {
    Reason r = sim.inject(HOST_A, seg(FLAG_SYN | FLAG_ACK, 5000, 1002));
    CHECK(key(r) == "syn_sent.unacceptable_ack.send_rst");
    CHECK(sent_text(sim, m, HOST_A) == "RST seq=1002");
  }
  SUBCASE("plain ACK of an old connection") {
    Reason r = sim.inject(HOST_A, seg(FLAG_ACK, 4000, 900));
    CHECK(key(r) == "syn_sent.unacceptable_ack.send_rst");
    CHECK(sent_text(sim, m, HOST_A) == "RST seq=900");
  }
  CHECK(state_of(sim, HOST_A) == State::SynSent);
  CHECK(path(sim, m, HOST_A) == "no change");
  CHECK(tcb_of(sim, HOST_A).snd_una == 1000);
}

// 3.10.7.3 fifth check: "If neither of the SYN or RST bits is set, then drop
// the segment and return."
TEST_CASE("SYN-SENT + ACK without SYN -> SYN-SENT (dropped)") {
  Simulation sim = syn_sent();
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_A, seg(FLAG_ACK, 5000, 1001));
  CHECK(key(r) == "syn_sent.no_syn.drop");
  CHECK(reason_rejects(r));
  CHECK(state_of(sim, HOST_A) == State::SynSent);
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
  CHECK(tcb_of(sim, HOST_A).snd_una == 1000);
}

// 3.10.4 CLOSE, SYN-SENT STATE: "Delete the TCB and return "error: closing"
// responses to any queued SENDs, or RECEIVEs." No segment.
TEST_CASE("SYN-SENT + CLOSE -> CLOSED") {
  Simulation sim = syn_sent();
  std::size_t m = mark(sim);
  Reason r = sim.call(HOST_A, Call::Close);
  CHECK(key(r) == "close.syn_sent.delete_tcb");
  CHECK(state_of(sim, HOST_A) == State::Closed);
  CHECK(path(sim, m, HOST_A) == "SYN-SENT -> CLOSED");
  CHECK(change_reason(sim, m, HOST_A) == "close.syn_sent.delete_tcb");
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
  CHECK(sim.endpoint(HOST_A).next_deadline() == NEVER);
}

// 3.10.5 ABORT, SYN-SENT STATE: "All queued SENDs and RECEIVEs should be given
// "connection reset" notification. Delete the TCB, enter CLOSED state, and
// return." No segment.
TEST_CASE("SYN-SENT + ABORT -> CLOSED") {
  check_abort(syn_sent(), HOST_A, "nothing", "abort.delete_tcb");
}

// 3.10.1 OPEN, SYN-SENT STATE: "Return "error: connection already exists"."
TEST_CASE("SYN-SENT + OPEN -> SYN-SENT (connection exists)") {
  Simulation sim = syn_sent();
  std::size_t m = mark(sim);
  CHECK(key(sim.call(HOST_A, Call::OpenActive)) == "open.error.connection_exists");
  CHECK(call_error(sim, m, HOST_A) == "open.error.connection_exists");
  CHECK(state_of(sim, HOST_A) == State::SynSent);
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
}

// 3.10.8 RETRANSMISSION TIMEOUT: "the segment at the front of the
// retransmission queue is sent again, the retransmission timer is
// reinitialized"; RFC 6298 5.5: back off the timer (double it). A SYN from
// SYN-SENT carries no ACK bit.
TEST_CASE("SYN-SENT + retransmission timeout -> SYN-SENT") {
  Simulation sim = syn_sent();
  const Endpoint& a = sim.endpoint(HOST_A);
  REQUIRE(a.timers().retransmit == 1000);
  REQUIRE(a.current_rto() == 1000);

  sim.advance_to(999);
  CHECK(sent_text(sim, 0, HOST_A) == "SYN seq=1000");  // only the first one

  std::size_t m = mark(sim);
  sim.advance_to(1000);
  CHECK(sent_text(sim, m, HOST_A) == "SYN seq=1000");
  CHECK(timers_fired(sim, m, HOST_A) == "timer.retransmit");
  CHECK(state_of(sim, HOST_A) == State::SynSent);
  CHECK(a.retransmit_count() == 1);
  CHECK(a.current_rto() == 2000);
  CHECK(a.timers().retransmit == 1000 + 2000);
  CHECK(tcb_of(sim, HOST_A).snd_nxt == 1001);

  m = mark(sim);
  sim.advance_to(3000);
  CHECK(sent_text(sim, m, HOST_A) == "SYN seq=1000");
  CHECK(a.current_rto() == 4000);
  CHECK(a.timers().retransmit == 3000 + 4000);

  SUBCASE("the retransmitted SYN completes the handshake as the first would") {
    deliver_from(sim, HOST_A);  // the original SYN reaches B
    m = mark(sim);
    deliver_from(sim, HOST_B);
    CHECK(state_of(sim, HOST_A) == State::Established);
    CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1001 ack=5001");
    CHECK(a.timers().retransmit == NEVER);
  }
  SUBCASE("a forced expiry (scenario step) re-sends at once") {
    m = mark(sim);
    Reason r = sim.fire_timer(HOST_A, TimerKind::Retransmit);
    CHECK(key(r) == "timer.retransmit");
    CHECK(sent_text(sim, m, HOST_A) == "SYN seq=1000");
    CHECK(a.retransmit_count() == 3);
  }
}

// 3.10.8 / 3.8.3 (R2): after max_retransmits retransmissions the next expiry
// closes the connection and tells the user ("connection timed out"); nothing
// is sent then (BEHAVIOUR.md).
TEST_CASE("SYN-SENT + retransmissions exhausted -> CLOSED") {
  Simulation sim = syn_sent();
  const Endpoint& a = sim.endpoint(HOST_A);
  REQUIRE(a.config().max_retransmits == 5);
  // Retransmissions at 1 s, then 2, 4, 8, 16 s later; the give-up 32 s after
  // the fifth.
  const Instant expiries[] = {1000, 3000, 7000, 15000, 31000};
  int n = 0;
  for (Instant t : expiries) {
    CAPTURE(t);
    REQUIRE(a.timers().retransmit == t);
    std::size_t m = mark(sim);
    sim.advance_to(t);
    ++n;
    CHECK(sent_text(sim, m, HOST_A) == "SYN seq=1000");
    CHECK(a.retransmit_count() == n);
    CHECK(state_of(sim, HOST_A) == State::SynSent);
  }
  CHECK(a.timers().retransmit == 31000 + 32000);
  sim.advance_to(62999);
  CHECK(state_of(sim, HOST_A) == State::SynSent);

  std::size_t m = mark(sim);
  sim.advance_to(63000);
  CHECK(state_of(sim, HOST_A) == State::Closed);
  CHECK(path(sim, m, HOST_A) == "SYN-SENT -> CLOSED");
  CHECK(change_reason(sim, m, HOST_A) == "timer.retransmit.give_up");
  CHECK(timers_fired(sim, m, HOST_A) == "timer.retransmit.give_up");
  CHECK(signals(sim, m, HOST_A) == "timer.retransmit.give_up");
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
  CHECK(a.next_deadline() == NEVER);
}

// RFC 6298 5.5 "back off the timer", bounded by rto_max_ms (2.5: "a maximum
// value MAY be placed on RTO").
TEST_CASE("SYN-SENT + retransmission timeout -> SYN-SENT, back-off capped at rto_max") {
  SimConfig c = config();
  c.endpoint[HOST_A].rto_max_ms = 3000;
  c.endpoint[HOST_A].max_retransmits = -1;  // never give up
  Simulation sim = syn_sent(c);
  const Endpoint& a = sim.endpoint(HOST_A);
  sim.advance_to(1000);
  CHECK(a.timers().retransmit == 3000);   // 2000
  sim.advance_to(3000);
  CHECK(a.timers().retransmit == 6000);   // 4000 capped to 3000
  sim.advance_to(6000);
  CHECK(a.timers().retransmit == 9000);
  for (Instant t = 9000; t <= 90000; t += 3000) sim.advance_to(t);
  CHECK(state_of(sim, HOST_A) == State::SynSent);
  CHECK(a.retransmit_count() == 3 + 28);
}

}  // TEST_SUITE
