// ESTABLISHED: closing, data, the RST/SYN/ABORT arcs, retransmission, delayed
// ACK, the three-segment close, sequence wrap and Simulation::predict.
// A: SND.NXT 1001, RCV.NXT 5001. B: SND.NXT 5001, RCV.NXT 1001.
#include "fixtures.h"

using namespace fx;

namespace {
const Synchronized A_ESTABLISHED{established, HOST_A, State::Established, 1001, 5001,
                                 "rst.connection_reset", true};
}

TEST_SUITE("ESTABLISHED") {

// RFC 9293 3.10.4 CLOSE, ESTABLISHED STATE: "Queue this until all preceding
// SENDs have been segmentized, then form a FIN segment and send it. In any
// case, enter FIN-WAIT-1 state."
TEST_CASE("ESTABLISHED + CLOSE -> FIN-WAIT-1") {
  Simulation sim = established();
  std::size_t m = mark(sim);
  Reason r = sim.call(HOST_A, Call::Close);
  CHECK(key(r) == "close.send_fin");
  CHECK(state_of(sim, HOST_A) == State::FinWait1);
  CHECK(path(sim, m, HOST_A) == "ESTABLISHED -> FIN-WAIT-1");
  CHECK(change_reason(sim, m, HOST_A) == "close.send_fin");
  CHECK(sent_text(sim, m, HOST_A) == "FIN,ACK seq=1001 ack=5001");
  CHECK(tcb_of(sim, HOST_A).snd_una == 1001);
  CHECK(tcb_of(sim, HOST_A).snd_nxt == 1002);
  CHECK(sim.endpoint(HOST_A).timers().retransmit == 1000);
}

// 3.10.7.4 eighth check: "If the FIN bit is set, signal the user "connection
// closing" ..., advance RCV.NXT over the FIN, and send an acknowledgment for
// the FIN." ESTABLISHED STATE: "Enter the CLOSE-WAIT state."
TEST_CASE("ESTABLISHED + FIN -> CLOSE-WAIT") {
  Simulation sim = fin_wait_1();  // A's FIN <SEQ=1001> in flight to B
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_A);
  CHECK(state_of(sim, HOST_B) == State::CloseWait);
  CHECK(path(sim, m, HOST_B) == "ESTABLISHED -> CLOSE-WAIT");
  CHECK(verdict(sim, m, HOST_B) == "fin.close_wait");
  CHECK(change_reason(sim, m, HOST_B) == "fin.close_wait");
  CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1002");
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1002);
  CHECK(tcb_of(sim, HOST_B).snd_nxt == 5001);
  CHECK(tcb_of(sim, HOST_B).snd_una == 5001);  // the FIN's ACK field was 5001
}

// 3.10.4 with close_on_fin: the application closes as soon as the FIN
// arrives, so one FIN,ACK acknowledges the peer's FIN and carries ours
// (BEHAVIOUR.md; the three-segment close of REAL-TCP-NOTES).
TEST_CASE("ESTABLISHED + FIN -> LAST-ACK (close_on_fin)") {
  SimConfig c = config();
  c.endpoint[HOST_B].close_on_fin = true;
  Simulation sim = established(c);
  std::size_t start = mark(sim);
  sim.call(HOST_A, Call::Close);  // FIN <SEQ=1001><ACK=5001>
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_A);  // FIN -> B
  CHECK(state_of(sim, HOST_B) == State::LastAck);
  CHECK(path(sim, m, HOST_B) == "ESTABLISHED -> CLOSE-WAIT -> LAST-ACK");
  CHECK(change_reason(sim, m, HOST_B) == "close.passive_closer_closes_at_once");
  CHECK(sent_text(sim, m, HOST_B) == "FIN,ACK seq=5001 ack=1002");
  CHECK(tcb_of(sim, HOST_B).snd_nxt == 5002);
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1002);

  m = mark(sim);
  deliver_from(sim, HOST_B);  // FIN,ACK -> A: FIN-WAIT-1 -> TIME-WAIT
  CHECK(state_of(sim, HOST_A) == State::TimeWait);
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1002 ack=5002");
  m = mark(sim);
  deliver_from(sim, HOST_A);  // ACK -> B
  CHECK(state_of(sim, HOST_B) == State::Closed);
  CHECK(path(sim, m, HOST_B) == "LAST-ACK -> CLOSED");
  // Three segments from A's CLOSE on: FIN, FIN+ACK, ACK.
  CHECK(all_sent_text(sim, start) ==
        "A: FIN,ACK seq=1001 ack=5001 | B: FIN,ACK seq=5001 ack=1002 | "
        "A: ACK seq=1002 ack=5002");
}

