// Attempt records: one learner's attempt at a lesson (lesson id and
// version, seed, every graded answer with its time, and the score the page
// reported), written by the web page into `complete` events and SCORM
// suspend data, and re-graded here from the lesson file. A score computed
// in the browser can be forged; the record replayed on the same seed cannot.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lesson.h"

namespace tcplab {

struct AttemptAnswer {
  GivenAnswer given;  // question, kind, value, and the correctness claimed
  double t = 0;       // seconds since the lesson opened
};

struct Attempt {
  std::string lesson;
  int version = 1;
  std::uint64_t seed = 1;
  int attempt = 1;                   // this learner's attempt number at the lesson
  std::vector<AttemptAnswer> answers;
  // What the page reported (absent in a record of an unfinished attempt).
  std::optional<double> score;       // points: 1 first try, 0.5 second
  std::optional<int> questions;
};

// Compact, one line: {"v":1,"lesson":..,"version":..,"seed":..,"attempt":..,
// "answers":[["q1","state","LISTEN",3.2,1],...],"score":..,"questions":..}
// (an answer: question id, kind, value, seconds, points claimed x2 -> 2, 1, 0).
std::string attempt_to_json(const Attempt& a);
// False with `error` ("answers[2][1]: expected one of state, number, ...")
// when `json` is not an attempt record.
bool parse_attempt(std::string_view json, Attempt& out, std::string& error);

// The record of a run so far: its answers stamped with `times` (seconds;
// missing ones are 0).
Attempt attempt_of(const LessonRun& run, int attempt, const std::vector<double>& times);

// Gives one recorded answer to `run` (after moving past narration) as the
// learner gave it. nullopt with `why` when the run is not asking that
// question of that kind, or the value is malformed.
std::optional<Feedback> replay_answer(LessonRun& run, const GivenAnswer& g, std::string& why);

struct Regrade {
  bool replayed = false;        // every answer was given to the lesson
  std::string error;            // why not (English)
  LessonScore score;            // recomputed
  bool finished = false;        // the replay reached the lesson's end
  std::vector<std::string> mismatches;  // claims that the replay contradicts
  bool score_matches() const { return replayed && mismatches.empty(); }
};

// Replays the record on a fresh run of `lesson` with its seed and compares
// each claimed correctness and the reported score and question count.
Regrade regrade_attempt(const Lesson& lesson, const Attempt& a);

}  // namespace tcplab
