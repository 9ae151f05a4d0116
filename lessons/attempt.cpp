// Attempt records (attempt.h): writing, reading, replaying and re-grading.
//
// [SECTION] Writing
// [SECTION] Reading
// [SECTION] Replaying one answer
// [SECTION] Re-grading
#include "attempt.h"

#include <cmath>
#include <cstdio>

#include "json.h"

namespace tcplab {

namespace {

constexpr QuestionKind KINDS[] = {QuestionKind::State, QuestionKind::Number, QuestionKind::Choose,
                                  QuestionKind::Order, QuestionKind::Act, QuestionKind::Classify,
                                  QuestionKind::Blanks, QuestionKind::Ladder};
constexpr Call CALLS[] = {Call::OpenPassive, Call::OpenActive, Call::Send, Call::Close, Call::Abort};
constexpr std::uint64_t MAX_SEED = 9007199254740992ull;  // 2^53, as the page accepts

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", s);
  return buf;
}

std::string points_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", p);
  return buf;
}

}  // namespace

// [SECTION] Writing

std::string attempt_to_json(const Attempt& a) {
  std::string s = "{\"v\":1,\"lesson\":" + json_quote(a.lesson) + ",\"version\":" + std::to_string(a.version) +
                  ",\"seed\":" + std::to_string(a.seed) + ",\"attempt\":" + std::to_string(a.attempt) + ",\"answers\":[";
  for (std::size_t i = 0; i < a.answers.size(); ++i) {
    const AttemptAnswer& x = a.answers[i];
    // Points as halves (2, 1, 0): integers keep the record short and exact.
    s += (i ? "," : "") + std::string("[") + json_quote(x.given.question) + ",\"" +
         question_kind_name(x.given.kind) + "\"," + json_quote(x.given.value) + "," + seconds_text(x.t) + "," +
         std::to_string(static_cast<int>(std::lround(x.given.points * 2))) + "]";
  }
  s += "]";
  if (a.score) s += ",\"score\":" + points_text(*a.score);
  if (a.questions) s += ",\"questions\":" + std::to_string(*a.questions);
  return s + "}";
}

Attempt attempt_of(const LessonRun& run, int attempt, const std::vector<double>& times) {
  Attempt a;
  a.lesson = run.lesson().id;
  a.version = run.lesson().version;
  a.seed = run.seed();
  a.attempt = attempt;
  const std::vector<GivenAnswer>& given = run.given();
  for (std::size_t i = 0; i < given.size(); ++i) a.answers.push_back({given[i], i < times.size() ? times[i] : 0.0});
  if (run.finished()) {
    a.score = run.score().points;
    a.questions = run.score().questions;
  }
  return a;
}

// [SECTION] Reading

namespace {

bool read_answer(JsonReader& r, const JsonValue& v, const std::string& path, AttemptAnswer& out) {
  if (!r.expect_array(v, path)) return false;
  if (v.size() != 5) return r.fail(path, "expected [question, kind, value, seconds, half points], got " +
                                             std::to_string(v.size()) + " items");
  std::string kind;
  double t = 0;
  std::int64_t halves = 0;
  if (!r.get_string(v.items[0], JsonReader::index_path(path, 0), out.given.question) ||
      !r.get_string(v.items[1], JsonReader::index_path(path, 1), kind) ||
      !r.get_string(v.items[2], JsonReader::index_path(path, 2), out.given.value) ||
      !r.get_number(v.items[3], JsonReader::index_path(path, 3), t) ||
      !r.get_int(v.items[4], JsonReader::index_path(path, 4), 0, 2, halves))
    return false;
  bool known = false;
  for (QuestionKind k : KINDS)
    if (kind == question_kind_name(k)) {
      out.given.kind = k;
      known = true;
    }
  if (!known) return r.fail(JsonReader::index_path(path, 1), "expected one of state, number, choose, order, act, classify, blanks, ladder");
  if (!(t >= 0 && t < 1e9)) return r.fail(JsonReader::index_path(path, 3), "expected seconds from 0");
  out.t = t;
  out.given.points = static_cast<double>(halves) / 2.0;
  out.given.correct = halves > 0;
  return true;
}

}  // namespace

bool parse_attempt(std::string_view json, Attempt& out, std::string& error) {
  JsonValue doc;
  JsonError je;
  if (!parse_json(json, doc, je)) {
    error = "line " + std::to_string(je.line) + ", column " + std::to_string(je.column) + ": " + je.message;
    return false;
  }
  JsonReader r;
  out = Attempt{};
  std::int64_t n = 0;
  if (r.expect_object(doc, "attempt")) {
    if (const JsonValue* v = r.member(doc, "attempt", "v", true))
      if (r.get_int(*v, "v", 1, 1, n)) {}
    if (const JsonValue* v = r.member(doc, "attempt", "lesson", true)) r.get_string(*v, "lesson", out.lesson);
    if (const JsonValue* v = r.member(doc, "attempt", "version", true))
      if (r.get_int(*v, "version", 1, 1000000, n)) out.version = static_cast<int>(n);
    if (const JsonValue* v = r.member(doc, "attempt", "seed", true))
      if (r.get_int(*v, "seed", 1, static_cast<std::int64_t>(MAX_SEED), n)) out.seed = static_cast<std::uint64_t>(n);
    if (const JsonValue* v = r.member(doc, "attempt", "attempt", false))
      if (r.get_int(*v, "attempt", 1, 1000000, n)) out.attempt = static_cast<int>(n);
    if (const JsonValue* v = r.member(doc, "attempt", "answers", true))
      if (r.expect_array(*v, "answers"))
        for (std::size_t i = 0; i < v->size() && r.ok(); ++i) {
          AttemptAnswer a;
          if (read_answer(r, v->items[i], JsonReader::index_path("answers", i), a)) out.answers.push_back(a);
        }
    double score = 0;
    if (const JsonValue* v = r.member(doc, "attempt", "score", false))
      if (r.get_number(*v, "score", score)) out.score = score;
    if (const JsonValue* v = r.member(doc, "attempt", "questions", false))
      if (r.get_int(*v, "questions", 0, 100000, n)) out.questions = static_cast<int>(n);
  }
  if (!r.ok()) error = r.error();
  return r.ok();
}

