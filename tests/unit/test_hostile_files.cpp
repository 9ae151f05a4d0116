// Hostile files (issue 18): control characters for the terminal (D14), a
// flood of unknown keys (D5), unknown fields inside scenarios (D16).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lesson.h"
#include "scenario.h"
#include "terminal.h"

using namespace tcplab;

TEST_CASE("terminal: control characters from a file are escaped") {
  CHECK(terminal_text("HS-01") == "HS-01");
  CHECK(terminal_text("x\r\nPASS y") == "x\\u000d\\u000aPASS y");
  CHECK(terminal_text(std::string("a\0b", 3)) == "a\\u0000b");
  CHECK(terminal_text("\x1b[2J\x7f") == "\\u001b[2J\\u007f");
  CHECK(terminal_text("\xc2\x9b" "31m") == "\\u009b31m");  // C1 CSI
  CHECK(terminal_text("三报文握手 é") == "三报文握手 é");   // other UTF-8 stays
  CHECK(terminal_text("a\n\tb", true) == "a\n\tb");
  CHECK(terminal_text("a\n\tb\r", false) == "a\\u000a\\u0009b\\u000d");
}

TEST_CASE("scenario report: an id cannot forge a PASS line") {
  const ScenarioFile f = load_scenarios(
      R"({"id": "x\r\nPASS forged", "title": "t", "setup": {}, "steps": [{"app": "B", "call": "open_passive"}]})",
      "t.json");
  REQUIRE(f.ok());
  const ScenarioRun run = run_scenario(f.scenarios[0]);
  const std::string report = run_report(f.scenarios[0], run);
  CHECK(report == "PASS x\\u000d\\u000aPASS forged");
  CHECK(scenario_ladder(f.scenarios[0], run).find("\nPASS forged") == std::string::npos);
}

TEST_CASE("lesson loader: many unknown top-level keys give a few lines and a count") {
  std::string text = R"({"id": "x", "version": 1, "title": {"en": "t", "zh": "t"}, "summary": {"en": "s", "zh": "s"}, "steps": [])";
  for (int i = 0; i < 1000; ++i) text += ", \"k" + std::to_string(i) + "\": 0";
  text += "}";
  std::vector<LessonError> errors;
  CHECK_FALSE(load_lesson(text, "x.json", errors));
  std::size_t unknown = 0;
  bool counted = false;
  for (const LessonError& e : errors) {
    unknown += e.message.rfind("unknown field", 0) == 0 ? 1 : 0;
    counted = counted || e.message == "and 995 more unknown top-level fields";
  }
  CHECK(unknown == 5);
  CHECK(counted);
  CHECK(errors.size() < 20);
}

namespace {
std::string scenario_error(const std::string& step) {
  const ScenarioFile f = load_scenarios(
      R"({"id": "T", "title": "t", "setup": {"A": {"iss": [1]}}, "steps": [)" + step + "]}", "t.json");
  return f.errors.empty() ? "" : f.errors[0];
}
}  // namespace

TEST_CASE("scenario loader: an unknown field inside a scenario is an error") {
  CHECK(scenario_error(R"({"app": "A", "call": "open_active", "expectt": {"A": "SYN-SENT"}})") ==
        "t.json: scenario \"T\": steps[0].expectt: unknown field, expected one of \"call\", \"bytes\", \"app\", \"expect\"");
  CHECK(scenario_error(R"({"app": "A", "call": "open_active", "expect": {"A": "SYN-SENT", "C": "LISTEN"}})") ==
        "t.json: scenario \"T\": steps[0].expect.C: unknown field, expected one of \"A\", \"B\", \"emitted\", "
        "\"emitted_alternatives\"");
  CHECK(scenario_error(R"({"app": "A", "call": "open_active", "expect": {"emitted": [{"from": "A", "flags": ["SYN"], "sq": 1}]}})")
            .find("steps[0].expect.emitted[0].sq: unknown field") != std::string::npos);
  CHECK(scenario_error(R"({"inject": "A", "segment": {"flags": ["RST"], "seq": 1, "wnd": 5}})")
            .find("steps[0].segment.wnd: unknown field") != std::string::npos);
  CHECK(scenario_error(R"({"app": "A", "call": "open_active", "_note": "a comment"})").empty());
}

TEST_CASE("scenario loader: unknown top-level fields are warnings, other suites' metadata is not") {
  const ScenarioFile f = load_scenarios(
      R"({"id": "T", "title": "t", "level": 1, "cross_check": true, "_c": 0, "profil": "rfc793",
          "setup": {}, "steps": [{"app": "A", "call": "open_active"}]})",
      "t.json");
  CHECK(f.ok());
  REQUIRE(f.warnings.size() == 1);
  CHECK(f.warnings[0] == "t.json: scenario \"T\": warning: unknown top-level field \"profil\" ignored "
                         "(metadata of another suite, or a misspelling?)");
}
