// Shared by the tests of the questions that make learners construct
// (test_question_*.cpp): a whole conversation (handshake, data both ways,
// a close with data after the first FIN, TIME-WAIT) and helpers to run a
// lesson up to a question.
#pragma once
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lesson.h"

namespace qfix {

using namespace tcplab;

// The do step of the whole conversation; `extra` is added after it (the
// questions under test, a JSON array text without brackets).
inline std::string conversation(const std::string& extra, const std::string& setup = "") {
  return R"({
  "id": "q-test", "version": 1,
  "title": {"en": "T", "zh": "题"}, "summary": {"en": "S", "zh": "概"},)" +
         setup + R"(
  "steps": [
    {"do": [
      {"app": "B", "call": "open_passive"}, {"app": "A", "call": "open_active"},
      {"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"}, {"deliver": "A->B", "which": "next"},
      {"app": "A", "call": "send", "bytes": 200}, {"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"},
      {"app": "A", "call": "close"}, {"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"},
      {"app": "B", "call": "send", "bytes": 100}, {"deliver": "B->A", "which": "next"}, {"deliver": "A->B", "which": "next"},
      {"app": "B", "call": "close"}, {"deliver": "B->A", "which": "next"}, {"deliver": "A->B", "which": "next"}
    ]},
    )" + extra + R"(
  ]
})";
}

// prompt, hint, explain (every question needs them).
inline const char* const TEXTS = R"("prompt": {"en": "P", "zh": "问"}, "hint": {"en": "H", "zh": "提"}, "explain": {"en": "E.", "zh": "解。"})";

inline Lesson load(const std::string& json) {
  std::vector<LessonError> errors;
  std::optional<Lesson> l = load_lesson(json, "t.json", errors);
  for (const LessonError& e : errors) MESSAGE(e.text());
  REQUIRE(l);
  return *l;
}

// The first error the loader (parse + validate) reports.
inline std::string first_error(const std::string& json) {
  std::vector<LessonError> errors;
  std::optional<Lesson> l = load_lesson(json, "t.json", errors);
  REQUIRE_FALSE(l);
  REQUIRE_FALSE(errors.empty());
  return errors[0].text();
}

// A run with every question before `id` answered right.
inline LessonRun at(const Lesson& l, std::uint64_t seed, const std::string& id) {
  LessonRun run(l, seed);
  for (int guard = 0; guard < 1000 && !run.finished(); ++guard) {
    const Question* q = run.question();
    if (q == nullptr) {
      run.advance();
      continue;
    }
    if (q->id == id) return run;
    REQUIRE(run.solve().correct);
  }
  FAIL("no question " << id);
  return run;
}

inline bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The run's segments as sent, from the trace (not from the ladder code).
inline std::vector<Event> sent(const LessonRun& run) {
  std::vector<Event> out;
  for (const Event& e : run.sim().trace())
    if (e.kind == EventKind::Sent) out.push_back(e);
  return out;
}

}  // namespace qfix
