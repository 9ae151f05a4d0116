// The simulated link: delay, the fate drawn for each segment (loss,
// duplication, reordering) from the seeded PRNG, manual delivery and drop
// by id or oldest, deadlines, and how the simulation records it all.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "network.h"
#include "rng.h"
#include "simulation.h"

namespace {

using namespace tcplab;

Segment data_segment(Seq seq, std::uint32_t len) {
  Segment s;
  s.flags = FLAG_ACK;
  s.seq = seq;
  s.ack = 7;
  s.wnd = 4096;
  s.len = len;
  return s;
}

std::string name(State s) { return state_name(s); }

// Events of one kind in a trace.
std::vector<Event> events_of(const Trace& t, EventKind k) {
  std::vector<Event> out;
  for (const Event& e : t) {
    if (e.kind == k) out.push_back(e);
  }
  return out;
}

constexpr int SAMPLES = 20000;

}  // namespace

TEST_CASE("network: latency sets deliver_at and ids count from 1") {
  Network net;
  net.config.latency_ms = 100;
  net.config.jitter_ms = 0;
  Rng rng(1);
  std::uint32_t dup = 99;
  const std::uint32_t id1 = net.send(50, 0, data_segment(1000, 10), rng, &dup);
  CHECK(dup == 0);
  const std::uint32_t id2 = net.send(70, 1, data_segment(5000, 0), rng, nullptr);
  CHECK(id1 == 1);
  CHECK(id2 == 2);
  CHECK(net.last_id() == 2);
  CHECK(net.count() == 2);
  REQUIRE(net.in_flight(0).size() == 1);
  REQUIRE(net.in_flight(1).size() == 1);

  const InFlight* f = net.find(id1);
  REQUIRE(f != nullptr);
  CHECK(f->id == id1);
  CHECK(f->from == 0);
  CHECK(f->sent_at == 50);
  CHECK(f->deliver_at == 150);
  CHECK(f->seg == data_segment(1000, 10));
  CHECK_FALSE(f->doomed);
  CHECK_FALSE(f->injected);
  CHECK(net.find(id2)->deliver_at == 170);
  CHECK(net.find(id2)->from == 1);
  CHECK(net.find(12345) == nullptr);
}

TEST_CASE("network: jitter adds a delay within [0, jitter_ms]") {
  Network net;
  net.config.latency_ms = 100;
  net.config.jitter_ms = 20;
  Rng rng(2);
  Instant lo = NEVER, hi = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::uint32_t id = net.send(1000, 0, data_segment(static_cast<Seq>(i), 1), rng, nullptr);
    const Instant d = net.find(id)->deliver_at - 1000;
    lo = d < lo ? d : lo;
    hi = d > hi ? d : hi;
  }
  CHECK(lo == 100);
  CHECK(hi == 120);
}

TEST_CASE("network: with auto_deliver off, segments wait (deliver_at NEVER)") {
  Network net;
  net.config.auto_deliver = false;
  net.config.latency_ms = 100;
  Rng rng(3);
  const std::uint32_t id = net.send(10, 1, data_segment(1, 1), rng, nullptr);
  CHECK(net.find(id)->deliver_at == NEVER);
  std::uint32_t next = 77;
  CHECK(net.next_delivery(&next) == NEVER);
}

