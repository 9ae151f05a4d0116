// tcplab-lesson for socket lessons (lessons/socket_lesson.h): validate and
// play, with the same output and exit codes as the two-host lessons.
#include <cstdio>

#include "socket_lesson.h"
#include "tool.h"

namespace tcplab_tool {

using namespace tcplab;

namespace {

std::optional<SocketLesson> load_socket_file(const std::string& path) {
  std::string text;
  const std::string why = read_file(path, text);
  if (!why.empty()) {
    put(stderr, path + ": " + why + "\n");
    return std::nullopt;
  }
  std::vector<LessonError> errors;
  std::optional<SocketLesson> l = parse_socket_lesson(text, path, errors);
  if (l && !validate_socket_lesson(*l, errors)) l.reset();
  for (const LessonError& e : errors) put(stderr, e.text() + "\n");
  return l;
}

void say(const std::string& indent, const Text& t) {
  out(indent + "en: " + t.en);
  out(indent + "zh: " + t.zh);
}

void print_new_events(const World& w, std::size_t& seen) {
  for (; seen < w.trace().size(); ++seen) {
    const SockEvent& e = w.trace()[seen];
    if (e.pkt.spoofed || (e.kind == SockEventKind::Tcp && e.tcp.kind != EventKind::StateChanged)) continue;
    out("    | " + describe_sock_event(e, false));
  }
}

}  // namespace

bool is_socket_lesson_file(const std::string& path) {
  std::string text;
  return read_file(path, text).empty() && is_socket_lesson_text(text);
}

int validate_socket_file(const std::string& path) {
  if (!load_socket_file(path)) return 2;
  out("OK " + path);
  return 0;
}

int play_socket_file(const std::string& path, bool wrong) {
  const std::optional<SocketLesson> l = load_socket_file(path);
  if (!l) return 2;
  out("socket lesson " + l->id + " v" + std::to_string(l->version));
  say("  ", l->title);
  SocketLessonRun run(*l);
  std::size_t seen = 0;
  for (int guard = 0; guard < 10000 && !run.finished(); ++guard) {
    print_new_events(run.world(), seen);
    const SockQuestion* q = run.question();
    out("  step " + std::to_string(run.step_index()));
    if (!q) {
      if (const Text* n = run.narration()) say("    ", *n);
      run.advance();
      continue;
    }
    say("    ", q->prompt);
    for (std::size_t i = 0; i < q->choices.size(); ++i) out("      " + std::to_string(i) + ". " + q->choices[i].text.en);
    if (wrong) {
      const Feedback f = run.answer_wrong();
      out(std::string("    wrong answer: ") + (f.correct ? "right?!" : "wrong") + ": " + f.message.en);
    }
    const Feedback f = run.solve();
    out(std::string("    right answer: ") + (f.correct ? "right" : "wrong") + ": " + f.message.en);
  }
  print_new_events(run.world(), seen);
  const LessonScore s = run.score();
  char line[160];
  std::snprintf(line, sizeof line, "score: %g / %d (answered %d, first try %d)", s.points, s.questions, s.answered,
                s.first_try);
  out(line);
  const double want = wrong ? s.questions * 0.5 : s.questions;
  return run.finished() && s.answered == s.questions && s.points == want ? 0 : 1;
}

}  // namespace tcplab_tool
