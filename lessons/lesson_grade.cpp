// Lessons (lesson.h), part 4 of 6: answers and grading. Act questions are
// graded by performing the learner's call or segment on the simulation
// itself; a wrong act is undone.
#include "lesson.h"

#include <algorithm>
#include <utility>

#include "json.h"
#include "lesson_detail.h"

namespace tcplab {

using namespace lesson_detail;

//-----------------------------------------------------------------------------
// [SECTION] Answers and grading
//-----------------------------------------------------------------------------

Feedback LessonRun::not_graded(const Text& message) const {
  Feedback f;
  f.message = message;
  f.hint_offered = misses_ >= 2;
  return f;
}

Feedback LessonRun::grade(bool correct, Text specific) {
  return grade_with(correct, specific, fill(question()->explain));
}

Feedback LessonRun::grade_with(bool correct, const Text& specific, const Text& explain) {
  const Question& q = *question();
  Feedback f;
  f.correct = correct;
  // The log of given answers: what makes an attempt re-gradable.
  giving_.question = q.id;
  giving_.kind = q.kind;
  giving_.correct = correct;
  giving_.points = correct ? (misses_ == 0 ? 1.0 : misses_ == 1 ? 0.5 : 0.0) : 0.0;
  given_.push_back(giving_);
  if (correct) {
    // README: 1 point at the first try, 0.5 at the second, 0 later.
    f.points = misses_ == 0 ? 1.0 : misses_ == 1 ? 0.5 : 0.0;
    f.message = both("Correct.", "正确。");
    append(f.message, specific);
    append(f.message, explain);
    f.hint_offered = misses_ >= 2;
    score_.points += f.points;
    ++score_.answered;
    if (misses_ == 0) ++score_.first_try;
    next_step();
    return f;
  }
  ++misses_;
  f.hint_offered = misses_ >= 2;
  f.message = both("Not quite.", "不对。");
  append(f.message, specific);
  append(f.message, explain);
  if (q.arc) {
    f.arc = q.arc;
  } else if (q.kind == QuestionKind::State) {
    const Trace& t = sim_.trace();
    for (std::size_t k = t.size(); k-- > 0;)
      if (t[k].kind == EventKind::StateChanged && (t[k].host & 1) == q.host) {
        f.arc = Arc{q.host, t[k].from, t[k].to};
        break;
      }
  }
  return f;
}

namespace {
std::string int_list(const std::vector<int>& v) {
  std::string out;
  for (int i : v) out += (out.empty() ? "" : ",") + std::to_string(i);
  return out;
}

Text no_question(QuestionKind k) {
  return both(std::string("There is no ") + question_kind_name(k) + " question to answer now.",
              std::string("现在没有要回答的 ") + question_kind_name(k) + " 类问题。");
}
}  // namespace

Feedback LessonRun::answer_state(std::string_view text) {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::State) return not_graded(no_question(QuestionKind::State));
  const std::string typed(trim(text));
  giving_.value = typed;
  const std::optional<ParsedState> p = parse_state(typed);
  const State actual = sim_.endpoint(q->host).state();
  if (!p)
    return not_graded(both(json_quote(typed) + " is not a state name. The states are " + STATE_LIST + ".",
                           "“" + typed + "”不是状态名。状态有 " + STATE_LIST + "。"));
  Text specific;
  if (p->misspelling) {
    specific = both(typed + " is a common misspelling: the state is called " + state_name(p->state) + ".",
                    typed + " 是常见的误写：正确的状态名是 " + state_name(p->state) + "。");
    if (p->state == actual) return grade(false, specific);
  } else if (p->state == actual) {
    return grade(true, Text{});
  }
  for (const Mistake& m : q->mistakes)
    if (m.answer == p->state) append(specific, fill(m.explain));
  append(specific, host_story(sim_, q->host, names()));
  return grade(false, specific);
}

Feedback LessonRun::answer_number(std::uint32_t value) {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Number) return not_graded(no_question(QuestionKind::Number));
  bool ok = false;
  const std::uint32_t right = selector_value(q->value, &ok);
  if (!ok) return not_graded(both("This question has no answer in this run.", "这道题在本次运行中没有答案。"));
  giving_.value = std::to_string(value);
  if (value == right) return grade(true, Text{});
  Text specific;
  if (static_cast<std::uint32_t>(value + 1) == right || static_cast<std::uint32_t>(right + 1) == value)
    specific = both("You are off by one.", "差了 1。");
  return grade(false, specific);
}

Feedback LessonRun::answer_number_text(std::string_view text) {
  const std::string_view t = trim(text);
  bool good = !t.empty() && t.size() <= 20;
  std::uint64_t v = 0;
  for (char ch : t) {
    if (!is_digit(ch)) good = false;
    if (good) v = (v * 10 + static_cast<std::uint64_t>(ch - '0')) & 0xFFFFFFFFull;  // modulo 2^32
  }
  if (!good) return not_graded(both("Type a number, such as 1001.", "请输入一个数，例如 1001。"));
  return answer_number(static_cast<std::uint32_t>(v));
}

Feedback LessonRun::answer_choices(const std::vector<int>& picked_in) {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Choose) return not_graded(no_question(QuestionKind::Choose));
  std::vector<int> picked;
  for (int i : picked_in)
    if (i >= 0 && static_cast<std::size_t>(i) < q->choices.size()) picked.push_back(i);
  std::sort(picked.begin(), picked.end());
  picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
  if (picked.empty()) return not_graded(both("Pick a choice first.", "请先选择一个选项。"));
  if (!q->multiple && picked.size() > 1) return not_graded(both("Pick exactly one choice.", "请只选择一个选项。"));
  giving_.value = int_list(picked);
  Text specific;
  bool correct = true;
  for (int i : picked) {
    append(specific, fill(q->choices[static_cast<std::size_t>(i)].explain));
    correct = correct && q->choices[static_cast<std::size_t>(i)].correct;
  }
  if (q->multiple && correct) {
    // Every pick is right; all the right ones must be picked too.
    std::size_t right = 0;
    for (const Choice& c : q->choices) right += c.correct ? 1 : 0;
    if (right != picked.size()) {
      correct = false;
      append(specific, both("Some correct choices are missing.", "还有正确的选项没有选。"));
    }
  }
  return grade(correct, specific);
}

