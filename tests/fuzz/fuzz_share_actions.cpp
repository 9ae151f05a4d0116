// Fuzz target: the engine side of a shared run. The share-link decoder
// itself lives in web/embed.cpp (it needs the App); what a decoded link
// does to the engine is this: a sandbox configured by the link's settings
// (auto delivery, any latency, loss, MSL, RTO, retries), then up to 2000
// actions at non-decreasing virtual times up to 10^12 ms (calls, hand-built
// segments of any length, drop, deliver, next event). The run is then
// exported as pcap, read back and replayed, and drawn.
//
// Input bytes: 8 of settings, then 12 per action (the last partial one is
// ignored).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "budget.h"
#include "ladder.h"
#include "pcap.h"
#include "replay.h"
#include "simulation.h"

namespace {

using namespace tcplab;

struct Cursor {
  const std::uint8_t* p;
  std::size_t n;
  std::size_t at = 0;
  bool has(std::size_t k) const { return at + k <= n; }
  std::uint32_t u(int bytes) {
    std::uint32_t v = 0;
    for (int i = 0; i < bytes; ++i) v = v << 8 | (at < n ? p[at++] : 0);
    return v;
  }
};

SimConfig sandbox(Cursor& c) {
  SimConfig s;
  s.seed = c.u(1) + 1;
  s.net.auto_deliver = true;
  s.net.latency_ms = c.u(1) * 40;                       // 0 .. 10 s
  s.net.loss_ppm = c.u(1) * 1000000u / 255u;            // 0 .. 100 %
  const Duration msl = 100 + c.u(1) * 470;             // 100 .. 120 000 ms
  const Duration rto = 1 + c.u(1) * 100;
  const int retries = static_cast<int>(c.u(1) % 102) - 1;  // -1 .. 100
  const std::uint32_t flags = c.u(1);
  for (EndpointConfig& e : s.endpoint) {
    e.msl_ms = msl;
    e.rto_initial_ms = rto;
    e.max_retransmits = retries;
    e.rfc5961 = flags & 1;
    e.delayed_ack = flags & 2;
    e.close_on_fin = flags & 4;
  }
  c.u(1);  // reserved
  // The default budget's limits on time and retransmissions, 5,000 events:
  // the same code paths, many more executions per second (the default's
  // 200,000 is exercised by the unit tests).
  s.budget = RUN_BUDGET_DEFAULT;
  s.budget.events = 5000;
  return s;
}

void act(Simulation& sim, Cursor& c) {
  const std::uint32_t op = c.u(1);
  const int host = static_cast<int>(op >> 7);
  sim.advance_to(sim.now() + static_cast<Instant>(c.u(3)) * 1000);  // up to 4.6 h a step
  switch (op % 6) {
    // Up to 64 KB a send: larger ones only make the export write (and
    // checksum) megabytes of payload per run; the limits are unit-tested.
    case 0: sim.call(host, static_cast<Call>(c.u(1) % 5), c.u(2)); break;
    case 1: {
      Segment s;
      s.flags = static_cast<std::uint8_t>(c.u(1));
      s.seq = c.u(2) << 16;
      s.ack = c.u(2) << 16;
      s.len = c.u(1) == 0xFF ? 0xFFFFFFFFu : c.u(1);  // now and then a giant
      s.wnd = 65535;
      sim.send_raw(host, s);
      break;
    }
    case 2: sim.drop(sim.network().last_id() - (c.u(1) % 4)); break;
    case 3: sim.deliver(sim.network().last_id() - (c.u(1) % 4)); break;
    case 4: sim.step_next(); break;
    case 5: sim.advance_to(sim.now() + static_cast<Instant>(c.u(4)) * 256); break;  // up to 1e12 ms
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Cursor c{data, size};
  if (!c.has(8)) return 0;
  Simulation sim(sandbox(c));
  for (int i = 0; i < 2000 && c.has(12); ++i) {
    const std::size_t next = c.at + 12;
    act(sim, c);
    c.at = next;
    if (sim.over_budget() != BudgetField::None) break;
  }
  (void)budget_message(sim.over_budget(), sim.config().budget);
  const std::vector<std::uint8_t> pcap = trace_to_pcap(sim.trace());
  if (!pcap.empty()) {
    const PcapParseResult cap = parse_capture(pcap.data(), pcap.size());
    if (!cap.ok) __builtin_trap();  // our own export must read back
    if (!cap.connections.empty()) (void)replay_connection(cap, 0);
  }
  (void)render_ladder_svg(sim.trace());
  return 0;
}
