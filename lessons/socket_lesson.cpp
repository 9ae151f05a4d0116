// Socket lessons: loader, validator and runner (socket_lesson.h). The
// World at any point is the lesson's socket scenario run up to there, so
// the engine's own scenario runner does the work and checks every expect.
#include "socket_lesson.h"

#include <algorithm>

#include "json.h"
#include "socket_scenario_step.h"

namespace tcplab {
namespace {

std::string at(const std::string& path, std::string_view key) { return JsonReader::key_path(path, key); }
std::string at(const std::string& path, std::size_t i) { return JsonReader::index_path(path, i); }

// {"en": ..., "zh": ...}, both non-empty: every lesson text is bilingual.
bool get_text(JsonReader& rd, const JsonValue& obj, const std::string& path, std::string_view key, bool required,
              Text& out) {
  const JsonValue* v = rd.member(obj, path, key, required);
  if (!v) return !required && rd.ok();
  const std::string p = at(path, key);
  if (!rd.expect_object(*v, p)) return false;
  const JsonValue* en = rd.member(*v, p, "en", true);
  const JsonValue* zh = rd.member(*v, p, "zh", true);
  if (!en || !zh || !rd.get_string(*en, at(p, "en"), out.en) || !rd.get_string(*zh, at(p, "zh"), out.zh)) return false;
  if (out.en.empty()) return rd.fail(at(p, "en"), "empty text");
  if (out.zh.empty()) return rd.fail(at(p, "zh"), "empty text");
  return true;
}

bool parse_call_name(std::string_view name, SockCall& out) {
  for (int c = 0; c <= static_cast<int>(SockCall::SetSockOpt); ++c)
    if (name == sock_call_name(static_cast<SockCall>(c))) {
      out = static_cast<SockCall>(c);
      return true;
    }
  return false;
}

// Keys a socket lesson may have at each level; "_" keys are comments.
bool known_keys(JsonReader& rd, const JsonValue& obj, const std::string& path,
                std::initializer_list<std::string_view> keys) {
  for (const std::string& k : obj.keys) {
    if (!k.empty() && k[0] == '_') continue;
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) return rd.fail(at(path, k), "unknown field");
  }
  return true;
}

struct Parser {
  JsonReader rd;
  SocketLesson l;
  JsonValue steps;  // the scenario's steps, gathered in order
  std::vector<const JsonValue*> host_names;

  bool choices(const JsonValue& q, const std::string& p, SockQuestion& out) {
    const JsonValue* cs = rd.member(q, p, "choices", true);
    if (!cs || !rd.expect_array(*cs, at(p, "choices"))) return false;
    int right = 0;
    for (std::size_t i = 0; i < cs->size(); ++i) {
      const std::string cp = at(at(p, "choices"), i);
      const JsonValue& c = cs->items[i];
      Choice ch;
      if (!rd.expect_object(c, cp) || !known_keys(rd, c, cp, {"text", "correct", "explain"}) ||
          !get_text(rd, c, cp, "text", true, ch.text))
        return false;
      if (const JsonValue* k = rd.member(c, cp, "correct", false); k && !rd.get_bool(*k, at(cp, "correct"), ch.correct))
        return false;
      // Every wrong answer is a misconception: it says why it is wrong.
      if (!get_text(rd, c, cp, "explain", !ch.correct, ch.explain)) return false;
      right += ch.correct ? 1 : 0;
      out.choices.push_back(ch);
    }
    if (out.choices.size() < 2) return rd.fail(at(p, "choices"), "at least two choices");
    if (right != 1) return rd.fail(at(p, "choices"), "exactly one choice must be correct");
    return true;
  }

