// Lessons (lesson.h), part 3 of 6: the run. The simulation a lesson sets up,
// its steps and actions (a timer never fires early), the checks of a do
// step's expect, and what selectors read from the engine.
#include "lesson.h"

#include <algorithm>
#include <utility>

#include "json.h"
#include "lesson_detail.h"

namespace tcplab {

using namespace lesson_detail;

//-----------------------------------------------------------------------------
// [SECTION] The run: settings, steps and actions
//-----------------------------------------------------------------------------

SimConfig lesson_sim_config(const LessonSetup& setup, std::uint64_t seed) {
  SimConfig c;
  c.seed = seed;
  c.keep_trace = true;
  c.net.latency_ms = setup.latency_ms;
  c.net.jitter_ms = 0;
  c.net.loss_ppm = c.net.dup_ppm = c.net.reorder_ppm = 0;
  c.net.auto_deliver = false;  // `do` steps move segments: the learner has time to think
  for (int h = 0; h < 2; ++h) {
    EndpointConfig& e = c.endpoint[h];
    e.rfc5961 = setup.rfc5961;
    e.delayed_ack = setup.delayed_ack;
    e.close_on_fin = h == HOST_B && setup.close_on_fin;  // the server is the passive closer
    e.rto_initial_ms = setup.rto_ms;
    e.rto_max_ms = std::max<Duration>(60000, setup.rto_ms);
    e.max_retransmits = setup.max_retransmits;
    e.msl_ms = setup.msl_ms;
    e.rcv_wnd = setup.rcv_wnd;
    // Without setup.iss the ISNs come from the seed.
    c.iss[h].assign(setup.iss[h].begin(), setup.iss[h].end());
  }
  // A valid setup (max_retransmits -1, rto_ms 1) and a long advance_ms
  // would otherwise freeze the validator and the page (issue 18, D3).
  c.budget = RUN_BUDGET_DEFAULT;
  return c;
}

const std::vector<std::uint64_t>& lesson_validation_seeds() {
  // 6308073: A's first ISS is 2^32-77; 28064216: B's first ISS is 2^32-44
  // (found by search; tests/unit/test_lesson_runner.cpp checks they still are).
  static const std::vector<std::uint64_t> SEEDS = {1, 2, 3, 6308073, 28064216};
  return SEEDS;
}

LessonRun::LessonRun(const Lesson& lesson, std::uint64_t seed)
    : lesson_(&lesson), seed_(seed), sim_(lesson_sim_config(lesson.setup, seed)) {
  score_.questions = lesson.question_count();
  settle();
}

const LessonStep* LessonRun::current() const { return finished() ? nullptr : &lesson_->steps[step_]; }

const Question* LessonRun::question() const {
  const LessonStep* s = current();
  return s != nullptr && s->kind == LessonStep::Kind::Ask ? &s->question : nullptr;
}

const Text* LessonRun::narration() const {
  if (const LessonStep* s = current())
    if (s->kind != LessonStep::Kind::Ask && s->has_say) return &s->say;
  return narration_;
}

namespace {

Instant timer_deadline(const Endpoint& ep, TimerKind k) {
  switch (k) {
    case TimerKind::Retransmit: return ep.timers().retransmit;
    case TimerKind::TimeWait: return ep.timers().time_wait;
    case TimerKind::DelayedAck: return ep.timers().delayed_ack;
  }
  return NEVER;
}

const char* timer_key(TimerKind k) {
  switch (k) {
    case TimerKind::Retransmit: return "retransmit";
    case TimerKind::TimeWait: return "time_wait";
    case TimerKind::DelayedAck: return "delayed_ack";
  }
  return "?";
}

std::string ms_text(Instant t) { return seconds_text(t) + " s"; }

}  // namespace

void LessonRun::run_do(const LessonStep& s) {
  const std::size_t from = sim_.trace().size();
  for (const LessonAction& a : s.actions) {
    auto problem = [&](const std::string& m) { problems_.push_back(LessonError{lesson_->file, a.path, m}); };
    if (sim_.over_budget() != BudgetField::None) return;  // said once, at the action that went over
    const int dir = a.host & 1;
    switch (a.kind) {
      case LessonAction::Kind::Call:
        sim_.call(a.host, a.call, a.bytes);
        break;
      case LessonAction::Kind::Deliver:
      case LessonAction::Kind::DeliverAll: {
        std::size_t n = sim_.network().in_flight(dir).size();
        if (n == 0) {
          problem(std::string("no segment in flight ") + DIR_NAMES[dir] + " to deliver");
          break;
        }
        if (a.kind == LessonAction::Kind::Deliver) n = 1;
        // The link's latency passes first, so the ladder shows time; a timer
        // due meanwhile fires (a real retransmission).
        sim_.advance_to(sim_.now() + lesson_->setup.latency_ms);
        for (std::size_t i = 0; i < n; ++i) sim_.deliver_oldest(dir);
        break;
      }
      case LessonAction::Kind::Drop:
        if (!sim_.drop_oldest(dir)) problem(std::string("no segment in flight ") + DIR_NAMES[dir] + " to drop");
        break;
      case LessonAction::Kind::Inject: {
        Segment seg;
        seg.flags = a.flags;
        seg.len = a.len;
        seg.wnd = lesson_->setup.rcv_wnd;
        if (!eval_expression(a.seq, sim_, &seg.seq) ||
            ((a.flags & FLAG_ACK) && !eval_expression(a.ack, sim_, &seg.ack))) {
          problem("the segment's seq or ack does not evaluate");
          break;
        }
        sim_.inject(a.host, seg);
        break;
      }
      case LessonAction::Kind::Timer:
      case LessonAction::Kind::Until: {
        // A timer never fires before its deadline (RFC 9293 3.10.8: it fires
        // when it expires), so the clock, the ladder and 2*MSL agree.
        const Instant due = timer_deadline(sim_.endpoint(a.host), a.timer);
        const std::string name = std::string(HOST_NAMES[a.host & 1]) + "'s " + timer_key(a.timer) + " timer";
        if (due == NEVER) {
          problem(name + " is not running");
        } else if (a.kind == LessonAction::Kind::Until) {
          sim_.advance_to(std::max(due, sim_.now()));
        } else if (due > sim_.now()) {
          problem(name + " would fire early: it is due at " + ms_text(due) + ", the clock is at " +
                  ms_text(sim_.now()) + " (write {\"until\": {\"timer\": \"" + HOST_NAMES[a.host & 1] +
                  "\", \"kind\": \"" + timer_key(a.timer) + "\"}} to let the time pass)");
        } else {
          sim_.fire_timer(a.host, a.timer);
        }
        break;
      }
      case LessonAction::Kind::Advance:
        sim_.advance_to(sim_.now() + a.advance_ms);
        break;
    }
    if (sim_.over_budget() != BudgetField::None) problem(budget_message(sim_.over_budget(), sim_.config().budget));
  }
  if (s.expect) check_expect(*s.expect, from);
}

// A do step's expect against what the step did (README: expect on do steps).
void LessonRun::check_expect(const StepExpect& e, std::size_t from) {
  auto problem = [&](const std::string& path, const std::string& m) {
    problems_.push_back(LessonError{lesson_->file, path, m});
  };
  for (int h = 0; h < 2; ++h) {
    const State now = sim_.endpoint(h).state();
    if (e.state[h] && *e.state[h] != now)
      problem(at(e.path, HOST_NAMES[h]),
              std::string("the engine says ") + state_name(now) + ", the lesson says " + state_name(*e.state[h]));
  }
  if (!e.check_emitted) return;
  std::vector<const Event*> sent;
  for (std::size_t k = from; k < sim_.trace().size(); ++k)
    if (sim_.trace()[k].kind == EventKind::Sent) sent.push_back(&sim_.trace()[k]);
  const std::string ep = at(e.path, "emitted");
  for (std::size_t i = 0; i < std::max(sent.size(), e.emitted.size()); ++i) {
    if (i >= sent.size()) return problem(at(ep, i), "the engine sent only " + std::to_string(sent.size()) + " segment(s)");
    const std::string got = std::string(HOST_NAMES[sent[i]->host & 1]) + " sent " + segment_label(sent[i]->seg);
    if (i >= e.emitted.size()) return problem(ep, "the engine also sent segment [" + std::to_string(i) + "]: " + got);
    if (!emitted_matches(e.emitted[i], *sent[i])) return problem(at(ep, i), "does not match: " + got);
  }
}

bool LessonRun::emitted_matches(const ExpectedSegment& x, const Event& sent) const {
  const Segment& g = sent.seg;
  const std::uint8_t mask = static_cast<std::uint8_t>(~FLAG_PSH);
  std::uint32_t v = 0;
  if ((sent.host & 1) != x.from || (g.flags & mask) != (x.flags & mask) || g.len != x.len) return false;
  if (!x.seq.empty() && (!eval_expression(x.seq, sim_, &v) || v != g.seq)) return false;
  return x.ack.empty() || (eval_expression(x.ack, sim_, &v) && v == g.ack);
}

namespace {

// The run's segments as order items, "client -> server: SYN seq=...", with
// the ones lost on the way and the retransmissions marked: a ladder with a
// loss reads differently from one without.
std::vector<Text> segment_items(const Trace& trace, const HostNames& n) {
  std::vector<Text> out;
  for (std::size_t k = 0; k < trace.size(); ++k) {
    const Event& e = trace[k];
    if (e.kind != EventKind::Sent) continue;
    const int h = e.host & 1;
    bool lost = false, again = false;
    for (std::size_t j = k + 1; j < trace.size() && e.seg_id != 0; ++j)
      lost = lost || ((trace[j].kind == EventKind::Dropped || trace[j].kind == EventKind::Lost) &&
                      trace[j].seg_id == e.seg_id);
    const bool occupies = e.seg.has(FLAG_SYN) || e.seg.has(FLAG_FIN) || e.seg.len > 0;
    for (std::size_t j = 0; j < k && occupies; ++j)
      again = again || (trace[j].kind == EventKind::Sent && (trace[j].host & 1) == h && trace[j].seg.seq == e.seg.seq &&
                        trace[j].seg.flags == e.seg.flags && trace[j].seg.len == e.seg.len);
    const std::string label = segment_label(e.seg);
    Text t = both(host_short(n, h, Lang::En) + " -> " + host_short(n, h ^ 1, Lang::En) + ": " + label,
                  host_short(n, h, Lang::Zh) + " -> " + host_short(n, h ^ 1, Lang::Zh) + "：" + label);
    if (again) t = both(t.en + " (retransmitted)", t.zh + "（重传）");
    if (lost) t = both(t.en + " (lost)", t.zh + "（丢失）");
    out.push_back(t);
  }
  return out;
}

}  // namespace

void LessonRun::settle() {
  while (!finished()) {
    const LessonStep& s = lesson_->steps[step_];
    switch (s.kind) {
      case LessonStep::Kind::Say:
        narration_ = &s.say;
        return;
      case LessonStep::Kind::Do:
        run_do(s);
        if (s.has_say) {  // shown with what it did; the learner continues
          narration_ = &s.say;
          return;
        }
        narration_ = nullptr;
        ++step_;
        break;
      case LessonStep::Kind::Ask: {
        misses_ = 0;
        shuffle_.clear();
        order_right_.clear();
        const Question& q = s.question;
        prepare_ladder(q);
        if (q.kind != QuestionKind::Order) return;
        if (q.order_segments) {
          order_right_ = segment_items(sim_.trace(), names());
        } else {
          order_right_ = q.items;
        }
        // The shuffle comes from the seed and the step; never the right order.
        const std::size_t n = order_right_.size();
        for (std::size_t i = 0; i < n; ++i) shuffle_.push_back(static_cast<int>(i));
        Rng rng(seed_ * 0x9E3779B97F4A7C15ull ^ (static_cast<std::uint64_t>(step_) + 1) * 0xD1B54A32D192ED03ull);
        for (std::size_t i = n; i > 1; --i)
          std::swap(shuffle_[i - 1], shuffle_[rng.below(static_cast<std::uint32_t>(i))]);
        bool identity = true;
        for (std::size_t i = 0; i < n; ++i) identity = identity && shuffle_[i] == static_cast<int>(i);
        if (identity && n >= 2) std::rotate(shuffle_.begin(), shuffle_.begin() + 1, shuffle_.end());
        prepare_order(q);
        return;
      }
    }
  }
}

void LessonRun::advance() {
  if (finished() || question() != nullptr) return;
  ++step_;
  settle();
}

void LessonRun::next_step() {
  ++step_;
  misses_ = 0;
  narration_ = nullptr;
  settle();
}

std::vector<Text> LessonRun::order_items() const {
  std::vector<Text> out;
  for (int i : shuffle_) out.push_back(order_right_[static_cast<std::size_t>(i)]);
  return out;
}

namespace lesson_detail {

// The text with its placeholders filled; {answer} by `answer` (nullptr:
// left as written).
std::string fill_text(const std::string& text, const Simulation& sim, const LessonSetup& setup,
                      const std::string* answer) {
  std::vector<Piece> pieces;
  std::string error;
  if (!split_text(text, pieces, error)) return text;
  std::string out;
  for (const Piece& p : pieces) {
    if (!p.placeholder) {
      out += p.text;
      continue;
    }
    switch (p.ph.kind) {
      case PlaceholderKind::Var: out += std::to_string(placeholder_value(p.ph, sim)); break;
      case PlaceholderKind::Answer: out += answer != nullptr ? *answer : p.text; break;
      case PlaceholderKind::MslS: out += seconds_text(setup.msl_ms); break;
      case PlaceholderKind::RtoS: out += seconds_text(setup.rto_ms); break;
      case PlaceholderKind::LatencyMs: out += std::to_string(setup.latency_ms); break;
      case PlaceholderKind::NowS: out += seconds_text(sim.now()); break;
      case PlaceholderKind::Bytes: out += std::to_string(last_send_octets(sim)); break;
    }
  }
  return out;
}

std::string call_on(const HostNames& n, int host, Call c, std::uint32_t bytes, Lang lang) {
  std::string call = call_text(c, lang);
  if (lang == Lang::Zh) {
    if (c == Call::Send) call += "（" + std::to_string(bytes) + " 字节）";
    return "在" + host_zh(n, host) + "上调用 " + call;
  }
  if (c == Call::Send) call += " (" + std::to_string(bytes) + (bytes == 1 ? " octet)" : " octets)");
  return call + " on " + host_en(n, host, false);
}

// Why `host` is in its state: the engine's sentence for the event that
// caused its last state change (a verdict, a call or a timer).
Text host_story(const Simulation& sim, int host, const HostNames& n) {
  const Trace& t = sim.trace();
  std::size_t change = t.size();
  for (std::size_t k = t.size(); k-- > 0;)
    if (t[k].kind == EventKind::StateChanged && (t[k].host & 1) == host) {
      change = k;
      break;
    }
  const std::string s = state_name(sim.endpoint(host).state());
  if (change == t.size())
    return both(host_en(n, host, true) + " is in " + s + ".", host_zh(n, host) + "处于 " + s + " 状态。");
  const Event* cause = &t[change];
  for (std::size_t k = change; k-- > 0;) {
    const Event& e = t[k];
    if ((e.host & 1) != host) continue;
    if (e.kind == EventKind::Accepted || e.kind == EventKind::Rejected || e.kind == EventKind::Call ||
        e.kind == EventKind::TimerFired) {
      cause = &e;
      break;
    }
  }
  return both(describe_event(*cause, Lang::En, n), describe_event(*cause, Lang::Zh, n));
}

// The goal's states that do not hold, as sentences.
Text state_misses(const std::optional<State> want[2], const Simulation& sim, const HostNames& n) {
  Text out;
  for (int h = 0; h < 2; ++h) {
    if (!want[h]) continue;
    const State now = sim.endpoint(h).state();
    if (now == *want[h]) continue;
    append(out, both(host_en(n, h, true) + " should end in " + state_name(*want[h]) + " but is in " + state_name(now) + ".",
                     host_zh(n, h) + "应当进入 " + state_name(*want[h]) + " 状态，实际处于 " + state_name(now) + " 状态。"));
  }
  return out;
}

// "2", "2 and 3", "1, 2 and 4".
std::string positions_en(const std::vector<int>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += i + 1 == v.size() ? " and " : ", ";
    out += std::to_string(v[i]);
  }
  return out;
}

std::string positions_zh(const std::vector<int>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i > 0 ? "、" : "") + std::to_string(v[i]);
  return out;
}

}  // namespace lesson_detail

