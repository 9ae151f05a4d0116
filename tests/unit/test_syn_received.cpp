// SYN-RECEIVED: segments (RFC 9293 3.10.7.4), user calls, the SYN,ACK's
// retransmission. B came from LISTEN (passive); A reaches SYN-RECEIVED from
// SYN-SENT in a simultaneous open (active).
#include "fixtures.h"

using namespace fx;

TEST_SUITE("SYN-RECEIVED") {

// RFC 9293 3.10.7.4 fifth check, SYN-RECEIVED STATE: "If SND.UNA < SEG.ACK =<
// SND.NXT, then enter ESTABLISHED state and continue processing with the
// variables below set to: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <-
// SEG.ACK".
TEST_CASE("SYN-RECEIVED + ACK -> ESTABLISHED") {
  Simulation sim = syn_received();
  deliver_from(sim, HOST_B);  // SYN,ACK -> A, A sends <SEQ=1001><ACK=5001><CTL=ACK>
  REQUIRE(in_flight_text(sim, HOST_A) == "ACK seq=1001 ack=5001");

  SUBCASE("the third segment of the handshake") {
    std::size_t m = mark(sim);
    deliver_from(sim, HOST_A);
    CHECK(state_of(sim, HOST_B) == State::Established);
    CHECK(path(sim, m, HOST_B) == "SYN-RECEIVED -> ESTABLISHED");
    CHECK(verdict(sim, m, HOST_B) == "syn_received.ack.established");
    CHECK(change_reason(sim, m, HOST_B) == "syn_received.ack.established");
    CHECK(all_sent_text(sim, m) == "nothing");
    const Tcb& t = tcb_of(sim, HOST_B);
    CHECK(t.snd_una == 5001);
    CHECK(t.snd_nxt == 5001);
    CHECK(t.rcv_nxt == 1001);
    CHECK(t.irs == 1000);
    CHECK(t.snd_wnd == WND);
    CHECK(t.snd_wl1 == 1001);
    CHECK(t.snd_wl2 == 5001);
    CHECK(sim.endpoint(HOST_B).timers().retransmit == NEVER);
    CHECK(sim.endpoint(HOST_B).outstanding().empty());
  }
  SUBCASE("data queued in SYN-RECEIVED goes in one segment after ESTABLISHED") {
    CHECK(key(sim.call(HOST_B, Call::Send, 50)) == "send.queued_until_established");
    CHECK(sim.endpoint(HOST_B).queued_octets() == 50);
    std::size_t m = mark(sim);
    deliver_from(sim, HOST_A);
    CHECK(state_of(sim, HOST_B) == State::Established);
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001 len=50");
    CHECK(tcb_of(sim, HOST_B).snd_nxt == 5051);
    CHECK(sim.endpoint(HOST_B).queued_octets() == 0);
  }
  SUBCASE("an ACK carrying data: ESTABLISHED and the data accepted") {
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1001, 5001, 20));
    CHECK_FALSE(reason_rejects(r));
    CHECK(state_of(sim, HOST_B) == State::Established);
    CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1021);
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1021");
  }
}

// 3.10.7.4 fifth check, SYN-RECEIVED STATE: "If the segment acknowledgment is
// not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST> and send it."
TEST_CASE("SYN-RECEIVED + bad ACK -> RST") {
  Simulation sim = syn_received();
  std::size_t m = mark(sim);
  SUBCASE("ACK of nothing new (SEG.ACK = SND.UNA)") {
    Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1001, 5000));
    CHECK(key(r) == "syn_received.unacceptable_ack.send_rst");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, HOST_B) == "RST seq=5000");
  }
  SUBCASE("ACK beyond SND.NXT") {
    Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1001, 5002));
    CHECK(key(r) == "syn_received.unacceptable_ack.send_rst");
    CHECK(sent_text(sim, m, HOST_B) == "RST seq=5002");
  }
  CHECK(state_of(sim, HOST_B) == State::SynReceived);
  CHECK(path(sim, m, HOST_B) == "no change");
  CHECK(tcb_of(sim, HOST_B).snd_una == 5000);
}

// 3.10.7.4 fifth check: "if the ACK bit is off, drop the segment and return".
TEST_CASE("SYN-RECEIVED + segment without ACK -> SYN-RECEIVED (dropped)") {
  Simulation sim = syn_received();
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_B, seg(0, 1001, 0, 10));
  CHECK(key(r) == "ack.missing.drop");
  CHECK(reason_rejects(r));
  CHECK(state_of(sim, HOST_B) == State::SynReceived);
  CHECK(sent_text(sim, m, HOST_B) == "nothing");
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1001);
}