namespace {

// The engine's sentence for a right act, unless the lesson's explanation
// already cites the same rule: one RFC sentence said twice reads as a
// stutter (review L12).
Text unless_repeated(const Text& said, Reason reason, const Text& explain) {
  const std::string cite = rfc_citation(reason, Lang::En);
  if (!cite.empty() && explain.en.find(cite) != std::string::npos) return Text{};
  return said;
}

}  // namespace

Feedback LessonRun::act_call(int host, Call call, std::uint32_t octets) {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Act) return not_graded(no_question(QuestionKind::Act));
  const ActGoal& g = q->goal;
  host &= 1;
  giving_.value = "call:" + std::to_string(host) + ":" + call_name(call) + ":" + std::to_string(octets);
  const Text explain = fill(q->explain);  // in terms of the situation asked about
  if (!g.call)
    return grade_with(false,
                      both("This task asks you to build a segment on " + host_en(names(), q->host, false) + ", not to make a call.",
                           "本题要求你在" + host_zh(names(), q->host) + "上构造一个报文段，而不是调用。"),
                      explain);
  Simulation before = sim_;
  const std::size_t begin = sim_.trace().size();
  sim_.call(host, call, octets);
  Text said;
  Reason said_reason = Reason::None;
  bool refused = true;
  for (std::size_t k = begin; k < sim_.trace().size(); ++k) {
    const Event& e = sim_.trace()[k];
    if ((e.host & 1) == host && (e.kind == EventKind::Call || e.kind == EventKind::CallError)) {
      said = both(describe_event(e, Lang::En, names()), describe_event(e, Lang::Zh, names()));
      said_reason = e.reason;
      refused = e.kind == EventKind::CallError;
      break;
    }
  }
  Text specific;
  if (host != q->host)
    append(specific, both("This task is about " + host_en(names(), q->host, false) + ".", "本题针对的是" + host_zh(names(), q->host) + "。"));
  if (call != *g.call)
    append(specific, both(std::string("The task asks for ") + call_text(*g.call, Lang::En) + ".",
                          std::string("本题要求调用 ") + call_text(*g.call, Lang::Zh) + "。"));
  append(specific, said);
  const Text misses = state_misses(g.state, sim_, names());
  append(specific, misses);
  const bool ok = !refused && host == q->host && call == *g.call && misses.en.empty();
  if (ok) return grade_with(true, unless_repeated(said, said_reason, explain), explain);
  sim_ = std::move(before);  // undone: the learner tries again from the same point
  return grade_with(false, specific, explain);
}

Feedback LessonRun::act_segment(int host, const Segment& seg) {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Act) return not_graded(no_question(QuestionKind::Act));
  const ActGoal& g = q->goal;
  host &= 1;
  giving_.value = "segment:" + std::to_string(host) + ":" + std::to_string(seg.flags) + ":" + std::to_string(seg.seq) +
                  ":" + std::to_string(seg.ack) + ":" + std::to_string(seg.len) + ":" + std::to_string(seg.wnd);
  const Text explain = fill(q->explain);
  if (!g.segment)
    return grade_with(false,
                      both("This task asks for a call: " + call_on(names(), q->host, *g.call, q->solution.bytes, Lang::En) +
                               ", not a hand-built segment.",
                           "本题要求的是调用：" + call_on(names(), q->host, *g.call, q->solution.bytes, Lang::Zh) +
                               "，而不是手工构造报文段。"),
                      explain);
  const Text mistakes = segment_mistakes(host, seg);  // named before the segment changes the run
  Simulation before = sim_;
  const std::size_t begin = sim_.trace().size();
  const int peer = host ^ 1;
  // The segment leaves `host` and reaches the peer at once.
  sim_.deliver(sim_.send_raw(host, seg));
  Text said;
  Reason said_reason = Reason::None;
  bool rejected = true;
  for (std::size_t k = begin; k < sim_.trace().size(); ++k) {
    const Event& e = sim_.trace()[k];
    if ((e.host & 1) == peer && (e.kind == EventKind::Accepted || e.kind == EventKind::Rejected)) {
      said = both(describe_event(e, Lang::En, names()), describe_event(e, Lang::Zh, names()));
      said_reason = e.reason;
      rejected = reason_rejects(e.reason);
      break;
    }
  }
  Text specific;
  if (host != q->host)
    append(specific, both("This task is about " + host_en(names(), q->host, false) + ".", "本题针对的是" + host_zh(names(), q->host) + "。"));
  append(specific, said);
  bool ok = !rejected && host == q->host;
  if (g.peer_state && sim_.endpoint(peer).state() != *g.peer_state) {
    std::optional<State> want[2];
    want[peer] = g.peer_state;
    append(specific, state_misses(want, sim_, names()));
    ok = false;
  }
  const Text misses = state_misses(g.state, sim_, names());
  append(specific, misses);
  ok = ok && misses.en.empty();
  if (ok) return grade_with(true, unless_repeated(said, said_reason, explain), explain);
  append(specific, mistakes);
  sim_ = std::move(before);
  return grade_with(false, specific, explain);
}

}  // namespace tcplab
