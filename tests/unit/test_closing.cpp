// CLOSING: simultaneous close. Both sent a FIN, both received the other's FIN
// before their own was acknowledged. A: SND.UNA 1001, SND.NXT 1002,
// RCV.NXT 5002. In flight: A's ACK 1002/5002 and B's ACK 5002/1002.
#include "fixtures.h"

using namespace fx;

namespace {
const Synchronized A_CLOSING{closing, HOST_A, State::Closing, 1002, 5002,
                             "rst.closing_states.delete_tcb", false};
}

TEST_SUITE("CLOSING") {

// RFC 9293 3.10.7.4 fifth check, CLOSING STATE: "In addition to the
// processing for the ESTABLISHED state, if the ACK acknowledges our FIN, then
// enter the TIME-WAIT state; otherwise, ignore the segment." Entering
// TIME-WAIT starts the 2 MSL timer (3.10.8 / Figure 5).
TEST_CASE("CLOSING + ACK -> TIME-WAIT") {
  Simulation sim = closing();
  REQUIRE(in_flight_text(sim, HOST_B) == "ACK seq=5002 ack=1002");
  sim.advance_to(300);
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_B);
  CHECK(state_of(sim, HOST_A) == State::TimeWait);
  CHECK(path(sim, m, HOST_A) == "CLOSING -> TIME-WAIT");
  CHECK(verdict(sim, m, HOST_A) == "closing.fin_acked.time_wait");
  CHECK(change_reason(sim, m, HOST_A) == "closing.fin_acked.time_wait");
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
  CHECK(tcb_of(sim, HOST_A).snd_una == 1002);
  const Endpoint& a = sim.endpoint(HOST_A);
  CHECK(a.timers().time_wait == 300 + 2 * a.config().msl_ms);
  CHECK(a.timers().retransmit == NEVER);

  // The other side likewise.
  m = mark(sim);
  deliver_from(sim, HOST_A);
  CHECK(state_of(sim, HOST_B) == State::TimeWait);
  CHECK(path(sim, m, HOST_B) == "CLOSING -> TIME-WAIT");
}

// 3.10.7.4 fifth check, CLOSING STATE: "otherwise, ignore the segment".
TEST_CASE("CLOSING + ACK without our FIN -> CLOSING") {
  Simulation sim = closing();
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_A, seg(FLAG_ACK, 5002, 1001));
  CHECK(key(r) == "closing.ack_without_fin.ignore");
  CHECK(state_of(sim, HOST_A) == State::Closing);
  CHECK(sent_text(sim, m, HOST_A) == "nothing");
  CHECK(sim.endpoint(HOST_A).timers().retransmit == 1000);
}

// 3.10.8: our FIN is still unacknowledged, so it is retransmitted; its ACK
// field now acknowledges the peer's FIN.
TEST_CASE("CLOSING + retransmission timeout -> CLOSING") {
  Simulation sim = closing();
  std::size_t m = mark(sim);
  sim.advance_to(1000);
  CHECK(sent_text(sim, m, HOST_A) == "FIN,ACK seq=1001 ack=5002");
  CHECK(state_of(sim, HOST_A) == State::Closing);
}

// 3.10.7.4 second check, CLOSING STATE: "If the RST bit is set, then enter
// the CLOSED state, delete the TCB, and return."
TEST_CASE("CLOSING + RST -> CLOSED") { check_rst_arcs(A_CLOSING); }

TEST_CASE("CLOSING + SYN -> CLOSING (challenge ACK) or CLOSED (RFC 793)") {
  check_syn_arcs(A_CLOSING);
}

// 3.10.5 ABORT, CLOSING STATE: "Respond with "ok" and delete the TCB, enter
// CLOSED state, and return." No reset.
TEST_CASE("CLOSING + ABORT -> CLOSED") {
  check_abort(closing(), HOST_A, "nothing", "abort.delete_tcb");
}

// 3.10.2 SEND / 3.10.4 CLOSE, CLOSING STATE: "Respond with "error: connection
// closing"."
TEST_CASE("CLOSING + SEND or CLOSE -> CLOSING (connection closing)") {
  check_closing_errors(closing, HOST_A, State::Closing);
}

}  // TEST_SUITE
