// LISTEN: segments (RFC 9293 3.10.7.2) and user calls (3.10.1-3.10.5).
#include "fixtures.h"

using namespace fx;

TEST_SUITE("LISTEN") {

// RFC 9293 3.10.7.2 third check, SYN: "Set RCV.NXT to SEG.SEQ+1, IRS is set to
// SEG.SEQ ... ISS should be selected and a SYN segment sent of the form
// <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is set to ISS+1 and SND.UNA to
// ISS. The connection state should be changed to SYN-RECEIVED."
TEST_CASE("LISTEN + SYN -> SYN-RECEIVED") {
  Simulation sim = syn_sent();  // B listening, A's SYN <SEQ=1000> in flight
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_A);
  CHECK(state_of(sim, HOST_B) == State::SynReceived);
  CHECK(path(sim, m, HOST_B) == "LISTEN -> SYN-RECEIVED");
  CHECK(verdict(sim, m, HOST_B) == "listen.syn.send_syn_ack");
  CHECK(change_reason(sim, m, HOST_B) == "listen.syn.send_syn_ack");
  CHECK_FALSE(was_rejected(sim, m, HOST_B));
  CHECK(sent_text(sim, m, HOST_B) == "SYN,ACK seq=5000 ack=1001");
  const Tcb& t = tcb_of(sim, HOST_B);
  CHECK(t.irs == 1000);
  CHECK(t.rcv_nxt == 1001);
  CHECK(t.iss == 5000);
  CHECK(t.snd_una == 5000);
  CHECK(t.snd_nxt == 5001);
  CHECK(sim.endpoint(HOST_B).passive_open());
  // The SYN,ACK is retransmitted on the timer like any SYN (3.10.8).
  CHECK(sim.endpoint(HOST_B).timers().retransmit == 1000);
  CHECK(state_of(sim, HOST_A) == State::SynSent);
}

// 3.10.7.2: "any other control or text should be queued for processing
// later"; this engine has no TCP Fast Open, so data on the SYN is not
// acknowledged (BEHAVIOUR.md).
TEST_CASE("LISTEN + SYN with data -> SYN-RECEIVED, data not acknowledged") {
  Simulation sim = listen();
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_B, seg(FLAG_SYN, 1000, 0, 50));
  CHECK(key(r) == "listen.syn.send_syn_ack");
  CHECK(state_of(sim, HOST_B) == State::SynReceived);
  CHECK(sent_text(sim, m, HOST_B) == "SYN,ACK seq=5000 ack=1001");
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1001);
  CHECK(sim.endpoint(HOST_B).octets_received() == 0);
}

// 3.10.7.2 first check: "An incoming RST should be ignored. Return."
TEST_CASE("LISTEN + RST -> LISTEN (ignored)") {
  Simulation sim = listen();
  std::size_t m = mark(sim);
  SUBCASE("RST") {
    Reason r = sim.inject(HOST_B, seg(FLAG_RST, 1234));
    CHECK(key(r) == "listen.rst.ignore");
    CHECK(reason_rejects(r));
  }
  SUBCASE("RST,ACK") {
    Reason r = sim.inject(HOST_B, seg(FLAG_RST | FLAG_ACK, 1234, 5001));
    CHECK(key(r) == "listen.rst.ignore");
  }
  CHECK(state_of(sim, HOST_B) == State::Listen);
  CHECK(path(sim, m, HOST_B) == "no change");
  CHECK(sent_text(sim, m, HOST_B) == "nothing");
}