// 3.10.4 CLOSE, SYN-RECEIVED STATE: "If no SENDs have been issued and there is
// no pending data to send, then form a FIN segment and send it, and enter
// FIN-WAIT-1 state; otherwise, queue for processing after entering
// ESTABLISHED state."
TEST_CASE("SYN-RECEIVED + CLOSE -> FIN-WAIT-1") {
  SUBCASE("nothing queued: FIN now") {
    Simulation sim = syn_received();
    std::size_t m = mark(sim);
    Reason r = sim.call(HOST_B, Call::Close);
    CHECK(key(r) == "close.send_fin");
    CHECK(state_of(sim, HOST_B) == State::FinWait1);
    CHECK(path(sim, m, HOST_B) == "SYN-RECEIVED -> FIN-WAIT-1");
    CHECK(change_reason(sim, m, HOST_B) == "close.send_fin");
    CHECK(sent_text(sim, m, HOST_B) == "FIN,ACK seq=5001 ack=1001");
    CHECK(tcb_of(sim, HOST_B).snd_nxt == 5002);
    CHECK(tcb_of(sim, HOST_B).snd_una == 5000);

    // A completes the handshake and then gets the FIN; its ACK acknowledges
    // B's SYN and FIN at once: FIN-WAIT-2.
    deliver_from(sim, HOST_B);  // SYN,ACK -> A: ESTABLISHED, ACK 1001/5001
    deliver_from(sim, HOST_B);  // FIN -> A: CLOSE-WAIT, ACK 1001/5002
    REQUIRE(state_of(sim, HOST_A) == State::CloseWait);
    deliver_from(sim, HOST_A);  // first ACK -> B: acknowledges the SYN only
    CHECK(state_of(sim, HOST_B) == State::FinWait1);
    m = mark(sim);
    deliver_from(sim, HOST_A);  // second ACK -> B: acknowledges the FIN
    CHECK(state_of(sim, HOST_B) == State::FinWait2);
    CHECK(path(sim, m, HOST_B) == "FIN-WAIT-1 -> FIN-WAIT-2");
  }
  SUBCASE("data queued: the CLOSE waits for ESTABLISHED") {
    Simulation sim = syn_received();
    sim.call(HOST_B, Call::Send, 30);
    std::size_t m = mark(sim);
    Reason r = sim.call(HOST_B, Call::Close);
    CHECK(key(r) == "close.queued_until_established");
    CHECK(state_of(sim, HOST_B) == State::SynReceived);
    CHECK(sent_text(sim, m, HOST_B) == "nothing");
    CHECK(sim.endpoint(HOST_B).close_queued());

    deliver_from(sim, HOST_B);  // SYN,ACK -> A
    m = mark(sim);
    deliver_from(sim, HOST_A);  // ACK -> B: ESTABLISHED, then data, then FIN
    CHECK(state_of(sim, HOST_B) == State::FinWait1);
    CHECK(path(sim, m, HOST_B) == "SYN-RECEIVED -> ESTABLISHED -> FIN-WAIT-1");
    // The queued octets leave in one segment and the FIN rides on it (a FIN
    // may share a segment with the last data, 3.10.4 / 3.4).
    CHECK(sent_text(sim, m, HOST_B) == "FIN,ACK seq=5001 ack=1001 len=30");
    CHECK(tcb_of(sim, HOST_B).snd_nxt == 5032);
  }
}