// 3.10.2 SEND, ESTABLISHED STATE: "Segmentize the buffer and send it"; one
// segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> per SEND (BEHAVIOUR.md).
// 3.10.7.4 seventh check: the receiver advances RCV.NXT and acknowledges;
// fifth check: the ACK advances SND.UNA.
TEST_CASE("ESTABLISHED + data -> ESTABLISHED") {
  Simulation sim = established();
  std::size_t m = mark(sim);
  Reason r = sim.call(HOST_A, Call::Send, 100);
  CHECK(key(r) == "send.data");
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1001 ack=5001 len=100");
  CHECK(tcb_of(sim, HOST_A).snd_nxt == 1101);
  CHECK(tcb_of(sim, HOST_A).snd_una == 1001);
  CHECK(sim.endpoint(HOST_A).timers().retransmit == 1000);

  m = mark(sim);
  deliver_from(sim, HOST_A);
  CHECK(verdict(sim, m, HOST_B) == "text.accepted");
  CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1101");
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1101);
  CHECK(sim.endpoint(HOST_B).octets_received() == 100);

  m = mark(sim);
  deliver_from(sim, HOST_B);
  CHECK(verdict(sim, m, HOST_A) == "ack.advance");
  CHECK(tcb_of(sim, HOST_A).snd_una == 1101);
  CHECK(sim.endpoint(HOST_A).timers().retransmit == NEVER);
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
  CHECK(state_of(sim, HOST_A) == State::Established);
  CHECK(state_of(sim, HOST_B) == State::Established);
}

// 3.10.7.4 first check: "If an incoming segment is not acceptable, an
// acknowledgment should be sent in reply ... <SEQ=SND.NXT><ACK=RCV.NXT>
// <CTL=ACK>. After sending the acknowledgment, drop the unacceptable segment
// and return." Seventh check: segments ahead of RCV.NXT inside the window
// are held (BEHAVIOUR.md), with a duplicate ACK.
TEST_CASE("ESTABLISHED + unacceptable segment -> ESTABLISHED (ACK)") {
  Simulation sim = established();
  std::size_t m = mark(sim);
  SUBCASE("old data, entirely before RCV.NXT") {
    Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 901, 5001, 100));
    CHECK(key(r) == "seq.unacceptable.send_ack");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001");
  }
  SUBCASE("data beyond the window") {
    Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1001 + WND, 5001, 10));
    CHECK(key(r) == "seq.unacceptable.send_ack");
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001");
  }
  CHECK(state_of(sim, HOST_B) == State::Established);
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1001);
  CHECK(sim.endpoint(HOST_B).octets_received() == 0);
}

TEST_CASE("ESTABLISHED + out-of-order data -> ESTABLISHED (held)") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Send, 100);  // 1001..1100
  sim.call(HOST_A, Call::Send, 50);   // 1101..1150
  drop_from(sim, HOST_A);             // the first is lost
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_A);
  CHECK(verdict(sim, m, HOST_B) == "seq.out_of_order.held");
  CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001");
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1001);
  CHECK(sim.endpoint(HOST_B).octets_received() == 0);

  // The retransmission fills the gap; the held octets follow.
  m = mark(sim);
  sim.advance_to(1000);
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1001 ack=5001 len=100");
  m = mark(sim);
  deliver_from(sim, HOST_A);
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1151);
  CHECK(sim.endpoint(HOST_B).octets_received() == 150);
  CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1151");
}

