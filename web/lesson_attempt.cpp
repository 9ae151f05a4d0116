// The attempt record of the lesson on screen (see lesson_attempt.h).
#include "lesson_attempt.h"

#include <map>
#include <vector>

namespace tcplab {
namespace {

struct Tracker {
  std::string key;                  // lesson id, version and seed of that run
  double opened_ms = 0;
  std::vector<double> times;        // seconds since the run opened, per answer
  int attempt = 1;
  std::map<std::string, int> attempts;  // per lesson id: attempts started here
};

Tracker t;

std::string run_key(const LessonRun& r) {
  return r.lesson().id + "@" + std::to_string(r.lesson().version) + "#" + std::to_string(r.seed());
}

}  // namespace

void attempt_track(const App& app, double now_ms) {
  if (app.mode != Mode::Lesson || !app.ls.run) return;
  const LessonRun& r = *app.ls.run;
  const std::string key = run_key(r);
  if (key != t.key) {  // a new run: open_lesson (again, or another lesson)
    t.key = key;
    t.opened_ms = app.ls.started_ms;
    t.times.clear();
    t.attempt = ++t.attempts[r.lesson().id];
  }
  // An undo or a restart with the same numbers takes answers back.
  if (r.given().size() < t.times.size()) t.times.resize(r.given().size());
  while (t.times.size() < r.given().size()) t.times.push_back((now_ms - t.opened_ms) / 1000.0);
}

std::optional<Attempt> attempt_current(const App& app) {
  if (app.mode != Mode::Lesson || !app.ls.run) return std::nullopt;
  return attempt_of(*app.ls.run, t.attempt, t.times);
}

std::size_t attempt_stamped() { return t.times.size(); }

bool attempt_resume(App& app, const Attempt& a, double now_ms, std::string& why) {
  if (app.mode != Mode::Lesson || !app.ls.run || !app.ls.current) {
    why = "no lesson is open";
    return false;
  }
  const Lesson& l = app.ls.run->lesson();
  if (l.id != a.lesson || l.version != a.version) {
    why = "the record is of " + a.lesson + " version " + std::to_string(a.version) + ", the lesson is " + l.id +
          " version " + std::to_string(l.version);
    return false;
  }
  // The clock goes on from the last answer's time.
  const double last_s = a.answers.empty() ? 0.0 : a.answers.back().t;
  app.open_lesson(*app.ls.current, a.seed, now_ms - last_s * 1000.0);
  Feedback last;
  for (const AttemptAnswer& x : a.answers) {
    const std::optional<Feedback> f = replay_answer(*app.ls.run, x.given, why);
    if (!f) {
      app.open_lesson(*app.ls.current, a.seed, now_ms);
      return false;
    }
    last = *f;
  }
  // Show it as the learner left it: the question now asked with its inputs
  // ready (advance does nothing on an unanswered question), and the last
  // verdict: a miss on that question, or a right answer with the narration
  // that followed it.
  const bool narration = app.ls.run->awaiting_continue();
  if (!narration) app.lesson_advance();
  if (!a.answers.empty() && (narration || !last.correct)) app.lesson_feedback(last);
  t.key = run_key(*app.ls.run);
  t.opened_ms = app.ls.started_ms;
  t.times.clear();
  for (const AttemptAnswer& x : a.answers) t.times.push_back(x.t);
  t.attempt = a.attempt;
  t.attempts[l.id] = a.attempt;
  return true;
}

}  // namespace tcplab