// 3.10.7.2 second check: "Any acknowledgment is bad if it arrives on a
// connection still in the LISTEN state. An acceptable reset segment should be
// formed for any arriving ACK-bearing segment. The RST should be formatted as
// follows: <SEQ=SEG.ACK><CTL=RST>". The ACK check comes before the SYN check.
TEST_CASE("LISTEN + ACK -> RST") {
  Simulation sim = listen();
  std::size_t m = mark(sim);
  SUBCASE("ACK") {
    Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1001, 777));
    CHECK(key(r) == "listen.ack.send_rst");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, HOST_B) == "RST seq=777");
  }
  SUBCASE("ACK with data") {
    sim.inject(HOST_B, seg(FLAG_ACK, 1001, 888, 100));
    CHECK(sent_text(sim, m, HOST_B) == "RST seq=888");
  }
  SUBCASE("SYN,ACK") {
    Reason r = sim.inject(HOST_B, seg(FLAG_SYN | FLAG_ACK, 1000, 999));
    CHECK(key(r) == "listen.ack.send_rst");
    CHECK(sent_text(sim, m, HOST_B) == "RST seq=999");
  }
  CHECK(state_of(sim, HOST_B) == State::Listen);
  CHECK(path(sim, m, HOST_B) == "no change");
}

// 3.10.7.2 fourth check: "Any other control or text-bearing segment (not
// containing SYN) must have an ACK and thus would have been discarded by the
// ACK processing ... drop the segment and return."
TEST_CASE("LISTEN + other segment -> LISTEN (dropped)") {
  Simulation sim = listen();
  std::size_t m = mark(sim);
  SUBCASE("FIN") {
    Reason r = sim.inject(HOST_B, seg(FLAG_FIN, 1000));
    CHECK(key(r) == "listen.other.drop");
    CHECK(reason_rejects(r));
  }
  SUBCASE("data without ACK") {
    Reason r = sim.inject(HOST_B, seg(0, 1000, 0, 10));
    CHECK(key(r) == "listen.other.drop");
  }
  CHECK(state_of(sim, HOST_B) == State::Listen);
  CHECK(sent_text(sim, m, HOST_B) == "nothing");
}

// 3.10.1 OPEN, LISTEN STATE: "If the OPEN call is active and the foreign
// socket is specified, then change the connection from passive to active,
// select an ISS. Send a SYN segment, set SND.UNA to ISS, SND.NXT to ISS+1.
// Enter SYN-SENT state." (Figure 5's "SEND / snd SYN" arc.) 3.10.2 SEND,
// LISTEN STATE does the same only "if the foreign socket is specified",
// else "error: foreign socket unspecified": a passive OPEN here leaves it
// unspecified, so SEND alone is refused and the active OPEN is the arc.
TEST_CASE("LISTEN + SEND -> SYN-SENT") {
  Simulation sim = closed();
  sim.call(HOST_A, Call::OpenPassive);
  sim.call(HOST_B, Call::OpenPassive);
  REQUIRE(state_of(sim, HOST_B) == State::Listen);

  SUBCASE("active OPEN: SYN now, data queued by a later SEND rides on the ACK") {
    std::size_t m = mark(sim);
    Reason r = sim.call(HOST_B, Call::OpenActive);
    CHECK(key(r) == "open.listen.active.send_syn");
    CHECK(state_of(sim, HOST_B) == State::SynSent);
    CHECK(path(sim, m, HOST_B) == "LISTEN -> SYN-SENT");
    CHECK(change_reason(sim, m, HOST_B) == "open.listen.active.send_syn");
    CHECK(sent_text(sim, m, HOST_B) == "SYN seq=5000");
    CHECK(tcb_of(sim, HOST_B).iss == 5000);
    CHECK(tcb_of(sim, HOST_B).snd_una == 5000);
    CHECK(tcb_of(sim, HOST_B).snd_nxt == 5001);
    CHECK(sim.endpoint(HOST_B).timers().retransmit == 1000);

    CHECK(key(sim.call(HOST_B, Call::Send, 100)) == "send.queued_until_established");
    CHECK(sim.endpoint(HOST_B).queued_octets() == 100);

    // A (listening) answers; B's ACK completing the handshake carries the
    // queued octets (3.10.7.3, BEHAVIOUR.md).
    deliver_from(sim, HOST_B);
    REQUIRE(state_of(sim, HOST_A) == State::SynReceived);
    CHECK(sent_text(sim, m, HOST_A) == "SYN,ACK seq=1000 ack=5001");
    m = mark(sim);
    deliver_from(sim, HOST_A);
    CHECK(state_of(sim, HOST_B) == State::Established);
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001 len=100");
    CHECK(sim.endpoint(HOST_B).queued_octets() == 0);
    CHECK(tcb_of(sim, HOST_B).snd_nxt == 5101);
  }
  SUBCASE("SEND without a foreign socket: refused, still LISTEN") {
    std::size_t m = mark(sim);
    Reason r = sim.call(HOST_B, Call::Send, 100);
    CHECK(key(r) == "send.error.no_connection");
    CHECK(call_error(sim, m, HOST_B) == "send.error.no_connection");
    CHECK(state_of(sim, HOST_B) == State::Listen);
    CHECK(path(sim, m, HOST_B) == "no change");
    CHECK(sent_text(sim, m, HOST_B) == "nothing");
    CHECK(sim.endpoint(HOST_B).queued_octets() == 0);
  }
}

