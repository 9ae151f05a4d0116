// The inputs of the classify, blanks and ladder questions in the lesson
// card (web/panel_lesson.cpp calls these).
#pragma once
#include <optional>
#include <string>

#include "app.h"

namespace tcplab {

// Each draws the inputs below the prompt and returns the feedback when
// the learner checks an answer; `right` is the card's right edge.
std::optional<Feedback> draw_classify(App& app, LessonRun& run, const Question& q, float right);
std::optional<Feedback> draw_blanks(App& app, LessonRun& run, const Question& q, float right);
std::optional<Feedback> draw_ladder_choice(App& app, LessonRun& run, float right);
// The learner's answer as text (the exam's review).
std::string construct_given_text(const App& app, const LessonRun& run, const Question& q);

}  // namespace tcplab
