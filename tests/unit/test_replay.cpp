// Replay of captures (engine/replay.h): runs of the engine written as pcap,
// read back and replayed; the verdicts for a normal connection, a capture
// that starts late, a refused connection, a retransmission and segments the
// engine would not send or refuses.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ladder.h"
#include "pcap.h"
#include "replay.h"
#include "simulation.h"

using namespace tcplab;

namespace {

SimConfig manual() {
  SimConfig c;
  c.iss[HOST_A] = {1000};
  c.iss[HOST_B] = {5000};
  c.net.auto_deliver = false;
  return c;
}

Simulation established() {
  Simulation sim(manual());
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);
  sim.deliver_oldest(0);
  sim.deliver_oldest(1);
  sim.deliver_oldest(0);
  return sim;
}

// Deliver everything in flight, oldest first, A->B before B->A.
void settle(Simulation& sim) {
  while (sim.deliver_oldest(0) || sim.deliver_oldest(1)) {
  }
}

ReplayResult replay(const Trace& t) {
  const std::vector<std::uint8_t> bytes = trace_to_pcap(t);
  const PcapParseResult cap = parse_capture(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(cap.ok, cap.error);
  REQUIRE(cap.connections.size() == 1);
  ReplayResult r = replay_connection(cap, 0);
  REQUIRE_MESSAGE(r.ok, r.error);
  return r;
}

std::string verdicts(const ReplayResult& r) {
  std::string s;
  for (const ReplayRow& row : r.rows) s += std::string(s.empty() ? "" : " ") + verdict_name(row.verdict);
  return s;
}

}  // namespace

TEST_SUITE_BEGIN("replay");

TEST_CASE("replay: handshake, data both ways and a close: every segment ok, states as the run") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Send, 100);
  settle(sim);
  sim.call(HOST_B, Call::Send, 300);
  settle(sim);
  sim.call(HOST_A, Call::Close);
  settle(sim);
  sim.call(HOST_B, Call::Close);
  settle(sim);
  REQUIRE(sim.endpoint(HOST_A).state() == State::TimeWait);
  const ReplayResult r = replay(sim.trace());
  CHECK_FALSE(r.late_start);
  CHECK(r.count(Verdict::Ok) == r.rows.size());
  CHECK(r.rows.front().reason == Reason::ListenSynSendSynAck);
  CHECK(r.rows.front().cause == Reason::OpenActive);
  CHECK(r.rows.back().state[0] == State::TimeWait);
  CHECK(r.rows.back().state[1] == State::Closed);
  CHECK(replay_row_json(r.rows.front()) ==
        "{\"index\": 0, \"time\": 0.000000, \"from\": \"A\", \"flags\": [\"SYN\"], \"seq\": 1000, \"ack\": 0, "
        "\"len\": 0, \"A\": \"SYN-SENT\", \"B\": \"SYN-RECEIVED\", \"verdict\": \"ok\", \"reason\": "
        "\"listen.syn.send_syn_ack\"}");
  // The replay's trace draws as a ladder like any run.
  CHECK(render_ladder(r.sim.trace()).find("SYN seq=1000") != std::string::npos);
  CHECK(render_ladder_svg(r.sim.trace()).find("<svg") == 0);
}

TEST_CASE("replay: a partial replay stops after `upto` segments with the states of that moment") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Close);
  settle(sim);
  sim.call(HOST_B, Call::Close);
  settle(sim);
  const std::vector<std::uint8_t> bytes = trace_to_pcap(sim.trace());
  const PcapParseResult cap = parse_capture(bytes.data(), bytes.size());
  const ReplayResult whole = replay_connection(cap, 0);
  REQUIRE(whole.ok);
  for (std::size_t k = 1; k <= whole.rows.size(); ++k) {
    CAPTURE(k);
    const ReplayResult part = replay_connection(cap, 0, k);
    REQUIRE(part.ok);
    REQUIRE(part.rows.size() == k);
    for (int h = 0; h < 2; ++h) {
      CHECK(part.sim.endpoint(h).state() == whole.rows[k - 1].state[h]);
      CHECK(part.rows[k - 1].state[h] == whole.rows[k - 1].state[h]);
    }
    CHECK(part.rows[k - 1].verdict == whole.rows[k - 1].verdict);
  }
  CHECK(replay_connection(cap, 0, 0).rows.empty());
}

TEST_CASE("replay: the three-segment close (FIN riding on the delayed ACK) is ok") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Close);
  sim.deliver_oldest(0);
  Trace t = sim.trace();
  // B's ACK of the FIN never went out on its own: remove it, B closes and
  // sends FIN,ACK, then A's last ACK.
  Simulation b = sim;
  REQUIRE(b.withdraw(b.network().in_flight(1).front().id));
  b.call(HOST_B, Call::Close);
  settle(b);
  const ReplayResult r = replay(b.trace());
  CHECK(verdicts(r) == "ok ok ok ok ok ok");
  CHECK(r.rows[4].cause == Reason::CloseCloseWaitSendFin);
  CHECK(r.rows.back().state[0] == State::TimeWait);
  CHECK(r.rows.back().state[1] == State::Closed);
}