TEST_CASE("network: loss, duplication and reordering follow their ppm") {
  // SAMPLES sends per setting with a fixed seed; the bounds are ~7 standard
  // deviations wide, so they only fail when the probability is wrong.
  struct Setting {
    std::uint32_t loss, dup, reorder;
  };
  const Setting settings[] = {{0, 0, 0}, {100000, 0, 0}, {0, 200000, 0}, {0, 0, 250000}, {50000, 50000, 50000},
                              {1000000, 0, 0}};
  for (const Setting& s : settings) {
    CAPTURE(s.loss);
    CAPTURE(s.dup);
    CAPTURE(s.reorder);
    Network net;
    net.config.latency_ms = 100;
    net.config.jitter_ms = 0;
    net.config.loss_ppm = s.loss;
    net.config.dup_ppm = s.dup;
    net.config.reorder_ppm = s.reorder;
    Rng rng(42);
    int doomed = 0, dups = 0, late = 0, early = 0, bad_copies = 0;
    for (int i = 0; i < SAMPLES; ++i) {
      std::uint32_t dup_id = 0;
      const Instant now = i;
      const std::uint32_t id = net.send(now, 0, data_segment(static_cast<Seq>(i), 1), rng, &dup_id);
      // Take each send (and its copy) off the wire at once: the queue stays short.
      InFlight f, copy;
      REQUIRE(net.take(id, f));
      doomed += f.doomed ? 1 : 0;
      if (f.deliver_at != now + 100) {
        ++late;
        // Held back: later than the plain latency, never earlier.
        early += f.deliver_at < now + 100 ? 1 : 0;
      }
      if (dup_id != 0) {
        ++dups;
        REQUIRE(net.take(dup_id, copy));
        bad_copies += (copy.seg == f.seg && copy.from == f.from && dup_id != id) ? 0 : 1;
      }
      REQUIRE(net.count() == 0);
    }
    CHECK(early == 0);
    CHECK(bad_copies == 0);
    auto expect = [](int count, std::uint32_t ppm) {
      const double p = ppm / 1e6;
      const double mean = SAMPLES * p;
      const double sd = std::sqrt(SAMPLES * p * (1 - p));
      CHECK(count >= mean - 7 * sd - 1);
      CHECK(count <= mean + 7 * sd + 1);
    };
    expect(doomed, s.loss);
    expect(dups, s.dup);
    expect(late, s.reorder);
    // Ids count every send and every copy.
    CHECK(net.last_id() == static_cast<std::uint32_t>(SAMPLES + dups));
  }
}

TEST_CASE("network: the same seed draws the same fates") {
  auto fates = [](std::uint64_t seed) {
    Network net;
    net.config.loss_ppm = 300000;
    net.config.dup_ppm = 300000;
    net.config.reorder_ppm = 300000;
    net.config.jitter_ms = 30;
    Rng rng(seed);
    std::vector<std::int64_t> out;
    for (int i = 0; i < 500; ++i) {
      std::uint32_t dup_id = 0;
      const std::uint32_t id = net.send(i, i % 2, data_segment(static_cast<Seq>(i), 3), rng, &dup_id);
      const InFlight* f = net.find(id);
      out.push_back(f->deliver_at * 4 + (f->doomed ? 2 : 0) + (dup_id != 0 ? 1 : 0));
    }
    return out;
  };
  CHECK(fates(9) == fates(9));
  CHECK(fates(9) != fates(10));
}

TEST_CASE("network: take by id, take the oldest of a direction") {
  Network net;
  net.config.auto_deliver = false;
  Rng rng(5);
  const std::uint32_t a1 = net.send(0, 0, data_segment(100, 1), rng, nullptr);
  const std::uint32_t b1 = net.send(1, 1, data_segment(900, 1), rng, nullptr);
  const std::uint32_t a2 = net.send(2, 0, data_segment(101, 1), rng, nullptr);
  const std::uint32_t a3 = net.send(3, 0, data_segment(102, 1), rng, nullptr);

  InFlight got;
  SUBCASE("by id") {
    REQUIRE(net.take(a2, got));
    CHECK(got.id == a2);
    CHECK(got.seg.seq == 101);
    CHECK(net.find(a2) == nullptr);
    CHECK_FALSE(net.take(a2, got));  // already gone
    CHECK(net.count() == 3);
    REQUIRE(net.take_oldest(0, got));
    CHECK(got.id == a1);
    REQUIRE(net.take_oldest(0, got));
    CHECK(got.id == a3);
    CHECK_FALSE(net.take_oldest(0, got));
  }
  SUBCASE("oldest first, each direction on its own") {
    REQUIRE(net.take_oldest(1, got));
    CHECK(got.id == b1);
    CHECK(got.from == 1);
    CHECK_FALSE(net.take_oldest(1, got));
    REQUIRE(net.take_oldest(0, got));
    CHECK(got.id == a1);
    CHECK(net.count() == 2);
  }
  CHECK_FALSE(net.take(0, got));
  CHECK_FALSE(net.take(999, got));
}

