// tcplab-sim: runs scenario files (shared/SCENARIO-FORMAT.md) against the
// engine and draws their ladder diagrams. The only part of the engine that
// reads files and prints.
//
//   tcplab-sim run [--json] [--pcap OUT.pcap] FILE...   PASS/FAIL per scenario, "N passed, N failed"
//   tcplab-sim trace FILE [--id ID] [--svg OUT.svg]      the ladder diagram of each scenario
//   tcplab-sim replay FILE [--connection N] [--json] [--relative] [--capture-point a|b|middle]
//                                                       every connection of a capture replayed through the engine
//
// Exit codes: 0 all passed, 1 some scenario failed, 2 a file was malformed
// or unreadable, or the command line was wrong. Malformed files are reported
// on stderr and the well-formed ones still run, so one broken file does not
// hide the results of the others; the exit code is 2 all the same.
//
// Every input has a size limit (SCENARIO_MAX_BYTES, CAPTURE_MAX_BYTES): a
// bigger file, or one that never ends (/dev/zero), is refused with exit 2
// instead of growing until memory runs out (issue 18, D13).
#include <cstdio>
#include <string>
#include <vector>

#include "explain.h"
#include "pcap.h"
#include "relative.h"
#include "replay.h"
#include "scenario.h"
#include "terminal.h"
#include "sockets_command.h"