const HostNames& LessonRun::names() const { return host_names(lesson_->client_server); }

std::string LessonRun::fill(const std::string& text, Lang lang) const {
  if (text.find('{') == std::string::npos) return text;
  const std::string answer = question() != nullptr ? answer_text(lang) : std::string();
  return fill_text(text, sim_, lesson_->setup, question() != nullptr ? &answer : nullptr);
}

Text LessonRun::fill(const Text& text) const {
  Text out;
  out.en = fill(text.en, Lang::En);
  out.zh = fill(text.zh, Lang::Zh);
  return out;
}

bool LessonRun::solution_segment(Segment* out) const {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Act || !q->goal.segment) return false;
  const ActSolution& s = q->solution;
  Segment seg;
  seg.flags = s.flags;
  seg.len = s.len;
  seg.wnd = lesson_->setup.rcv_wnd;
  if (!eval_expression(s.seq, sim_, &seg.seq)) return false;
  if ((s.flags & FLAG_ACK) && !eval_expression(s.ack, sim_, &seg.ack)) return false;
  *out = seg;
  return true;
}

std::string LessonRun::answer_text(Lang lang) const {
  const Question* q = question();
  if (q == nullptr) return {};
  const bool zh = lang == Lang::Zh;
  auto plain = [&](const Text& t) { return fill_text(t.get(lang), sim_, lesson_->setup, nullptr); };
  switch (q->kind) {
    case QuestionKind::State: return state_name(sim_.endpoint(q->host).state());
    case QuestionKind::Number: {
      bool ok = false;
      const std::uint32_t v = selector_value(q->value, &ok);
      return ok ? std::to_string(v) : "?";
    }
    case QuestionKind::Choose: {
      std::string out;
      for (const Choice& c : q->choices)
        if (c.correct) out += (out.empty() ? "" : (zh ? "；" : "; ")) + plain(c.text);
      return out;
    }
    case QuestionKind::Order: {
      std::string out;
      for (const Text& t : order_right_) out += (out.empty() ? "" : (zh ? "；" : "; ")) + plain(t);
      return out;
    }
    case QuestionKind::Classify: {
      std::string out;
      for (const ClassifyItem& it : q->sort_items)
        out += (out.empty() ? "" : (zh ? "；" : "; ")) + plain(it.text) + (zh ? "：" : ": ") +
               plain(q->classes[static_cast<std::size_t>(it.cls)]);
      return out;
    }
    case QuestionKind::Blanks: {
      std::string out;
      for (const Blank& b : q->blanks) out += (out.empty() ? "" : (zh ? "；" : "; ")) + blank_answer(b);
      return out;
    }
    case QuestionKind::Ladder:
      for (std::size_t i = 0; i < ladder_options_.size(); ++i)
        if (ladder_options_[i].mutation < 0)
          return (zh ? "时序图 " : "ladder ") + std::string(1, static_cast<char>('A' + i));
      return "?";
    case QuestionKind::Act: {
      if (q->goal.call) return call_on(names(), q->host, *q->solution.call, q->solution.bytes, lang);
      Segment s;
      if (!solution_segment(&s)) return "?";
      if (zh) return host_zh(names(), q->host) + "发送 " + segment_label(s);
      return host_en(names(), q->host, false) + " sends " + segment_label(s);
    }
  }
  return {};
}

