// Lessons (lesson.h), part 6 of 6: validation, running a lesson with its
// solutions for several seeds against the engine.
#include "lesson.h"

#include "json.h"
#include "lesson_detail.h"

namespace tcplab {

using namespace lesson_detail;

//-----------------------------------------------------------------------------
// [SECTION] Validation
//-----------------------------------------------------------------------------

bool validate_lesson(const Lesson& lesson, std::vector<LessonError>& errors) {
  const std::size_t first = errors.size();
  std::vector<std::string> reported;  // one message per path, from the first seed that shows it
  const Question* asked = nullptr;  // the question being checked: its id goes into the message
  auto report = [&](const std::string& path, const std::string& message, std::uint64_t seed) {
    for (const std::string& p : reported)
      if (p == path) return;
    reported.push_back(path);
    errors.push_back(LessonError{lesson.file, path, message + " (seed " + std::to_string(seed) + ")"});
    if (asked != nullptr) errors.back().question = asked->id;
  };
  for (std::uint64_t seed : lesson_validation_seeds()) {
    LessonRun run(lesson, seed);
    while (true) {
      if (!run.problems().empty()) {
        asked = nullptr;
        for (const LessonError& p : run.problems()) report(p.path, p.message, seed);
        break;
      }
      if (run.finished()) break;
      const Question* q = run.question();
      asked = q;
      if (q == nullptr) {
        run.advance();
        continue;
      }
      const std::string path = "steps[" + std::to_string(run.step_index()) + "].ask";
      bool skip = false;
      switch (q->kind) {
        case QuestionKind::State: {
          const State actual = run.sim().endpoint(q->host).state();
          if (q->expect && *q->expect != actual)
            report(path + ".expect",
                   std::string("the engine says ") + state_name(actual) + ", the lesson says " + state_name(*q->expect),
                   seed);
          for (std::size_t k = 0; k < q->mistakes.size(); ++k)
            if (q->mistakes[k].answer == actual)
              report(path + ".mistakes[" + std::to_string(k) + "].answer",
                     std::string("is the right answer (the engine says ") + state_name(actual) +
                         "): this feedback is never shown",
                     seed);
          break;
        }
        case QuestionKind::Number: {
          std::string why;
          if (!run.number_value(&why)) {
            report(path + ".value", "reads nothing: " + why, seed);
            skip = true;
          }
          break;
        }
        case QuestionKind::Order:
          if (run.order_items().size() < 2 || !run.order_has_strict_pair()) {
            report(path + (q->order_segments ? ".segments" : ".items"),
                   run.order_items().size() < 2
                       ? std::to_string(run.order_items().size()) + " segment(s) sent so far: nothing to put in order"
                       : std::string("every item may come in either order: nothing to put in order"),
                   seed);
            skip = true;
          }
          break;
        case QuestionKind::Blanks:
        case QuestionKind::Ladder:
          for (const LessonError& p : run.ladder_problems()) report(p.path, p.message, seed);
          skip = !run.ladder_problems().empty();
          if (q->kind == QuestionKind::Ladder && run.ladder_options().size() < 3 && !skip) {
            report(path + ".distractors", "fewer than two distractors the engine refuses", seed);
            skip = true;
          }
          break;
        case QuestionKind::Choose:
        case QuestionKind::Classify:
        case QuestionKind::Act:
          break;
      }
      if (skip) {
        run.skip();
        continue;
      }
      const Feedback f = run.solve();
      if (!f.correct) {
        report(q->kind == QuestionKind::Act ? path + ".solution" : path,
               "the solution does not meet its goal: " + f.message.en, seed);
        break;
      }
    }
  }
  return errors.size() == first;
}

}  // namespace tcplab