  bool act(const JsonValue& q, const std::string& p, SockQuestion& out) {
    const JsonValue* sol = rd.member(q, p, "solution", true);
    if (!sol || !rd.expect_object(*sol, at(p, "solution"))) return false;
    SockStep st;
    if (!parse_sock_step(rd, *sol, at(p, "solution"), l.scenario.hosts, st)) return false;
    if (st.kind != SockStepKind::Call) return rd.fail(at(p, "solution"), "an act's solution is a call");
    out.host = st.host;
    out.call = st.call;
    if (const JsonValue* w = rd.member(q, p, "wrong", false)) {
      if (!rd.expect_array(*w, at(p, "wrong"))) return false;
      for (std::size_t i = 0; i < w->size(); ++i) {
        const std::string wp = at(at(p, "wrong"), i);
        SockWrongCall wc;
        const JsonValue* c = rd.member(w->items[i], wp, "call", true);
        std::string name;
        if (!c || !rd.get_string(*c, at(wp, "call"), name)) return false;
        if (!parse_call_name(name, wc.call)) return rd.fail(at(wp, "call"), "not a socket call: " + name);
        if (!get_text(rd, w->items[i], wp, "explain", true, wc.explain)) return false;
        out.wrong.push_back(wc);
      }
    }
    out.solution = steps.items.size();
    steps.items.push_back(*sol);
    l.step_paths.push_back(at(p, "solution"));
    return true;
  }

  bool question(const JsonValue& q, const std::string& p, SockQuestion& out) {
    if (!rd.expect_object(q, p) ||
        !known_keys(rd, q, p, {"id", "kind", "prompt", "hint", "explain", "choices", "solution", "wrong"}))
      return false;
    const JsonValue* id = rd.member(q, p, "id", true);
    const JsonValue* kind = rd.member(q, p, "kind", true);
    std::string k;
    if (!id || !rd.get_string(*id, at(p, "id"), out.id) || !kind || !rd.get_string(*kind, at(p, "kind"), k)) return false;
    if (!get_text(rd, q, p, "prompt", true, out.prompt) || !get_text(rd, q, p, "hint", false, out.hint) ||
        !get_text(rd, q, p, "explain", true, out.explain))
      return false;
    if (k == "choose") {
      out.kind = SockQuestion::Kind::Choose;
      return choices(q, p, out);
    }
    if (k == "act") {
      out.kind = SockQuestion::Kind::Act;
      return act(q, p, out);
    }
    return rd.fail(at(p, "kind"), "a socket lesson asks \"choose\" or \"act\", not \"" + k + "\"");
  }

  bool step(const JsonValue& s, const std::string& p) {
    SockLessonStep st;
    if (!rd.expect_object(s, p) || !known_keys(rd, s, p, {"say", "do", "ask"})) return false;
    st.has_say = s.find("say") != nullptr;
    if (!get_text(rd, s, p, "say", false, st.say)) return false;
    if (const JsonValue* d = s.find("do")) {
      st.kind = SockLessonStep::Kind::Do;
      if (!rd.expect_array(*d, at(p, "do"))) return false;
      for (std::size_t i = 0; i < d->size(); ++i) {
        SockStep x;
        if (!parse_sock_step(rd, d->items[i], at(at(p, "do"), i), l.scenario.hosts, x)) return false;
        steps.items.push_back(d->items[i]);
        l.step_paths.push_back(at(at(p, "do"), i));
      }
    } else if (const JsonValue* a = s.find("ask")) {
      st.kind = SockLessonStep::Kind::Ask;
      if (!question(*a, at(p, "ask"), st.question)) return false;
    } else if (!st.has_say) {
      return rd.fail(p, "a step has say, do or ask");
    }
    st.scenario_end = steps.items.size();
    l.steps.push_back(st);
    return true;
  }

