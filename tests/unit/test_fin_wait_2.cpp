// FIN-WAIT-2: A's FIN is acknowledged; A waits for B's FIN.
// A: SND.UNA = SND.NXT = 1002, RCV.NXT 5001. B is in CLOSE-WAIT.
#include "fixtures.h"

using namespace fx;

namespace {
const Synchronized A_FIN_WAIT_2{fin_wait_2, HOST_A, State::FinWait2, 1002, 5001,
                                "rst.connection_reset", true};
}

TEST_SUITE("FIN-WAIT-2") {

// RFC 9293 3.10.7.4 eighth check, FIN-WAIT-2 STATE: "Enter the TIME-WAIT
// state. Start the time-wait timer, turn off the other timers." The FIN is
// acknowledged: "advance RCV.NXT over the FIN, and send an acknowledgment".
TEST_CASE("FIN-WAIT-2 + FIN -> TIME-WAIT") {
  Simulation sim = fin_wait_2();
  sim.advance_to(200);
  sim.call(HOST_B, Call::Close);  // FIN,ACK <SEQ=5001><ACK=1002>
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_B);
  CHECK(state_of(sim, HOST_A) == State::TimeWait);
  CHECK(path(sim, m, HOST_A) == "FIN-WAIT-2 -> TIME-WAIT");
  CHECK(verdict(sim, m, HOST_A) == "fin.time_wait");
  CHECK(change_reason(sim, m, HOST_A) == "fin.time_wait");
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1002 ack=5002");
  CHECK(tcb_of(sim, HOST_A).rcv_nxt == 5002);
  const Endpoint& a = sim.endpoint(HOST_A);
  CHECK(a.timers().time_wait == 200 + 2 * a.config().msl_ms);
  CHECK(a.timers().retransmit == NEVER);
  CHECK(a.next_deadline() == 200 + 240000);
}

// 3.10.7.4 seventh check, FIN-WAIT-2 STATE: "the user's receive buffer
// ... deliver"; the half-open direction still carries data.
TEST_CASE("FIN-WAIT-2 + data -> FIN-WAIT-2") {
  Simulation sim = fin_wait_2();
  sim.call(HOST_B, Call::Send, 10);  // CLOSE-WAIT may still send (3.10.2)
  std::size_t m = mark(sim);
  deliver_from(sim, HOST_B);
  CHECK(state_of(sim, HOST_A) == State::FinWait2);
  CHECK(verdict(sim, m, HOST_A) == "text.accepted");
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1002 ack=5011");
  CHECK(tcb_of(sim, HOST_A).rcv_nxt == 5011);
  CHECK(sim.endpoint(HOST_A).octets_received() == 10);
}

TEST_CASE("FIN-WAIT-2 + RST -> CLOSED") { check_rst_arcs(A_FIN_WAIT_2); }

TEST_CASE("FIN-WAIT-2 + SYN -> FIN-WAIT-2 (challenge ACK) or CLOSED (RFC 793)") {
  check_syn_arcs(A_FIN_WAIT_2);
}

// 3.10.5 ABORT, FIN-WAIT-2 STATE: "Send a reset segment:
// <SEQ=SND.NXT><CTL=RST>".
TEST_CASE("FIN-WAIT-2 + ABORT -> CLOSED") {
  check_abort(fin_wait_2(), HOST_A, "RST seq=1002", "abort.send_rst");
}

// 3.10.2 / 3.10.4 in FIN-WAIT-2: "error: connection closing", no second FIN.
TEST_CASE("FIN-WAIT-2 + SEND or CLOSE -> FIN-WAIT-2 (connection closing)") {
  check_closing_errors(fin_wait_2, HOST_A, State::FinWait2);
}

}  // TEST_SUITE
