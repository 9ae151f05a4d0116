// Exams drawn from chosen lessons (exam.h).
#include "exam.h"

#include <algorithm>

namespace tcplab {

std::vector<ExamDraw> draw_exam(const std::deque<Lesson>& lessons, const std::vector<std::string>& ids,
                                std::uint64_t seed, std::size_t count) {
  // Every question of every chosen lesson is a candidate.
  struct Candidate {
    std::size_t lesson;
    std::size_t step;
  };
  std::vector<Candidate> all;
  for (std::size_t l = 0; l < lessons.size(); ++l) {
    if (!ids.empty() && std::find(ids.begin(), ids.end(), lessons[l].id) == ids.end()) continue;
    for (std::size_t s = 0; s < lessons[l].steps.size(); ++s)
      if (lessons[l].steps[s].kind == LessonStep::Kind::Ask) all.push_back(Candidate{l, s});
  }
  Rng rng(seed);
  for (std::size_t i = all.size(); i > 1; --i) std::swap(all[i - 1], all[rng.below(static_cast<std::uint32_t>(i))]);
  if (all.size() > count) all.resize(count);
  std::vector<ExamDraw> out;
  for (const Candidate& c : all) {
    // New numbers per question; new distractors from the exam's seed.
    LessonRun run(lessons[c.lesson], seed + c.step * 7919u + c.lesson);
    run.redraw_distractors(seed);
    while (!run.finished() && run.step_index() < c.step) {
      const LessonStep* s = run.current();
      if (s && s->kind == LessonStep::Kind::Ask) run.solve();
      else run.advance();
    }
    if (run.finished() || run.step_index() != c.step) continue;
    out.push_back(ExamDraw{c.lesson, run});
  }
  return out;
}

}  // namespace tcplab
