// Socket lessons in the page: the built-in ones loaded once, a run opened,
// answered and left, its World shown by the lab's picture. Calls the
// learner makes during a lesson are answers to an act question, never
// actions of their own (the lesson's scenario decides what happens).
#include "lesson_bundle.h"
#include "socket_lab.h"

namespace tcplab {

void lab_load_lessons(SocketLab& lab) {
  if (!lab.lessons.empty() || !lab.lesson_errors.empty()) return;
  if (!lesson_bundle_error().empty()) lab.lesson_errors.push_back(lesson_bundle_error());
  for (const BuiltinLesson& b : socket_lessons()) {
    std::vector<LessonError> errors;
    std::optional<SocketLesson> l = parse_socket_lesson(b.json, b.name, errors);
    if (l) lab.lessons.push_back(std::move(*l));
    for (const LessonError& e : errors) lab.lesson_errors.push_back(e.text());
  }
}

namespace {

void show(SocketLab& lab) {
  lab.world = lab.run->world();
  lab.chosen_fd.assign(lab.world.hosts().size(), -1);
}

// A call on the host the act question asks about: graded, never performed.
void act(SocketLab& lab, const LabCommand& c) {
  const SockQuestion* q = lab.run->question();
  if (!q || q->kind != SockQuestion::Kind::Act || (lab.feedback && lab.feedback->correct)) return;
  lab.feedback = lab.run->act_call(c.host, c.call);
  ++lab.verdicts;
  show(lab);
}

}  // namespace

bool lab_lesson_command(SocketLab& lab, const LabCommand& c) {
  switch (c.kind) {
    case LabCmdKind::OpenLesson:
      lab_load_lessons(lab);
      if (c.arg < 0 || c.arg >= static_cast<int>(lab.lessons.size())) return true;
      lab.run.emplace(lab.lessons[static_cast<std::size_t>(c.arg)]);
      lab.feedback.reset();
      lab.selected = LAB_SERVER;
      show(lab);
      return true;
    case LabCmdKind::Continue:
      if (!lab.run) return true;
      // After a right answer the run has moved on; Continue clears it.
      if (lab.feedback && lab.feedback->correct) lab.feedback.reset();
      else lab.run->advance();
      show(lab);
      return true;
    case LabCmdKind::Choose:
      if (!lab.run || (lab.feedback && lab.feedback->correct)) return true;
      lab.feedback = lab.run->answer_choice(c.arg);
      ++lab.verdicts;
      show(lab);
      return true;
    case LabCmdKind::LeaveLesson:
      lab.run.reset();
      lab.feedback.reset();
      lab.reset();
      return true;
    case LabCmdKind::Call:
      if (!lab.run) return false;
      act(lab, c);
      return true;
    case LabCmdKind::HostEvent:
    case LabCmdKind::Flood:
    case LabCmdKind::AddClient:
    case LabCmdKind::NewWorld:
    case LabCmdKind::Step:
      return lab.run.has_value();  // the lesson's scenario decides
  }
  return false;
}

}  // namespace tcplab
