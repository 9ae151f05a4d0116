// tcplab-sim: runs scenario files (shared/SCENARIO-FORMAT.md) against the
// engine and draws their ladder diagrams. The only part of the engine that
// reads files and prints.
//
//   tcplab-sim run [--json] FILE...    PASS/FAIL per scenario, "N passed, N failed"
//   tcplab-sim trace FILE [--id ID]    the ladder diagram of each scenario
//
// Exit codes: 0 all passed, 1 some scenario failed, 2 a file was malformed
// or unreadable, or the command line was wrong. Malformed files are reported
// on stderr and the well-formed ones still run, so one broken file does not
// hide the results of the others; the exit code is 2 all the same.
#include <cstdio>
#include <string>
#include <vector>

#include "scenario.h"

namespace {

using namespace tcplab;

const char* const USAGE =
    "usage: tcplab-sim run [--json] FILE...\n"
    "       tcplab-sim trace FILE [--id ID]\n"
    "       tcplab-sim --help\n";

const char* const HELP =
    "tcplab-sim: run TCP connection scenarios (RFC 9293) against the tcplab engine.\n"
    "\n"
    "  tcplab-sim run FILE...\n"
    "      Runs every scenario of each file (one scenario object or an array of\n"
    "      them, see SCENARIO-FORMAT.md) and prints \"PASS <id>\" or \"FAIL <id> step\n"
    "      <k>: ...\" with the expected and actual states and segments, then\n"
    "      \"N passed, N failed\". A scenario stops at its first failing step.\n"
    "  tcplab-sim run --json FILE...\n"
    "      Prints one JSON object per executed step on stdout instead:\n"
    "      {\"scenario\": ..., \"step\": k, \"A\": state, \"B\": state, \"emitted\": [...]};\n"
    "      the PASS/FAIL lines and the count go to stderr.\n"
    "  tcplab-sim trace FILE [--id ID]\n"
    "      Draws the ladder diagram of each scenario in FILE (or only scenario ID):\n"
    "      virtual time down the page, A left, B right, one arrow per segment,\n"
    "      state changes beside their host. Every step runs, failing or not.\n"
    "\n"
    "Exit status: 0 all scenarios passed, 1 a scenario failed, 2 a file was\n"
    "malformed or unreadable (reported on stderr naming the file, the scenario,\n"
    "the step and the field; the other files still run) or the command line\n"
    "was wrong.\n";

void put(std::FILE* f, const std::string& s) { std::fwrite(s.data(), 1, s.size(), f); }

int usage_error(const std::string& message) {
  put(stderr, "tcplab-sim: " + message + "\n" + USAGE);
  return 2;
}

bool read_file(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  out.clear();
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool ok = !std::ferror(f);
  std::fclose(f);
  return ok;
}

// Loads a file; prints its problems on stderr. False when unusable.
bool load_file(const std::string& path, ScenarioFile& file) {
  std::string text;
  if (!read_file(path, text)) {
    put(stderr, path + ": cannot read the file\n");
    return false;
  }
  file = load_scenarios(text, path);
  for (const std::string& e : file.errors) put(stderr, e + "\n");
  return file.ok();
}

int command_run(const std::vector<std::string>& args) {
  bool json = false;
  bool options_done = false;
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (!options_done && a == "--json") {
      json = true;
    } else if (!options_done && a == "--") {
      options_done = true;
    } else if (!options_done && a.size() > 1 && a[0] == '-') {
      return usage_error("unknown option for run: " + a);
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return usage_error("run needs at least one scenario file");

  bool malformed = false;
  int passed = 0, failed = 0;
  std::FILE* report = json ? stderr : stdout;
  for (const std::string& path : files) {
    ScenarioFile file;
    if (!load_file(path, file)) {
      malformed = true;
      continue;
    }
    for (const Scenario& s : file.scenarios) {
      ScenarioRun run = run_scenario(s, true);
      if (json)
        for (const StepOutcome& o : run.steps) put(stdout, step_json(s.id, o) + "\n");
      put(report, run_report(s, run) + "\n");
      (run.passed ? passed : failed) += 1;
    }
  }
  put(report, std::to_string(passed) + " passed, " + std::to_string(failed) + " failed\n");
  std::fflush(stdout);
  if (malformed) return 2;
  return failed > 0 ? 1 : 0;
}

int command_trace(const std::vector<std::string>& args) {
  std::string file_path, id;
  bool have_id = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--id") {
      if (i + 1 >= args.size()) return usage_error("--id needs a scenario id");
      id = args[++i];
      have_id = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return usage_error("unknown option for trace: " + a);
    } else if (file_path.empty()) {
      file_path = a;
    } else {
      return usage_error("trace takes one file");
    }
  }
  if (file_path.empty()) return usage_error("trace needs a scenario file");

  ScenarioFile file;
  if (!load_file(file_path, file)) return 2;
  bool found = false, any_failed = false, first = true;
  for (const Scenario& s : file.scenarios) {
    if (have_id && s.id != id) continue;
    found = true;
    ScenarioRun run = run_scenario(s, false);
    if (!first) put(stdout, "\n");
    first = false;
    put(stdout, scenario_ladder(s, run));
    any_failed = any_failed || !run.passed;
  }
  if (!found) {
    std::string ids;
    for (const Scenario& s : file.scenarios) ids += (ids.empty() ? "" : ", ") + s.id;
    put(stderr, file_path + ": no scenario with id \"" + id + "\" (it has: " + ids + ")\n");
    return 2;
  }
  return any_failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("missing command");
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "--help" || command == "-h" || command == "help") {
    put(stdout, std::string(HELP) + "\n" + USAGE);
    return 0;
  }
  if (command == "run") return command_run(args);
  if (command == "trace") return command_trace(args);
  return usage_error("unknown command: " + command);
}
