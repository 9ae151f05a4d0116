// Scenario files (shared/SCENARIO-FORMAT.md): loading with validation,
// running through a Simulation configured as the format says, comparing
// each step with its `expect`, and the texts the runner prints.
//
// [SECTION] The scenario as data
// [SECTION] Loading: load_scenarios() validates everything and names the
//           file, the scenario (id, or index without one), the step and the
//           field in each message.
// [SECTION] Running: run_scenario() stops at the first failing step.
// [SECTION] Texts: failure reports, --json lines, the ladder of a run.
//
// The engine does no I/O: callers read files and pass their text.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json.h"
#include "ladder.h"
#include "simulation.h"

namespace tcplab {

// [SECTION] The scenario as data

enum class Profile : std::uint8_t { Any, Rfc5961, Rfc793 };
const char* profile_name(Profile p);  // "any", "rfc5961", "rfc793"

// One segment of an expected `emitted` list.
struct SegmentExpect {
  int from = HOST_A;
  std::uint8_t flags = 0;           // must be set (PSH is never compared)
  std::uint8_t optional_flags = 0;  // may be set or not
  std::optional<Seq> seq;           // nullopt: unchecked (null or absent)
  // nullopt: unchecked (null; or absent while ACK is only optional). When
  // `ack` is absent and ACK is not optional, ACK is not in `flags` either,
  // so the flag comparison requires the ACK bit to be off.
  std::optional<Seq> ack;
  std::uint32_t len = 0;
};

struct Expect {
  std::optional<State> state[2];  // nullopt: not given, unchecked
  bool has_emitted = false;       // false: `emitted` not given, unchecked
  // [0] is `emitted`; the rest are `emitted_alternatives`.
  std::vector<std::vector<SegmentExpect>> emitted;
};

enum class StepKind : std::uint8_t { Call, Deliver, Drop, Inject, Timer, Advance };

struct Step {
  StepKind kind = StepKind::Call;
  int host = HOST_A;         // Call (app), Inject, Timer
  int dir = 0;               // Deliver, Drop: 0 = A->B, 1 = B->A
  Call call = Call::OpenPassive;
  std::uint32_t bytes = 0;   // Call::Send
  bool all = false;          // Deliver: "which": "all"
  Segment segment;           // Inject; wnd is the setup's rcv_wnd
  TimerKind timer = TimerKind::Retransmit;
  Duration advance_ms = 0;   // Advance
  bool has_expect = false;
  Expect expect;
};

struct Scenario {
  std::string id;
  std::string title;
  std::string source;
  std::string notes;
  std::size_t index = 0;  // position in its file
  Profile profile = Profile::Any;
  bool requires_clock = false;
  std::string role[2];
  std::vector<Seq> iss[2];
  std::uint32_t rcv_wnd = 4096;
  Duration msl_ms = 120000;
  std::vector<Step> steps;
};

// [SECTION] Loading

struct ScenarioFile {
  std::vector<Scenario> scenarios;
  // One line per problem, e.g. `tests/x.json: scenario "HS-01":
  // steps[3].deliver: expected "A->B" or "B->A", got "A-B"`, or
  // `tests/x.json:4:17: expected ',' or '}' after an object member, got ']'`.
  std::vector<std::string> errors;
  // Lines that do not stop the run: unknown top-level fields (the format
  // lets other suites add metadata there; inside a scenario they are errors).
  std::vector<std::string> warnings;
  bool ok() const { return errors.empty(); }
};

// Parses and validates a whole file's text (one scenario object or an array
// of them). `file_name` is used in messages only. A file with any error
// yields no scenarios; every scenario's first error is reported.
ScenarioFile load_scenarios(std::string_view text, const std::string& file_name);

// Validates one scenario object; on failure `error` is "<path>: <message>"
// relative to the scenario ("steps[3].deliver: ...").
bool load_scenario(const JsonValue& v, Scenario& out, std::string& error);

// "scenario \"HS-01\"", or "scenario [2]" for one without an id.
std::string scenario_name(const Scenario& s);

// [SECTION] Running

// The engine settings under which expectations are exact (the format's
// "How the runner configures the engine").
SimConfig scenario_sim_config(const Scenario& s);

struct EmittedSegment {
  int from = HOST_A;
  Segment seg;
};

struct StepOutcome {
  std::size_t index = 0;
  State state[2] = {State::Closed, State::Closed};
  std::vector<EmittedSegment> emitted;
  std::size_t trace_begin = 0;  // the trace events this step wrote
  std::size_t trace_end = 0;
  bool performed = true;  // false: no segment in flight to deliver or drop
  std::string problem;    // why it could not be performed
  bool checked = false;   // it has an `expect`
  bool passed = true;
  std::string differs;    // "B state, emitted segments"
};

struct ScenarioRun {
  bool passed = true;
  std::size_t failed_step = 0;  // when !passed
  std::string failure;          // the report lines after "FAIL <id> step <k>"
  std::vector<StepOutcome> steps;
  Simulation sim;               // the simulation after the run, trace included
};

// Runs every step, comparing each with its `expect`; with stop_at_failure
// the run ends at the first failing step (the runner), without it every
// step runs (the ladder).
ScenarioRun run_scenario(const Scenario& s, bool stop_at_failure = true);

// Matching rules of the format: flags as a set (PSH ignored, optional
// flags allowed), seq/ack unless unchecked, len.
bool segment_matches(const SegmentExpect& want, const EmittedSegment& got);
bool emitted_matches(const std::vector<SegmentExpect>& want, const std::vector<EmittedSegment>& got);

// [SECTION] Texts

std::string step_text(const Step& s);                 // "deliver B->A next", "A send 100"
std::string segment_expect_text(const SegmentExpect& e);  // "A SYN,ACK seq=5000 ack=1001"
std::string emitted_text(const std::vector<EmittedSegment>& v);  // "[A ACK seq=1001 ack=5001]"
// "A ESTABLISHED, B SYN-RECEIVED, emitted [A ACK seq=1001 ack=5001]".
std::string expect_text(const Expect& e);
std::string outcome_text(const StepOutcome& o);

// The runner's report for a scenario: "PASS HS-01", or "FAIL HS-01 step 3
// (deliver B->A next): B state differs" and indented expected/actual lines.
std::string run_report(const Scenario& s, const ScenarioRun& run);

// One --json line for an executed step, keys in the format's order:
// {"scenario": "HS-01", "step": 3, "A": "ESTABLISHED", "B": "SYN-RECEIVED",
//  "emitted": [{"from": "A", "flags": ["ACK"], "seq": 1001, "ack": 5001, "len": 0}]}
std::string step_json(const std::string& scenario_id, const StepOutcome& o);

// The ladder of a run with a mark before each step ("step 3: deliver B->A
// next", with "FAIL: ..." on a failing step).
std::string scenario_ladder(const Scenario& s, const ScenarioRun& run);

}  // namespace tcplab
