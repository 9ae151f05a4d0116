// The page's side of a SCORM package (see scorm.h). The SCORM data model
// itself (1.2 or 2004 names, formats, Commit, Finish) is scorm.js's: this
// side only says what happened in the lesson.
#include "scorm.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "lesson_attempt.h"
#include "json.h"

namespace tcplab {
namespace {

extern "C" {
int tcplab_js_scorm_start(char* buf, int size);
void tcplab_js_scorm(const char* json);
}

struct Scorm {
  bool active = false;
  std::string version, learner, suspend, resume_error;
  bool resumed = false;
  std::string run_key;          // the run whose answers were sent
  std::size_t answers_sent = 0;
  std::uint32_t completions_seen = 0;
  bool completion_baseline = false;
};

Scorm s;

std::string str_field(const JsonValue& v, const char* key) {
  const JsonValue* f = v.find(key);
  return f && f->is_string() ? f->string : std::string();
}

std::string num(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", d);
  return buf;
}

std::string key_of(const LessonRun& r) { return r.lesson().id + "#" + std::to_string(r.seed()); }

// One answer as scorm.js turns it into a cmi.interactions entry.
std::string answer_json(const Attempt& a, std::size_t i, const Question* q) {
  const AttemptAnswer& x = a.answers[i];
  const double before = i == 0 ? 0.0 : a.answers[i - 1].t;
  std::string j = "{\"id\":" + json_quote(x.given.question) + ",\"kind\":\"" + question_kind_name(x.given.kind) +
                  "\",\"value\":" + json_quote(x.given.value) + ",\"correct\":" + (x.given.correct ? "true" : "false") +
                  ",\"points\":" + num(x.given.points) + ",\"latency\":" + num(std::max(0.0, x.t - before));
  if (q && q->kind == QuestionKind::Choose) j += ",\"choices\":" + std::to_string(q->choices.size());
  return j + "}";
}

const Question* question_by_id(const Lesson& l, const std::string& id) {
  for (const LessonStep& st : l.steps)
    if (st.kind == LessonStep::Kind::Ask && st.question.id == id) return &st.question;
  return nullptr;
}

}  // namespace

void scorm_init() {
  std::vector<char> buf(16384);
  const int n = tcplab_js_scorm_start(buf.data(), static_cast<int>(buf.size()));
  if (n < 0) return;
  if (n >= static_cast<int>(buf.size())) {
    buf.resize(static_cast<std::size_t>(n) + 1);
    tcplab_js_scorm_start(buf.data(), static_cast<int>(buf.size()));
  }
  JsonValue v;
  JsonError e;
  if (!parse_json(buf.data(), v, e) || !v.is_object()) return;
  const JsonValue* active = v.find("active");
  s.active = active && active->is_bool() && active->boolean;
  s.version = str_field(v, "version");
  s.learner = str_field(v, "learner");
  s.suspend = str_field(v, "suspend");
}

bool scorm_active() { return s.active; }

std::optional<std::uint64_t> scorm_learner_seed(const std::string& lesson) {
  if (!s.active || s.learner.empty()) return std::nullopt;
  // FNV-1a: the same learner gets the same numbers in every session and
  // on every machine; another learner gets others.
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s.learner + "\n" + lesson) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h % 9007199254740991ull + 1;  // 1 .. 2^53-1, as seed= accepts
}

void scorm_resume(App& app, double now_ms) {
  if (!s.active || s.resumed) return;
  s.resumed = true;
  if (s.suspend.empty()) return;
  Attempt a;
  std::string why;
  if (!parse_attempt(s.suspend, a, why) || !attempt_resume(app, a, now_ms, why)) {
    s.resume_error = why;
    tcplab_js_scorm(("{\"kind\":\"resumeFailed\",\"reason\":" + json_quote(why) + "}").c_str());
    return;
  }
  // What the record holds is in the LMS already.
  s.run_key = key_of(*app.ls.run);
  s.answers_sent = a.answers.size();
  s.completions_seen = app.ls.completions;
  s.completion_baseline = true;
}

void scorm_after_frame(const App& app) {
  if (!s.active) return;
  if (!s.completion_baseline) {
    s.completion_baseline = true;
    s.completions_seen = app.ls.completions;
  }
  if (app.mode != Mode::Lesson || !app.ls.run) return;
  const LessonRun& run = *app.ls.run;
  if (key_of(run) != s.run_key) {
    s.run_key = key_of(run);
    s.answers_sent = 0;
  }
  const std::optional<Attempt> a = attempt_current(app);
  if (!a) return;
  const std::size_t stamped = std::min(attempt_stamped(), a->answers.size());
  if (stamped < s.answers_sent) s.answers_sent = stamped;  // undone answers stay in the LMS's log
  for (; s.answers_sent < stamped; ++s.answers_sent) {
    const Question* q = question_by_id(run.lesson(), a->answers[s.answers_sent].given.question);
    tcplab_js_scorm(("{\"kind\":\"answer\",\"answer\":" + answer_json(*a, s.answers_sent, q) +
                     ",\"record\":" + json_quote(attempt_to_json(*a)) + "}").c_str());
  }
  if (app.ls.completions != s.completions_seen) {
    s.completions_seen = app.ls.completions;
    const LessonScore sc = run.score();
    const double pct = sc.questions ? 100.0 * sc.points / sc.questions : 100.0;
    tcplab_js_scorm(("{\"kind\":\"complete\",\"points\":" + num(sc.points) + ",\"questions\":" +
                     std::to_string(sc.questions) + ",\"percent\":" + num(pct) + ",\"record\":" +
                     json_quote(attempt_to_json(*a)) + "}").c_str());
  }
}

std::string scorm_state_field() {
  return "\"scorm\":{\"active\":" + std::string(s.active ? "true" : "false") + ",\"version\":" + json_quote(s.version) +
         ",\"learner\":" + json_quote(s.learner) + ",\"resumeError\":" + json_quote(s.resume_error) + "}";
}

}  // namespace tcplab