// 3.10.7.4 second check, SYN-RECEIVED STATE: "If this connection was initiated
// with a passive OPEN (i.e., came from the LISTEN state), then return this
// connection to LISTEN state and return. The user need not be informed."
TEST_CASE("SYN-RECEIVED + RST -> LISTEN") {
  SUBCASE("RST at RCV.NXT") {
    Simulation sim = syn_received();
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_B, seg(FLAG_RST, 1001));
    CHECK(key(r) == "rst.syn_received.return_to_listen");
    CHECK(state_of(sim, HOST_B) == State::Listen);
    CHECK(path(sim, m, HOST_B) == "SYN-RECEIVED -> LISTEN");
    CHECK(change_reason(sim, m, HOST_B) == "rst.syn_received.return_to_listen");
    CHECK(signals(sim, m, HOST_B) == "none");
    CHECK(sent_text(sim, m, HOST_B) == "nothing");
    // The SYN,ACK is no longer retransmitted.
    CHECK(sim.endpoint(HOST_B).next_deadline() == NEVER);

    // Listening again: a new SYN is answered (with the next ISS, drawn from
    // the seed once the fixed list is used up).
    m = mark(sim);
    sim.inject(HOST_B, seg(FLAG_SYN, 9000));
    CHECK(state_of(sim, HOST_B) == State::SynReceived);
    std::vector<Segment> reply = sent(sim, m, HOST_B);
    REQUIRE(reply.size() == 1);
    CHECK(reply[0].flags == (FLAG_SYN | FLAG_ACK));
    CHECK(reply[0].ack == 9001);
    CHECK(tcb_of(sim, HOST_B).irs == 9000);
  }
  // The same check applies the RFC 5961 3.2 rules to SYN-RECEIVED: an
  // in-window RST not at RCV.NXT draws a challenge ACK, one outside the
  // window is dropped.
  SUBCASE("in-window RST not at RCV.NXT, RFC 5961 on: challenge ACK") {
    Simulation sim = syn_received(rfc5961_config());
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_B, seg(FLAG_RST, 1001 + 100));
    CHECK(key(r) == "rst.not_at_rcv_nxt.challenge_ack");
    CHECK(state_of(sim, HOST_B) == State::SynReceived);
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001");
  }
  SUBCASE("in-window RST not at RCV.NXT, RFC 5961 off: back to LISTEN") {
    Simulation sim = syn_received(rfc793_config());
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_B, seg(FLAG_RST, 1001 + 100));
    CHECK(key(r) == "rst.syn_received.return_to_listen");
    CHECK(state_of(sim, HOST_B) == State::Listen);
    CHECK(sent_text(sim, m, HOST_B) == "nothing");
  }
  SUBCASE("RST outside the window: dropped") {
    Simulation sim = syn_received();
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_B, seg(FLAG_RST, 1001 + WND));
    CHECK(key(r) == "seq.unacceptable.rst.drop");
    CHECK(state_of(sim, HOST_B) == State::SynReceived);
    CHECK(sent_text(sim, m, HOST_B) == "nothing");
  }
}

// 3.10.7.4 second check, SYN-RECEIVED STATE: "If this connection was initiated
// with an active OPEN (i.e., came from SYN-SENT state), then the connection
// was refused; signal the user "connection refused". ... enter the CLOSED
// state and delete the TCB."
TEST_CASE("SYN-RECEIVED + RST -> CLOSED") {
  Simulation sim = simultaneous_syn_received();  // A: SYN-RECEIVED, active
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_A, seg(FLAG_RST, 5001));
  CHECK(key(r) == "rst.syn_received.connection_refused");
  CHECK(state_of(sim, HOST_A) == State::Closed);
  CHECK(path(sim, m, HOST_A) == "SYN-RECEIVED -> CLOSED");
  CHECK(change_reason(sim, m, HOST_A) == "rst.syn_received.connection_refused");
  CHECK(signals(sim, m, HOST_A) == "rst.syn_received.connection_refused");
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
  CHECK(sim.endpoint(HOST_A).next_deadline() == NEVER);
}