TEST_CASE("network: next_delivery is the earliest deliver_at, lowest id on ties") {
  Network net;
  net.config.jitter_ms = 0;
  Rng rng(6);
  net.config.latency_ms = 300;
  const std::uint32_t slow = net.send(0, 0, data_segment(1, 1), rng, nullptr);  // at 300
  net.config.latency_ms = 100;
  const std::uint32_t tie1 = net.send(100, 1, data_segment(2, 1), rng, nullptr);  // at 200
  const std::uint32_t tie2 = net.send(100, 0, data_segment(3, 1), rng, nullptr);  // at 200
  std::uint32_t id = 0;
  CHECK(net.next_delivery(&id) == 200);
  CHECK(id == tie1);
  InFlight got;
  REQUIRE(net.take(tie1, got));
  CHECK(net.next_delivery(&id) == 200);
  CHECK(id == tie2);
  REQUIRE(net.take(tie2, got));
  CHECK(net.next_delivery(&id) == 300);
  CHECK(id == slow);
  REQUIRE(net.take(slow, got));
  CHECK(net.next_delivery(&id) == NEVER);
}

TEST_CASE("network in the simulation: latency, arrival time and Delivered events") {
  SimConfig c;
  c.net.latency_ms = 100;
  c.net.jitter_ms = 0;
  Simulation sim(c);
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);
  REQUIRE(sim.network().in_flight(0).size() == 1);
  const InFlight syn = sim.network().in_flight(0).front();
  CHECK(syn.seg.has(FLAG_SYN));
  CHECK(syn.deliver_at == 100);
  CHECK(sim.next_deadline() == 100);  // before A's retransmission timer (1000)

  REQUIRE(sim.step_next());
  CHECK(sim.now() == 100);
  const std::vector<Event> delivered = events_of(sim.trace(), EventKind::Delivered);
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0].host == HOST_B);
  CHECK(delivered[0].seg_id == syn.id);
  CHECK(delivered[0].time == 100);
  CHECK(name(delivered[0].from) == "LISTEN");
  CHECK(name(sim.endpoint(HOST_B).state()) == "SYN-RECEIVED");
  // B's SYN,ACK is on its way back, due at 200.
  REQUIRE(sim.network().in_flight(1).size() == 1);
  CHECK(sim.network().in_flight(1).front().deliver_at == 200);
  CHECK(sim.next_deadline() == 200);
  REQUIRE(sim.step_next());
  CHECK(sim.now() == 200);
  CHECK(name(sim.endpoint(HOST_A).state()) == "ESTABLISHED");
}

TEST_CASE("network in the simulation: next_deadline orders deliveries and timers") {
  SimConfig c;
  c.net.latency_ms = 100;
  c.net.jitter_ms = 0;
  Simulation sim(c);
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);  // SYN due at 100, retransmission at 1000
  sim.advance_to(50);
  CHECK(sim.now() == 50);
  CHECK(sim.next_deadline() == 100);
  // Everything processed by advance_to happens in time order.
  sim.advance_to(5000);
  CHECK(sim.now() == 5000);
  Instant last = 0;
  for (const Event& e : sim.trace()) {
    CHECK(e.time >= last);
    last = e.time;
  }
  CHECK(name(sim.endpoint(HOST_A).state()) == "ESTABLISHED");
  CHECK(name(sim.endpoint(HOST_B).state()) == "ESTABLISHED");
  CHECK(sim.network().count() == 0);
  CHECK(sim.next_deadline() == NEVER);
  CHECK_FALSE(sim.step_next());
  // The clock never goes back.
  sim.advance_to(10);
  CHECK(sim.now() == 5000);
}

