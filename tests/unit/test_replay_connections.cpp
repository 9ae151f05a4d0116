// Captures with several connections (engine/connection_ends.h) and
// relative sequence numbers (engine/relative.h): the same address/port pair
// used again after TIME-WAIT or after a refusal is two connections; a
// retransmitted SYN or the peer's SYN of a simultaneous open is not; the
// numbers as Wireshark shows them.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "pcap.h"
#include "relative.h"
#include "replay.h"
#include "simulation.h"

using namespace tcplab;

namespace {

SimConfig manual() {
  SimConfig c;
  c.iss[HOST_A] = {1000, 9000};
  c.iss[HOST_B] = {5000, 7000};
  c.net.auto_deliver = false;
  return c;
}

void settle(Simulation& sim) {
  while (sim.deliver_oldest(0) || sim.deliver_oldest(1)) {
  }
}

// A connects to B (listening), sends 10 octets, A closes then B.
void connection(Simulation& sim) {
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);
  settle(sim);
  sim.call(HOST_A, Call::Send, 10);
  settle(sim);
  sim.call(HOST_A, Call::Close);
  settle(sim);
  sim.call(HOST_B, Call::Close);
  settle(sim);
}

PcapParseResult capture_of(const Trace& t) {
  const std::vector<std::uint8_t> bytes = trace_to_pcap(t);
  PcapParseResult cap = parse_capture(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(cap.ok, cap.error);
  return cap;
}

}  // namespace

TEST_SUITE_BEGIN("replay connections");

TEST_CASE("capture connections: the same ports used again after TIME-WAIT are two connections, each replayed ok") {
  Simulation sim(manual());
  connection(sim);
  REQUIRE(sim.endpoint(HOST_A).state() == State::TimeWait);
  sim.fire_timer(HOST_A, TimerKind::TimeWait);
  REQUIRE(sim.endpoint(HOST_A).state() == State::Closed);
  connection(sim);
  const PcapParseResult cap = capture_of(sim.trace());
  REQUIRE(cap.connections.size() == 2);
  CHECK(cap.connections[0].segment_count + cap.connections[1].segment_count == cap.segments.size());
  for (std::size_t n = 0; n < 2; ++n) {
    CAPTURE(n);
    const ReplayResult r = replay_connection(cap, n);
    REQUIRE(r.ok);
    CHECK(r.count(Verdict::Ok) == r.rows.size());
    CHECK(r.rows.front().seg.seq == (n == 0 ? 1000u : 9000u));
    CHECK(r.rows.back().state[0] == State::TimeWait);
  }
}

TEST_CASE("capture connections: two refused attempts from the same port are two connections") {
  Simulation sim(manual());  // nobody listens on B
  sim.call(HOST_A, Call::OpenActive);
  settle(sim);
  sim.call(HOST_A, Call::OpenActive);
  settle(sim);
  const PcapParseResult cap = capture_of(sim.trace());
  REQUIRE(cap.connections.size() == 2);
  for (std::size_t n = 0; n < 2; ++n) {
    const ReplayResult r = replay_connection(cap, n);
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].verdict == Verdict::Rejected);
    CHECK(r.rows[0].reason == Reason::ClosedSendRst);
    CHECK(r.rows[1].verdict == Verdict::Ok);
  }
}

TEST_CASE("capture connections: a retransmitted SYN stays in its connection") {
  Simulation sim(manual());
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);
  sim.drop_oldest(0);
  sim.fire_timer(HOST_A, TimerKind::Retransmit);
  settle(sim);
  CHECK(capture_of(sim.trace()).connections.size() == 1);
}

TEST_CASE("relative numbers: SYN 0, first data octet 1, ACK relative to the other side") {
  Simulation sim(manual());
  connection(sim);
  const ReplayResult r = replay_connection(capture_of(sim.trace()), 0);
  const SeqBases b = sequence_bases(r);
  REQUIRE(b.known[HOST_A]);
  REQUIRE(b.known[HOST_B]);
  CHECK(b.base[HOST_A] == 1000);
  CHECK(b.base[HOST_B] == 5000);
  const ReplayRow syn_ack = relative_row(r.rows[1], b);
  CHECK(syn_ack.seg.seq == 0);
  CHECK(syn_ack.seg.ack == 1);
  CHECK(relative_row(r.rows[3], b).seg.seq == 1);  // A's data
  CHECK(r.rows[3].seg.seq == 1001);                // the row itself is untouched
  // The ladder's trace: every Sent segment of A starts from 0.
  const Trace t = relative_trace(r.sim.trace(), b);
  for (const Event& e : t)
    if (e.kind == EventKind::Sent && e.host == HOST_A) CHECK(e.seg.seq < 100);
}

TEST_CASE("relative numbers: without SYNs, a host's first SEQ is 1; a RST with SEQ 0 keeps it") {
  ReplayResult r;
  ReplayRow a, b, rst;
  a.from = HOST_A;
  a.seg = {FLAG_ACK, 70000, 30000, 100, 10};
  b.from = HOST_B;
  b.seg = {FLAG_ACK, 30000, 70010, 100, 0};
  r.rows = {a, b};
  const SeqBases bases = sequence_bases(r);
  CHECK(relative_segment(a.seg, HOST_A, bases).seq == 1);
  CHECK(relative_segment(a.seg, HOST_A, bases).ack == 1);
  CHECK(relative_segment(b.seg, HOST_B, bases).ack == 11);
  const Segment reply{static_cast<std::uint8_t>(FLAG_RST | FLAG_ACK), 0, 70011, 0, 0};
  CHECK(relative_segment(reply, HOST_B, bases).seq == 0);
  CHECK(relative_segment(reply, HOST_B, bases).ack == 12);
}

TEST_SUITE_END();
