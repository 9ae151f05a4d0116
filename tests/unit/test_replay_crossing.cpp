// Replay of captures in which segments crossed (engine/replay_order.h):
// both FINs of a simultaneous close, both SYNs of a simultaneous open, data
// crossing a FIN, a RST crossing data. Each capture is made by the engine
// (every segment stamped when its sender sends it) or written by hand as
// Linux puts it on the wire, then replayed: every segment must be one its
// sender would send, and the states must be those the hosts had.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

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

void settle(Simulation& sim) {
  while (sim.deliver_oldest(0) || sim.deliver_oldest(1)) {
  }
}

PcapParseResult capture_of(const Trace& t) {
  const std::vector<std::uint8_t> bytes = trace_to_pcap(t);
  PcapParseResult cap = parse_capture(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(cap.ok, cap.error);
  REQUIRE(cap.connections.size() == 1);
  return cap;
}

ReplayResult replay(const Trace& t, CapturePoint point = CapturePoint::Unknown) {
  ReplayOptions o;
  o.capture_point = point;
  ReplayResult r = replay_connection(capture_of(t), 0, static_cast<std::size_t>(-1), o);
  REQUIRE_MESSAGE(r.ok, r.error);
  return r;
}

std::string verdicts(const ReplayResult& r) {
  std::string s;
  for (const ReplayRow& row : r.rows) s += std::string(s.empty() ? "" : " ") + verdict_name(row.verdict);
  return s;
}

std::string states(const ReplayRow& row) {
  return std::string(state_name(row.state[0])) + " " + state_name(row.state[1]);
}

// One segment as a host put it on the wire, at t ms.
struct Wire {
  Instant t;
  int from;
  std::uint8_t flags;
  Seq seq, ack;
  std::uint32_t len = 0;
};

// A capture written by hand: one Sent event per segment.
Trace wire(const std::vector<Wire>& segs) {
  Trace t;
  for (const Wire& w : segs) {
    Event e;
    e.time = w.t;
    e.kind = EventKind::Sent;
    e.host = static_cast<std::uint8_t>(w.from);
    e.seg.flags = w.flags;
    e.seg.seq = w.seq;
    e.seg.ack = w.ack;
    e.seg.len = w.len;
    e.seg.wnd = 65535;
    t.push_back(e);
  }
  return t;
}

constexpr std::uint8_t SYN = FLAG_SYN, ACK = FLAG_ACK, FIN = FLAG_FIN, RST = FLAG_RST;

// The handshake of A (ISS 1000) with B listening (ISS 5000), 100 ms each way
// as seen from A: 0 SYN, 200 SYN,ACK, 200 ACK.
std::vector<Wire> handshake_at_a() {
  return {{0, HOST_A, SYN, 1000, 0}, {200, HOST_B, SYN | ACK, 5000, 1001}, {200, HOST_A, ACK, 1001, 5001}};
}

}  // namespace

TEST_SUITE_BEGIN("replay crossing");

TEST_CASE("replay crossing: simultaneous close from the engine: FIN-WAIT-1 -> CLOSING -> TIME-WAIT on both sides") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Close);
  sim.call(HOST_B, Call::Close);  // before A's FIN arrives: the FINs cross
  settle(sim);
  REQUIRE(sim.endpoint(HOST_A).state() == State::TimeWait);
  REQUIRE(sim.endpoint(HOST_B).state() == State::TimeWait);
  const ReplayResult r = replay(sim.trace());
  REQUIRE(r.rows.size() == 7);
  CHECK(verdicts(r) == "ok ok ok ok ok ok ok");
  // A's FIN (row 3) stays in flight until B has sent its own FIN (row 4),
  // whose ACK (1001) does not cover it.
  CHECK(r.rows[3].delivered_after == 4);
  CHECK(r.rows[3].held == HoldRule::AckBelow);
  CHECK(r.rows[4].cause == Reason::CloseSendFin);
  CHECK(states(r.rows[3]) == "FIN-WAIT-1 ESTABLISHED");
  CHECK(states(r.rows[4]) == "CLOSING CLOSING");
  CHECK(states(r.rows.back()) == "TIME-WAIT TIME-WAIT");
  // --json names the connection and, for a held segment, when and why.
  const std::string j = replay_row_json(r.rows[3], 2);
  CHECK(j.rfind("{\"connection\": 2, \"index\": 3, ", 0) == 0);
  CHECK(j.find("\"delivered_after\": 4, \"held\": \"ack_below\"}") != std::string::npos);
  CHECK(replay_row_json(r.rows[4], 2).find("delivered_after") == std::string::npos);
}

