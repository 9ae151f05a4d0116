// Scenario files (shared/SCENARIO-FORMAT.md): loading and validation with
// messages that name the file, the scenario, the step and the field; the
// runner's engine settings, matching rules and reports; the ladder.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ladder.h"
#include "rng.h"
#include "scenario.h"

namespace {

using namespace tcplab;

// The example of the format, verbatim.
const std::string EXAMPLE = R"({"id": "HS-01", "title": "Three-way handshake",
 "setup": {"A": {"role": "client", "iss": [1000]}, "B": {"role": "server", "iss": [5000]}},
 "steps": [
  {"app": "B", "call": "open_passive", "expect": {"A": "CLOSED", "B": "LISTEN", "emitted": []}},
  {"app": "A", "call": "open_active", "expect": {"A": "SYN-SENT", "B": "LISTEN",
    "emitted": [{"from": "A", "flags": ["SYN"], "seq": 1000}]}},
  {"deliver": "A->B", "which": "next", "expect": {"A": "SYN-SENT", "B": "SYN-RECEIVED",
    "emitted": [{"from": "B", "flags": ["SYN", "ACK"], "seq": 5000, "ack": 1001}]}},
  {"deliver": "B->A", "which": "next", "expect": {"A": "ESTABLISHED", "B": "SYN-RECEIVED",
    "emitted": [{"from": "A", "flags": ["ACK"], "seq": 1001, "ack": 5001}]}},
  {"deliver": "A->B", "which": "next", "expect": {"A": "ESTABLISHED", "B": "ESTABLISHED",
    "emitted": []}}
 ]})";

// The example with its steps replaced (a JSON array text without brackets).
std::string with_steps(const std::string& steps, const std::string& extra = "") {
  return R"({"id": "T-1", "title": "t",)" + extra +
         R"( "setup": {"A": {"iss": [1000]}, "B": {"iss": [5000]}}, "steps": [)" + steps + "]}";
}

const std::string HANDSHAKE_STEPS =
    R"({"app": "B", "call": "open_passive"}, {"app": "A", "call": "open_active"},
       {"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"},
       {"deliver": "A->B", "which": "next"})";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

Scenario load_one(const std::string& text) {
  ScenarioFile f = load_scenarios(text, "t.json");
  INFO((f.errors.empty() ? std::string() : f.errors[0]));
  REQUIRE(f.ok());
  REQUIRE(f.scenarios.size() == 1);
  return f.scenarios[0];
}

std::string load_error(const std::string& text) {
  ScenarioFile f = load_scenarios(text, "t.json");
  REQUIRE_FALSE(f.ok());
  CHECK(f.scenarios.empty());
  return f.errors[0];
}

EmittedSegment emitted(int from, std::uint8_t flags, Seq seq, Seq ack, std::uint32_t len = 0) {
  EmittedSegment e;
  e.from = from;
  e.seg.flags = flags;
  e.seg.seq = seq;
  e.seg.ack = ack;
  e.seg.len = len;
  return e;
}

}  // namespace

TEST_CASE("loader: the format's example loads into structs") {
  Scenario s = load_one(EXAMPLE);
  CHECK(s.id == "HS-01");
  CHECK(s.title == "Three-way handshake");
  CHECK(s.profile == Profile::Any);
  CHECK_FALSE(s.requires_clock);
  CHECK(s.role[HOST_A] == "client");
  CHECK(s.iss[HOST_A] == std::vector<Seq>{1000});
  CHECK(s.iss[HOST_B] == std::vector<Seq>{5000});
  CHECK(s.rcv_wnd == 4096);
  CHECK(s.msl_ms == 120000);
  REQUIRE(s.steps.size() == 5);
  CHECK(s.steps[0].kind == StepKind::Call);
  CHECK(s.steps[0].host == HOST_B);
  CHECK(s.steps[0].call == Call::OpenPassive);
  CHECK(s.steps[2].kind == StepKind::Deliver);
  CHECK(s.steps[2].dir == 0);
  CHECK_FALSE(s.steps[2].all);
  const Expect& x = s.steps[2].expect;
  CHECK(*x.state[HOST_B] == State::SynReceived);
  REQUIRE(x.emitted.size() == 1);
  REQUIRE(x.emitted[0].size() == 1);
  CHECK(x.emitted[0][0].from == HOST_B);
  CHECK(x.emitted[0][0].flags == (FLAG_SYN | FLAG_ACK));
  CHECK(*x.emitted[0][0].seq == 5000);
  CHECK(*x.emitted[0][0].ack == 1001);
  CHECK(x.emitted[0][0].len == 0);
  CHECK_FALSE(s.steps[1].expect.emitted[0][0].ack.has_value());
}