  // The setup is a socket scenario's: loaded by the engine's own loader.
  bool setup(const JsonValue& root) {
    const JsonValue* s = rd.member(root, "", "setup", true);
    if (!s) return false;
    JsonValue scn;
    scn.type = JsonType::Object;
    scn.keys = {"id", "setup", "steps"};
    JsonValue id;
    id.type = JsonType::String;
    id.string = l.id;
    JsonValue empty;
    empty.type = JsonType::Array;
    scn.items = {id, *s, empty};
    if (const JsonValue* prof = root.find("profile")) {
      scn.keys.push_back("profile");
      scn.items.push_back(*prof);
    }
    SocketScenarioFile f = load_socket_scenarios(json_write(scn), l.file);
    if (!f.ok()) return rd.fail("setup", f.errors.front());
    l.scenario = f.scenarios.front();
    return true;
  }

  bool parse(const JsonValue& root) {
    if (!rd.expect_object(root, "") ||
        !known_keys(rd, root, "", {"kind", "id", "version", "order", "title", "summary", "profile", "setup", "steps",
                                   "expect_error"}))
      return false;
    const JsonValue* id = rd.member(root, "", "id", true);
    if (!id || !rd.get_string(*id, "id", l.id)) return false;
    std::int64_t n = 1;
    if (const JsonValue* v = root.find("version"); v && !rd.get_int(*v, "version", 1, 1000000, n)) return false;
    l.version = static_cast<int>(n);
    n = 0;
    if (const JsonValue* v = root.find("order"); v && !rd.get_int(*v, "order", 0, 1000000, n)) return false;
    l.order = static_cast<int>(n);
    if (!get_text(rd, root, "", "title", true, l.title) || !get_text(rd, root, "", "summary", true, l.summary))
      return false;
    if (!setup(root)) return false;
    steps.type = JsonType::Array;
    const JsonValue* ss = rd.member(root, "", "steps", true);
    if (!ss || !rd.expect_array(*ss, "steps")) return false;
    for (std::size_t i = 0; i < ss->size(); ++i)
      if (!step(ss->items[i], at(std::string("steps"), i))) return false;
    l.scenario.steps = steps;
    return true;
  }
};

}  // namespace

bool is_socket_lesson_text(std::string_view text) {
  JsonValue v;
  JsonError e;
  if (!parse_json(text, v, e) || !v.is_object()) return false;
  const JsonValue* k = v.find("kind");
  return k && k->is_string() && k->string == "sockets";
}

int SocketLesson::question_count() const {
  int n = 0;
  for (const SockLessonStep& s : steps) n += s.kind == SockLessonStep::Kind::Ask ? 1 : 0;
  return n;
}

std::optional<SocketLesson> parse_socket_lesson(std::string_view json, const std::string& file,
                                                std::vector<LessonError>& errors) {
  JsonValue root;
  JsonError je;
  if (!parse_json(json, root, je)) {
    errors.push_back(LessonError{file, "", je.message, je.line, je.column});
    return std::nullopt;
  }
  Parser p;
  p.l.file = file;
  if (!p.parse(root)) {
    const std::string& e = p.rd.error();
    const std::size_t colon = e.find(": ");
    errors.push_back(LessonError{file, colon == std::string::npos ? "" : e.substr(0, colon),
                                 colon == std::string::npos ? e : e.substr(colon + 2)});
    return std::nullopt;
  }
  return p.l;
}

bool validate_socket_lesson(const SocketLesson& l, std::vector<LessonError>& errors) {
  const std::size_t before = errors.size();
  SocketScenarioRun r = run_socket_scenario(l.scenario, false);
  if (!r.passed) {
    const std::string path = r.failed_step < l.step_paths.size() ? l.step_paths[r.failed_step] : "steps";
    errors.push_back(LessonError{l.file, at(path, "expect"), "the engine says otherwise: " + r.failure});
  }
  // Played with the right answers, the run ends, and every question counts.
  SocketLessonRun run(l);
  for (int guard = 0; guard < 1000 && !run.finished(); ++guard) {
    if (run.question()) run.solve();
    else run.advance();
  }
  if (!run.finished()) errors.push_back(LessonError{l.file, "steps", "the lesson does not end when played right"});
  if (run.score().answered != l.question_count())
    errors.push_back(LessonError{l.file, "steps", "a question is not answered right by its solution"});
  return errors.size() == before;
}

