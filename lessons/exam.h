// Exams that never repeat: questions drawn from chosen lessons by a seed,
// each in its own run with new numbers (the run's seed) and, for ladder
// questions, new distractors (redrawn from the exam's seed). A seeded exam
// reproduces exactly. Pure logic: the page's exam mode and the tests draw
// through here.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "lesson.h"

namespace tcplab {

// One drawn question: a run of lesson `lesson` positioned at its question.
struct ExamDraw {
  std::size_t lesson = 0;
  LessonRun run;
};

// Up to `count` questions of the lessons whose ids are in `ids` (every
// lesson when empty), in an order drawn by `seed`; each run is
// fast-forwarded with the lesson's solutions to its question. The runs
// point into `lessons` (a deque, as the page keeps them: its elements stay
// put while lessons are added).
std::vector<ExamDraw> draw_exam(const std::deque<Lesson>& lessons, const std::vector<std::string>& ids,
                                std::uint64_t seed, std::size_t count);

}  // namespace tcplab
