// CLOSE-WAIT: B received A's FIN and acknowledged it; B's application has
// not closed yet. B: SND.UNA = SND.NXT = 5001, RCV.NXT 1002. A is FIN-WAIT-2.
#include "fixtures.h"

using namespace fx;

namespace {
const Synchronized B_CLOSE_WAIT{close_wait, HOST_B, State::CloseWait, 5001, 1002,
                                "rst.connection_reset", true};
}

TEST_SUITE("CLOSE-WAIT") {

// RFC 9293 3.10.4 CLOSE, CLOSE-WAIT STATE: "Queue this request until all
// preceding SENDs have been segmentized; then send a FIN segment, enter
// LAST-ACK state."
TEST_CASE("CLOSE-WAIT + CLOSE -> LAST-ACK") {
  Simulation sim = close_wait();
  std::size_t m = mark(sim);
  Reason r = sim.call(HOST_B, Call::Close);
  CHECK(key(r) == "close.close_wait.send_fin");
  CHECK(state_of(sim, HOST_B) == State::LastAck);
  CHECK(path(sim, m, HOST_B) == "CLOSE-WAIT -> LAST-ACK");
  CHECK(change_reason(sim, m, HOST_B) == "close.close_wait.send_fin");
  CHECK(sent_text(sim, m, HOST_B) == "FIN,ACK seq=5001 ack=1002");
  CHECK(tcb_of(sim, HOST_B).snd_nxt == 5002);
  CHECK(tcb_of(sim, HOST_B).snd_una == 5001);
  CHECK(sim.endpoint(HOST_B).timers().retransmit == 1000);
}

// 3.10.2 SEND, CLOSE-WAIT STATE: "Segmentize the buffer and send it. If there
// is insufficient space to remember the buffer, simply return "error:
// insufficient resources"."
TEST_CASE("CLOSE-WAIT + SEND -> CLOSE-WAIT") {
  Simulation sim = close_wait();
  std::size_t m = mark(sim);
  Reason r = sim.call(HOST_B, Call::Send, 20);
  CHECK(key(r) == "send.data");
  CHECK(state_of(sim, HOST_B) == State::CloseWait);
  CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1002 len=20");
  CHECK(tcb_of(sim, HOST_B).snd_nxt == 5021);
}

// 3.10.7.4 first check: a retransmitted FIN lies before RCV.NXT, so it is not
// acceptable: "an acknowledgment should be sent in reply" and the segment
// dropped. (Eighth check, CLOSE-WAIT STATE: "Remain in the CLOSE-WAIT
// state.")
TEST_CASE("CLOSE-WAIT + retransmitted FIN -> CLOSE-WAIT (ACK)") {
  Simulation sim = close_wait();
  std::size_t m = mark(sim);
  Reason r = sim.inject(HOST_B, seg(FLAG_FIN | FLAG_ACK, 1001, 5001));
  CHECK(key(r) == "seq.unacceptable.send_ack");
  CHECK(state_of(sim, HOST_B) == State::CloseWait);
  CHECK(sent_text(sim, m, HOST_B) == "ACK seq=5001 ack=1002");
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1002);
}

// 3.10.7.4 seventh check, CLOSE-WAIT STATE: "This should not occur since a
// FIN has been received from the remote side. Ignore the segment text."
TEST_CASE("CLOSE-WAIT + data -> CLOSE-WAIT (text ignored)") {
  Simulation sim = close_wait();
  Reason r = sim.inject(HOST_B, seg(FLAG_ACK, 1002, 5001, 10));
  CHECK(key(r) == "text.after_fin.ignored");
  CHECK(state_of(sim, HOST_B) == State::CloseWait);
  CHECK(tcb_of(sim, HOST_B).rcv_nxt == 1002);
  CHECK(sim.endpoint(HOST_B).octets_received() == 0);
}

// 3.10.7.4 second check, CLOSE-WAIT STATE: as ESTABLISHED ("connection
// reset" to the user, CLOSED).
TEST_CASE("CLOSE-WAIT + RST -> CLOSED") { check_rst_arcs(B_CLOSE_WAIT); }

TEST_CASE("CLOSE-WAIT + SYN -> CLOSE-WAIT (challenge ACK) or CLOSED (RFC 793)") {
  check_syn_arcs(B_CLOSE_WAIT);
}

// 3.10.5 ABORT, CLOSE-WAIT STATE: "Send a reset segment:
// <SEQ=SND.NXT><CTL=RST>".
TEST_CASE("CLOSE-WAIT + ABORT -> CLOSED") {
  check_abort(close_wait(), HOST_B, "RST seq=5001", "abort.send_rst");
}

}  // TEST_SUITE