SocketLessonRun::SocketLessonRun(const SocketLesson& lesson) : lesson_(&lesson) {
  score_.questions = lesson.question_count();
  run_to(0);
  settle();
}

void SocketLessonRun::run_to(std::size_t end) {
  SocketScenario prefix = lesson_->scenario;
  prefix.steps.items.resize(std::min(end, prefix.steps.items.size()));
  world_ = run_socket_scenario(prefix, false).world;
  done_ = end;
}

const SockQuestion* SocketLessonRun::question() const {
  if (finished()) return nullptr;
  const SockLessonStep& s = lesson_->steps[step_];
  return s.kind == SockLessonStep::Kind::Ask ? &s.question : nullptr;
}

// Do steps without narration run at once; a say or a narrated do waits for
// Continue; an ask waits for its answer.
void SocketLessonRun::settle() {
  while (!finished()) {
    const SockLessonStep& s = lesson_->steps[step_];
    if (s.kind == SockLessonStep::Kind::Ask) return;
    if (s.kind == SockLessonStep::Kind::Do) run_to(s.scenario_end);
    if (s.has_say) {
      narration_ = &s.say;
      return;
    }
    ++step_;
  }
}

void SocketLessonRun::advance() {
  if (finished() || question()) return;
  ++step_;
  settle();
}

Feedback SocketLessonRun::grade(bool correct, const Text& specific) {
  Feedback f;
  f.correct = correct;
  f.message = specific;
  if (correct) {
    f.points = misses_ == 0 ? 1.0 : 0.5;
    score_.points += f.points;
    ++score_.answered;
    if (misses_ == 0) ++score_.first_try;
    misses_ = 0;
    const SockLessonStep& s = lesson_->steps[step_];
    run_to(s.scenario_end);
    ++step_;
    settle();
  } else {
    ++misses_;
    f.hint_offered = misses_ >= 2;
  }
  return f;
}

Feedback SocketLessonRun::answer_choice(int picked) {
  const SockQuestion* q = question();
  if (!q || q->kind != SockQuestion::Kind::Choose || picked < 0 ||
      picked >= static_cast<int>(q->choices.size()))
    return Feedback{};
  const Choice& c = q->choices[static_cast<std::size_t>(picked)];
  Text msg = c.correct ? q->explain : c.explain;
  return grade(c.correct, msg);
}

Feedback SocketLessonRun::act_call(int host, SockCall call) {
  const SockQuestion* q = question();
  if (!q || q->kind != SockQuestion::Kind::Act) return Feedback{};
  if (host == q->host && call == q->call) return grade(true, q->explain);
  for (const SockWrongCall& w : q->wrong)
    if (w.call == call && host == q->host) return grade(false, w.explain);
  return grade(false, q->hint.en.empty() ? Text{"Not that call: read the question again.", "不是这个调用：请再读一遍题目。"}
                                         : q->hint);
}

Feedback SocketLessonRun::solve() {
  const SockQuestion* q = question();
  if (!q) return Feedback{};
  if (q->kind == SockQuestion::Kind::Act) return act_call(q->host, q->call);
  for (std::size_t i = 0; i < q->choices.size(); ++i)
    if (q->choices[i].correct) return answer_choice(static_cast<int>(i));
  return Feedback{};
}

Feedback SocketLessonRun::answer_wrong() {
  const SockQuestion* q = question();
  if (!q) return Feedback{};
  if (q->kind == SockQuestion::Kind::Act) {
    const SockCall other = q->call == SockCall::Close ? SockCall::Recv : SockCall::Close;
    return act_call(q->host, q->wrong.empty() ? other : q->wrong.front().call);
  }
  for (std::size_t i = 0; i < q->choices.size(); ++i)
    if (!q->choices[i].correct) return answer_choice(static_cast<int>(i));
  return Feedback{};
}

}  // namespace tcplab