namespace {

// When `host` reaches CLOSED if the conversation goes on by itself: every
// segment in flight arrives one latency after it left, timers fire at
// their deadlines, nobody calls anything. NEVER if it does not (a copy of
// the simulation runs; the run itself is untouched).
Instant closed_at(Simulation sim, int host, Duration latency) {
  for (int guard = 0; guard < 1000; ++guard) {
    if (sim.endpoint(host).state() == State::Closed) return sim.now();
    Instant arrive = NEVER;
    int dir = -1;
    for (int d = 0; d < 2; ++d) {
      const InFlightQueue& q = sim.network().in_flight(d);
      if (q.empty()) continue;
      const Instant t = std::max(q.front().sent_at + latency, sim.now());
      if (t < arrive) arrive = t, dir = d;
    }
    const Instant timer = sim.next_deadline();
    if (dir < 0 && timer == NEVER) return NEVER;
    if (dir >= 0 && arrive <= timer) {
      sim.advance_to(arrive);
      sim.deliver_oldest(dir);
    } else {
      sim.advance_to(timer);
    }
  }
  return NEVER;
}

// Data octets `host` has put on the wire, each sequence number once.
std::uint32_t data_octets_sent(const Trace& trace, int host) {
  std::vector<std::pair<Seq, std::uint32_t>> seen;
  std::uint32_t total = 0;
  for (const Event& e : trace) {
    if (e.kind != EventKind::Sent || (e.host & 1) != host || e.seg.len == 0) continue;
    const std::pair<Seq, std::uint32_t> key{e.seg.seq, e.seg.len};
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    total += e.seg.len;
  }
  return total;
}

}  // namespace

