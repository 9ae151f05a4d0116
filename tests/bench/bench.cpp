// tcplab-bench: how fast the engine runs complete connection lifecycles.
//
// One lifecycle, on a fresh Simulation with the trace on and auto_deliver:
// B opens passively, A actively (three-way handshake); A sends 1000 octets
// and B 500; A closes, B closes when the FIN arrives (four-segment close);
// the clock jumps to every deadline until none is left, through A's 2*MSL
// TIME-WAIT. Both hosts must end CLOSED.
//
// Printed: lifecycles per second, segment arrivals processed per second
// (Delivered events), trace events per lifecycle, and the bytes one
// simulation holds after a lifecycle.
//
// Real time is read here (std::chrono::steady_clock; std::clock for the
// process's CPU time, which a busy machine does not inflate), never in the
// engine. The rates are computed from wall time; the CPU-time rate is
// printed beside them.
//
// Usage: tcplab-bench [--lifecycles N] [--batch N]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "simulation.h"

namespace {

using namespace tcplab;

struct Totals {
  std::uint64_t lifecycles = 0;
  std::uint64_t arrivals = 0;  // Delivered events
  std::uint64_t events = 0;    // all trace events
};

SimConfig lifecycle_config(std::uint64_t seed) {
  SimConfig c;
  c.seed = seed;
  c.net.latency_ms = 10;
  c.net.auto_deliver = true;
  c.keep_trace = true;
  return c;
}

// Runs one lifecycle on `sim` (fresh). Returns false if it did not end with
// both hosts CLOSED (a broken engine must not produce a fast number).
bool run_lifecycle(Simulation& sim) {
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);
  int guard = 0;
  while (sim.endpoint(HOST_A).state() != State::Established ||
         sim.endpoint(HOST_B).state() != State::Established) {
    if (!sim.step_next() || ++guard > 100) return false;
  }
  sim.call(HOST_A, Call::Send, 1000);
  sim.call(HOST_B, Call::Send, 500);
  sim.call(HOST_A, Call::Close);
  guard = 0;
  while (sim.next_deadline() != NEVER) {
    sim.advance_to(sim.next_deadline());
    if (sim.endpoint(HOST_B).state() == State::CloseWait) sim.call(HOST_B, Call::Close);
    if (++guard > 1000) return false;
  }
  return sim.endpoint(HOST_A).state() == State::Closed && sim.endpoint(HOST_B).state() == State::Closed;
}

void count(const Simulation& sim, Totals& t) {
  ++t.lifecycles;
  t.events += sim.trace().size();
  for (const Event& e : sim.trace()) t.arrivals += e.kind == EventKind::Delivered ? 1 : 0;
}