TEST_CASE("network in the simulation: manual deliver and drop, by id and oldest") {
  SimConfig c;
  c.net.auto_deliver = false;
  Simulation sim(c);
  CHECK_FALSE(sim.deliver_oldest(0));
  CHECK_FALSE(sim.deliver_oldest(1));
  CHECK_FALSE(sim.drop_oldest(0));
  CHECK_FALSE(sim.deliver(1));
  CHECK_FALSE(sim.drop(1));
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);
  REQUIRE(sim.network().count() == 1);
  const std::uint32_t syn = sim.network().in_flight(0).front().id;
  // Segments wait for a step: only A's retransmission timer is due.
  CHECK(sim.next_deadline() == sim.endpoint(HOST_A).timers().retransmit);

  SUBCASE("drop by id") {
    const std::size_t before = sim.trace().size();
    REQUIRE(sim.drop(syn));
    CHECK(sim.network().count() == 0);
    CHECK_FALSE(sim.drop(syn));
    CHECK_FALSE(sim.deliver(syn));
    const std::vector<Event> dropped = events_of(sim.trace(), EventKind::Dropped);
    REQUIRE(dropped.size() == 1);
    CHECK(dropped[0].seg_id == syn);
    CHECK(dropped[0].host == HOST_B);  // on its way to B
    CHECK(dropped[0].seg.has(FLAG_SYN));
    CHECK(dropped[0].reason == Reason::NetDropped);
    CHECK(sim.trace().size() > before);
    CHECK(name(sim.endpoint(HOST_B).state()) == "LISTEN");
    // The retransmission puts a new copy (a new id) on the wire.
    CHECK(sim.fire_timer(HOST_A, TimerKind::Retransmit) == Reason::TimerRetransmit);
    REQUIRE(sim.network().count() == 1);
    CHECK(sim.network().in_flight(0).front().id > syn);
  }
  SUBCASE("drop the oldest") {
    REQUIRE(sim.drop_oldest(0));
    CHECK(sim.network().count() == 0);
    CHECK(events_of(sim.trace(), EventKind::Dropped).size() == 1);
  }
  SUBCASE("deliver by id, then the oldest of each direction") {
    REQUIRE(sim.deliver(syn));
    CHECK_FALSE(sim.deliver(syn));
    CHECK(name(sim.endpoint(HOST_B).state()) == "SYN-RECEIVED");
    REQUIRE(sim.network().in_flight(1).size() == 1);
    CHECK(sim.network().in_flight(0).empty());
    CHECK_FALSE(sim.deliver_oldest(0));
    REQUIRE(sim.deliver_oldest(1));
    CHECK(name(sim.endpoint(HOST_A).state()) == "ESTABLISHED");
    REQUIRE(sim.deliver_oldest(0));
    CHECK(name(sim.endpoint(HOST_B).state()) == "ESTABLISHED");
    CHECK(sim.network().count() == 0);
    const std::vector<Event> delivered = events_of(sim.trace(), EventKind::Delivered);
    REQUIRE(delivered.size() == 3);
    CHECK(delivered[0].host == HOST_B);
    CHECK(delivered[1].host == HOST_A);
    CHECK(delivered[2].host == HOST_B);
    CHECK(delivered[0].seg_id == syn);
  }
  SUBCASE("deliver the oldest of several, in order of sending") {
    REQUIRE(sim.deliver(syn));
    REQUIRE(sim.deliver_oldest(1));  // A is ESTABLISHED
    REQUIRE(sim.deliver_oldest(0));  // B is ESTABLISHED
    sim.call(HOST_A, Call::Send, 10);
    sim.call(HOST_A, Call::Send, 20);
    sim.call(HOST_A, Call::Send, 30);
    REQUIRE(sim.network().in_flight(0).size() == 3);
    const std::uint32_t second = sim.network().in_flight(0)[1].id;
    REQUIRE(sim.deliver(second));  // out of order: held by B
    REQUIRE(sim.deliver_oldest(0));
    const std::vector<Event> delivered = events_of(sim.trace(), EventKind::Delivered);
    REQUIRE(delivered.size() >= 2);
    CHECK(delivered[delivered.size() - 2].seg.len == 20);
    CHECK(delivered.back().seg.len == 10);
    CHECK(sim.endpoint(HOST_B).octets_received() == 30);
  }
}