std::uint32_t LessonRun::selector_value(const Selector& s, bool* ok) const { return selector_value(s, ok, nullptr); }

std::uint32_t LessonRun::selector_value(const Selector& s, bool* ok, std::string* why) const {
  auto fail = [&](const std::string& reason) -> std::uint32_t {
    if (ok != nullptr) *ok = false;
    if (why != nullptr) *why = reason;
    return 0;
  };
  auto field = [&](const Segment& seg, const std::string& what) -> std::uint32_t {
    if (s.ack_field && !seg.has(FLAG_ACK)) return fail(what + " " + segment_label(seg) + " carries no ACK");
    if (ok != nullptr) *ok = true;
    return s.ack_field ? seg.ack : seg.seq;
  };
  const int h = s.host & 1;
  switch (s.kind) {
    case Selector::Kind::Reply: {
      const InFlightQueue& q = sim_.network().in_flight(h ^ 1);
      if (q.empty()) return fail(std::string("no segment is in flight towards ") + HOST_NAMES[h]);
      const Prediction p = sim_.predict(h, q.front().seg);
      if (p.replies.empty())
        return fail(std::string(HOST_NAMES[h]) + " would not reply to " + segment_label(q.front().seg));
      return field(p.replies.front(), std::string(HOST_NAMES[h]) + "'s reply");
    }
    case Selector::Kind::Sent: {
      std::vector<const Segment*> sent;
      for (const Event& e : sim_.trace())
        if (e.kind == EventKind::Sent && (e.host & 1) == h) sent.push_back(&e.seg);
      if (sent.empty()) return fail(std::string(HOST_NAMES[h]) + " has sent no segment");
      const std::size_t k = s.index < 0 ? sent.size() - 1 : static_cast<std::size_t>(s.index);
      if (k >= sent.size())
        return fail(std::string(HOST_NAMES[h]) + " has sent " + std::to_string(sent.size()) +
                    " segment(s): there is no segment [" + std::to_string(k) + "]");
      return field(*sent[k], std::string(HOST_NAMES[h]) + "'s segment");
    }
    case Selector::Kind::Var: {
      const int v = var_index(s.var);
      if (v < 0) return fail("unknown variable " + s.var);
      if (ok != nullptr) *ok = true;
      return var_value(sim_, h, v);
    }
    case Selector::Kind::ClosedMs: {
      Instant first_fin = NEVER;
      for (const Event& e : sim_.trace())
        if (e.kind == EventKind::Sent && e.seg.has(FLAG_FIN)) {
          first_fin = e.time;
          break;
        }
      if (first_fin == NEVER) return fail("no FIN has been sent yet");
      const Instant closed = closed_at(sim_, h, lesson_->setup.latency_ms);
      if (closed == NEVER) return fail(std::string(HOST_NAMES[h]) + " does not reach CLOSED by itself");
      if (ok != nullptr) *ok = true;
      return static_cast<std::uint32_t>(closed - first_fin);
    }
    case Selector::Kind::Octets: {
      if (ok != nullptr) *ok = true;
      return data_octets_sent(sim_.trace(), h);
    }
  }
  return fail("?");
}

std::optional<std::uint32_t> LessonRun::number_value(std::string* why) const {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Number) {
    if (why != nullptr) *why = "the current step is not a number question";
    return std::nullopt;
  }
  bool ok = false;
  const std::uint32_t v = selector_value(q->value, &ok, why);
  if (!ok) return std::nullopt;
  return v;
}

}  // namespace tcplab