// 3.10.7.4 fifth check: "If the ACK acks something not yet sent (SEG.ACK >
// SND.NXT), then send an ACK, drop the segment, and return." And RFC 5961 5.2
// (3.10.7.4): an ACK older than SND.UNA - MAX.SND.WND is discarded with an
// ACK; without RFC 5961 an old ACK is a duplicate and "can be ignored".
TEST_CASE("ESTABLISHED + unacceptable ACK -> ESTABLISHED") {
  SUBCASE("ACK of unsent data") {
    Simulation sim = established();
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1001, 6000));
    CHECK(key(r) == "ack.acks_unsent_data.send_ack");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001");
    CHECK(tcb_of(sim, HOST_B).snd_una == 5001);
  }
  SUBCASE("ACK too old, RFC 5961 on: challenge ACK") {
    Simulation sim = established(rfc5961_config());
    REQUIRE(tcb_of(sim, HOST_B).max_snd_wnd == WND);
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1001, 5001 - WND - 1));
    CHECK(key(r) == "ack.too_old.challenge_ack");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1001");
  }
  SUBCASE("ACK too old, RFC 5961 off: a duplicate, ignored") {
    Simulation sim = established(rfc793_config());
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1001, 5001 - WND - 1));
    CHECK(key(r) == "ack.duplicate");
    CHECK(sent_text(sim, m, HOST_B) == "nothing");
    CHECK(tcb_of(sim, HOST_B).snd_una == 5001);
  }
}

// 3.10.7.4 second check, ESTABLISHED STATE: "If the RST bit is set, then any
// outstanding RECEIVEs and SEND should receive "reset" responses. All segment
// queues should be flushed. Users should also receive an unsolicited general
// "connection reset" signal. Enter the CLOSED state, delete the TCB, and
// return." RFC 5961 3.2: only an RST exactly at RCV.NXT resets; another
// in-window RST draws a challenge ACK; first check: an RST outside the
// window is dropped.
TEST_CASE("ESTABLISHED + RST -> CLOSED") { check_rst_arcs(A_ESTABLISHED); }

// 3.10.7.4 fourth check: "If the SYN bit is set, irrespective of the sequence
// number, TCP endpoints MUST send a "challenge ACK" to the remote peer
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. After sending the acknowledgment, TCP
// implementations MUST drop the unacceptable segment and stop processing
// further." Without RFC 5961 (RFC 793): an in-window SYN is an error, a reset
// is sent and the connection closed.
TEST_CASE("ESTABLISHED + SYN -> ESTABLISHED (challenge ACK) or CLOSED (RFC 793)") {
  check_syn_arcs(A_ESTABLISHED);
}

// 3.10.5 ABORT, ESTABLISHED STATE: "Send a reset segment:
// <SEQ=SND.NXT><CTL=RST>".
TEST_CASE("ESTABLISHED + ABORT -> CLOSED") {
  SUBCASE("idle") { check_abort(established(), HOST_A, "RST seq=1001", "abort.send_rst"); }
  SUBCASE("with data outstanding: SND.NXT is past the data") {
    Simulation sim = established();
    sim.call(HOST_A, Call::Send, 100);
    check_abort(sim, HOST_A, "RST seq=1101", "abort.send_rst");
  }
}

// 3.10.1 OPEN, ESTABLISHED STATE: "Return "error: connection already exists"."
TEST_CASE("ESTABLISHED + OPEN -> ESTABLISHED (connection exists)") {
  Simulation sim = established();
  std::size_t m = mark(sim);
  CHECK(key(sim.call(HOST_A, Call::OpenActive)) == "open.error.connection_exists");
  CHECK(key(sim.call(HOST_A, Call::OpenPassive)) == "open.error.connection_exists");
  CHECK(call_error(sim, m, HOST_A) == "open.error.connection_exists");
  CHECK(state_of(sim, HOST_A) == State::Established);
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
}