TEST_CASE("replay crossing: simultaneous close as Linux sends it, captured at A with 100 ms each way") {
  std::vector<Wire> w = handshake_at_a();
  // A's FIN at 300; B's FIN, sent at 350 before A's arrived (400), reaches A
  // at 450; each acknowledges the other's FIN on arrival.
  w.push_back({300, HOST_A, FIN | ACK, 1001, 5001});
  w.push_back({450, HOST_B, FIN | ACK, 5001, 1001});
  w.push_back({450, HOST_A, ACK, 1002, 5002});
  w.push_back({500, HOST_B, ACK, 5002, 1002});
  for (CapturePoint p : {CapturePoint::Unknown, CapturePoint::AtA, CapturePoint::Middle}) {
    const std::string point = capture_point_name(p);
    CAPTURE(point);
    const ReplayResult r = replay(wire(w), p);
    CHECK(verdicts(r) == "ok ok ok ok ok ok ok");
    CHECK(r.rows[3].held == HoldRule::AckBelow);
    CHECK(states(r.rows[4]) == "CLOSING CLOSING");
    // A's last ACK (450) reaches B at 550, after B's (sent at 400) left: with
    // the timestamps trusted B is still CLOSING after it; without, the
    // replay takes it as delivered at once.
    CHECK(states(r.rows[5]) == (p == CapturePoint::Unknown ? "CLOSING TIME-WAIT" : "CLOSING CLOSING"));
    CHECK(states(r.rows[6]) == "TIME-WAIT TIME-WAIT");
  }
}

TEST_CASE("replay crossing: simultaneous open: both SYNs cross, six segments, SYN-RECEIVED on both sides") {
  Simulation sim(manual());
  sim.call(HOST_A, Call::OpenActive);
  sim.call(HOST_B, Call::OpenActive);
  settle(sim);
  REQUIRE(sim.endpoint(HOST_A).state() == State::Established);
  REQUIRE(sim.endpoint(HOST_B).state() == State::Established);
  const ReplayResult r = replay(sim.trace());
  REQUIRE(r.rows.size() == 6);
  CHECK(verdicts(r) == "ok ok ok ok ok ok");
  // B's SYN carries no ACK: B had not had A's SYN (it would have answered
  // with SYN,ACK), so A's SYN arrives after it.
  CHECK(r.rows[0].delivered_after == 1);
  CHECK(r.rows[0].held == HoldRule::BareSyn);
  CHECK(r.rows[1].cause == Reason::OpenActive);
  CHECK(states(r.rows[0]) == "SYN-SENT CLOSED");
  CHECK(states(r.rows[1]) == "SYN-RECEIVED SYN-RECEIVED");
  CHECK(states(r.rows.back()) == "ESTABLISHED ESTABLISHED");
}

