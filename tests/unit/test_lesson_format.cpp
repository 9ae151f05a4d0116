// The lesson format's additions for authors (lessons/README.md): `until`
// (a timer never fires early), `expect` on do steps, fixed ISNs in setup,
// the run's settings and clock as placeholders, question ids in messages,
// host names when nobody listens.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lesson.h"

using namespace tcplab;

namespace {

std::string lesson_with(const std::string& steps, const std::string& setup = "") {
  return R"({"id": "t", "version": 1, "title": {"en": "T", "zh": "题"}, "summary": {"en": "S", "zh": "摘"},)" +
         setup + R"( "steps": [)" + steps + "]}";
}

const std::string OPEN = R"({"do": [{"app": "B", "call": "open_passive"}, {"app": "A", "call": "open_active"}]})";
const std::string SAY = R"({"say": {"en": "now={now_s}", "zh": "现在={now_s}"}})";
const std::string TEXTS =
    R"("prompt": {"en": "P", "zh": "问"}, "hint": {"en": "H", "zh": "提示"}, "explain": {"en": "E", "zh": "解释"})";

Lesson parsed(const std::string& json) {
  std::vector<LessonError> errors;
  std::optional<Lesson> l = parse_lesson(json, "t.json", errors);
  std::string all;
  for (const LessonError& e : errors) all += e.text() + "\n";
  INFO(all);
  REQUIRE(l);
  return *l;
}

// All messages of load_lesson (parse + validate), one per line.
std::string load_errors(const std::string& json) {
  std::vector<LessonError> errors;
  load_lesson(json, "t.json", errors);
  std::string all;
  for (const LessonError& e : errors) all += e.text() + "\n";
  return all;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The run advanced to its first say step that follows a do.
LessonRun run_to_say(const Lesson& l, std::uint64_t seed = 1) {
  LessonRun run(l, seed);
  REQUIRE_FALSE(run.finished());
  return run;
}

}  // namespace

TEST_CASE("lesson format: until lets the clock run to the retransmission deadline (RTO after the SYN)") {
  // The SYN is lost: A's retransmission timer is due one RTO after it left.
  const Lesson l = parsed(lesson_with(
      OPEN + R"(, {"do": [{"drop": "A->B"}, {"until": {"timer": "A", "kind": "retransmit"}}]}, )" + SAY,
      R"("setup": {"rto_ms": 1500},)"));
  LessonRun run = run_to_say(l);
  CHECK(run.sim().now() == 1500);
  CHECK(run.fill(run.narration()->en, Lang::En) == "now=1.5");
  CHECK(run.sim().network().in_flight(HOST_A).size() == 1);  // the SYN again
  CHECK(run.problems().empty());
}

TEST_CASE("lesson format: until TIME-WAIT ends exactly 2*MSL after TIME-WAIT began") {
  const std::string close = R"({"do": [{"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"},
      {"deliver": "A->B", "which": "next"}, {"app": "A", "call": "close"}, {"deliver": "A->B", "which": "next"},
      {"deliver": "B->A", "which": "next"}, {"app": "B", "call": "close"}, {"deliver": "B->A", "which": "next"}]})";
  const Lesson l = parsed(lesson_with(OPEN + "," + close + "," + SAY + R"(, {"do": {"until": {"timer": "A", "kind": "time_wait"}}}, )" + SAY,
                                      R"("setup": {"msl_ms": 4000, "latency_ms": 500},)"));
  LessonRun run = run_to_say(l);
  REQUIRE(run.sim().endpoint(HOST_A).state() == State::TimeWait);
  const Instant entered = run.sim().now();
  run.advance();
  CHECK(run.sim().endpoint(HOST_A).state() == State::Closed);
  CHECK(run.sim().now() == entered + 8000);
  CHECK(run.problems().empty());
}

TEST_CASE("lesson format: a timer step that would fire early is refused, naming the deadline") {
  const std::string json =
      lesson_with(OPEN + R"(, {"do": [{"drop": "A->B"}, {"timer": "A", "kind": "retransmit"}]}, )" + SAY);
  const std::string e = load_errors(json);
  CHECK(has(e, "t.json: steps[1].do[1]: A's retransmit timer would fire early: it is due at 1.5 s, the clock is at 0 s"));
  CHECK(has(e, R"({"until": {"timer": "A", "kind": "retransmit"}})"));
  // Run anyway (the page never does): the timer did not fire.
  LessonRun run(parsed(json), 1);
  CHECK(run.sim().now() == 0);
  CHECK(run.sim().network().in_flight(HOST_A).empty());
}