TEST_CASE("loader: every step kind, options and setup fields") {
  std::string text = with_steps(
      R"({"app": "A", "call": "send", "bytes": 100},
         {"app": "A", "call": "close"}, {"app": "B", "call": "abort"},
         {"deliver": "B->A", "which": "all"}, {"drop": "A->B"},
         {"inject": "B", "segment": {"flags": ["RST", "ACK"], "seq": 900, "ack": 5001, "len": 3}},
         {"inject": "A", "segment": {"flags": [], "seq": 7}},
         {"timer": "A", "kind": "retransmit"}, {"timer": "B", "kind": "time_wait"},
         {"advance_ms": 240000, "_comment": "keys starting with _ are comments"})",
      R"( "profile": "rfc793", "requires": ["clock"], "source": "RFC 9293", "notes": "n", "level": 3,)");
  text = replaced(text, R"("B": {"iss": [5000]}})", R"("B": {"iss": [5000, 6000]}, "rcv_wnd": 1000, "msl_ms": 500})");
  Scenario s = load_one(text);
  CHECK(s.profile == Profile::Rfc793);
  CHECK(s.requires_clock);
  CHECK(s.iss[HOST_B] == std::vector<Seq>{5000, 6000});
  CHECK(s.rcv_wnd == 1000);
  CHECK(s.msl_ms == 500);
  REQUIRE(s.steps.size() == 10);
  CHECK(s.steps[0].call == Call::Send);
  CHECK(s.steps[0].bytes == 100);
  CHECK(s.steps[1].call == Call::Close);
  CHECK(s.steps[2].call == Call::Abort);
  CHECK(s.steps[3].all);
  CHECK(s.steps[3].dir == 1);
  CHECK(s.steps[4].kind == StepKind::Drop);
  CHECK(s.steps[5].segment.flags == (FLAG_RST | FLAG_ACK));
  CHECK(s.steps[5].segment.ack == 5001);
  CHECK(s.steps[5].segment.len == 3);
  CHECK(s.steps[5].segment.wnd == 1000);  // the setup's rcv_wnd
  CHECK(s.steps[6].segment.flags == 0);
  CHECK(s.steps[7].timer == TimerKind::Retransmit);
  CHECK(s.steps[8].timer == TimerKind::TimeWait);
  CHECK(s.steps[9].advance_ms == 240000);
  CHECK_FALSE(s.steps[9].has_expect);
}

TEST_CASE("loader: one object or an array of them") {
  std::string two = "[" + EXAMPLE + ", " + replaced(EXAMPLE, "\"HS-01\"", "\"HS-02\"") + "]";
  ScenarioFile f = load_scenarios(two, "two.json");
  REQUIRE(f.ok());
  REQUIRE(f.scenarios.size() == 2);
  CHECK(f.scenarios[1].id == "HS-02");
  CHECK(f.scenarios[1].index == 1);
}