TEST_CASE("replay crossing: simultaneous open captured at A: timestamps keep A's SYN,ACK in flight one row more") {
  // A's SYN at 0, B's SYN (sent at 50) arrives at 150; each answers the
  // other's SYN with SYN,ACK on arrival (A at 150, B at 100: it reaches A at
  // 200), then ACKs the other's SYN,ACK (A at 200, B at 250 -> A at 350).
  const std::vector<Wire> w = {{0, HOST_A, SYN, 1000, 0},           {150, HOST_B, SYN, 5000, 0},
                               {150, HOST_A, SYN | ACK, 1000, 5001}, {200, HOST_B, SYN | ACK, 5000, 1001},
                               {200, HOST_A, ACK, 1001, 5001},       {350, HOST_B, ACK, 5001, 1001}};
  SUBCASE("capture point unknown: A's SYN,ACK (row 2) is taken as delivered at once") {
    const ReplayResult r = replay(wire(w));
    CHECK(verdicts(r) == "ok ok ok ok ok ok");
    CHECK(r.rows[2].delivered_after == 2);
    CHECK(states(r.rows[2]) == "SYN-RECEIVED ESTABLISHED");
    CHECK(states(r.rows.back()) == "ESTABLISHED ESTABLISHED");
  }
  SUBCASE("at A: B's SYN,ACK left B 50 ms after A's SYN,ACK left A, under one round trip (200 ms)") {
    const ReplayResult r = replay(wire(w), CapturePoint::AtA);
    CHECK(verdicts(r) == "ok ok ok ok ok ok");
    CHECK(r.rows[2].delivered_after == 3);
    CHECK(r.rows[2].held == HoldRule::TooSoon);
    CHECK(states(r.rows[2]) == "SYN-RECEIVED SYN-RECEIVED");
    CHECK(states(r.rows[3]) == "ESTABLISHED ESTABLISHED");
  }
  SUBCASE("at B: timestamps say nothing about segments toward B") {
    const ReplayResult r = replay(wire(w), CapturePoint::AtB);
    CHECK(r.rows[2].delivered_after == 2);
  }
}

TEST_CASE("replay crossing: data from B crosses A's FIN") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Close);
  sim.call(HOST_B, Call::Send, 100);  // before the FIN arrives
  settle(sim);
  const ReplayResult r = replay(sim.trace());
  CHECK(r.count(Verdict::Ok) == r.rows.size());
  REQUIRE(r.rows.size() >= 5);
  CHECK(r.rows[3].delivered_after == 4);  // A's FIN waits for B's data (ack 1001)
  CHECK(r.rows[4].cause == Reason::SendData);
  CHECK(states(r.rows[4]) == "FIN-WAIT-1 CLOSE-WAIT");
  CHECK(states(r.rows.back()) == "FIN-WAIT-2 CLOSE-WAIT");
}

TEST_CASE("replay crossing: B's abort (RST) crosses A's data; B answers the data from CLOSED") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Send, 100);
  sim.call(HOST_B, Call::Abort);  // before the data arrives
  settle(sim);
  REQUIRE(sim.endpoint(HOST_A).state() == State::Closed);
  const ReplayResult r = replay(sim.trace());
  REQUIRE(r.rows.size() == 6);
  // The data is held until after B's abort: B's second RST <SEQ=SEG.ACK> is
  // its answer from CLOSED (3.10.7.1). A is CLOSED when it arrives.
  CHECK(r.rows[3].delivered_after == 4);
  CHECK(r.rows[3].held == HoldRule::RstReply);
  CHECK(r.rows[4].cause == Reason::AbortSendRst);
  CHECK(r.rows[5].verdict != Verdict::Unexpected);
  CHECK(states(r.rows[4]) == "CLOSED CLOSED");
}

TEST_CASE("replay crossing: a RST,ACK (Linux's abort) crossing data: its ACK shows the data had not arrived") {
  std::vector<Wire> w = handshake_at_a();
  w.push_back({300, HOST_A, ACK, 1001, 5001, 100});       // data, reaches B at 400
  w.push_back({450, HOST_B, RST | ACK, 5001, 1001});      // B aborted at 350
  w.push_back({500, HOST_B, RST, 5001, 0});               // B's answer to the data
  const ReplayResult r = replay(wire(w), CapturePoint::AtA);
  CHECK(r.rows[3].delivered_after == 4);
  CHECK(r.rows[3].held == HoldRule::AckBelow);
  CHECK(r.rows[4].verdict == Verdict::Ok);
  CHECK(r.rows[5].verdict != Verdict::Unexpected);
  CHECK(states(r.rows[4]) == "CLOSED CLOSED");
}