namespace {

using namespace tcplab;

// Far above any real scenario file (the largest in tests/ is a few KB) and
// the page's limit for captures, so a capture the page reads is read here.
constexpr std::size_t SCENARIO_MAX_BYTES = 16u << 20;
constexpr std::size_t CAPTURE_MAX_BYTES = 64u << 20;
// A file of thousands of broken scenarios gets this many lines, then a count.
constexpr std::size_t ERRORS_LISTED = 50;

const char* const USAGE =
    "usage: tcplab-sim run [--json] [--pcap OUT.pcap] FILE...\n"
    "       tcplab-sim trace FILE [--id ID] [--svg OUT.svg]\n"
    "       tcplab-sim replay FILE [--connection N] [--json] [--relative] [--capture-point a|b|middle|unknown]\n"
    "       tcplab-sim sockets [--trace] [--pcap OUT.pcap] FILE...  socket scenarios (engine/SOCKET-SCENARIOS.md)\n"
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
    "  tcplab-sim sockets [--trace] [--pcap OUT.pcap] FILE...\n"
    "      Runs socket scenario files (several hosts, socket calls, host events,\n"
    "      engine/SOCKET-SCENARIOS.md): \"PASS <id>\" or \"FAIL <id> step <k>: ...\",\n"
    "      then \"N passed, N failed\"; --trace prints every event of each run first;\n"
    "      --pcap writes each run's packets (OUT-<id>.pcap when there are several).\n"
    "\n"
    "Exit status: 0 all scenarios passed (replay: every segment of every\n"
    "replayed connection ok), 1 a scenario failed (replay: a segment\n"
    "unexpected or rejected, or problems in the capture), 2 a file was\n"
    "malformed or unreadable (reported on stderr naming the file, the scenario,\n"
    "the step and the field; the other files still run) or the command line\n"
    "was wrong.\n"
    "\n"
    "Limits: scenario files up to 16 MiB, captures up to 64 MiB (larger files\n"
    "exit 2); --pcap writes at most 1 MiB per segment and 64 MiB per file\n"
    "(else nothing, exit 2); a scenario run stops at 200000 trace events,\n"
    "1000 retransmissions, 2000 segments in flight or 10^12 ms of virtual\n"
    "time and fails, naming the limit. Control characters from files are printed as \\u00XX.\n";

// Everything printed goes through here: control characters that came from
// a file cannot reach the terminal (D14).
void put(std::FILE* f, const std::string& s) {
  const std::string safe = terminal_text(s, true);
  std::fwrite(safe.data(), 1, safe.size(), f);
}

int usage_error(const std::string& message) {
  put(stderr, "tcplab-sim: " + message + "\n" + USAGE);
  return 2;
}

// Reads at most `max` octets; "" on success, else why not.
std::string read_file(const std::string& path, std::string& out, std::size_t max) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return "cannot read the file";
  out.clear();
  char buf[65536];
  std::size_t n;
  while (out.size() <= max && (n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool ok = !std::ferror(f);
  std::fclose(f);
  if (!ok) return "cannot read the file";
  if (out.size() > max) return "the file is larger than " + std::to_string(max >> 20) + " MiB, the limit for this input";
  return "";
}

bool write_file(const std::string& path, const void* data, std::size_t n) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  bool ok = std::fwrite(data, 1, n, f) == n;
  ok = std::fclose(f) == 0 && ok;
  return ok;
}

// OUT.pcap for the only scenario; OUT-<id>.pcap when there are several.
std::string output_name(const std::string& out, bool several, const Scenario& s) {
  if (!several) return out;
  const std::string id = s.id.empty() ? std::to_string(s.index) : s.id;
  const std::size_t dot = out.rfind('.');
  const std::size_t slash = out.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return out + "-" + id;
  return out.substr(0, dot) + "-" + id + out.substr(dot);
}

// Loads a file; prints its problems on stderr. False when unusable.
bool load_file(const std::string& path, ScenarioFile& file) {
  std::string text;
  const std::string why = read_file(path, text, SCENARIO_MAX_BYTES);
  if (!why.empty()) {
    put(stderr, path + ": " + why + "\n");
    return false;
  }
  file = load_scenarios(text, path);
  for (std::size_t i = 0; i < file.errors.size() && i < ERRORS_LISTED; ++i) put(stderr, file.errors[i] + "\n");
  if (file.errors.size() > ERRORS_LISTED)
    put(stderr, path + ": and " + std::to_string(file.errors.size() - ERRORS_LISTED) + " more problems\n");
  for (const std::string& w : file.warnings) put(stderr, w + "\n");
  return file.ok();
}

int command_run(const std::vector<std::string>& args) {
  bool json = false;
  bool options_done = false;
  std::string pcap_out;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!options_done && a == "--json") {
      json = true;
    } else if (!options_done && a == "--pcap") {
      if (i + 1 >= args.size()) return usage_error("--pcap needs an output file");
      pcap_out = args[++i];
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
  std::vector<ScenarioFile> loaded;
  std::size_t total = 0;
  for (const std::string& path : files) {
    ScenarioFile file;
    if (!load_file(path, file)) {
      malformed = true;
      continue;
    }
    total += file.scenarios.size();
    loaded.push_back(std::move(file));
  }
  for (const ScenarioFile& file : loaded) {
    for (const Scenario& s : file.scenarios) {
      ScenarioRun run = run_scenario(s, true);
      if (!pcap_out.empty()) {
        const std::string name = output_name(pcap_out, total > 1, s);
        const std::string too_big = pcap_export_problem(run.sim.trace());
        const std::vector<std::uint8_t> bytes = trace_to_pcap(run.sim.trace());
        if (!too_big.empty()) {
          put(stderr, name + ": not written: " + too_big + "\n");
          malformed = true;
        } else if (!write_file(name, bytes.data(), bytes.size())) {
          put(stderr, name + ": cannot write the capture\n");
          malformed = true;
        }
      }
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
  std::string file_path, id, svg_out;
  bool have_id = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--id") {
      if (i + 1 >= args.size()) return usage_error("--id needs a scenario id");
      id = args[++i];
      have_id = true;
    } else if (a == "--svg") {
      if (i + 1 >= args.size()) return usage_error("--svg needs an output file");
      svg_out = args[++i];
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
    if (!svg_out.empty()) {
      const std::size_t n = have_id ? 1 : file.scenarios.size();
      const std::string name = output_name(svg_out, n > 1, s);
      const std::string svg = render_ladder_svg(run.sim.trace());
      if (!write_file(name, svg.data(), svg.size())) {
        put(stderr, name + ": cannot write the image\n");
        return 2;
      }
    }
  }
  if (!found) {
    std::string ids;
    for (const Scenario& s : file.scenarios) ids += (ids.empty() ? "" : ", ") + s.id;
    put(stderr, file_path + ": no scenario with id \"" + id + "\" (it has: " + ids + ")\n");
    return 2;
  }
  return any_failed ? 1 : 0;
}

struct ReplayArgs {
  std::string path;
  bool json = false, relative = false, have_conn = false;
  std::size_t conn = 0;
  ReplayOptions options;
};

// Parses the replay command line; an error message, empty when fine.
std::string parse_replay_args(const std::vector<std::string>& args, ReplayArgs& out) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      out.json = true;
    } else if (a == "--relative") {
      out.relative = true;
    } else if (a == "--capture-point") {
      if (i + 1 >= args.size()) return "--capture-point needs a, b, middle or unknown";
      const std::string& v = args[++i];
      if (!parse_capture_point(v, out.options.capture_point))
        return "--capture-point needs a, b, middle or unknown, got \"" + v + "\"";
    } else if (a == "--connection") {
      if (i + 1 >= args.size()) return "--connection needs a number";
      const std::string& v = args[++i];
      if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
        return "--connection needs a number from the list, got \"" + v + "\"";
      out.conn = static_cast<std::size_t>(std::stoul(v));
      out.have_conn = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return "unknown option for replay: " + a;
    } else if (out.path.empty()) {
      out.path = a;
    } else {
      return "replay takes one capture file";
    }
  }
  if (out.path.empty()) return "replay needs a .pcap or .pcapng file";
  return "";
}