TEST_CASE("loader: state names in any spelling the parser knows, but not misspellings") {
  for (const char* name : {"SYN-RECEIVED", "SYN_RCVD", "SYN-RECV", "syn received", "SynReceived"}) {
    // The first "SYN-RECEIVED" is the expectation of step 2.
    Scenario s = load_one(replaced(EXAMPLE, "\"B\": \"SYN-RECEIVED\"", std::string("\"B\": \"") + name + "\""));
    CHECK(*s.steps[2].expect.state[HOST_B] == State::SynReceived);
  }
  CHECK(load_error(replaced(EXAMPLE, "\"A\": \"SYN-SENT\", \"B\": \"LISTEN\"", "\"A\": \"SYN_SEND\", \"B\": \"LISTEN\"")) ==
        "t.json: scenario \"HS-01\": steps[1].expect.A: \"SYN_SEND\" is a misspelling of \"SYN-SENT\"");
}

TEST_CASE("loader: errors name the file, the scenario, the step and the field") {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {replaced(EXAMPLE, "\"deliver\": \"B->A\"", "\"deliver\": \"A-B\""),
       "t.json: scenario \"HS-01\": steps[3].deliver: expected \"A->B\" or \"B->A\", got \"A-B\""},
      {replaced(EXAMPLE, "{\"app\": \"A\", \"call\": \"open_active\",", "{\"app\": \"A\","),
       "t.json: scenario \"HS-01\": steps[1].call: missing required field"},
      {replaced(EXAMPLE, "\"call\": \"open_active\"", "\"call\": \"connect\""),
       "steps[1].call: expected one of \"open_active\", \"open_passive\", \"send\", \"close\", \"abort\", got \"connect\""},
      {replaced(EXAMPLE, "{\"app\": \"B\", \"call\": \"open_passive\",", "{\"wait\": 5,"),
       "steps[0]: unknown step kind: expected one of the fields \"app\", \"deliver\", \"drop\", \"inject\", \"timer\", \"advance_ms\", got fields \"wait\", \"expect\""},
      {replaced(EXAMPLE, "\"app\": \"B\"", "\"app\": \"C\""), "steps[0].app: expected \"A\" or \"B\", got \"C\""},
      {replaced(EXAMPLE, "\"app\": \"B\"", "\"app\": 1"), "steps[0].app: expected \"A\" or \"B\", got 1"},
      {replaced(EXAMPLE, "\"flags\": [\"SYN\", \"ACK\"]", "\"flags\": [\"SYN\", \"ACK\", \"URG\"]"),
       "steps[2].expect.emitted[0].flags[2]: expected one of \"SYN\", \"ACK\", \"FIN\", \"RST\", \"PSH\", got \"URG\""},
      {replaced(EXAMPLE, "\"flags\": [\"SYN\", \"ACK\"]", "\"flags\": \"SYN,ACK\""),
       "steps[2].expect.emitted[0].flags: expected an array of flag names"},
      {replaced(EXAMPLE, "\"flags\": [\"SYN\"], \"seq\": 1000", "\"flags\": [\"SYN\"], \"seq\": 1000, \"ack\": 1"),
       "steps[1].expect.emitted[0].ack: present, but \"ACK\" is not in flags"},
      {replaced(EXAMPLE, "\"seq\": 1001, \"ack\": 5001", "\"seq\": 1001"),
       "steps[3].expect.emitted[0].ack: missing, but \"ACK\" is in flags"},
      {replaced(EXAMPLE, "\"seq\": 1000", "\"seq\": -1"),
       "steps[1].expect.emitted[0].seq: expected an integer from 0 to 4294967295, got -1"},
      {replaced(EXAMPLE, "\"seq\": 1000", "\"seq\": \"1000\""),
       "steps[1].expect.emitted[0].seq: expected an integer from 0 to 4294967295, got \"1000\""},
      {replaced(EXAMPLE, "\"B\": \"LISTEN\", \"emitted\": []", "\"B\": \"LISTENING\", \"emitted\": []"),
       "steps[0].expect.B: unknown state \"LISTENING\""},
      {replaced(EXAMPLE, "\"iss\": [1000]", "\"iss\": 1000"),
       "t.json: scenario \"HS-01\": setup.A.iss: expected an array of integers from 0 to 4294967295, got 1000"},
      {replaced(EXAMPLE, "\"iss\": [5000]", "\"iss\": [5000, 4294967296]"),
       "setup.B.iss[1]: expected an integer from 0 to 4294967295, got 4294967296"},
      {replaced(EXAMPLE, "\"title\"", "\"profile\": \"bsd\", \"title\""),
       "profile: expected one of \"any\", \"rfc5961\", \"rfc793\", got \"bsd\""},
      {replaced(EXAMPLE, "\"id\": \"HS-01\", ", ""), "t.json: scenario [0]: id: missing required field"},
      {replaced(EXAMPLE, "\"title\": \"Three-way handshake\",", ""), "scenario \"HS-01\": title: missing required field"},
      {replaced(EXAMPLE, "\"which\": \"next\", \"expect\": {\"A\": \"SYN-SENT\"", "\"expect\": {\"A\": \"SYN-SENT\""),
       "steps[2].which: missing required field"},
      {replaced(EXAMPLE, "\"which\": \"next\", \"expect\": {\"A\": \"SYN-SENT\"", "\"which\": \"first\", \"expect\": {\"A\": \"SYN-SENT\""),
       "steps[2].which: expected \"next\" or \"all\", got \"first\""},
      {with_steps(R"({"advance_ms": 10})"), "steps[0].advance_ms: advance_ms needs \"requires\": [\"clock\"]"},
      {with_steps(R"({"advance_ms": -1})", R"( "requires": ["clock"],)"),
       "steps[0].advance_ms: expected an integer from 0 to"},
      {with_steps(R"({"advance_ms": 10})", R"( "requires": ["clock", "sack"],)"),
       "requires[1]: unknown requirement \"sack\""},
      {with_steps(R"({"app": "A", "call": "send"})"),
       "steps[0].bytes: missing required field (a send call needs the number of octets)"},
      {with_steps(R"({"app": "A", "call": "send", "bytes": 0})"),
       "steps[0].bytes: expected an integer from 1 to 1073741824, got 0"},
      {with_steps(R"({"app": "A", "call": "close", "bytes": 3})"), "steps[0].bytes: only a \"send\" call takes bytes"},
      {with_steps(R"({"drop": "A->B", "which": "all"})"), "steps[0].which: not a field of a \"drop\" step"},
      {with_steps(R"({"app": "A", "call": "close", "deliver": "A->B"})"),
       "steps[0]: a step is exactly one of app, deliver, drop, inject, timer, advance_ms; this one has both \"app\" and \"deliver\""},
      {with_steps(R"({"inject": "B", "segment": {"flags": ["SYN"], "seq": 1, "ack": 2}})"),
       "steps[0].segment.ack: present, but \"ACK\" is not in flags"},
      {with_steps(R"({"inject": "B", "segment": {"flags": ["ACK"], "seq": 1}})"),
       "steps[0].segment.ack: missing, but \"ACK\" is in flags"},
      {with_steps(R"({"inject": "B", "segment": {"flags": ["ACK"], "ack": 1}})"), "steps[0].segment.seq: missing required field"},
      {with_steps(R"({"inject": "B"})"), "steps[0].segment: missing required field"},
      {with_steps(R"({"timer": "A", "kind": "keepalive"})"),
       "steps[0].kind: expected \"retransmit\" or \"time_wait\", got \"keepalive\""},
      {with_steps(R"({"timer": "A", "kind": "retransmit", "expect": {}})"),
       "steps[0].expect: expected at least one of \"A\", \"B\", \"emitted\""},
      {with_steps(R"({"timer": "A", "kind": "retransmit", "expect": {"emitted_alternatives": [[]]}})"),
       "steps[0].expect.emitted_alternatives: needs \"emitted\" beside it"},
      {with_steps(R"({"timer": "A", "kind": "retransmit", "expect": {"emitted": [{"from": "A", "flags": ["ACK"], "optional_flags": ["ACK"], "ack": null}]}})"),
       "steps[0].expect.emitted[0].optional_flags: a flag cannot be both required (flags) and optional"},
      {with_steps(R"({"timer": "A", "kind": "retransmit", "expect": {"emitted": [{"flags": []}]}})"),
       "steps[0].expect.emitted[0].from: missing required field"},
      {with_steps(""), "steps: a scenario needs at least one step"},
      {with_steps("5"), "steps[0]: expected an object, got 5"},
      {"[" + EXAMPLE + ", " + EXAMPLE + "]", "t.json: scenario \"HS-01\" [1]: id: duplicate id, scenario [0] has it too"},
      {"[]", "t.json: an empty array: expected at least one scenario"},
      {"\"HS-01\"", "t.json: expected a scenario object or an array of them, got \"HS-01\""},
      {"[" + EXAMPLE + ", 7]", "t.json: scenario [1]: expected a scenario object, got 7"},
      {"", "t.json:1:1: expected a value, got end of input"},
      {"{\"id\": \"x\",\n \"title\" \"y\"}", "t.json:2:10: expected ':' after the object key, got '\"'"},
  };
  for (const Case& c : cases) {
    std::string e = load_error(c.text);
    INFO("error: ", e);
    INFO("wanted: ", c.error);
    CHECK(e.find(c.error) != std::string::npos);
  }
}

