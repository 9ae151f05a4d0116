// tcplab-bench-inputs: how long the engine takes on large and hostile inputs
// (issue 18). Not a test: it prints figures. Each case is built in memory,
// so the figures are the engine's work, not the disk's.
//
//   replay-N     a capture holding one direction only (A's SYN, then N-1
//                data segments of 100 octets, ACKing a SYN,ACK the capture
//                never shows), read and replayed;
//   late-N       the same without the SYN (a late start): N ACK-only packets;
//   json-N       one JSON object of N keys, parsed;
//   advance-T    a scenario whose A opens actively and nobody answers, then
//                advance_ms T: the retransmissions pile up in flight.
//
// Usage: tcplab-bench-inputs [CASE...]   (default: every case of issue 18)
// Real time is read here, never in the engine. Each figure is wall time and,
// in brackets, the process's CPU time (fairer on a busy machine).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "json.h"
#include "pcap.h"
#include "replay.h"
#include "scenario.h"

namespace {

using namespace tcplab;

// Wall and CPU time since a start point.
struct Clock {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();
  std::string since() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f s [cpu %.3f s]",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(),
                  static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC);
    return buf;
  }
};

// A's segments only, as trace_to_pcap writes them: the capture of one
// direction of a connection (a tap on one fibre, a filter on the source).
std::vector<std::uint8_t> one_direction_capture(std::size_t n, bool with_syn) {
  Trace t;
  Seq seq = 1000;
  for (std::size_t i = 0; i < n; ++i) {
    Event e;
    e.kind = EventKind::Sent;
    e.host = HOST_A;
    e.time = static_cast<Instant>(i);
    e.seg.wnd = 65535;
    if (with_syn && i == 0) {
      e.seg.flags = FLAG_SYN;
      e.seg.seq = seq++;
    } else {
      e.seg.flags = FLAG_ACK;
      e.seg.seq = seq;
      e.seg.ack = 5001;
      e.seg.len = with_syn ? 100 : 0;
      seq += e.seg.len;
    }
    t.push_back(e);
  }
  return trace_to_pcap(t);
}

void bench_replay(std::size_t n, bool with_syn) {
  const std::vector<std::uint8_t> bytes = one_direction_capture(n, with_syn);
  const Clock t0;
  const PcapParseResult cap = parse_capture(bytes.data(), bytes.size());
  const std::string parse = t0.since();
  const ReplayResult r = replay_connection(cap, 0);
  std::printf("%-14s %8zu segments: read %s, read + replay %s (%zu rows)\n", with_syn ? "replay" : "late-start", n,
              parse.c_str(), t0.since().c_str(), r.rows.size());
}

void bench_json(std::size_t n) {
  std::string text = "{";
  for (std::size_t i = 0; i < n; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  text += "}";
  JsonValue v;
  JsonError e;
  const Clock t0;
  const bool ok = parse_json(text, v, e);
  std::printf("json           %8zu keys (%.1f MB): %s (%s)\n", n, static_cast<double>(text.size()) / 1e6,
              t0.since().c_str(), ok ? "parsed" : e.message.c_str());
}

void bench_advance(long long ms) {
  const std::string text =
      "{\"id\": \"bench\", \"title\": \"unanswered SYN\", \"requires\": [\"clock\"],"
      " \"setup\": {\"A\": {\"iss\": [1000]}, \"B\": {\"iss\": [5000]}},"
      " \"steps\": [{\"app\": \"A\", \"call\": \"open_active\"}, {\"advance_ms\": " +
      std::to_string(ms) + "}]}";
  const ScenarioFile f = load_scenarios(text, "bench");
  if (!f.ok()) {
    std::printf("advance %lld: %s\n", ms, f.errors[0].c_str());
    return;
  }
  const Clock t0;
  const ScenarioRun run = run_scenario(f.scenarios[0]);
  const std::string outcome = run.passed ? "passed" : run.failure.substr(0, run.failure.find('\n'));
  std::printf("advance_ms     %.0e: %s, %zu trace events, %s\n", static_cast<double>(ms), t0.since().c_str(),
              run.sim.trace().size(), outcome.c_str());
}

bool run_case(const std::string& c) {
  const std::size_t dash = c.find('-');
  if (dash == std::string::npos) return false;
  const std::string kind = c.substr(0, dash);
  const double n = std::strtod(c.c_str() + dash + 1, nullptr);
  if (n <= 0) return false;
  if (kind == "replay") bench_replay(static_cast<std::size_t>(n), true);
  else if (kind == "late") bench_replay(static_cast<std::size_t>(n), false);
  else if (kind == "json") bench_json(static_cast<std::size_t>(n));
  else if (kind == "advance") bench_advance(static_cast<long long>(n));
  else return false;
  std::fflush(stdout);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> cases(argv + 1, argv + argc);
  if (cases.empty())
    cases = {"replay-10000", "replay-30000", "replay-100000", "late-100000", "json-500000", "advance-1e12"};
  for (const std::string& c : cases) {
    if (!run_case(c)) {
      std::fprintf(stderr, "usage: tcplab-bench-inputs [replay-N|late-N|json-N|advance-MS]...\n");
      return 2;
    }
  }
  return 0;
}