// Simultaneous open (RFC 9293 Figure 7): the peer's SYN,ACK arrives in
// SYN-RECEIVED. Its SYN is a duplicate (SEG.SEQ+1 = RCV.NXT) and is trimmed,
// its ACK is acceptable: ESTABLISHED, and an ACK <SEQ=SND.NXT><ACK=RCV.NXT>
// is sent. Six segments in all, as on Linux (BEHAVIOUR.md).
TEST_CASE("SYN-RECEIVED + SYN,ACK -> ESTABLISHED") {
  Simulation sim = simultaneous_open();
  std::size_t start = mark(sim);
  deliver_from(sim, HOST_B);  // B's SYN -> A: SYN-RECEIVED, SYN,ACK 1000/5001
  deliver_from(sim, HOST_A);  // A's SYN -> B: SYN-RECEIVED, SYN,ACK 5000/1001
  REQUIRE(state_of(sim, HOST_A) == State::SynReceived);
  REQUIRE(state_of(sim, HOST_B) == State::SynReceived);
  REQUIRE(in_flight_text(sim, HOST_A) == "SYN,ACK seq=1000 ack=5001");
  REQUIRE(in_flight_text(sim, HOST_B) == "SYN,ACK seq=5000 ack=1001");

  std::size_t m = mark(sim);
  deliver_from(sim, HOST_B);  // B's SYN,ACK -> A
  CHECK(state_of(sim, HOST_A) == State::Established);
  CHECK(path(sim, m, HOST_A) == "SYN-RECEIVED -> ESTABLISHED");
  CHECK(verdict(sim, m, HOST_A) == "syn_received.syn_ack.established");
  CHECK(change_reason(sim, m, HOST_A) == "syn_received.syn_ack.established");
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1001 ack=5001");
  CHECK(tcb_of(sim, HOST_A).snd_una == 1001);
  CHECK(tcb_of(sim, HOST_A).snd_nxt == 1001);
  CHECK(tcb_of(sim, HOST_A).rcv_nxt == 5001);
  CHECK(tcb_of(sim, HOST_A).irs == 5000);
  CHECK(sim.endpoint(HOST_A).timers().retransmit == NEVER);

  m = mark(sim);
  deliver_from(sim, HOST_A);  // A's SYN,ACK -> B: the same on the other side
  CHECK(state_of(sim, HOST_B) == State::Established);
  CHECK(verdict(sim, m, HOST_B) == "syn_received.syn_ack.established");
  CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001");

  // The two final ACKs are duplicates for ESTABLISHED peers: nothing more.
  deliver_from(sim, HOST_A);
  deliver_from(sim, HOST_B);
  CHECK(state_of(sim, HOST_A) == State::Established);
  CHECK(state_of(sim, HOST_B) == State::Established);
  CHECK(all_sent_text(sim, start) ==
        "A: SYN,ACK seq=1000 ack=5001 | B: SYN,ACK seq=5000 ack=1001 | "
        "A: ACK seq=1001 ack=5001 | B: ACK seq=5001 ack=1001");
  CHECK(sim.network().count() == 0);
}

// 3.10.7.4 first check: a retransmitted SYN (SEG.SEQ = IRS) lies entirely
// before RCV.NXT: "If an incoming segment is not acceptable, an
// acknowledgment should be sent in reply ... <SEQ=SND.NXT><ACK=RCV.NXT>
// <CTL=ACK>" and the segment dropped (BEHAVIOUR.md).
TEST_CASE("SYN-RECEIVED + retransmitted SYN -> SYN-RECEIVED (ACK)") {
  Simulation sim = syn_received();
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_B, seg(FLAG_SYN, 1000));
  CHECK(key(r) == "seq.unacceptable.send_ack");
  CHECK(reason_rejects(r));
  CHECK(state_of(sim, HOST_B) == State::SynReceived);
  CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001");
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1001);
}

// 3.10.7.4 fourth check, SYN-RECEIVED STATE: "If the connection was initiated
// with a passive OPEN, then return this connection to the LISTEN state and
// return." (an in-window SYN)
TEST_CASE("SYN-RECEIVED + SYN -> LISTEN") {
  Simulation sim = syn_received();
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_B, seg(FLAG_SYN, 1001));
  CHECK(key(r) == "syn.syn_received.return_to_listen");
  CHECK(state_of(sim, HOST_B) == State::Listen);
  CHECK(path(sim, m, HOST_B) == "SYN-RECEIVED -> LISTEN");
  CHECK(change_reason(sim, m, HOST_B) == "syn.syn_received.return_to_listen");
  CHECK(sent_text(sim, m, HOST_B) == "nothing");
  CHECK(sim.endpoint(HOST_B).next_deadline() == NEVER);
}

// 3.10.5 ABORT, SYN-RECEIVED STATE: "Send a reset segment:
// <SEQ=SND.NXT><CTL=RST>".
TEST_CASE("SYN-RECEIVED + ABORT -> CLOSED") {
  check_abort(syn_received(), HOST_B, "RST seq=5001", "abort.send_rst");
}

// 3.10.8: the SYN,ACK is retransmitted with the same SEQ, flags and ACK.
TEST_CASE("SYN-RECEIVED + retransmission timeout -> SYN-RECEIVED") {
  Simulation sim = syn_received();
  REQUIRE(sim.endpoint(HOST_B).timers().retransmit == 1000);
  std::size_t m = mark(sim);
  sim.advance_to(1000);
  CHECK(sent_text(sim, m, HOST_B) == "SYN,ACK seq=5000 ack=1001");
  CHECK(timers_fired(sim, m, HOST_B) == "timer.retransmit");
  CHECK(state_of(sim, HOST_B) == State::SynReceived);
  CHECK(sim.endpoint(HOST_B).timers().retransmit == 3000);
  CHECK(tcb_of(sim, HOST_B).snd_nxt == 5001);
}

}  // TEST_SUITE