TEST_CASE("lesson format: until or timer on a timer that is not running is refused") {
  CHECK(has(load_errors(lesson_with(OPEN + R"(, {"do": {"until": {"timer": "B", "kind": "time_wait"}}}, )" + SAY)),
            "steps[1].do: B's time_wait timer is not running"));
  CHECK(has(load_errors(lesson_with(OPEN + R"(, {"do": {"until": {"timer": "C", "kind": "time_wait"}}}, )" + SAY)),
            "steps[1].do.until.timer: unknown host \"C\""));
  CHECK(has(load_errors(lesson_with(OPEN + R"(, {"do": {"until": {"timer": "A"}}}, )" + SAY)),
            "steps[1].do.until.kind: missing required field"));
}

TEST_CASE("lesson format: expect on a do step is checked against the engine") {
  const std::string good = R"({"do": {"deliver": "A->B", "which": "next"},
      "expect": {"A": "SYN-SENT", "B": "SYN-RECEIVED",
                 "emitted": [{"from": "B", "flags": ["SYN", "ACK"], "seq": "{B.iss}", "ack": "{A.iss+1}"}]}})";
  CHECK(load_errors(lesson_with(OPEN + "," + good + "," + SAY)).empty());
  SUBCASE("a wrong state") {
    const std::string bad = std::string(good).replace(good.find("\"SYN-RECEIVED\""), 14, "\"ESTABLISHED\"");
    CHECK(has(load_errors(lesson_with(OPEN + "," + bad + "," + SAY)),
              "steps[1].expect.B: the engine says SYN-RECEIVED, the lesson says ESTABLISHED (seed 1)"));
  }
  SUBCASE("a wrong number") {
    const std::string bad = std::string(good).replace(good.find("{A.iss+1}"), 9, "{A.iss}");
    CHECK(has(load_errors(lesson_with(OPEN + "," + bad + "," + SAY)), "steps[1].expect.emitted[0]: does not match: B sent SYN,ACK"));
  }
  SUBCASE("a segment too many or too few") {
    CHECK(has(load_errors(lesson_with(OPEN + R"(, {"do": {"deliver": "A->B", "which": "next"}, "expect": {"emitted": []}}, )" + SAY)),
              "steps[1].expect.emitted: the engine also sent segment [0]: B sent SYN,ACK"));
    CHECK(has(load_errors(lesson_with(OPEN + R"(, {"do": {"drop": "A->B"}, "expect": {"emitted": [{"from": "A", "flags": ["SYN"]}]}}, )" + SAY)),
              "steps[1].expect.emitted[0]: the engine sent only 0 segment(s)"));
  }
  SUBCASE("seq and ack unchecked when null; only a do step has expect") {
    CHECK(load_errors(lesson_with(OPEN + R"(, {"do": {"deliver": "A->B", "which": "next"}, "expect": {"emitted": [{"from": "B", "flags": ["SYN", "ACK"], "seq": null, "ack": null}]}}, )" + SAY)).empty());
    CHECK(has(load_errors(lesson_with(R"({"say": {"en": "a", "zh": "甲"}, "expect": {"A": "CLOSED"}})")),
              "steps[0].expect: only a \"do\" step has an \"expect\""));
  }
}

TEST_CASE("lesson format: fixed ISNs in setup give the textbook's numbers for every seed") {
  const std::string json = lesson_with(
      OPEN + R"(, {"do": {"deliver": "A->B", "which": "next"}, "expect": {"emitted": [{"from": "B", "flags": ["SYN", "ACK"], "seq": 300, "ack": 101}]}}, )" + SAY,
      R"("setup": {"iss": {"A": 100, "B": 300}},)");
  CHECK(load_errors(json).empty());
  const Lesson l = parsed(json);
  for (std::uint64_t seed : {1ull, 2ull, 6308073ull}) {
    LessonRun run(l, seed);
    CHECK(run.sim().endpoint(HOST_A).tcb().iss == 100);
    CHECK(run.sim().endpoint(HOST_B).tcb().iss == 300);
    CHECK(run.fill(std::string("{B.irs+1}"), Lang::En) == "101");
  }
  CHECK(has(load_errors(lesson_with(SAY, R"("setup": {"iss": {"C": 1}},)")), "setup.iss.C: unknown field"));
  CHECK(has(load_errors(lesson_with(SAY, R"("setup": {"iss": {"A": -1}},)")), "setup.iss.A: expected an integer from 0 to 4294967295"));
  CHECK(has(load_errors(lesson_with(SAY, R"("setup": {"iss": {"A": []}},)")), "setup.iss.A: an empty list of ISNs"));
}