TEST_CASE("replay crossing: a partial replay leaves a crossing segment in flight, as the whole replay had it") {
  Simulation sim = established();
  sim.call(HOST_A, Call::Close);
  sim.call(HOST_B, Call::Close);
  settle(sim);
  const PcapParseResult cap = capture_of(sim.trace());
  const ReplayResult whole = replay_connection(cap, 0);
  for (std::size_t k = 1; k <= whole.rows.size(); ++k) {
    CAPTURE(k);
    const ReplayResult part = replay_connection(cap, 0, k);
    for (int h = 0; h < 2; ++h) CHECK(part.rows[k - 1].state[h] == whole.rows[k - 1].state[h]);
  }
  // After A's FIN alone, B has not had it.
  CHECK(replay_connection(cap, 0, 4).sim.network().in_flight(HOST_A).size() == 1);
}

TEST_CASE("replay crossing: delivery plan rules") {
  auto seg = [](int from, std::uint8_t flags, Seq seq, Seq ack, std::uint32_t len, std::int64_t t_ms) {
    OrderedSegment o;
    o.from = from;
    o.seg.flags = flags;
    o.seg.seq = seq;
    o.seg.ack = ack;
    o.seg.len = len;
    o.time_ns = t_ms * 1000000;
    return o;
  };
  SUBCASE("an ACK that covers the segment delivers it at once") {
    const auto p = delivery_plan({seg(0, ACK, 1, 1, 10, 0), seg(1, ACK, 1, 11, 0, 1)}, CapturePoint::Unknown);
    CHECK(p[0].after == 0);
    CHECK(p[0].rule == HoldRule::None);
  }
  SUBCASE("a later segment in the same direction never overtakes a held one") {
    const auto p = delivery_plan({seg(0, FIN | ACK, 1, 1, 0, 0), seg(0, ACK, 2, 1, 0, 0), seg(1, FIN | ACK, 1, 1, 0, 1)},
                                 CapturePoint::Unknown);
    CHECK(p[0].after == 2);
    CHECK(p[1].after == 2);
    CHECK(p[1].rule == HoldRule::Fifo);
  }
  SUBCASE("a retransmission of acknowledged data is not held by a later ACK") {
    const auto p = delivery_plan({seg(0, ACK, 1, 1, 10, 0), seg(1, ACK, 1, 11, 0, 1), seg(0, ACK, 1, 1, 10, 2),
                                  seg(1, ACK, 1, 11, 0, 3)},
                                 CapturePoint::Unknown);
    CHECK(p[2].after == 2);
  }
  SUBCASE("timestamps hold only below one round trip") {
    // Round trip 100 ms (rows 0 -> 1). A's pure ACK at 200; B's segment at
    // 250 (held) and at 320 (not).
    const std::vector<OrderedSegment> s = {seg(0, ACK, 1, 1, 10, 0), seg(1, ACK, 1, 11, 5, 100),
                                           seg(0, ACK, 11, 6, 0, 200), seg(1, ACK, 6, 11, 5, 250),
                                           seg(1, ACK, 11, 11, 5, 320)};
    CHECK(delivery_plan(s, CapturePoint::AtA)[2].after == 3);
    CHECK(delivery_plan(s, CapturePoint::AtA)[2].rule == HoldRule::TooSoon);
    CHECK(delivery_plan(s, CapturePoint::Unknown)[2].after == 2);
    CHECK(delivery_plan(s, CapturePoint::AtB)[2].after == 2);
  }
  SUBCASE("capture point names") {
    CapturePoint p = CapturePoint::Unknown;
    CHECK(parse_capture_point("middle", p));
    CHECK(p == CapturePoint::Middle);
    CHECK_FALSE(parse_capture_point("c", p));
  }
}

TEST_SUITE_END();
