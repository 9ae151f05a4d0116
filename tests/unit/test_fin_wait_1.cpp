// FIN-WAIT-1: A closed first; its FIN <SEQ=1001><ACK=5001> is outstanding.
// A: SND.UNA 1001, SND.NXT 1002, RCV.NXT 5001.
#include "fixtures.h"

using namespace fx;

namespace {
const Synchronized A_FIN_WAIT_1{fin_wait_1, HOST_A, State::FinWait1, 1002, 5001,
                                "rst.connection_reset", true};
}

TEST_SUITE("FIN-WAIT-1") {

// RFC 9293 3.10.7.4 fifth check, FIN-WAIT-1 STATE: "In addition to the
// processing for the ESTABLISHED state, if the FIN segment is now
// acknowledged, then enter FIN-WAIT-2 and continue processing in that state."
TEST_CASE("FIN-WAIT-1 + ACK -> FIN-WAIT-2") {
  SUBCASE("the ACK of our FIN") {
    Simulation sim = fin_wait_1();
    deliver_from(sim, HOST_A);  // FIN -> B: CLOSE-WAIT, ACK <SEQ=5001><ACK=1002>
    std::size_t m = mark(sim);
    deliver_from(sim, HOST_B);
    CHECK(state_of(sim, HOST_A) == State::FinWait2);
    CHECK(path(sim, m, HOST_A) == "FIN-WAIT-1 -> FIN-WAIT-2");
    CHECK(verdict(sim, m, HOST_A) == "fin_wait_1.fin_acked");
    CHECK(change_reason(sim, m, HOST_A) == "fin_wait_1.fin_acked");
    CHECK(sent_text(sim, m, HOST_A) == "nothing");
    CHECK(tcb_of(sim, HOST_A).snd_una == 1002);
    CHECK(tcb_of(sim, HOST_A).snd_nxt == 1002);
    CHECK(sim.endpoint(HOST_A).timers().retransmit == NEVER);
    CHECK(sim.endpoint(HOST_A).outstanding().empty());
  }
  SUBCASE("an ACK of the data before the FIN only: still FIN-WAIT-1") {
    Simulation sim = established();
    sim.call(HOST_A, Call::Send, 100);  // 1001..1100
    sim.call(HOST_A, Call::Close);      // FIN at 1101
    REQUIRE(state_of(sim, HOST_A) == State::FinWait1);
    REQUIRE(tcb_of(sim, HOST_A).snd_nxt == 1102);
    std::size_t m = mark(sim);
    Reason r = sim.inject(HOST_A, seg(FLAG_ACK, 5001, 1101));
    CHECK(key(r) == "ack.advance");
    CHECK(state_of(sim, HOST_A) == State::FinWait1);
    CHECK(tcb_of(sim, HOST_A).snd_una == 1101);
    CHECK(sent_text(sim, m, HOST_A) == "nothing");
    CHECK(sim.endpoint(HOST_A).timers().retransmit != NEVER);  // the FIN is still out

    m = mark(sim);
    sim.inject(HOST_A, seg(FLAG_ACK, 5001, 1102));
    CHECK(state_of(sim, HOST_A) == State::FinWait2);
    CHECK(path(sim, m, HOST_A) == "FIN-WAIT-1 -> FIN-WAIT-2");
  }
}

// 3.10.7.4 eighth check, FIN-WAIT-1 STATE: "If our FIN has been ACKed
// (perhaps in this segment), then enter TIME-WAIT, start the time-wait timer,
// turn off the other timers; otherwise, enter the CLOSING state."
// (simultaneous close, Figure 13)
TEST_CASE("FIN-WAIT-1 + FIN -> CLOSING") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Close);  // FIN <SEQ=1001><ACK=5001>
  sim.call(HOST_B, Call::Close);  // FIN <SEQ=5001><ACK=1001>
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_B);  // B's FIN reaches A; it does not ack A's FIN
  CHECK(state_of(sim, HOST_A) == State::Closing);
  CHECK(path(sim, m, HOST_A) == "FIN-WAIT-1 -> CLOSING");
  CHECK(verdict(sim, m, HOST_A) == "fin.fin_wait_1.closing");
  CHECK(change_reason(sim, m, HOST_A) == "fin.fin_wait_1.closing");
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1002 ack=5002");
  CHECK(tcb_of(sim, HOST_A).rcv_nxt == 5002);
  CHECK(tcb_of(sim, HOST_A).snd_una == 1001);
  // Our FIN is not acknowledged: its timer keeps running.
  CHECK(sim.endpoint(HOST_A).timers().retransmit == 1000);
  CHECK(sim.endpoint(HOST_A).timers().time_wait == NEVER);
}