TEST_CASE("lesson format: placeholders {rto_s} {latency_ms} {now_s} {bytes}") {
  const Lesson l = parsed(lesson_with(
      OPEN + R"(, {"do": [{"deliver": "A->B", "which": "all"}, {"deliver": "B->A", "which": "all"}, {"app": "A", "call": "send", "bytes": 120}]},
      {"say": {"en": "rto={rto_s} lat={latency_ms} now={now_s} bytes={bytes} next={A.iss+1}+{bytes}", "zh": "字节={bytes}"}})",
      R"("setup": {"rto_ms": 2500, "latency_ms": 250},)"));
  LessonRun run(l, 7);
  const Text t = run.fill(*run.narration());
  CHECK(t.en == "rto=2.5 lat=250 now=0.5 bytes=120 next=" + std::to_string(run.sim().endpoint(HOST_A).tcb().iss + 1) + "+120");
  CHECK(t.zh == "字节=120");
  std::uint32_t v = 0;
  REQUIRE(eval_expression("{A.iss+1}+{bytes}", run.sim(), &v));
  CHECK(v == run.sim().endpoint(HOST_A).tcb().iss + 121);
  CHECK(has(load_errors(lesson_with(R"({"say": {"en": "{rto}", "zh": "甲"}})")), "unknown placeholder \"{rto}\""));
}

TEST_CASE("lesson format: validator messages name the question id beside the JSON path") {
  const std::string json = lesson_with(OPEN + R"(, {"ask": {"id": "who-is-where", "kind": "state", "host": "B", "expect": "ESTABLISHED", )" + TEXTS + "}}");
  CHECK(has(load_errors(json), "t.json: steps[1].ask.expect (question \"who-is-where\"): the engine says LISTEN"));
  const std::string parse = lesson_with(R"({"ask": {"id": "q7", "kind": "state", "host": "X", )" + TEXTS + "}}");
  CHECK(has(load_errors(parse), "t.json: steps[0].ask.host (question \"q7\"): unknown host \"X\""));
}

TEST_CASE("lesson format: with nobody listening the feedback says host A and host B, not client and server") {
  const std::string ask = R"({"ask": {"id": "s", "kind": "state", "host": "B", )" + TEXTS + "}}";
  const Lesson peers = parsed(lesson_with(R"({"do": [{"app": "A", "call": "open_active"}, {"app": "B", "call": "open_active"}]}, )" + ask));
  LessonRun run(peers, 1);
  const Feedback f = run.answer_state("CLOSED");
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "Host B"));
  CHECK_FALSE(has(f.message.en, "server"));
  CHECK(has(f.message.zh, "主机 B"));
  CHECK_FALSE(has(f.message.zh, "服务器"));
  const Lesson roles = parsed(lesson_with(OPEN + "," + ask));
  LessonRun run2(roles, 1);
  CHECK(has(run2.answer_state("CLOSED").message.en, "server"));
}