TEST_CASE("loader: every scenario's first error is reported, and none loads") {
  std::string bad1 = replaced(EXAMPLE, "\"app\": \"B\"", "\"app\": \"X\"");
  std::string bad2 = replaced(replaced(EXAMPLE, "\"HS-01\"", "\"HS-03\""), "\"which\": \"next\"", "\"which\": 1");
  std::string good = replaced(EXAMPLE, "\"HS-01\"", "\"HS-02\"");
  ScenarioFile f = load_scenarios("[" + bad1 + ", " + good + ", " + bad2 + "]", "many.json");
  REQUIRE(f.errors.size() == 2);
  CHECK(f.errors[0] == "many.json: scenario \"HS-01\": steps[0].app: expected \"A\" or \"B\", got \"X\"");
  CHECK(f.errors[1] == "many.json: scenario \"HS-03\": steps[2].which: expected \"next\" or \"all\", got 1");
  CHECK(f.scenarios.empty());
}

TEST_CASE("runner: the engine settings the format prescribes") {
  Scenario s = load_one(EXAMPLE);
  s.msl_ms = 500;
  s.rcv_wnd = 1000;
  SimConfig c = scenario_sim_config(s);
  CHECK_FALSE(c.net.auto_deliver);
  CHECK(c.net.loss_ppm == 0);
  for (int h = 0; h < 2; ++h) {
    CHECK_FALSE(c.endpoint[h].delayed_ack);
    CHECK_FALSE(c.endpoint[h].close_on_fin);
    CHECK(c.endpoint[h].max_retransmits < 0);
    CHECK(c.endpoint[h].msl_ms == 500);
    CHECK(c.endpoint[h].rcv_wnd == 1000);
    CHECK(c.endpoint[h].rfc5961 == EndpointConfig{}.rfc5961);
  }
  CHECK(c.iss[HOST_A] == std::vector<Seq>{1000});
  s.profile = Profile::Rfc793;
  CHECK_FALSE(scenario_sim_config(s).endpoint[HOST_B].rfc5961);
  s.profile = Profile::Rfc5961;
  CHECK(scenario_sim_config(s).endpoint[HOST_A].rfc5961);
}