// What one simulation holds after a lifecycle: the object itself plus the
// heap blocks its containers own, counted from their capacities (what the
// allocator handed out, not what is in use). Returns the total.
std::size_t report_memory(const Simulation& sim) {
  const std::size_t object = sizeof(Simulation);
  const std::size_t trace = sim.trace().capacity() * sizeof(Event);
  // The queues are deques (no capacity()): libstdc++ keeps a map of block
  // pointers (8 at least) and blocks of 512 bytes (or one element when
  // larger), at least one even when empty.
  std::size_t queues = 0;
  for (int d = 0; d < 2; ++d) {
    const std::size_t per_block = sizeof(InFlight) < 512 ? 512 / sizeof(InFlight) : 1;
    const std::size_t blocks = sim.network().in_flight(d).size() / per_block + 1;
    queues += std::max<std::size_t>(8, blocks + 2) * sizeof(void*) + blocks * per_block * sizeof(InFlight);
  }
  std::size_t outstanding = 0;
  for (int h = 0; h < 2; ++h) outstanding += sim.endpoint(h).outstanding().capacity() * sizeof(Outstanding);
  std::size_t config_iss = 0;
  for (int h = 0; h < 2; ++h) config_iss += sim.config().iss[h].capacity() * sizeof(Seq);
  const std::size_t total = object + trace + queues + outstanding + config_iss;
  std::printf("memory per simulation after one lifecycle: %zu bytes\n", total);
  std::printf("  sizeof(Simulation)                 %8zu  (config, 2 endpoints, network, rng, clock, vector headers)\n",
              object);
  std::printf("  trace capacity %5zu x %3zu B       %8zu  (%zu events in use)\n", sim.trace().capacity(),
              sizeof(Event), trace, sim.trace().size());
  std::printf("  network queues (deques) x %3zu B    %8zu  (both directions; empty at the end: map + one block each)\n",
              sizeof(InFlight), queues);
  std::printf("  outstanding lists capacity x %2zu B %8zu  (both endpoints)\n", sizeof(Outstanding), outstanding);
  std::printf("  fixed ISS lists in the config      %8zu\n", config_iss);
  std::printf("  not counted: each endpoint's held-segment list and ISS list (private; empty in this\n"
              "  lifecycle: no out-of-order data, no fixed ISS), allocator overhead per block.\n");
  return total;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t lifecycles = 200000;
  std::uint64_t batch = 20000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--lifecycles") == 0 && i + 1 < argc) {
      lifecycles = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
      batch = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: %s [--lifecycles N] [--batch N]\n", argv[0]);
      return 2;
    }
  }
  if (lifecycles == 0) lifecycles = 1;
  if (batch == 0) batch = lifecycles;

  // One lifecycle first: it must end CLOSED, and its simulation is the one
  // whose memory is reported.
  {
    Simulation sim(lifecycle_config(1));
    if (!run_lifecycle(sim)) {
      std::fprintf(stderr, "a lifecycle did not end with both hosts CLOSED\n");
      return 1;
    }
    Totals one;
    count(sim, one);
    std::printf("one lifecycle: %llu segment arrivals, %llu trace events, virtual time %lld ms\n",
                static_cast<unsigned long long>(one.arrivals), static_cast<unsigned long long>(one.events),
                static_cast<long long>(sim.now()));
    report_memory(sim);
  }

  Totals all;
  double elapsed = 0;
  const std::clock_t cpu0 = std::clock();
  double best_rate = 0;  // arrivals per second of the fastest batch
  std::uint64_t done = 0;
  while (done < lifecycles) {
    const std::uint64_t n = std::min(batch, lifecycles - done);
    Totals t;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < n; ++i) {
      Simulation sim(lifecycle_config(done + i + 1));
      if (!run_lifecycle(sim)) {
        std::fprintf(stderr, "lifecycle %llu did not end with both hosts CLOSED\n",
                     static_cast<unsigned long long>(done + i + 1));
        return 1;
      }
      count(sim, t);
    }
    const double s = seconds_since(t0);
    elapsed += s;
    best_rate = std::max(best_rate, static_cast<double>(t.arrivals) / s);
    all.lifecycles += t.lifecycles;
    all.arrivals += t.arrivals;
    all.events += t.events;
    done += n;
  }

  const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  const double lifecycles_per_s = static_cast<double>(all.lifecycles) / elapsed;
  const double arrivals_per_s = static_cast<double>(all.arrivals) / elapsed;
  std::printf("%llu lifecycles in %.3f s wall, %.3f s CPU (batches of %llu)\n",
              static_cast<unsigned long long>(all.lifecycles), elapsed, cpu, static_cast<unsigned long long>(batch));
  std::printf("lifecycles/s:                %12.0f\n", lifecycles_per_s);
  std::printf("segment arrivals/s:          %12.0f  (best batch %.0f; %.1f ns each; by CPU time %.0f)\n",
              arrivals_per_s, best_rate, 1e9 / arrivals_per_s, static_cast<double>(all.arrivals) / cpu);
  std::printf("segment arrivals/lifecycle:  %12.2f\n",
              static_cast<double>(all.arrivals) / static_cast<double>(all.lifecycles));
  std::printf("trace events/lifecycle:      %12.2f\n",
              static_cast<double>(all.events) / static_cast<double>(all.lifecycles));
  const double cpu_rate = static_cast<double>(all.arrivals) / cpu;
  std::printf("target 5,000,000 arrivals/s: %s by CPU time, %s by wall time%s\n", cpu_rate >= 5e6 ? "met" : "NOT met",
              arrivals_per_s >= 5e6 ? "met" : "NOT met",
              cpu < 0.8 * elapsed ? " (the machine is busy: CPU time is the fairer measure)" : "");
  return 0;
}