// One verdict line per segment, with the receiver's rule.
// `shown` is `row` as printed (relative or not), `t` the trace as printed.
std::string replay_row_text(const Trace& t, const ReplayRow& shown, const ReplayRow& row) {
  HostNames names;
  names.name[0][0] = names.name[0][1] = "A";
  names.name[1][0] = names.name[1][1] = "B";
  std::string line = "#" + std::to_string(row.index) + " pkt " + std::to_string(row.packet) + " " +
                     (row.from == HOST_A ? "A->B " : "B->A ") + segment_label(shown.seg);
  if (!row.options.empty()) line += " [" + row.options + "]";
  line += "  => A " + std::string(state_name(row.state[0])) + ", B " + state_name(row.state[1]) + "  " +
          verdict_name(row.verdict) + " (" + reason_key(row.reason) + ")\n";
  if (row.delivered_after != row.index)
    line += "    in flight until after #" + std::to_string(row.delivered_after) + " (" + hold_rule_key(row.held) + ")\n";
  if (row.verdict == Verdict::Unexpected)
    line += "    the sender's engine would not send it: " + std::string(reason_text(row.reason, Lang::En)) + "\n";
  for (std::size_t k = row.trace_begin; k < row.trace_end && k < t.size(); ++k) {
    const Event& e = t[k];
    if (e.kind == EventKind::Accepted || e.kind == EventKind::Rejected)
      line += "    " + describe_event(e, Lang::En, names) + "\n";
  }
  return line;
}

// Replays connection `n` and prints it; false when a segment is not ok.
bool replay_one(const PcapParseResult& cap, std::size_t n, const ReplayArgs& a, bool sections) {
  std::FILE* info = a.json ? stderr : stdout;
  const ReplayResult r = replay_connection(cap, n, static_cast<std::size_t>(-1), a.options);
  if (sections) put(info, std::string(n > 0 ? "\n" : "") + "== connection " + std::to_string(n) + ": " +
                              cap.connections[n].summary() + "\n");
  if (!r.ok) {
    put(stderr, a.path + ": " + r.error + "\n");
    return false;
  }
  const SeqBases bases = sequence_bases(r);
  put(info, "A = " + r.endpoint[HOST_A] + ", B = " + r.endpoint[HOST_B] + "\n");
  if (r.late_start) put(info, "note: " + r.late_start_note + "\n");
  for (const ReplayResult::Note& note : r.notes) put(info, "note: " + note.en + "\n");
  if (a.relative)
    put(info, "note: sequence numbers relative to each side's ISN (A " + std::to_string(bases.base[HOST_A]) + ", B " +
                  std::to_string(bases.base[HOST_B]) + ")\n");
  if (a.json) {
    for (const ReplayRow& row : r.rows)
      put(stdout, replay_row_json(a.relative ? relative_row(row, bases) : row, n) + "\n");
  } else {
    const Trace t = a.relative ? relative_trace(r.sim.trace(), bases) : r.sim.trace();
    put(stdout, "\n" + render_ladder(t) + "\n");
    for (const ReplayRow& row : r.rows) put(stdout, replay_row_text(t, a.relative ? relative_row(row, bases) : row, row));
  }
  put(info, std::to_string(r.rows.size()) + " segments: " + std::to_string(r.count(Verdict::Ok)) + " ok, " +
                std::to_string(r.count(Verdict::Unexpected)) + " unexpected, " +
                std::to_string(r.count(Verdict::Rejected)) + " rejected\n");
  return r.count(Verdict::Ok) == r.rows.size();
}

int command_replay(const std::vector<std::string>& args) {
  ReplayArgs a;
  const std::string problem = parse_replay_args(args, a);
  if (!problem.empty()) return usage_error(problem);
  std::string bytes;
  const std::string why = read_file(a.path, bytes, CAPTURE_MAX_BYTES);
  if (!why.empty()) {
    put(stderr, a.path + ": " + why + "\n");
    return 2;
  }
  const PcapParseResult cap = parse_capture(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (!cap.ok) {
    put(stderr, a.path + ": " + cap.error + "\n");
    return 2;
  }
  for (const std::string& p : cap.problems) put(stderr, a.path + ": " + p + "\n");
  std::FILE* info = a.json ? stderr : stdout;
  put(info, a.path + ": " + cap.summary() + "\n");
  if (cap.connections.empty()) {
    put(stderr, a.path + ": no TCP connection in the capture\n");
    return 2;
  }
  if (cap.connections.size() > 1)
    for (std::size_t i = 0; i < cap.connections.size(); ++i)
      put(info, "  [" + std::to_string(i) + "] " + cap.connections[i].summary() + "\n");
  if (a.have_conn && a.conn >= cap.connections.size()) {
    put(stderr, a.path + ": no connection " + std::to_string(a.conn) + " (the capture has " +
                    std::to_string(cap.connections.size()) + ")\n");
    return 2;
  }
  // Every connection, one section each, unless one is picked.
  bool all_ok = cap.problems.empty();
  const bool sections = cap.connections.size() > 1 && !a.have_conn;
  for (std::size_t n = 0; n < cap.connections.size(); ++n) {
    if (a.have_conn && n != a.conn) continue;
    all_ok = replay_one(cap, n, a, sections) && all_ok;
  }
  std::fflush(stdout);
  return all_ok ? 0 : 1;
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
  if (command == "replay") return command_replay(args);
  if (command == "sockets") return tcplab_cli::command_sockets(args);
  return usage_error("unknown command: " + command);
}