TEST_CASE("lesson format: an order over segments marks the lost one and the retransmission") {
  const Lesson l = parsed(lesson_with(
      OPEN + R"(, {"do": [{"drop": "A->B"}, {"until": {"timer": "A", "kind": "retransmit"}}]},
      {"ask": {"id": "o", "kind": "order", "segments": true, )" + TEXTS + "}}"));
  LessonRun run(l, 1);
  REQUIRE(run.question() != nullptr);
  const std::string iss = std::to_string(run.sim().endpoint(HOST_A).tcb().iss);
  std::vector<std::string> shown;
  for (const Text& t : run.order_items()) shown.push_back(t.en);
  std::sort(shown.begin(), shown.end());
  REQUIRE(shown.size() == 2);
  CHECK(shown[0] == "client -> server: SYN seq=" + iss + " (lost)");
  CHECK(shown[1] == "client -> server: SYN seq=" + iss + " (retransmitted)");
  CHECK(run.answer_text(Lang::Zh).find("（丢失）") != std::string::npos);
  CHECK(run.solve().correct);
}

TEST_CASE("lesson format: a lesson in one language shows the other as a marked fallback") {
  const std::string en_only = R"({"id": "t", "version": 1, "languages": ["en"], "title": {"en": "T"}, "summary": {"en": "S"},
      "steps": [{"say": {"en": "Hello {msl_s}"}}]})";
  const Lesson l = parsed(en_only);
  CHECK(l.title.en == "T");
  CHECK(l.title.zh == "〔English〕T");
  LessonRun run(l, 1);
  CHECK(run.fill(*run.narration()).zh == "〔English〕Hello 4");
  const std::string zh_only = R"({"id": "t", "version": 1, "languages": ["zh"], "title": {"zh": "题"}, "summary": {"zh": "摘"},
      "steps": [{"say": {"zh": "你好"}}]})";
  CHECK(parsed(zh_only).title.en == "[中文] 题");
  // A bilingual lesson (the default) still needs both.
  CHECK(has(load_errors(lesson_with(R"({"say": {"en": "a"}})")), "steps[0].say.zh: missing: a text needs both"));
  CHECK(has(load_errors(R"({"id": "t", "version": 1, "languages": ["en"], "title": {"zh": "题"}, "summary": {"en": "S"},
      "steps": [{"say": {"en": "a"}}]})"), "title.en: missing: this lesson's texts are in \"en\""));
  CHECK(has(load_errors(R"({"id": "t", "version": 1, "languages": ["fr"], "title": {"en": "T"}, "summary": {"en": "S"},
      "steps": [{"say": {"en": "a"}}]})"), "languages[0]: unknown language \"fr\""));
}

TEST_CASE("lesson format: other languages may be added as BCP 47 tags; other keys are refused") {
  CHECK(load_errors(lesson_with(R"({"say": {"en": "a", "zh": "甲", "ja": "あ", "zh-Hant": "甲", "pt-BR": "a"}})")).empty());
  CHECK(has(load_errors(lesson_with(R"({"say": {"en": "a", "zh": "甲", "EN": "a"}})")), "steps[0].say.EN: unknown language \"EN\""));
  CHECK(has(load_errors(lesson_with(R"({"say": {"en": "a", "zh": "甲", "ja": " "}})")), "steps[0].say.ja: empty text"));
}

TEST_CASE("lesson format: closed_ms runs the conversation on by itself; octets counts data once") {
  const std::string est = R"({"do": [{"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"},
      {"deliver": "A->B", "which": "next"}, {"app": "A", "call": "send", "bytes": 70}, {"drop": "A->B"},
      {"until": {"timer": "A", "kind": "retransmit"}}, {"deliver": "A->B", "which": "all"}, {"deliver": "B->A", "which": "all"},
      {"app": "A", "call": "close"}]})";
  auto q = [](const std::string& id, const std::string& value) {
    return R"({"ask": {"id": ")" + id + R"(", "kind": "number", "value": )" + value + ", " + TEXTS + "}}";
  };
  const std::string steps = OPEN + "," + est + "," + q("a", R"({"closed_ms": "A"})") + "," + q("b", R"({"closed_ms": "B"})") +
                            "," + q("n", R"({"octets": "A"})");
  SUBCASE("the server closes at once: 1 RTT + 2*MSL for the client, 1.5 RTT for the server") {
    const Lesson l = parsed(lesson_with(steps, R"("setup": {"latency_ms": 25, "msl_ms": 800, "close_on_fin": true},)"));
    CHECK(load_errors(lesson_with(steps, R"("setup": {"latency_ms": 25, "msl_ms": 800, "close_on_fin": true},)")).empty());
    LessonRun run(l, 1);
    REQUIRE(run.question() != nullptr);
    const Instant before = run.sim().now();
    CHECK(run.number_value() == std::optional<std::uint32_t>(50 + 1600));
    CHECK(run.sim().now() == before);  // asking ran a copy
    CHECK(run.solve().correct);
    CHECK(run.number_value() == std::optional<std::uint32_t>(75));
    CHECK(run.solve().correct);
    CHECK(run.number_value() == std::optional<std::uint32_t>(70));  // the retransmission counted once
  }
  SUBCASE("nobody closes the server: it never reaches CLOSED by itself") {
    CHECK(has(load_errors(lesson_with(steps, R"("setup": {"latency_ms": 25, "msl_ms": 800},)")),
              "steps[3].ask.value (question \"b\"): reads nothing: B does not reach CLOSED by itself"));
  }
  SUBCASE("no FIN yet") {
    CHECK(has(load_errors(lesson_with(OPEN + "," + q("a", R"({"closed_ms": "A"})"))), "reads nothing: no FIN has been sent yet"));
  }
}