// 3.10.4 CLOSE, LISTEN STATE: "Any outstanding RECEIVEs are returned with
// "error: closing" responses. Delete TCB, enter CLOSED state, and return."
TEST_CASE("LISTEN + CLOSE -> CLOSED") {
  Simulation sim = listen();
  std::size_t m = mark(sim);
  Reason r = sim.call(HOST_B, Call::Close);
  CHECK(key(r) == "close.listen.delete_tcb");
  CHECK(state_of(sim, HOST_B) == State::Closed);
  CHECK(path(sim, m, HOST_B) == "LISTEN -> CLOSED");
  CHECK(change_reason(sim, m, HOST_B) == "close.listen.delete_tcb");
  CHECK(all_sent_text(sim, m) == "nothing");
}

// 3.10.5 ABORT, LISTEN STATE: "Any outstanding RECEIVEs should be returned
// with "error: connection reset" responses. Delete TCB, enter CLOSED state,
// and return." No segment.
TEST_CASE("LISTEN + ABORT -> CLOSED") {
  check_abort(listen(), HOST_B, "nothing", "abort.delete_tcb");
}

// Simulation::predict answers "what would B do with this SYN?" from a copy:
// the state, the trace, the network and even the ISS list stay untouched.
TEST_CASE("LISTEN + SYN -> SYN-RECEIVED, predicted without changing anything") {
  Simulation sim = listen();
  const std::size_t trace_before = sim.trace().size();
  const Instant now_before = sim.now();

  Prediction p = sim.predict(HOST_B, seg(FLAG_SYN, 1000));
  CHECK(key(p.reason) == "listen.syn.send_syn_ack");
  CHECK_FALSE(p.rejected);
  CHECK(p.before == State::Listen);
  CHECK(p.after == State::SynReceived);
  CHECK(wire(p.replies) == "SYN,ACK seq=5000 ack=1001");
  bool saw_change = false;
  for (const Event& e : p.events)
    if (e.kind == EventKind::StateChanged && e.host == HOST_B && e.from == State::Listen &&
        e.to == State::SynReceived)
      saw_change = true;
  CHECK(saw_change);

  // Nothing happened.
  CHECK(state_of(sim, HOST_B) == State::Listen);
  CHECK(sim.trace().size() == trace_before);
  CHECK(sim.now() == now_before);
  CHECK(sim.network().count() == 0);

  // The real SYN still gets ISS 5000: predicting did not use it up.
  std::size_t m = mark(sim);
  sim.inject(HOST_B, seg(FLAG_SYN, 1000));
  CHECK(sent_text(sim, m, HOST_B) == "SYN,ACK seq=5000 ack=1001");
}

TEST_CASE("LISTEN + RST -> LISTEN, predicted as rejected") {
  Simulation sim = listen();
  Prediction p = sim.predict(HOST_B, seg(FLAG_RST, 1));
  CHECK(key(p.reason) == "listen.rst.ignore");
  CHECK(p.rejected);
  CHECK(p.before == State::Listen);
  CHECK(p.after == State::Listen);
  CHECK(wire(p.replies) == "nothing");
}

}  // TEST_SUITE
