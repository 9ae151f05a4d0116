#include "conceal.h"

#include "ladder.h"

namespace tcplab {
namespace {

// The question on screen that has no answer yet, with the run it is asked
// on; null when nothing is asked.
const Question* open_question(const App& app, const LessonRun** run) {
  if (app.mode == Mode::Exam) {
    const LessonState& ls = app.ls;
    if (ls.exam_pos >= ls.exam.size() || ls.exam[ls.exam_pos].answered) return nullptr;
    *run = &ls.exam[ls.exam_pos].pristine;
    return (*run)->question();
  }
  // In a lesson a right answer moves the run on: a question still current
  // is unanswered (or answered wrong, which must not give it away either).
  if (app.mode != Mode::Lesson) return nullptr;
  *run = app.active_run();
  return app.active_question();
}

// The network id of the segment a Sent selector names, 0 if none.
std::uint32_t selected_segment(const Simulation& sim, const Selector& s) {
  std::uint32_t last = 0;
  int k = 0;
  for (const Event& e : sim.trace()) {
    if (e.kind != EventKind::Sent || (e.host & 1) != (s.host & 1)) continue;
    if (k++ == s.index) return e.seg_id;
    last = e.seg_id;
  }
  return s.index < 0 ? last : 0;
}

}  // namespace

Concealed concealed(const App& app) {
  Concealed c;
  const LessonRun* run = nullptr;
  const Question* q = open_question(app, &run);
  if (!q || !run) return c;
  if (q->kind == QuestionKind::State) c.state[q->host & 1] = true;
  if (q->kind == QuestionKind::Blanks || q->kind == QuestionKind::Ladder) {
    c.ladder = true;
    c.state[0] = c.state[1] = true;
    c.numbers[0] = c.numbers[1] = true;
    return c;
  }
  if (q->kind != QuestionKind::Number) return c;
  const Selector& s = q->value;
  // A reply not sent yet is predicted from the host's variables, which its
  // builder would pre-fill: both hidden. A variable likewise.
  c.numbers[s.host & 1] = true;
  if (s.kind == Selector::Kind::Sent) {
    c.seg_id = selected_segment(app.sim, s);
    c.seg_ack = s.ack_field;
  }
  return c;
}

std::string concealed_label(const Concealed& c, std::uint32_t seg_id, const Segment& seg) {
  std::string text = segment_label(seg);
  if (c.seg_id == 0 || seg_id != c.seg_id) return text;
  const std::string field = c.seg_ack ? " ack=" + std::to_string(seg.ack) : " seq=" + std::to_string(seg.seq);
  const std::size_t at = text.find(field);
  if (at != std::string::npos) text.replace(at, field.size(), c.seg_ack ? " ack=?" : " seq=?");
  return text;
}

}  // namespace tcplab