TEST_CASE("network in the simulation: Lost and Duplicated events name the right host") {
  SUBCASE("every segment lost") {
    SimConfig c;
    c.net.loss_ppm = 1000000;
    c.net.latency_ms = 100;
    c.endpoint[HOST_A].max_retransmits = 2;
    Simulation sim(c);
    sim.call(HOST_B, Call::OpenPassive);
    sim.call(HOST_A, Call::OpenActive);
    sim.advance_to(100000);
    const std::vector<Event> sent = events_of(sim.trace(), EventKind::Sent);
    const std::vector<Event> lost = events_of(sim.trace(), EventKind::Lost);
    REQUIRE(sent.size() == 3);  // the SYN and two retransmissions
    REQUIRE(lost.size() == 3);
    for (std::size_t i = 0; i < lost.size(); ++i) {
      CHECK(sent[i].host == HOST_A);
      CHECK(lost[i].host == HOST_B);  // lost on its way to B
      CHECK(lost[i].seg_id == sent[i].seg_id);
      CHECK(lost[i].reason == Reason::NetLost);
      CHECK(lost[i].seg.has(FLAG_SYN));
    }
    CHECK(events_of(sim.trace(), EventKind::Delivered).empty());
    CHECK(name(sim.endpoint(HOST_B).state()) == "LISTEN");
    CHECK(name(sim.endpoint(HOST_A).state()) == "CLOSED");  // gave up
  }
  SUBCASE("lost on the way back") {
    SimConfig c;
    c.net.latency_ms = 100;
    Simulation sim(c);
    sim.call(HOST_B, Call::OpenPassive);
    sim.call(HOST_A, Call::OpenActive);  // the SYN's fate is drawn now: it arrives
    sim.network().config.loss_ppm = 1000000;  // B's SYN,ACK will be lost
    sim.advance_to(100);
    REQUIRE(sim.network().in_flight(1).size() == 1);
    const InFlight syn_ack = sim.network().in_flight(1).front();
    CHECK(syn_ack.doomed);
    sim.advance_to(200);
    const std::vector<Event> lost = events_of(sim.trace(), EventKind::Lost);
    REQUIRE(lost.size() == 1);
    CHECK(lost[0].host == HOST_A);  // lost on its way to A
    CHECK(lost[0].seg_id == syn_ack.id);
    CHECK(lost[0].time == 200);
    CHECK(name(sim.endpoint(HOST_A).state()) == "SYN-SENT");  // never saw it
  }
  SUBCASE("a manual delivery overrides random loss") {
    SimConfig c;
    c.net.auto_deliver = false;
    c.net.loss_ppm = 1000000;
    Simulation sim(c);
    sim.call(HOST_B, Call::OpenPassive);
    sim.call(HOST_A, Call::OpenActive);
    REQUIRE(sim.network().count() == 1);
    CHECK(sim.network().in_flight(0).front().doomed);
    REQUIRE(sim.deliver_oldest(0));
    CHECK(events_of(sim.trace(), EventKind::Lost).empty());
    CHECK(name(sim.endpoint(HOST_B).state()) == "SYN-RECEIVED");
  }
  SUBCASE("duplicates") {
    SimConfig c;
    c.net.dup_ppm = 1000000;
    c.net.latency_ms = 100;
    Simulation sim(c);
    sim.call(HOST_B, Call::OpenPassive);
    sim.call(HOST_A, Call::OpenActive);
    const std::vector<Event> dups = events_of(sim.trace(), EventKind::Duplicated);
    REQUIRE(dups.size() == 1);
    REQUIRE(sim.network().in_flight(0).size() == 2);
    const InFlight& original = sim.network().in_flight(0)[0];
    const InFlight& copy = sim.network().in_flight(0)[1];
    CHECK(dups[0].seg_id == copy.id);
    CHECK(copy.seg == original.seg);
    CHECK(copy.id != original.id);
  }
}
