// LAST-ACK: B closed after receiving A's FIN; B's FIN <SEQ=5001><ACK=1002>
// waits for its ACK. B: SND.UNA 5001, SND.NXT 5002, RCV.NXT 1002.
#include "fixtures.h"

using namespace fx;

namespace {
const Synchronized B_LAST_ACK{last_ack, HOST_B, State::LastAck, 5002, 1002,
                              "rst.closing_states.delete_tcb", false};
}

TEST_SUITE("LAST-ACK") {

// RFC 9293 3.10.7.4 fifth check, LAST-ACK STATE: "The only thing that can
// arrive in this state is an acknowledgment of our FIN. If our FIN is now
// acknowledged, delete the TCB, enter the CLOSED state, and return."
TEST_CASE("LAST-ACK + ACK -> CLOSED") {
  Simulation sim = last_ack();
  deliver_from(sim, HOST_B);  // FIN -> A: TIME-WAIT, ACK <SEQ=1002><ACK=5002>
  REQUIRE(in_flight_text(sim, HOST_A) == "ACK seq=1002 ack=5002");
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_A);
  CHECK(state_of(sim, HOST_B) == State::Closed);
  CHECK(path(sim, m, HOST_B) == "LAST-ACK -> CLOSED");
  CHECK(verdict(sim, m, HOST_B) == "last_ack.fin_acked.closed");
  CHECK(change_reason(sim, m, HOST_B) == "last_ack.fin_acked.closed");
  CHECK(sent_text(sim, m, HOST_B) == "nothing");
  CHECK(sim.endpoint(HOST_B).next_deadline() == NEVER);
}

// 3.10.7.4 fifth check, LAST-ACK STATE: an ACK that does not cover our FIN
// changes nothing.
TEST_CASE("LAST-ACK + ACK without our FIN -> LAST-ACK") {
  Simulation sim = last_ack();
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1002, 5001));
  CHECK(key(r) == "last_ack.ack_without_fin.ignore");
  CHECK(state_of(sim, HOST_B) == State::LastAck);
  CHECK(sent_text(sim, m, HOST_B) == "nothing");
  CHECK(sim.endpoint(HOST_B).timers().retransmit == 1000);
}

// 3.10.8: the unacknowledged FIN is retransmitted.
TEST_CASE("LAST-ACK + retransmission timeout -> LAST-ACK") {
  Simulation sim = last_ack();
  std::size_t m = mark(sim);
  sim.advance_to(1000);
  CHECK(sent_text(sim, m, HOST_B) == "FIN,ACK seq=5001 ack=1002");
  CHECK(timers_fired(sim, m, HOST_B) == "timer.retransmit");
  CHECK(state_of(sim, HOST_B) == State::LastAck);
  CHECK(sim.endpoint(HOST_B).timers().retransmit == 3000);
}

// 3.10.7.4 second check, LAST-ACK STATE: "If the RST bit is set, then enter
// the CLOSED state, delete the TCB, and return."
TEST_CASE("LAST-ACK + RST -> CLOSED") { check_rst_arcs(B_LAST_ACK); }

TEST_CASE("LAST-ACK + SYN -> LAST-ACK (challenge ACK) or CLOSED (RFC 793)") {
  check_syn_arcs(B_LAST_ACK);
}

// 3.10.5 ABORT, LAST-ACK STATE: "Respond with "ok" and delete the TCB, enter
// CLOSED state, and return." No reset.
TEST_CASE("LAST-ACK + ABORT -> CLOSED") {
  check_abort(last_ack(), HOST_B, "nothing", "abort.delete_tcb");
}

// 3.10.2 SEND / 3.10.4 CLOSE, LAST-ACK STATE: "Respond with "error:
// connection closing"."
TEST_CASE("LAST-ACK + SEND or CLOSE -> LAST-ACK (connection closing)") {
  check_closing_errors(last_ack, HOST_B, State::LastAck);
}

}  // TEST_SUITE
