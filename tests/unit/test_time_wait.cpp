// TIME-WAIT: A closed first and has acknowledged B's FIN; it waits 2 MSL.
// A: SND.UNA = SND.NXT = 1002, RCV.NXT 5002. The clock is at 0, B is CLOSED.
#include "fixtures.h"

using namespace fx;

namespace {
const Synchronized A_TIME_WAIT{time_wait, HOST_A, State::TimeWait, 1002, 5002,
                               "rst.closing_states.delete_tcb", false};
}

TEST_SUITE("TIME-WAIT") {

// RFC 9293 3.10.8 TIME-WAIT TIMEOUT: "If the time-wait timeout expires on a
// connection, delete the TCB, enter the CLOSED state, and return." The timer
// runs 2 MSL (3.4.2, Figure 5 "Timeout=2MSL").
TEST_CASE("TIME-WAIT + 2MSL timeout -> CLOSED") {
  SUBCASE("MSL = 2 minutes (the default)") {
    Simulation sim = time_wait();
    const Endpoint& a = sim.endpoint(HOST_A);
    const Instant now = sim.now();
    const Duration msl = a.config().msl_ms;
    REQUIRE(msl == 120000);
    CHECK(a.timers().time_wait == now + 2 * msl);
    CHECK(sim.next_deadline() == now + 2 * msl);

    sim.advance_to(now + 2 * msl - 1);
    CHECK(state_of(sim, HOST_A) == State::TimeWait);

    std::size_t m = mark(sim);
    sim.advance_to(now + 2 * msl);
    CHECK(state_of(sim, HOST_A) == State::Closed);
    CHECK(path(sim, m, HOST_A) == "TIME-WAIT -> CLOSED");
    CHECK(timers_fired(sim, m, HOST_A) == "timer.time_wait.expire");
    CHECK(change_reason(sim, m, HOST_A) == "timer.time_wait.expire");
    CHECK(all_sent_text(sim, m) == "nothing");
    CHECK(a.next_deadline() == NEVER);
    CHECK(sim.now() == now + 2 * msl);
  }
  SUBCASE("MSL from the configuration") {
    SimConfig c = config();
    c.endpoint[HOST_A].msl_ms = 1000;
    Simulation sim = time_wait(c);
    CHECK(sim.endpoint(HOST_A).timers().time_wait == 2000);
    sim.advance_to(1999);
    CHECK(state_of(sim, HOST_A) == State::TimeWait);
    sim.advance_to(2000);
    CHECK(state_of(sim, HOST_A) == State::Closed);
  }
  SUBCASE("step_next jumps straight to the deadline") {
    Simulation sim = time_wait();
    REQUIRE(sim.step_next());
    CHECK(sim.now() == 240000);
    CHECK(state_of(sim, HOST_A) == State::Closed);
    CHECK_FALSE(sim.step_next());
  }
  SUBCASE("a forced expiry (scenario step)") {
    Simulation sim = time_wait();
    std::size_t m = mark(sim);
    Reason r = sim.fire_timer(HOST_A, TimerKind::TimeWait);
    CHECK(key(r) == "timer.time_wait.expire");
    CHECK(state_of(sim, HOST_A) == State::Closed);
    CHECK(path(sim, m, HOST_A) == "TIME-WAIT -> CLOSED");
    CHECK(sim.now() == 0);
  }
}

// 3.10.7.4 eighth check, TIME-WAIT STATE: "Remain in the TIME-WAIT state.
// Restart the 2 MSL time-wait timeout." The FIN is acknowledged again. This
// is why TIME-WAIT exists: A's last ACK was lost and B retransmits its FIN.
TEST_CASE("TIME-WAIT + retransmitted FIN -> TIME-WAIT (2MSL restarts)") {
  Simulation sim = last_ack();
  deliver_from(sim, HOST_B);  // B's FIN -> A: TIME-WAIT at t = 0
  REQUIRE(state_of(sim, HOST_A) == State::TimeWait);
  REQUIRE(sim.endpoint(HOST_A).timers().time_wait == 240000);
  drop_from(sim, HOST_A);  // A's ACK is lost

  std::size_t m = mark(sim);
  sim.advance_to(1000);  // B's retransmission timer
  REQUIRE(sent_text(sim, m, HOST_B) == "FIN,ACK seq=5001 ack=1002");
  m = mark(sim);
  deliver_from(sim, HOST_B);
  CHECK(state_of(sim, HOST_A) == State::TimeWait);
  CHECK(path(sim, m, HOST_A) == "no change");
  CHECK(verdict(sim, m, HOST_A) == "time_wait.fin_retransmit.ack_restart_2msl");
  CHECK(sent_text(sim, m, HOST_A) == "ACK seq=1002 ack=5002");
  CHECK(tcb_of(sim, HOST_A).rcv_nxt == 5002);
  CHECK(sim.endpoint(HOST_A).timers().time_wait == 1000 + 240000);

  deliver_from(sim, HOST_A);  // this ACK arrives: B is done
  CHECK(state_of(sim, HOST_B) == State::Closed);

  sim.advance_to(240000);  // the first deadline no longer counts
  CHECK(state_of(sim, HOST_A) == State::TimeWait);
  sim.advance_to(240999);
  CHECK(state_of(sim, HOST_A) == State::TimeWait);
  sim.advance_to(241000);
  CHECK(state_of(sim, HOST_A) == State::Closed);
}

// 3.10.7.4 second check, TIME-WAIT STATE: "If the RST bit is set, then enter
// the CLOSED state, delete the TCB, and return."
TEST_CASE("TIME-WAIT + RST -> CLOSED") { check_rst_arcs(A_TIME_WAIT); }

TEST_CASE("TIME-WAIT + SYN -> TIME-WAIT (challenge ACK) or CLOSED (RFC 793)") {
  check_syn_arcs(A_TIME_WAIT);
}

// 3.10.5 ABORT, TIME-WAIT STATE: "Respond with "ok" and delete the TCB, enter
// CLOSED state, and return." No reset.
TEST_CASE("TIME-WAIT + ABORT -> CLOSED") {
  check_abort(time_wait(), HOST_A, "nothing", "abort.delete_tcb");
}

// 3.10.2 SEND / 3.10.4 CLOSE, TIME-WAIT STATE: "Respond with "error:
// connection closing"."
TEST_CASE("TIME-WAIT + SEND or CLOSE -> TIME-WAIT (connection closing)") {
  check_closing_errors(time_wait, HOST_A, State::TimeWait);
}

}  // TEST_SUITE
