// Large inputs take time linear in their size (issue 18). Each case is big
// enough that the quadratic code it replaced took well over its time limit
// (figures from the issue and tests/bench/inputs.cpp, before -> after, on
// this machine's Release build), and small enough to stay far under it in a
// sanitized Debug build on a busy machine (there, up to 40 times slower than
// Release). doctest::timeout fails a case that ran longer, after it ends.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "json.h"
#include "pcap.h"
#include "replay.h"
#include "simulation.h"

using namespace tcplab;

namespace {

// A opens actively and nobody answers; segments wait for steps (as in the
// scenario runner) and the retransmission timer never gives up.
Simulation unanswered_syn() {
  SimConfig c;
  c.iss[HOST_A] = {1000};
  c.net.auto_deliver = false;
  c.endpoint[HOST_A].max_retransmits = -1;
  Simulation sim(c);
  sim.call(HOST_A, Call::OpenActive);
  return sim;
}

// A's SYN and n-1 data segments of 100 octets, and nothing from B.
std::vector<std::uint8_t> one_direction_capture(std::size_t n) {
  Trace t;
  Seq seq = 1000;
  for (std::size_t i = 0; i < n; ++i) {
    Event e;
    e.kind = EventKind::Sent;
    e.host = HOST_A;
    e.time = static_cast<Instant>(i);
    e.seg.wnd = 65535;
    e.seg.flags = i == 0 ? FLAG_SYN : FLAG_ACK;
    e.seg.seq = seq;
    e.seg.ack = i == 0 ? 0 : 5001;
    e.seg.len = i == 0 ? 0 : 100;
    seq += i == 0 ? 1 : 100;
    t.push_back(e);
  }
  return trace_to_pcap(t);
}

}  // namespace

// D4: next_delivery scanned every segment in flight on every step.
// 1e10 ms: 166,000 retransmissions in flight; 41 s before, 0.03 s after.
TEST_CASE("large: 1e10 ms after an unanswered SYN is linear in the retransmissions" * doctest::timeout(20)) {
  Simulation sim = unanswered_syn();
  sim.advance_to(10000000000ll);
  CHECK(sim.now() == 10000000000ll);
  CHECK(sim.retransmissions() > 160000);
  CHECK(sim.network().in_flight(0).size() == sim.retransmissions() + 1);
}

// Every delivery due in one instant rescanned the whole instant's trace for
// segments to put on the wire. 100,000 hand-built segments arriving
// together (each answered by a RST): about 20 s before, 0.1 s after.
TEST_CASE("large: 100,000 deliveries in one instant are linear" * doctest::timeout(20)) {
  Simulation sim;  // auto delivery, 100 ms latency
  Segment s;
  s.flags = FLAG_ACK;
  s.ack = 1;
  for (Seq i = 0; i < 100000; ++i) {
    s.seq = i;
    sim.send_raw(HOST_A, s);
  }
  sim.advance_to(150);
  CHECK(sim.network().in_flight(0).empty());
  CHECK(sim.network().in_flight(1).size() == 100000);  // the RSTs, due at 200 ms
}

// D8: each stale ACK withdrawn at the end of a replay searched and erased the
// trace one by one. 100,000 segments: 56 s before, 0.13 s after.
TEST_CASE("large: replaying 100,000 segments of one direction is linear" * doctest::timeout(30)) {
  const std::vector<std::uint8_t> bytes = one_direction_capture(100000);
  const PcapParseResult cap = parse_capture(bytes.data(), bytes.size());
  REQUIRE(cap.ok);
  REQUIRE(cap.connections.size() == 1);
  const ReplayResult r = replay_connection(cap, 0);
  REQUIRE(r.ok);
  CHECK(r.rows.size() == 100000);
  // B's ACKs were never captured: none stays in flight or in the trace.
  for (const InFlight& f : r.sim.network().in_flight(HOST_B)) CHECK_FALSE(f.seg.flags == FLAG_ACK);
}

// D5: duplicate keys were found by a scan of the keys before. 200,000 keys:
// about 70 s before (18 s for 100,000), 0.15 s after.
TEST_CASE("large: a JSON object of 200,000 keys parses in linear time" * doctest::timeout(20)) {
  std::string text = "{";
  for (int i = 0; i < 200000; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  text += "}";
  JsonValue v;
  JsonError e;
  REQUIRE(parse_json(text, v, e));
  CHECK(v.size() == 200000);
  CHECK(v.keys[199999] == "k199999");
}

TEST_CASE("large: a duplicate key among many is still refused, at the second one") {
  std::string text = "{";
  for (int i = 0; i < 1000; ++i) text += "\"k" + std::to_string(i) + "\": 0,\n";
  text += "\"k500\": 1}";
  JsonValue v;
  JsonError e;
  CHECK_FALSE(parse_json(text, v, e));
  CHECK(e.message == "duplicate key \"k500\"");
  CHECK(e.line == 1001);
}

TEST_CASE("withdraw of many segments at once equals one at a time") {
  Simulation one = unanswered_syn();
  one.advance_to(20000);  // a few retransmissions in flight
  Simulation many = one;
  std::vector<std::uint32_t> ids;
  for (const InFlight& f : one.network().in_flight(0))
    if (f.id % 2 == 1) ids.push_back(f.id);
  ids.push_back(99999);  // not in flight: ignored
  for (std::uint32_t id : ids) one.withdraw(id);
  CHECK(many.withdraw(ids) == ids.size() - 1);
  REQUIRE(one.trace().size() == many.trace().size());
  for (std::size_t i = 0; i < one.trace().size(); ++i) {
    CHECK(one.trace()[i].kind == many.trace()[i].kind);
    CHECK(one.trace()[i].seg_id == many.trace()[i].seg_id);
  }
  CHECK(one.network().count() == many.network().count());
  CHECK(one.last_action_begin() == many.last_action_begin());
}

// D7: one hand-built segment of 4294967295 octets became 65,000 packets in
// memory (an abort in operator new in the page, 1 GB files from the CLI).
TEST_CASE("export: a giant segment is refused before anything is allocated" * doctest::timeout(20)) {
  Simulation sim;
  Segment s;
  s.flags = FLAG_ACK;
  s.len = 4294967295u;
  sim.send_raw(HOST_A, s);
  CHECK(pcap_export_problem(sim.trace()) ==
        "segment 1 (A -> B) carries 4294967295 octets; an export takes at most 1048576 per segment");
  CHECK(trace_to_pcap(sim.trace()).empty());
}

TEST_CASE("export: many segments under the per-segment limit are refused past 64 MiB") {
  Trace t;
  Event e;
  e.kind = EventKind::Sent;
  e.seg.len = 1u << 20;
  for (int i = 0; i < 63; ++i) t.push_back(e);
  CHECK(pcap_export_problem(t).empty());
  t.push_back(e);
  CHECK(pcap_export_problem(t).find("larger than 64 MiB (at segment 64)") != std::string::npos);
}