TEST_CASE("runner: the format's example passes and prints one JSON line per step") {
  Scenario s = load_one(EXAMPLE);
  ScenarioRun run = run_scenario(s);
  INFO(run.failure);
  CHECK(run.passed);
  CHECK(run_report(s, run) == "PASS HS-01");
  REQUIRE(run.steps.size() == 5);
  CHECK(step_json(s.id, run.steps[0]) ==
        R"({"scenario": "HS-01", "step": 0, "A": "CLOSED", "B": "LISTEN", "emitted": []})");
  CHECK(step_json(s.id, run.steps[1]) ==
        R"({"scenario": "HS-01", "step": 1, "A": "SYN-SENT", "B": "LISTEN", "emitted": [{"from": "A", "flags": ["SYN"], "seq": 1000, "len": 0}]})");
  CHECK(step_json(s.id, run.steps[2]) ==
        R"({"scenario": "HS-01", "step": 2, "A": "SYN-SENT", "B": "SYN-RECEIVED", "emitted": [{"from": "B", "flags": ["SYN", "ACK"], "seq": 5000, "ack": 1001, "len": 0}]})");
  CHECK(step_json(s.id, run.steps[3]) ==
        R"({"scenario": "HS-01", "step": 3, "A": "ESTABLISHED", "B": "SYN-RECEIVED", "emitted": [{"from": "A", "flags": ["ACK"], "seq": 1001, "ack": 5001, "len": 0}]})");
}