// [SECTION] Replaying one answer

namespace {

bool parse_u32(const std::string& s, std::uint32_t& out) {
  if (s.empty() || s.size() > 10) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > 0xFFFFFFFFull) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == sep) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

bool int_list(const std::string& s, std::vector<int>& out) {
  for (const std::string& part : split(s, ',')) {
    std::uint32_t v = 0;
    if (!parse_u32(part, v) || v > 1000) return false;
    out.push_back(static_cast<int>(v));
  }
  return true;
}

std::optional<Feedback> replay_act(LessonRun& run, const std::string& value, std::string& why) {
  const std::vector<std::string> f = split(value, ':');
  std::uint32_t n[6] = {};
  if (f[0] == "call" && f.size() == 4 && parse_u32(f[1], n[0]) && n[0] <= 1 && parse_u32(f[3], n[1]))
    for (Call c : CALLS)
      if (f[2] == call_name(c)) return run.act_call(static_cast<int>(n[0]), c, n[1]);
  if (f[0] == "segment" && f.size() == 7) {
    bool ok = true;
    for (int i = 0; i < 6; ++i) ok = ok && parse_u32(f[static_cast<std::size_t>(i) + 1], n[i]);
    if (ok && n[0] <= 1 && n[1] <= 0xFF) {
      Segment s;
      s.flags = static_cast<std::uint8_t>(n[1]);
      s.seq = n[2];
      s.ack = n[3];
      s.len = n[4];
      s.wnd = n[5];
      return run.act_segment(static_cast<int>(n[0]), s);
    }
  }
  why = "not an act answer (call:<host>:<call>:<octets> or segment:<host>:<flags>:<seq>:<ack>:<len>:<wnd>)";
  return std::nullopt;
}

}  // namespace

std::optional<Feedback> replay_answer(LessonRun& run, const GivenAnswer& g, std::string& why) {
  while (run.awaiting_continue()) run.advance();
  const Question* q = run.question();
  if (q == nullptr) {
    why = "the lesson has no question left";
    return std::nullopt;
  }
  if (q->id != g.question || q->kind != g.kind) {
    why = "the lesson asks \"" + q->id + "\" (" + question_kind_name(q->kind) + ") here, not \"" + g.question +
          "\" (" + question_kind_name(g.kind) + ")";
    return std::nullopt;
  }
  std::uint32_t n = 0;
  std::vector<int> list;
  switch (g.kind) {
    case QuestionKind::State: return run.answer_state(g.value);
    case QuestionKind::Number:
      if (parse_u32(g.value, n)) return run.answer_number(n);
      break;
    case QuestionKind::Choose:
      if (int_list(g.value, list)) return run.answer_choices(list);
      break;
    case QuestionKind::Order:
      if (int_list(g.value, list)) return run.answer_order(list);
      break;
    case QuestionKind::Act: return replay_act(run, g.value, why);
    case QuestionKind::Classify:
      if (int_list(g.value, list)) return run.answer_classify(list);
      break;
    case QuestionKind::Blanks: {
      std::vector<std::string> parts(1);
      for (char ch : g.value) {
        if (ch == '|') parts.emplace_back();
        else parts.back() += ch;
      }
      return run.answer_blanks(parts);
    }
    case QuestionKind::Ladder:
      if (parse_u32(g.value, n)) return run.answer_ladder(static_cast<int>(n));
      break;
  }
  why = "malformed value \"" + g.value + "\" for a " + question_kind_name(g.kind) + " question";
  return std::nullopt;
}

// [SECTION] Re-grading

Regrade regrade_attempt(const Lesson& lesson, const Attempt& a) {
  Regrade out;
  if (a.lesson != lesson.id || a.version != lesson.version) {
    out.error = "the record is of lesson \"" + a.lesson + "\" version " + std::to_string(a.version) +
                ", the file is \"" + lesson.id + "\" version " + std::to_string(lesson.version);
    return out;
  }
  LessonRun run(lesson, a.seed);
  for (std::size_t i = 0; i < a.answers.size(); ++i) {
    const GivenAnswer& g = a.answers[i].given;
    std::string why;
    const std::optional<Feedback> f = replay_answer(run, g, why);
    if (!f) {
      out.error = "answer " + std::to_string(i + 1) + ": " + why;
      out.score = run.score();
      return out;
    }
    if (f->correct != g.correct || std::fabs(f->points - g.points) > 1e-9)
      out.mismatches.push_back("answer " + std::to_string(i + 1) + " (question \"" + g.question + "\", " + g.value +
                               "): recorded " + points_text(g.points) + " points, re-graded " +
                               points_text(f->points));
  }
  while (run.awaiting_continue()) run.advance();
  out.replayed = true;
  out.finished = run.finished();
  out.score = run.score();
  if (a.score && std::fabs(*a.score - out.score.points) > 1e-9)
    out.mismatches.push_back("reported score " + points_text(*a.score) + ", re-graded " + points_text(out.score.points));
  if (a.questions && *a.questions != out.score.questions)
    out.mismatches.push_back("reported " + std::to_string(*a.questions) + " questions, the lesson has " +
                             std::to_string(out.score.questions));
  return out;
}

}  // namespace tcplab