// 3.10.7.4 eighth check, FIN-WAIT-1 STATE: "If our FIN has been ACKed
// (perhaps in this segment), then enter TIME-WAIT, start the time-wait timer,
// turn off the other timers". Here B's ACK was lost and its FIN carries the
// ACK of A's FIN.
TEST_CASE("FIN-WAIT-1 + FIN,ACK -> TIME-WAIT") {
  Simulation sim = fin_wait_1();
  deliver_from(sim, HOST_A);      // FIN -> B: CLOSE-WAIT, ACK 5001/1002
  sim.call(HOST_B, Call::Close);  // FIN,ACK <SEQ=5001><ACK=1002>
  REQUIRE(in_flight_text(sim, HOST_B) == "ACK seq=5001 ack=1002 | FIN,ACK seq=5001 ack=1002");
  drop_from(sim, HOST_B);  // the ACK is lost
  sim.advance_to(500);
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_B);
  CHECK(state_of(sim, HOST_A) == State::TimeWait);
  // 3.10.7.4 lets the ACK move FIN-WAIT-1 to FIN-WAIT-2 first ("continue
  // processing in that state"), so either path is right; the FIN decides.
  CHECK((path(sim, m, HOST_A) == "FIN-WAIT-1 -> TIME-WAIT" ||
         path(sim, m, HOST_A) == "FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT"));
  CHECK(change_reason(sim, m, HOST_A) == "fin.time_wait");
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1002 ack=5002");
  const Tcb& t = tcb_of(sim, HOST_A);
  CHECK(t.snd_una == 1002);
  CHECK(t.rcv_nxt == 5002);
  const Endpoint& a = sim.endpoint(HOST_A);
  CHECK(a.timers().time_wait == 500 + 2 * a.config().msl_ms);
  CHECK(a.timers().retransmit == NEVER);
}

// 3.10.7.4 seventh check, FIN-WAIT-1 STATE: data from the peer is still
// delivered and acknowledged.
TEST_CASE("FIN-WAIT-1 + data -> FIN-WAIT-1") {
  Simulation sim = fin_wait_1();
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_A, seg(FLAG_ACK, 5001, 1001, 40));
  CHECK(key(r) == "text.accepted");
  CHECK(state_of(sim, HOST_A) == State::FinWait1);
  CHECK(tcb_of(sim, HOST_A).rcv_nxt == 5041);
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1002 ack=5041");
}

// 3.10.8: the FIN is retransmitted with the same SEQ; its ACK field is the
// current RCV.NXT.
TEST_CASE("FIN-WAIT-1 + retransmission timeout -> FIN-WAIT-1") {
  Simulation sim = fin_wait_1();
  REQUIRE(sim.endpoint(HOST_A).timers().retransmit == 1000);
  std::size_t m = mark(sim);
  sim.advance_to(1000);
  CHECK(sent_text(sim, m, HOST_A) == "FIN,ACK seq=1001 ack=5001");
  CHECK(timers_fired(sim, m, HOST_A) == "timer.retransmit");
  CHECK(state_of(sim, HOST_A) == State::FinWait1);
  CHECK(sim.endpoint(HOST_A).timers().retransmit == 3000);
  CHECK(tcb_of(sim, HOST_A).snd_nxt == 1002);
}

// RST: 3.10.7.4 second check, FIN-WAIT-1 STATE is handled as ESTABLISHED.
TEST_CASE("FIN-WAIT-1 + RST -> CLOSED") { check_rst_arcs(A_FIN_WAIT_1); }

// 3.10.7.4 fourth check (RFC 5961 4.2 / RFC 793).
TEST_CASE("FIN-WAIT-1 + SYN -> FIN-WAIT-1 (challenge ACK) or CLOSED (RFC 793)") {
  check_syn_arcs(A_FIN_WAIT_1);
}

// 3.10.5 ABORT, FIN-WAIT-1 STATE: "Send a reset segment:
// <SEQ=SND.NXT><CTL=RST>" (SND.NXT is past the FIN).
TEST_CASE("FIN-WAIT-1 + ABORT -> CLOSED") {
  check_abort(fin_wait_1(), HOST_A, "RST seq=1002", "abort.send_rst");
}

// 3.10.2 SEND, FIN-WAIT-1 STATE: "Return "error: connection closing" and do
// not service request." 3.10.4 CLOSE: "Strictly speaking, this is an error
// and should receive an "error: connection closing" response ... as long as
// a second FIN is not emitted".
TEST_CASE("FIN-WAIT-1 + SEND or CLOSE -> FIN-WAIT-1 (connection closing)") {
  check_closing_errors(fin_wait_1, HOST_A, State::FinWait1);
}

}  // TEST_SUITE
