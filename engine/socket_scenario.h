// Socket scenario files: several hosts, socket calls, host events and a SYN
// flood, with what each step must produce (the format is in
// engine/SOCKET-SCENARIOS.md). Like scenario.h it does no I/O: the caller
// reads the file and passes its text; run_socket_scenario() drives a World
// and compares every step with its `expect`.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "json.h"
#include "sockets.h"

namespace tcplab {

struct SocketScenario {
  std::string id;
  std::string title;
  std::size_t index = 0;
  WorldConfig world;
  std::vector<HostConfig> hosts;
  JsonValue steps;  // validated by load_socket_scenarios, read by the runner
};

struct SocketScenarioFile {
  std::vector<SocketScenario> scenarios;
  std::vector<std::string> errors;  // "<file>: <scenario>: steps[3].fd: ..."
  bool ok() const { return errors.empty(); }
};

// True when the text's first scenario has setup.hosts (a socket scenario,
// not a two-endpoint one of shared/SCENARIO-FORMAT.md).
bool is_socket_scenario_text(std::string_view text);

SocketScenarioFile load_socket_scenarios(std::string_view text, const std::string& file_name);

struct SocketScenarioRun {
  bool passed = true;
  std::size_t failed_step = 0;
  std::string failure;             // what differed, in one or more lines
  std::vector<std::string> log;    // the trace, one sentence per event (English)
  World world;
};

SocketScenarioRun run_socket_scenario(const SocketScenario& s, bool stop_at_failure = true);

// "PASS id" or "FAIL id step k: ..."
std::string socket_run_report(const SocketScenario& s, const SocketScenarioRun& r);

}  // namespace tcplab
