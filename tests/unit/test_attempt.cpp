// Attempt records (lessons/attempt.h): a run's answers written, read back
// and re-graded on the lesson to the same score; forged scores, forged
// correctness claims, answers moved to another question and another seed
// are caught.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "attempt.h"

#ifndef TCPLAB_LESSONS_DIR
#define TCPLAB_LESSONS_DIR "lessons"
#endif

using namespace tcplab;

namespace {

Lesson lesson_file(const std::string& name) {
  const std::string path = std::string(TCPLAB_LESSONS_DIR) + "/" + name;
  std::string text;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  REQUIRE_MESSAGE(f != nullptr, path);
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  std::vector<LessonError> errors;
  std::optional<Lesson> l = load_lesson(text, path, errors);
  REQUIRE(l);
  return *l;
}

// Plays the whole lesson: every `wrong_every`-th question first wrongly.
LessonRun play(const Lesson& l, std::uint64_t seed, int wrong_every) {
  LessonRun run(l, seed);
  int k = 0;
  while (!run.finished()) {
    if (run.awaiting_continue()) {
      run.advance();
      continue;
    }
    if (wrong_every > 0 && k++ % wrong_every == 0) run.answer_wrong();
    if (run.question()) run.solve();
  }
  return run;
}

// The record as the page writes it, read back.
Attempt round_trip(const LessonRun& run) {
  std::vector<double> times;
  for (std::size_t i = 0; i < run.given().size(); ++i) times.push_back(1.5 * static_cast<double>(i + 1));
  const std::string json = attempt_to_json(attempt_of(run, 2, times));
  Attempt a;
  std::string error;
  REQUIRE_MESSAGE(parse_attempt(json, a, error), std::string(error + "\n" + json));
  return a;
}

}  // namespace

TEST_CASE("attempt: a played lesson's record re-grades to its score") {
  for (const char* name : {"01-handshake.json", "02-four-way-close.json", "08-resets.json", "13-exam-calculations.json"}) {
    CAPTURE(name);
    const Lesson l = lesson_file(name);
    const LessonRun run = play(l, 77, 2);
    const Attempt a = round_trip(run);
    CHECK(a.lesson == l.id);
    CHECK(a.seed == 77);
    CHECK(a.attempt == 2);
    CHECK(a.answers.size() == run.given().size());
    REQUIRE(a.score);
    CHECK(*a.score == run.score().points);
    CHECK(run.score().points < run.score().questions);  // some answers were wrong first
    const Regrade r = regrade_attempt(l, a);
    INFO(r.error);
    CHECK(r.replayed);
    CHECK(r.finished);
    CHECK(r.mismatches.empty());
    CHECK(r.score.points == run.score().points);
    CHECK(r.score_matches());
  }
}

TEST_CASE("attempt: a forged score is caught") {
  const Lesson l = lesson_file("01-handshake.json");
  Attempt a = round_trip(play(l, 5, 1));  // every question wrong first: half marks
  REQUIRE(a.score);
  a.score = static_cast<double>(*a.questions);  // claims full marks
  const Regrade r = regrade_attempt(l, a);
  CHECK(r.replayed);
  CHECK_FALSE(r.score_matches());
  REQUIRE(r.mismatches.size() == 1);
  CHECK(r.mismatches[0].find("reported score") != std::string::npos);
  CHECK(r.score.points == static_cast<double>(*a.questions) / 2);
}

TEST_CASE("attempt: a wrong answer claimed right is caught") {
  const Lesson l = lesson_file("02-four-way-close.json");
  Attempt a = round_trip(play(l, 9, 1));
  REQUIRE(a.answers.size() >= 2);
  REQUIRE_FALSE(a.answers[0].given.correct);
  a.answers[0].given.correct = true;
  a.answers[0].given.points = 1;
  const Regrade r = regrade_attempt(l, a);
  CHECK_FALSE(r.score_matches());
  REQUIRE_FALSE(r.mismatches.empty());
  CHECK(r.mismatches[0].find("answer 1") != std::string::npos);
}

TEST_CASE("attempt: the same answers on another seed do not re-grade the same") {
  const Lesson l = lesson_file("01-handshake.json");  // its numbers come from the seed's ISNs
  Attempt a = round_trip(play(l, 11, 0));
  a.seed = 12;
  const Regrade r = regrade_attempt(l, a);
  CHECK_FALSE(r.score_matches());
}

TEST_CASE("attempt: answers out of order, another lesson and bad records are refused with a reason") {
  const Lesson l = lesson_file("01-handshake.json");
  Attempt a = round_trip(play(l, 3, 0));
  REQUIRE(a.answers.size() >= 2);
  std::swap(a.answers[0], a.answers[1]);
  Regrade r = regrade_attempt(l, a);
  CHECK_FALSE(r.replayed);
  CHECK(r.error.find("answer 1") != std::string::npos);

  a = round_trip(play(l, 3, 0));
  a.version += 1;
  r = regrade_attempt(l, a);
  CHECK_FALSE(r.replayed);
  CHECK(r.error.find("version") != std::string::npos);

  Attempt bad;
  std::string error;
  CHECK_FALSE(parse_attempt("{\"v\":1,\"lesson\":\"x\",\"version\":1,\"seed\":0,\"answers\":[]}", bad, error));
  CHECK(error.find("seed") != std::string::npos);
  CHECK_FALSE(parse_attempt("{\"v\":1,\"lesson\":\"x\",\"version\":1,\"seed\":4,\"answers\":[[\"q\",\"guess\",\"1\",0,2]]}",
                            bad, error));
  CHECK(error.find("answers[0][1]") != std::string::npos);
  CHECK_FALSE(parse_attempt("not json", bad, error));
}

TEST_CASE("attempt: an unfinished record resumes a run at the same point") {
  const Lesson l = lesson_file("02-four-way-close.json");
  LessonRun run(l, 21);
  for (int answered = 0; answered < 2 && !run.finished();) {
    if (run.awaiting_continue()) {
      run.advance();
      continue;
    }
    run.answer_wrong();
    run.solve();
    answered++;
  }
  const Attempt a = round_trip(run);
  CHECK_FALSE(a.score);  // not finished: no score reported
  LessonRun again(l, 21);
  for (const AttemptAnswer& x : a.answers) {
    std::string why;
    REQUIRE_MESSAGE(replay_answer(again, x.given, why).has_value(), std::string(why));
  }
  while (again.awaiting_continue() && again.step_index() < run.step_index()) again.advance();
  CHECK(again.step_index() == run.step_index());
  CHECK(again.score().points == run.score().points);
  CHECK(again.sim().now() == run.sim().now());
}