TEST_CASE("replay: a capture that starts after the handshake") {
  Simulation sim = established();
  const std::size_t begin = sim.trace().size();
  sim.call(HOST_A, Call::Send, 50);
  settle(sim);
  sim.call(HOST_B, Call::Close);
  settle(sim);
  Trace late(sim.trace().begin() + static_cast<std::ptrdiff_t>(begin), sim.trace().end());
  const ReplayResult r = replay(late);
  CHECK(r.late_start);
  CHECK(r.late_start_note.find("begins after the handshake") != std::string::npos);
  CHECK(r.count(Verdict::Ok) == r.rows.size());
  CHECK(r.rows.front().state[0] == State::Established);
  CHECK(r.rows.back().state[0] == State::CloseWait);
  CHECK(r.rows.back().state[1] == State::FinWait2);
}

TEST_CASE("replay: a refused connection: the SYN is rejected by CLOSED, the RST ends SYN-SENT") {
  Simulation sim(manual());
  sim.call(HOST_A, Call::OpenActive);
  settle(sim);
  const ReplayResult r = replay(sim.trace());
  REQUIRE(r.rows.size() == 2);
  CHECK(r.rows[0].verdict == Verdict::Rejected);
  CHECK(r.rows[0].reason == Reason::ClosedSendRst);
  CHECK(r.rows[1].verdict == Verdict::Ok);
  CHECK(r.rows[1].reason == Reason::SynSentRstReset);
  CHECK(r.rows[1].state[0] == State::Closed);
}

TEST_CASE("replay: a retransmitted SYN is a timer expiry; the copy arriving in SYN-RECEIVED is refused") {
  Simulation sim(manual());
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);
  sim.drop_oldest(0);
  sim.advance_to(1000);
  // the retransmission timer fires at 1000 ms
  settle(sim);
  const ReplayResult r = replay(sim.trace());
  REQUIRE(r.rows.size() == 4);
  CHECK(r.rows[0].verdict == Verdict::Ok);
  CHECK(r.rows[1].cause == Reason::TimerRetransmit);
  CHECK(r.rows[1].verdict == Verdict::Rejected);
  CHECK(r.rows[1].reason == Reason::SeqUnacceptableSendAck);
  CHECK(r.rows[1].time == doctest::Approx(1.0));
  CHECK(r.rows.back().state[0] == State::Established);
  CHECK(r.rows.back().state[1] == State::Established);
}

TEST_CASE("replay: segments the sender's engine would not send are flagged, not hidden") {
  Simulation sim = established();
  // An ACK behind RCV.NXT: A's engine would not send it; B takes it (duplicate ACK).
  Segment old_ack;
  old_ack.flags = FLAG_ACK;
  old_ack.seq = 1001;
  old_ack.ack = 5000;
  old_ack.wnd = 4096;
  sim.send_raw(HOST_A, old_ack);
  settle(sim);
  // An ACK of data B never sent: unexpected at A, refused by B.
  Segment future = old_ack;
  future.ack = 9000;
  sim.send_raw(HOST_A, future);
  settle(sim);
  // Data far ahead of SND.NXT.
  Segment jump = old_ack;
  jump.ack = 5001;
  jump.seq = 1500;
  jump.len = 10;
  sim.send_raw(HOST_A, jump);
  settle(sim);
  const ReplayResult r = replay(sim.trace());
  REQUIRE(r.rows.size() >= 6);
  CHECK(r.rows[3].verdict == Verdict::Unexpected);
  CHECK(r.rows[3].reason == Reason::ReplayUnexpectedAck);
  CHECK(r.rows[4].verdict == Verdict::Rejected);
  CHECK(r.rows[4].cause == Reason::ReplayUnexpectedAck);
  CHECK(r.rows[4].reason == Reason::AckTooNewSendAck);
  bool seq_flagged = false;
  for (const ReplayRow& row : r.rows) seq_flagged |= row.cause == Reason::ReplayUnexpectedSeq;
  CHECK(seq_flagged);
}

TEST_CASE("replay: an abort (RST) and a connection picked out of several") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Abort);
  settle(sim);
  std::vector<std::uint8_t> one = trace_to_pcap(sim.trace());
  PcapWriteOptions other;
  other.endpoints.port[HOST_A] = 50000;
  std::vector<std::uint8_t> two = trace_to_pcap(sim.trace(), other);
  one.insert(one.end(), two.begin() + 24, two.end());  // records only
  const PcapParseResult cap = parse_capture(one.data(), one.size());
  REQUIRE(cap.connections.size() == 2);
  CHECK(cap.connections[1].summary() == "10.0.0.1:50000 <-> 10.0.0.2:80, 4 segments");
  const ReplayResult r = replay_connection(cap, 1);
  REQUIRE(r.ok);
  CHECK(r.endpoint[HOST_A] == "10.0.0.1:50000");
  CHECK(r.rows.back().cause == Reason::AbortSendRst);
  CHECK(r.rows.back().reason == Reason::RstReset);
  CHECK(r.rows.back().state[1] == State::Closed);
  CHECK_FALSE(replay_connection(cap, 2).ok);
}

TEST_SUITE_END();