TEST_CASE("runner: a mismatch fails at its step with expected and actual") {
  Scenario s = load_one(replaced(EXAMPLE, "\"seq\": 1001, \"ack\": 5001", "\"seq\": 1002, \"ack\": 5001"));
  ScenarioRun run = run_scenario(s);
  CHECK_FALSE(run.passed);
  CHECK(run.failed_step == 3);
  CHECK(run.steps.size() == 4);  // the runner stops at the failing step
  CHECK(run_report(s, run) ==
        "FAIL HS-01 step 3 (deliver B->A next): emitted segments differ\n"
        "    expected: A ESTABLISHED, B SYN-RECEIVED, emitted [A ACK seq=1002 ack=5001]\n"
        "    actual:   A ESTABLISHED, B SYN-RECEIVED, emitted [A ACK seq=1001 ack=5001]");
  Scenario t = load_one(replaced(EXAMPLE, "\"B\": \"LISTEN\", \"emitted\": []", "\"B\": \"CLOSED\", \"emitted\": []"));
  ScenarioRun r2 = run_scenario(t);
  CHECK(r2.failed_step == 0);
  CHECK(run_report(t, r2).rfind("FAIL HS-01 step 0 (B open_passive()): B state differs\n", 0) == 0);
  // Without stopping, every step runs (the ladder shows the whole story).
  CHECK(run_scenario(s, false).steps.size() == 5);
}

TEST_CASE("runner: deliver or drop with nothing in flight fails the step, not the program") {
  Scenario s = load_one(with_steps(R"({"app": "B", "call": "open_passive"}, {"deliver": "A->B", "which": "next"})"));
  ScenarioRun run = run_scenario(s);
  CHECK_FALSE(run.passed);
  CHECK(run.failed_step == 1);
  CHECK(run_report(s, run).find("FAIL T-1 step 1 (deliver A->B next): no segment in flight A->B to deliver") == 0);
  Scenario d = load_one(with_steps(R"({"drop": "B->A"})"));
  ScenarioRun r2 = run_scenario(d);
  CHECK_FALSE(r2.passed);
  CHECK(r2.failure.find("no segment in flight B->A to drop") == 0);
  // "all" with nothing in flight delivers nothing and is not an error.
  Scenario a = load_one(with_steps(R"({"deliver": "A->B", "which": "all", "expect": {"emitted": []}})"));
  CHECK(run_scenario(a).passed);
}