// 3.10.8 RETRANSMISSION TIMEOUT and RFC 6298 5.4-5.6: re-send the earliest
// unacknowledged segment (same SEQ, flags and length, ACK = current RCV.NXT),
// double the RTO, restart the timer.
TEST_CASE("ESTABLISHED + retransmission timeout -> ESTABLISHED") {
  Simulation sim = established();
  const Endpoint& a = sim.endpoint(HOST_A);
  sim.call(HOST_A, Call::Send, 100);
  REQUIRE(a.timers().retransmit == 1000);

  std::size_t m = mark(sim);
  sim.advance_to(1000);
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1001 ack=5001 len=100");
  CHECK(timers_fired(sim, m, HOST_A) == "timer.retransmit");
  CHECK(a.timers().retransmit == 3000);
  CHECK(a.current_rto() == 2000);
  CHECK(tcb_of(sim, HOST_A).snd_nxt == 1101);

  // Meanwhile B sent data: the next retransmission acknowledges it.
  sim.call(HOST_B, Call::Send, 10);
  deliver_from(sim, HOST_B);
  REQUIRE(tcb_of(sim, HOST_A).rcv_nxt == 5011);
  m = mark(sim);
  sim.advance_to(3000);
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1001 ack=5011 len=100");
  CHECK(a.timers().retransmit == 7000);

  // Once acknowledged, the timer stops. (B's own 10 octets were
  // retransmitted at 2000 too; everything in flight is delivered.)
  deliver_all_from(sim, HOST_A);  // the first copy reaches B, B acknowledges
  deliver_all_from(sim, HOST_B);
  CHECK(tcb_of(sim, HOST_A).snd_una == 1101);
  CHECK(a.timers().retransmit == NEVER);
}

// 3.8.3 (R2) / 3.10.8: after max_retransmits the connection is closed and
// the user told "connection timed out" (BEHAVIOUR.md: nothing is sent).
TEST_CASE("ESTABLISHED + retransmissions exhausted -> CLOSED") {
  SimConfig c = config();
  c.endpoint[HOST_A].max_retransmits = 2;
  Simulation sim = established(c);
  const Endpoint& a = sim.endpoint(HOST_A);
  sim.call(HOST_A, Call::Send, 100);
  std::size_t m = mark(sim);
  sim.advance_to(1000);  // first retransmission
  sim.advance_to(3000);  // second
  CHECK(sent_text(sim, m, HOST_A) ==
        "ACK seq=1001 ack=5001 len=100 | ACK seq=1001 ack=5001 len=100");
  CHECK(a.retransmit_count() == 2);
  CHECK(a.timers().retransmit == 7000);
  sim.advance_to(6999);
  CHECK(state_of(sim, HOST_A) == State::Established);

  m = mark(sim);
  sim.advance_to(7000);
  CHECK(state_of(sim, HOST_A) == State::Closed);
  CHECK(path(sim, m, HOST_A) == "ESTABLISHED -> CLOSED");
  CHECK(change_reason(sim, m, HOST_A) == "timer.retransmit.give_up");
  CHECK(signals(sim, m, HOST_A) == "timer.retransmit.give_up");
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
  CHECK(a.next_deadline() == NEVER);
}

// 3.8.6.3: "an ACK SHOULD be generated for at least every second full-sized
// segment" and "MUST be generated within 0.5 seconds"; with delayed ACK on, a
// pure ACK waits delayed_ack_ms, and data or a FIN sent meanwhile carries it
// (BEHAVIOUR.md).
TEST_CASE("ESTABLISHED + data -> ESTABLISHED (delayed ACK)") {
  Simulation sim = established();
  sim.endpoint(HOST_B).config().delayed_ack = true;
  REQUIRE(sim.endpoint(HOST_B).config().delayed_ack_ms == 40);
  sim.call(HOST_A, Call::Send, 100);
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_A);  // at t = 0
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1101);
  CHECK(sent_text(sim, m, HOST_B) == "nothing");
  CHECK(sim.endpoint(HOST_B).timers().delayed_ack == 40);

  SUBCASE("the ACK leaves when the timer expires") {
    sim.advance_to(39);
    CHECK(sent_text(sim, m, HOST_B) == "nothing");
    m = mark(sim);
    sim.advance_to(40);
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1101");
    CHECK(timers_fired(sim, m, HOST_B) == "timer.delayed_ack");
    CHECK(sim.endpoint(HOST_B).timers().delayed_ack == NEVER);
  }
  SUBCASE("data sent meanwhile carries the ACK") {
    sim.advance_to(10);
    m = mark(sim);
    sim.call(HOST_B, Call::Send, 20);
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1101 len=20");
    CHECK(sim.endpoint(HOST_B).timers().delayed_ack == NEVER);
    sim.advance_to(100);
    CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1101 len=20");
  }
  SUBCASE("a FIN sent meanwhile carries the ACK") {
    sim.advance_to(10);
    m = mark(sim);
    sim.call(HOST_B, Call::Close);
    CHECK(sent_text(sim, m, HOST_B) == "FIN,ACK seq=5001 ack=1101");
    CHECK(sim.endpoint(HOST_B).timers().delayed_ack == NEVER);
    sim.advance_to(100);
    CHECK(sent_text(sim, m, HOST_B) == "FIN,ACK seq=5001 ack=1101");
  }
}

