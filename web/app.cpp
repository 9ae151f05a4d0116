#include "app.h"

#include <algorithm>
#include <cmath>

#include "exam.h"
#include "json.h"

namespace tcplab {

std::uint64_t seed_from_entropy(double entropy) {
  Rng r(static_cast<std::uint64_t>(std::fabs(entropy) * 4294967296.0));
  // Seeds stay below 10^9 so a learner can read and type them.
  return 1 + r.below(999999999u);
}

SimConfig App::make_config() const {
  SimConfig c;
  c.seed = seed;
  for (EndpointConfig& e : c.endpoint) {
    e.rfc5961 = settings.rfc5961;
    e.delayed_ack = settings.delayed_ack;
    e.rto_initial_ms = settings.rto_ms;
    e.max_retransmits = settings.max_retransmits;
    e.msl_ms = settings.msl_ms;
    e.oow_ack_interval_ms = 500;  // as Linux: no endless ACK ping-pong in free play
  }
  // Only the server (B) closes at once when the client's FIN arrives.
  c.endpoint[HOST_B].close_on_fin = settings.close_on_fin;
  c.net.latency_ms = settings.latency_ms;
  c.net.loss_ppm = static_cast<std::uint32_t>(settings.loss_percent) * 10000u;
  c.net.auto_deliver = true;
  // A shared run or a learner's clicks must not ask for endless work: the
  // engine's limits, with fewer segments in flight since the ladder draws
  // every one (issue 18: 1,400 made each frame take seconds).
  c.budget = RUN_BUDGET_DEFAULT;
  c.budget.in_flight = 500;
  return c;
}

void App::reset(std::uint64_t new_seed) {
  seed = new_seed;
  sim = Simulation(make_config());
  history.clear();
  for (SegmentBuilder& b : builder) b = SegmentBuilder{};
  for (std::string& f : feedback) f.clear();
  watched_trace = 0;
  watched_seg[0] = watched_seg[1] = 0;
  clock_carry = 0;
  run_log.clear();
  run_settings = settings;
  auto_act();
  refresh_builders();
}

void App::log_action(const Command& c) {
  if (mode != Mode::Sandbox) return;
  RunAction a;
  a.t = sim.now();
  a.cmd = c;
  a.settings = settings;
  run_log.push_back(a);
}

void App::advance(Instant t) {
  if (role == Role::Both || mode != Mode::Sandbox) {
    sim.advance_to(t);
    return;
  }
  auto_act();
  // Bounded: each pass processes at least the events due at one instant.
  for (int guard = 0; guard < 100000; ++guard) {
    const Instant due = sim.next_deadline();
    if (due == NEVER || due > t) break;
    sim.advance_to(due);
    auto_act();
  }
  sim.advance_to(t);
}

void App::auto_act() {
  if (role == Role::Both || mode != Mode::Sandbox) return;
  const int me = role == Role::Client ? HOST_A : HOST_B;
  const int peer = 1 - me;
  const State mine = sim.endpoint(me).state();
  const State theirs = sim.endpoint(peer).state();
  if (role == Role::Client && theirs == State::Closed) {
    // A server: always listening for the learner's client.
    sim.call(peer, Call::OpenPassive);
  } else if (role == Role::Server && theirs == State::Closed && mine == State::Listen) {
    // A client: connects whenever the learner's server listens.
    sim.call(peer, Call::OpenActive);
  } else if (theirs == State::CloseWait) {
    // Both: the application closes its side once the peer has closed.
    sim.call(peer, Call::Close);
  }
}

void App::remember(const std::string& label) {
  history.push_back(UndoPoint{sim, label, run_log.size()});
  // Keep the history bounded; the oldest points go first.
  if (history.size() > 200) history.erase(history.begin());
}

bool App::apply_pending() {
  if (pending.empty()) return false;
  std::vector<Command> todo;
  todo.swap(pending);
  static const char* HOST[2] = {"client", "server"};
  for (const Command& c : todo) {
    switch (c.kind) {
      case CommandKind::Call:
        if (mode == Mode::Replay) break;  // the capture drives the hosts
        if (LessonRun* r = active_run()) {
          const Question* q = active_question();
          if (q && q->kind == QuestionKind::Act) lesson_feedback(r->act_call(c.host, c.call, c.octets));
          break;
        }
        remember(std::string(HOST[c.host & 1]) + ": " + call_name(c.call));
        log_action(c);
        sim.call(c.host, c.call, c.octets);
        break;
      case CommandKind::SendSegment:
        if (mode == Mode::Replay) break;
        if (LessonRun* r = active_run()) {
          const Question* q = active_question();
          if (q && q->kind == QuestionKind::Act) lesson_feedback(r->act_segment(c.host, c.seg));
          break;
        }
        remember(std::string(HOST[c.host & 1]) + ": " + segment_label(c.seg));
        log_action(c);
        watched_seg[c.host & 1] = sim.send_raw(c.host, c.seg);
        feedback[c.host & 1].clear();
        builder[c.host & 1].edited = false;
        break;
      case CommandKind::Drop:
        if (mode == Mode::Sandbox && sim.network().find(c.seg_id)) {
          remember("drop #" + std::to_string(c.seg_id));
          log_action(c);
          sim.drop(c.seg_id);
        }
        break;
      case CommandKind::Deliver:
        if (mode == Mode::Sandbox && sim.network().find(c.seg_id)) {
          remember("deliver #" + std::to_string(c.seg_id));
          log_action(c);
          sim.deliver(c.seg_id);
        }
        break;
      case CommandKind::Step:
        if (mode == Mode::Sandbox && busy()) {
          remember("skip to next event");
          log_action(c);
          sim.step_next();
        }
        break;
      case CommandKind::Undo:
        if (mode == Mode::Sandbox && c.index >= 0 && static_cast<std::size_t>(c.index) < history.size()) {
          sim = history[static_cast<std::size_t>(c.index)].sim;
          if (history[static_cast<std::size_t>(c.index)].log_len < run_log.size())
            run_log.resize(history[static_cast<std::size_t>(c.index)].log_len);
          history.resize(static_cast<std::size_t>(c.index));
          for (SegmentBuilder& b : builder) b.edited = false;
          watched_trace = 0;
        }
        break;
      case CommandKind::Reset:
        if (mode == Mode::Replay) {  // a new run ends the replay
          mode = Mode::Sandbox;
          cap.replay.reset();
        }
        reset(c.seed);
        break;
      case CommandKind::Settings: {
        // Settings apply from now on: the endpoints keep their TCBs.
        SimConfig cfg = make_config();
        for (int h = 0; h < 2; ++h) sim.endpoint(h).config() = cfg.endpoint[h];
        sim.network().config = cfg.net;
        log_action(c);
        break;
      }
      case CommandKind::OpenLesson:
        if (c.index >= 0) open_lesson(static_cast<std::size_t>(c.index), c.seed, c.at_ms);
        break;
      case CommandKind::StartExam:
        start_exam(c.seed, 10);
        ls.started_ms = c.at_ms;
        break;
    }
  }
  auto_act();
  update_feedback();
  refresh_builders();
  return true;
}

bool App::tick(double real_ms) {
  // In a lesson the steps move time; nothing moves by itself.
  if (!playing || !busy() || mode != Mode::Sandbox) {
    clock_carry = 0;
    return false;
  }
  clock_carry += real_ms * speed;
  const auto whole = static_cast<Duration>(clock_carry);
  if (whole <= 0) return true;
  clock_carry -= static_cast<double>(whole);
  const std::size_t before = sim.trace().size();
  advance(sim.now() + whole);
  if (sim.trace().size() != before) {
    update_feedback();
    refresh_builders();
  }
  return true;
}

void App::update_feedback() {
  // The verdict on a hand-built segment, in the engine's words.
  const Trace& t = sim.trace();
  if (watched_trace > t.size()) watched_trace = 0;
  for (std::size_t i = watched_trace; i < t.size(); ++i) {
    const Event& e = t[i];
    for (int h = 0; h < 2; ++h) {
      if (watched_seg[h] == 0 || e.seg_id != watched_seg[h]) continue;
      if (e.kind == EventKind::Accepted || e.kind == EventKind::Rejected || e.kind == EventKind::Lost ||
          e.kind == EventKind::Dropped)
        feedback[h] = describe_event(e, lang);
    }
  }
  watched_trace = t.size();
}

void App::refresh_builders() {
  for (int h = 0; h < 2; ++h) {
    SegmentBuilder& b = builder[h];
    const Endpoint& e = sim.endpoint(h);
    if (b.edited && b.filled_for == e.state()) continue;
    const Tcb& t = e.tcb();
    b = SegmentBuilder{};
    b.filled_for = e.state();
    switch (e.state()) {
      case State::Closed:
      case State::Listen: {
        // A SYN with an initial sequence number of the learner's (no ISS
        // exists yet): derived from the seed, so a run replays.
        Rng r(seed * 2 + static_cast<std::uint64_t>(h) + 1);
        b.syn = true;
        b.ack = false;
        b.seq = r.next_u32();
        break;
      }
      case State::SynSent:
        b.syn = true;
        b.ack = false;
        b.seq = t.iss;
        break;
      case State::SynReceived:
        b.syn = true;
        b.ack = true;
        b.seq = t.iss;
        b.ack_no = t.rcv_nxt;
        break;
      case State::Established:
      case State::FinWait1:
      case State::FinWait2:
      case State::CloseWait:
      case State::Closing:
      case State::LastAck:
      case State::TimeWait:
        b.ack = true;
        b.seq = t.snd_nxt;
        b.ack_no = t.rcv_nxt;
        break;
    }
  }
}

Segment App::built_segment(int host) const {
  const SegmentBuilder& b = builder[host & 1];
  Segment s;
  s.flags = static_cast<std::uint8_t>((b.syn ? FLAG_SYN : 0) | (b.ack ? FLAG_ACK : 0) |
                                      (b.fin ? FLAG_FIN : 0) | (b.rst ? FLAG_RST : 0));
  s.seq = b.seq;
  s.ack = b.ack ? b.ack_no : 0;
  s.len = b.len;
  s.wnd = sim.endpoint(host).config().rcv_wnd;
  return s;
}

//-----------------------------------------------------------------------------
// Lessons and exams
//-----------------------------------------------------------------------------

void App::add_lesson_text(const std::string& json, const std::string& name) {
  std::vector<LessonError> errors;
  std::optional<Lesson> l = load_lesson(json, name, errors);
  if (!l) {
    for (const LessonError& e : errors) ls.errors.push_back(e.text());
    if (errors.empty()) ls.errors.push_back(name + ": could not be loaded");
    return;
  }
  // Added as another entry even when its id is known: runs in progress keep
  // pointing at the lesson they started with.
  ls.lessons.push_back(std::move(*l));
}

const LessonRun* App::active_run() const {
  if (mode == Mode::Lesson && ls.run) return &*ls.run;
  if (mode == Mode::Exam && ls.exam_pos < ls.exam.size()) return &ls.exam[ls.exam_pos].run;
  return nullptr;
}

LessonRun* App::active_run() { return const_cast<LessonRun*>(static_cast<const App*>(this)->active_run()); }

const Question* App::active_question() const {
  const LessonRun* r = active_run();
  if (!r) return nullptr;
  const LessonStep* s = r->current();
  return s && s->kind == LessonStep::Kind::Ask ? &s->question : nullptr;
}

namespace {
// Resets what the learner composes for a new question.
void prepare_inputs(LessonState& ls, const LessonRun& run) {
  const Question* q = run.question();
  ls.asking = q ? q->id : std::string();
  ls.number = 0;
  ls.picked.clear();
  ls.order.clear();
  ls.blanks.clear();
  ls.show_hint = false;
  const LessonStep* s = run.current();
  if (s && s->kind == LessonStep::Kind::Ask && s->question.kind == QuestionKind::Order) {
    const std::size_t n = run.order_items().size();
    for (std::size_t i = 0; i < n; ++i) ls.order.push_back(static_cast<int>(i));
  }
}
}  // namespace

// The lesson as it will run: with textbook numbers, a copy whose ISNs are
// fixed (unless its author fixed them). The second pair serves a lesson's
// next incarnation, later in sequence space as a clock-driven ISN would be.
const Lesson& App::lesson_to_run(std::size_t index) {
  const Lesson& l = ls.lessons[index];
  if (!ls.textbook || !l.setup.iss[HOST_A].empty() || !l.setup.iss[HOST_B].empty()) return l;
  Lesson& copy = ls.textbook_copies.emplace_back(l);
  copy.setup.iss[HOST_A] = {100, 6100};
  copy.setup.iss[HOST_B] = {300, 6300};
  return copy;
}

void App::open_lesson(std::size_t index, std::uint64_t new_seed, double now_ms) {
  if (index >= ls.lessons.size()) return;
  mode = Mode::Lesson;
  ls.current = index;
  const auto paused = ls.paused.find(ls.lessons[index].id);
  if (paused != ls.paused.end()) {
    ls.run.emplace(std::move(paused->second));
    ls.paused.erase(paused);
    new_seed = ls.run->seed();
  } else {
    ls.run.emplace(lesson_to_run(index), new_seed);
  }
  ls.completion_recorded = false;
  ls.feedback.reset();
  ls.back.clear();
  ls.started_ms = now_ms;
  seed = new_seed;
  sim = ls.run->sim();
  history.clear();
  watched_trace = 0;
  prepare_inputs(ls, *ls.run);
  refresh_builders();
}

void App::leave_lesson() {
  if (mode == Mode::Lesson && ls.run && !ls.run->finished() && ls.run->step_index() > 0)
    ls.paused.insert_or_assign(ls.run->lesson().id, *ls.run);
  mode = Mode::Sandbox;
  ls.run.reset();
  ls.current.reset();
  ls.exam.clear();
  ls.feedback.reset();
  reset(seed_from_entropy(static_cast<double>(seed) * 0.7548776662));
}

void App::load_capture(const std::string& name, const std::uint8_t* data, std::size_t size) {
  cap = CaptureState{};
  cap.name = name;
  cap.parsed = parse_capture(data, size);
  if (!cap.parsed.ok) {
    cap.errors.push_back(name + ": " + cap.parsed.error);
    return;
  }
  if (cap.parsed.connections.empty()) {
    cap.errors.push_back(name + ": no TCP connection in this file (" + cap.parsed.summary() + ")");
    for (const std::string& p : cap.parsed.problems) cap.errors.push_back(p);
    return;
  }
  if (cap.parsed.connections.size() == 1)
    replay_capture(0);
  else
    cap.picking = true;
}

void App::replay_capture(std::size_t connection) {
  cap.picking = false;
  ReplayResult r = replay_connection(cap.parsed, connection, static_cast<std::size_t>(-1), cap.options);
  if (!r.ok) {
    cap.errors.push_back(cap.name + ": " + r.error);
    return;
  }
  cap.connection = connection;
  // A lesson or exam in progress is left; the replay takes the stage.
  ls.run.reset();
  ls.current.reset();
  ls.exam.clear();
  ls.feedback.reset();
  mode = Mode::Replay;
  sim = r.sim;
  cap.shown = r.rows.size();
  cap.bases = sequence_bases(r);
  cap.relative_for = static_cast<std::size_t>(-1);
  cap.replay = std::move(r);
  history.clear();
  for (SegmentBuilder& b : builder) b = SegmentBuilder{};
  for (std::string& f : feedback) f.clear();
  watched_trace = sim.trace().size();
  clock_carry = 0;
}

void App::show_replay_upto(std::size_t count) {
  if (mode != Mode::Replay || !cap.replay) return;
  if (count > cap.replay->rows.size()) count = cap.replay->rows.size();
  if (count == cap.shown) return;
  sim = count == cap.replay->rows.size() ? cap.replay->sim
                                         : replay_connection(cap.parsed, cap.connection, count, cap.options).sim;
  cap.shown = count;
  watched_trace = sim.trace().size();
}

const Trace& App::ladder_trace() {
  if (mode != Mode::Replay || !cap.relative) return sim.trace();
  if (cap.relative_for != cap.shown) {
    cap.relative_trace = relative_trace(sim.trace(), cap.bases);
    cap.relative_for = cap.shown;
  }
  return cap.relative_trace;
}

void App::leave_replay() {
  mode = Mode::Sandbox;
  cap.replay.reset();
  reset(seed_from_entropy(static_cast<double>(seed) * 0.5698402910));
}

std::string App::export_basename() const {
  if (mode == Mode::Replay) {
    std::string base = cap.name;
    const std::size_t dot = base.rfind('.');
    if (dot != std::string::npos && dot > 0) base.resize(dot);
    return base + "-replay";
  }
  std::string base = "tcplab-";
  if (mode == Mode::Lesson && ls.run) base += ls.run->lesson().id + "-";
  if (mode == Mode::Exam) base += "exam-";
  return base + "seed" + std::to_string(seed);
}

void App::lesson_advance() {
  LessonRun* r = active_run();
  if (!r) return;
  // A presenter may step back (web/present.cpp): keep the run as it was.
  if (access.presenting && mode == Mode::Lesson) {
    constexpr std::size_t BACK_STEPS = 64;  // more than any lesson has
    if (ls.back.size() >= BACK_STEPS) ls.back.erase(ls.back.begin());
    ls.back.push_back(*r);
  }
  r->advance();
  ls.feedback.reset();
  sim = r->sim();
  prepare_inputs(ls, *r);
  refresh_builders();
  record_completion();
}

void App::lesson_feedback(const Feedback& f) {
  LessonRun* r = active_run();
  if (!r) return;
  // Which question was answered: in the exam the item's own; in a lesson the
  // one on screen (a right answer has already moved the run on).
  if (mode == Mode::Exam && ls.exam_pos < ls.exam.size()) {
    const Question* q = ls.exam[ls.exam_pos].pristine.question();
    ls.answered_question = q ? q->id : std::string();
  } else {
    ls.answered_question = ls.asking;
  }
  ls.answered_correct = f.correct;
  ls.answered_points = f.points;
  ++ls.answers;
  ls.feedback = f;
  sim = r->sim();
  refresh_builders();
  if (f.correct) prepare_inputs(ls, *r);
  record_completion();
}

// A lesson ends after its last answer or its last narration: either way the
// progress of this lesson version is recorded once.
void App::record_completion() {
  if (mode != Mode::Lesson || !ls.run || !ls.run->finished() || !ls.current || ls.completion_recorded) return;
  ls.completion_recorded = true;
  const Lesson& l = ls.lessons[*ls.current];
  const LessonScore sc = ls.run->score();
  Progress& p = ls.progress[l.id + "@" + std::to_string(l.version)];
  p.done = true;
  p.questions = sc.questions;
  p.best = std::max(p.best, sc.points);
  const std::string key = l.id + "@" + std::to_string(l.version);
  if (std::find(ls.progress_changed.begin(), ls.progress_changed.end(), key) == ls.progress_changed.end())
    ls.progress_changed.push_back(key);
  ++ls.completions;
  progress_dirty = true;
  lesson_just_completed = true;
}

void App::start_exam(std::uint64_t new_seed, std::size_t count) {
  // Each drawn question has its own run (lessons/exam.h).
  std::vector<ExamDraw> drawn = draw_exam(ls.lessons, exam_lessons, new_seed, count);
  if (drawn.empty()) return;
  ls.exam.clear();
  for (const ExamDraw& d : drawn) ls.exam.push_back(ExamItem{d.lesson, d.run, d.run, false, false, {}, {}});
  if (ls.exam.empty()) return;
  mode = Mode::Exam;
  seed = new_seed;
  ls.exam_pos = 0;
  ls.feedback.reset();
  ls.current.reset();
  ls.run.reset();
  sim = ls.exam[0].run.sim();
  history.clear();
  prepare_inputs(ls, ls.exam[0].run);
  refresh_builders();
}

std::string App::progress_json() const { return progress_to_json(ls.progress); }

std::string progress_to_json(const std::map<std::string, Progress>& progress) {
  std::string out = "{";
  bool first = true;
  for (const auto& [key, p] : progress) {
    if (!first) out += ',';
    first = false;
    out += json_quote(key) + ":{\"done\":" + (p.done ? "true" : "false") + ",\"best\":" +
           std::to_string(p.best) + ",\"questions\":" + std::to_string(p.questions) + "}";
  }
  return out + "}";
}

std::map<std::string, Progress> parse_progress_json(const std::string& text) {
  // Stored progress is only ever read: anything malformed is ignored, entry
  // by entry, and never breaks the app.
  std::map<std::string, Progress> out;
  JsonValue v;
  JsonError err;
  if (!parse_json(text, v, err) || !v.is_object()) return out;
  for (std::size_t i = 0; i < v.keys.size(); ++i) {
    const JsonValue& e = v.items[i];
    if (!e.is_object()) continue;
    Progress p;
    if (const JsonValue* d = e.find("done"); d && d->is_bool()) p.done = d->boolean;
    // Only values a lesson can have: a cast of 1e300 to int is undefined.
    constexpr double MAX_QUESTIONS = 10000;
    if (const JsonValue* q = e.find("questions");
        q && q->is_number() && q->number >= 0 && q->number <= MAX_QUESTIONS && q->number == std::floor(q->number))
      p.questions = static_cast<int>(q->number);
    if (const JsonValue* b = e.find("best"); b && b->is_number() && b->number >= 0 && b->number <= MAX_QUESTIONS)
      p.best = std::min(b->number, static_cast<double>(p.questions));
    out[v.keys[i]] = p;
  }
  return out;
}

void merge_progress(Progress& stored, const Progress& mine) {
  stored.done = stored.done || mine.done;
  stored.best = std::max(stored.best, mine.best);
  if (mine.questions > 0) stored.questions = mine.questions;
}

void App::load_progress_json(const std::string& text) {
  for (const auto& [key, p] : parse_progress_json(text)) ls.progress[key] = p;
}

}  // namespace tcplab