TEST_CASE("runner: deliver all takes the segments in flight when the step starts") {
  // A sends twice; B's ACKs go the other way and stay in flight.
  Scenario s = load_one(with_steps(HANDSHAKE_STEPS + R"(,
      {"app": "A", "call": "send", "bytes": 10}, {"app": "A", "call": "send", "bytes": 20},
      {"deliver": "A->B", "which": "all", "expect": {"A": "ESTABLISHED", "B": "ESTABLISHED", "emitted": [
        {"from": "B", "flags": ["ACK"], "seq": 5001, "ack": 1011},
        {"from": "B", "flags": ["ACK"], "seq": 5001, "ack": 1031}]}},
      {"deliver": "A->B", "which": "next"})"));
  ScenarioRun run = run_scenario(s);
  INFO(run.failure);
  CHECK_FALSE(run.passed);
  CHECK(run.failed_step == 8);  // nothing left A->B
  CHECK(run.steps[7].passed);
  CHECK(run.sim.network().in_flight(1).size() == 2);
}

TEST_CASE("matching: flags as a set, PSH ignored, optional flags, null seq and ack, len") {
  SegmentExpect want;
  want.from = HOST_A;
  want.flags = FLAG_ACK;
  want.seq = 1001;
  want.ack = 5001;
  CHECK(segment_matches(want, emitted(HOST_A, FLAG_ACK, 1001, 5001)));
  CHECK(segment_matches(want, emitted(HOST_A, FLAG_ACK | FLAG_PSH, 1001, 5001)));
  CHECK_FALSE(segment_matches(want, emitted(HOST_B, FLAG_ACK, 1001, 5001)));
  CHECK_FALSE(segment_matches(want, emitted(HOST_A, FLAG_ACK | FLAG_FIN, 1001, 5001)));
  CHECK_FALSE(segment_matches(want, emitted(HOST_A, FLAG_ACK, 1002, 5001)));
  CHECK_FALSE(segment_matches(want, emitted(HOST_A, FLAG_ACK, 1001, 5002)));
  CHECK_FALSE(segment_matches(want, emitted(HOST_A, FLAG_ACK, 1001, 5001, 1)));
  want.len = 1;
  CHECK(segment_matches(want, emitted(HOST_A, FLAG_ACK, 1001, 5001, 1)));
  want.len = 0;
  want.seq.reset();
  want.ack.reset();
  CHECK(segment_matches(want, emitted(HOST_A, FLAG_ACK, 77, 88)));
  want.optional_flags = FLAG_FIN;
  CHECK(segment_matches(want, emitted(HOST_A, FLAG_ACK | FLAG_FIN, 77, 88)));
  CHECK_FALSE(segment_matches(want, emitted(HOST_A, FLAG_ACK | FLAG_RST, 77, 88)));
  // `ack` absent: the ACK bit must be off.
  SegmentExpect rst;
  rst.from = HOST_B;
  rst.flags = FLAG_RST;
  rst.seq = 5001;
  CHECK(segment_matches(rst, emitted(HOST_B, FLAG_RST, 5001, 0)));
  CHECK_FALSE(segment_matches(rst, emitted(HOST_B, FLAG_RST | FLAG_ACK, 5001, 0)));
  // The order of the list matters; its length too.
  CHECK(emitted_matches({}, {}));
  CHECK_FALSE(emitted_matches({rst}, {}));
  CHECK_FALSE(emitted_matches({rst, want}, {emitted(HOST_A, FLAG_ACK, 1, 2), emitted(HOST_B, FLAG_RST, 5001, 0)}));
  CHECK(emitted_matches({want, rst}, {emitted(HOST_A, FLAG_ACK, 1, 2), emitted(HOST_B, FLAG_RST, 5001, 0)}));
}

TEST_CASE("runner: emitted_alternatives, optional_flags and null in a file") {
  Scenario s = load_one(with_steps(HANDSHAKE_STEPS + R"(,
      {"app": "A", "call": "close", "expect": {"A": "FIN-WAIT-1", "emitted": [
          {"from": "A", "flags": ["FIN"], "seq": 1001}],
        "emitted_alternatives": [[], [{"from": "A", "flags": ["FIN"], "optional_flags": ["ACK", "PSH"], "seq": null, "ack": null}]]}})"));
  ScenarioRun run = run_scenario(s);
  INFO(run.failure);
  CHECK(run.passed);
  CHECK(expect_text(s.steps[5].expect) ==
        "A FIN-WAIT-1, emitted [A FIN seq=1001] or [] or [A FIN(+PSH,ACK?) seq=* ack=*]");
}

TEST_CASE("runner: advance_ms moves the clock and fires due timers") {
  Scenario s = load_one(with_steps(HANDSHAKE_STEPS + R"(,
      {"app": "A", "call": "close"}, {"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"},
      {"app": "B", "call": "close"}, {"deliver": "B->A", "which": "next", "expect": {"A": "TIME-WAIT"}},
      {"deliver": "A->B", "which": "next", "expect": {"B": "CLOSED"}},
      {"advance_ms": 999, "expect": {"A": "TIME-WAIT", "emitted": []}},
      {"advance_ms": 1, "expect": {"A": "CLOSED", "emitted": []}})",
                                   R"( "requires": ["clock"],)"));
  s.msl_ms = 500;
  ScenarioRun run = run_scenario(s);
  INFO(run.failure);
  CHECK(run.passed);
  CHECK(run.sim.now() == 1000);
}

TEST_CASE("ladder: the handshake, one arrow per segment, states beside their host") {
  Scenario s = load_one(EXAMPLE);
  ScenarioRun run = run_scenario(s);
  std::string plain = render_ladder(run.sim.trace());
  CHECK(plain.find("|---SYN seq=1000---") != std::string::npos);
  CHECK(plain.find("--->|  SYN-RECEIVED") != std::string::npos);
  CHECK(plain.find("ESTABLISHED   |<--SYN,ACK seq=5000 ack=1001---") != std::string::npos);
  CHECK(plain.find("SYN-SENT") != std::string::npos);
  CHECK(plain.find("|---ACK seq=1001 ack=5001---") != std::string::npos);
  std::string text = scenario_ladder(s, run);
  CHECK(text.rfind("HS-01: Three-way handshake\n", 0) == 0);
  CHECK(text.find("-- step 2: deliver A->B next --") != std::string::npos);
  CHECK(text.find("PASS HS-01\n") != std::string::npos);
}

TEST_CASE("ladder: drops, injected segments and segments left in flight") {
  Scenario s = load_one(with_steps(HANDSHAKE_STEPS + R"(,
      {"app": "A", "call": "close"}, {"drop": "A->B"},
      {"inject": "B", "segment": {"flags": ["SYN"], "seq": 1500}},
      {"timer": "A", "kind": "retransmit"})"));
  ScenarioRun run = run_scenario(s);
  std::string text = render_ladder(run.sim.trace());
  INFO(text);
  CHECK(text.find("|---FIN,ACK seq=1001 ack=5001--") != std::string::npos);
  CHECK(text.find("X ") != std::string::npos);
  CHECK(text.find("dropped") != std::string::npos);
  CHECK(text.find("*~~SYN seq=1500~~") != std::string::npos);
  CHECK(text.find("injected") != std::string::npos);
  CHECK(text.find("RTO fires") != std::string::npos);
  CHECK(text.find("in flight; retransmission") != std::string::npos);
  CHECK(render_ladder(Trace{}).find("CLOSED") != std::string::npos);
}

TEST_CASE("loader fuzz: mutated scenario files are refused or loaded, never a crash") {
  Rng rng(99);
  const std::string doc = EXAMPLE;
  int loaded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = doc;
    std::size_t at = rng.below(static_cast<std::uint32_t>(text.size()));
    switch (rng.below(4)) {
      case 0: text[at] = "\"{}[],:0-AB"[rng.below(11)]; break;
      case 1: text.erase(at, 1 + rng.below(6)); break;
      case 2: text.resize(at); break;
      default: text.insert(at, rng.below(2) ? "null," : "\"x\":1,"); break;
    }
    ScenarioFile f = load_scenarios(text, "fuzz.json");
    if (f.ok()) {
      ++loaded;
      REQUIRE_FALSE(f.scenarios.empty());
      for (const Scenario& s : f.scenarios) {
        ScenarioRun run = run_scenario(s, false);
        CHECK(run.steps.size() == s.steps.size());
        for (const StepOutcome& o : run.steps) CHECK(step_json(s.id, o).rfind("{\"scenario\": ", 0) == 0);
        CHECK_FALSE(scenario_ladder(s, run).empty());
      }
    } else {
      for (const std::string& e : f.errors) CHECK(e.rfind("fuzz.json", 0) == 0);
    }
  }
  CHECK(loaded > 0);
}