// RFC 9293 3.4: sequence numbers are modulo 2^32. ISS close to 2^32: SYN,
// data and FIN cross the wrap with every comparison still right.
TEST_CASE("ESTABLISHED + data across the sequence wrap -> ESTABLISHED") {
  SimConfig c = config();
  c.iss[HOST_A] = {0xFFFFFFFFu};  // A's SYN is the last number before 0
  c.iss[HOST_B] = {0xFFFFFF9Cu};  // 2^32 - 100
  Simulation sim = established(c);
  CHECK(sent_text(sim, 0, HOST_A) == "SYN seq=4294967295 | ACK seq=0 ack=4294967197");
  CHECK(sent_text(sim, 0, HOST_B) == "SYN,ACK seq=4294967196 ack=0");
  CHECK(tcb_of(sim, HOST_A).snd_nxt == 0);
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 0);

  // B's 200 octets run from 2^32-99 over 0 to 100.
  std::size_t m = mark(sim);
  sim.call(HOST_B, Call::Send, 200);
  CHECK(sent_text(sim, m, HOST_B) == "ACK seq=4294967197 ack=0 len=200");
  CHECK(tcb_of(sim, HOST_B).snd_nxt == 101);
  deliver_from(sim, HOST_B);
  CHECK(tcb_of(sim, HOST_A).rcv_nxt == 101);
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=0 ack=101");
  CHECK(sim.endpoint(HOST_A).octets_received() == 200);
  deliver_from(sim, HOST_A);
  CHECK(tcb_of(sim, HOST_B).snd_una == 101);
  CHECK(sim.endpoint(HOST_B).timers().retransmit == NEVER);

  // An RST just below the wrapped RCV.NXT is outside the window.
  m = mark(sim);
  Reason r = sim.inject(HOST_A, seg(FLAG_RST, 100));
  CHECK(key(r) == "seq.unacceptable.rst.drop");
  CHECK(state_of(sim, HOST_A) == State::Established);

  // And the close still works.
  sim.call(HOST_A, Call::Close);
  CHECK(sent_text(sim, m, HOST_A) == "FIN,ACK seq=0 ack=101");
  deliver_from(sim, HOST_A);
  CHECK(state_of(sim, HOST_B) == State::CloseWait);
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1);
}

// Simulation::predict: what A would do with an RST, answered from a copy.
TEST_CASE("ESTABLISHED + RST -> CLOSED, predicted without changing anything") {
  Simulation sim = established();
  const std::size_t trace_before = sim.trace().size();
  SUBCASE("RST at RCV.NXT: would reset") {
    Prediction p = sim.predict(HOST_A, seg(FLAG_RST, 5001));
    CHECK(key(p.reason) == "rst.connection_reset");
    CHECK_FALSE(p.rejected);
    CHECK(p.before == State::Established);
    CHECK(p.after == State::Closed);
    CHECK(wire(p.replies) == "nothing");
  }
  SUBCASE("in-window RST: would send a challenge ACK") {
    Prediction p = sim.predict(HOST_A, seg(FLAG_RST, 5002));
    CHECK(key(p.reason) == "rst.not_at_rcv_nxt.challenge_ack");
    CHECK(p.rejected);
    CHECK(p.after == State::Established);
    CHECK(wire(p.replies) == "ACK seq=1001 ack=5001");
  }
  SUBCASE("data: would accept and acknowledge") {
    Prediction p = sim.predict(HOST_A, seg(FLAG_ACK, 5001, 1001, 10));
    CHECK(key(p.reason) == "text.accepted");
    CHECK(p.after == State::Established);
    CHECK(wire(p.replies) == "ACK seq=1001 ack=5011");
  }
  CHECK(state_of(sim, HOST_A) == State::Established);
  CHECK(tcb_of(sim, HOST_A).rcv_nxt == 5001);
  CHECK(sim.endpoint(HOST_A).octets_received() == 0);
  CHECK(sim.trace().size() == trace_before);
  CHECK(sim.network().count() == 0);
}

}  // TEST_SUITE
