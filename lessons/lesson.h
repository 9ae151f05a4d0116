// Lessons: the file format of lessons/README.md, its loader and validator,
// and the runner that steps through a lesson and grades answers. Pure C++
// on top of the engine: no UI; the web app and the tests drive it the same
// way.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "explain.h"
#include "run_ladder.h"
#include "simulation.h"

namespace tcplab {

struct Text {
  std::string en, zh;
  const std::string& get(Lang lang) const { return lang == Lang::Zh ? zh : en; }
};

// A problem found in a lesson file: "lessons/01-handshake.json:
// steps[3].ask.expect: the engine says SYN-RECEIVED, the lesson says
// ESTABLISHED".
struct LessonError {
  std::string file;
  std::string path;     // JSON path, e.g. steps[3].ask.choices[1].explain.zh
  std::string message;
  int line = 0, column = 0;  // set for a file that is not JSON (then path is empty)
  std::string question = {};  // the id of the question at `path`, when there is one
  // file: path: message, file: path (question "id"): message, or
  // file:line:column: message
  std::string text() const;
};

// One action of a `do` step (the scenario vocabulary). Segment fields may be
// placeholder expressions, resolved when the action runs.
struct LessonAction {
  // Timer fires a timer that is due now (the validator refuses an early one);
  // Until lets the clock run to the timer's deadline, firing it there.
  enum class Kind : std::uint8_t { Call, Deliver, DeliverAll, Drop, Inject, Timer, Advance, Until };
  Kind kind = Kind::Call;
  int host = 0;  // Call/Inject/Timer: the host; Deliver/Drop: the sender (direction)
  Call call = Call::OpenPassive;
  std::uint32_t bytes = 0;
  TimerKind timer = TimerKind::Retransmit;
  std::int64_t advance_ms = 0;
  std::uint8_t flags = 0;        // Inject
  std::string seq, ack;          // Inject: number or placeholder expression
  std::uint32_t len = 0;         // Inject
  std::string path;              // JSON path, e.g. steps[3].do[1] (for messages)
};

// A segment a `do` step's `expect` says is put on the wire (the scenario
// files' "emitted"): flags as a set (PSH ignored); seq and ack are
// expressions evaluated after the step, empty = not checked.
struct ExpectedSegment {
  int from = 0;
  std::uint8_t flags = 0;
  std::string seq, ack;
  std::uint32_t len = 0;
};

// What a `do` step says happens: the states after it and, when `emitted`
// is given, every segment sent during it, in order. Checked by the validator.
struct StepExpect {
  std::optional<State> state[2];
  bool check_emitted = false;
  std::vector<ExpectedSegment> emitted;
  std::string path;  // steps[k].expect
};

struct Selector {
  // ClosedMs: ms from the run's first FIN until `host` is CLOSED if the
  // conversation goes on by itself (408's "shortest time"); Octets: data
  // octets `host` has sent (retransmissions counted once).
  enum class Kind : std::uint8_t { Reply, Sent, Var, ClosedMs, Octets };
  Kind kind = Kind::Reply;
  int host = 0;
  bool ack_field = false;  // Reply/Sent: seq (false) or ack (true)
  int index = -1;          // Sent: k-th segment of host, -1 = the last
  std::string var;         // Var: iss irs snd_una snd_nxt rcv_nxt
};

struct Choice {
  Text text;
  bool correct = false;
  Text explain;
};

struct Mistake {
  State answer = State::Closed;
  Text explain;
};

struct Arc {
  int host = 0;
  State from = State::Closed, to = State::Closed;
};

struct ActGoal {
  std::optional<Call> call;            // {"call": ...}
  bool segment = false;                // {"segment": {...}}
  std::optional<State> peer_state;     // segment.peer_state
  std::optional<State> state[2];       // {"state": {"A": ..., "B": ...}}
};

struct ActSolution {
  std::optional<Call> call;
  std::uint32_t bytes = 0;
  std::uint8_t flags = 0;
  std::string seq, ack;  // expressions
  std::uint32_t len = 0;
};

// Classify, Blanks and Ladder ask the learner to construct or judge a
// whole exchange (lessons/README.md, "Questions that make learners
// construct").
enum class QuestionKind : std::uint8_t { State, Number, Choose, Order, Act, Classify, Blanks, Ladder };

// Classify: one item and the class it belongs to.
struct ClassifyItem {
  Text text;
  int cls = 0;  // index into Question::classes
  Text explain;
};

// Blanks: one hidden field of the run's ladder (run_ladder.h). `row` counts
// the ladder's rows from 0; negative counts from the end (-1 = the last).
struct Blank {
  enum class Field : std::uint8_t { Seq, Ack, Flags, State };
  Field field = Field::Seq;
  int row = 0;
  int host = 0;  // State: whose state after the row
};

// Ladder: the distractors, by mutation name (mutations.h).
struct LadderDistractor {
  int mutation = 0;
};
const char* question_kind_name(QuestionKind k);

struct Question {
  std::string id;
  QuestionKind kind = QuestionKind::Choose;
  Text prompt, hint, explain;
  std::optional<Arc> arc;
  int host = 0;                          // State, Act
  std::optional<State> expect;           // State
  std::vector<Mistake> mistakes;         // State
  Selector value;                        // Number
  std::vector<Choice> choices;           // Choose
  bool multiple = false;                 // Choose
  std::vector<Text> items;               // Order (authored, right order)
  std::vector<int> rank;                 // Order: items of equal rank may come in either order
  bool crossing = false;                 // Order segments: segments that crossed may come in either order
  std::vector<Text> classes;             // Classify
  std::vector<ClassifyItem> sort_items;  // Classify
  std::vector<Blank> blanks;             // Blanks
  std::vector<LadderDistractor> distractors;  // Ladder
  bool order_segments = false;           // Order: the run's segments
  ActGoal goal;                          // Act
  ActSolution solution;                  // Act
};

struct LessonStep {
  enum class Kind : std::uint8_t { Say, Do, Ask };
  Kind kind = Kind::Say;
  Text say;                 // Say, and the optional narration of Do
  bool has_say = false;
  std::vector<LessonAction> actions;  // Do
  std::optional<StepExpect> expect;   // Do
  Question question;        // Ask
};

struct LessonSetup {
  int latency_ms = 500, msl_ms = 4000, rto_ms = 1500, max_retransmits = 4;
  bool rfc5961 = true, delayed_ack = false, close_on_fin = false;
  std::uint32_t rcv_wnd = 4096;
  std::vector<std::uint32_t> iss[2];  // fixed ISNs (textbook numbers); empty: from the seed
};

struct Lesson {
  std::string file;  // where it came from (for messages)
  std::string id;
  int version = 1;
  int order = 0;
  Text title, summary;
  LessonSetup setup;
  std::vector<LessonStep> steps;
  // False when nobody opens passively (simultaneous open): the hosts are
  // "host A" and "host B" in feedback, not client and server.
  bool client_server = true;
  int question_count() const;
};

// The simulation of a lesson run: the setup's settings (close_on_fin on host
// B only), segments moved by `do` steps only (auto_deliver off), no random
// loss, ISNs drawn from the seed.
SimConfig lesson_sim_config(const LessonSetup& setup, std::uint64_t seed);

// The seeds validate_lesson() runs a lesson with: 1, 2, 3, and two seeds that
// put host A's and host B's first ISS within 100 of 2^32 (sequence numbers
// wrap during the lesson).
const std::vector<std::uint64_t>& lesson_validation_seeds();

// Parses and checks the structure of a lesson (types, fields, both
// languages, ids, placeholders, expressions). Returns nullopt and fills
// `errors` when anything is wrong: the first error of each top-level field
// and of each step. Unknown fields are errors, except keys starting with
// "_" (comments, anywhere) and a top-level "expect_error" (the malformed-file
// tests' expected message).
std::optional<Lesson> parse_lesson(std::string_view json, const std::string& file,
                                   std::vector<LessonError>& errors);
// Runs the lesson with its solutions for several seeds and checks it against
// the engine (expects, selectors, solutions, actions). True when clean.
bool validate_lesson(const Lesson& lesson, std::vector<LessonError>& errors);
// parse_lesson + validate_lesson.
std::optional<Lesson> load_lesson(std::string_view json, const std::string& file,
                                  std::vector<LessonError>& errors);

// What the learner is told after an answer.
struct Feedback {
  bool correct = false;
  Text message;              // run-specific explanation (explain + engine's words)
  std::optional<Arc> arc;    // to mark on the state diagram
  bool hint_offered = false; // two misses or more: the hint may be shown
  double points = 0;         // points earned by this answer (0 when wrong)
};

// One graded answer as the learner gave it, in a form that gives the same
// grade when given again to a run with the same seed (lessons/attempt.h
// re-grades attempts from these). `value`: a state's text as typed; a
// number in decimal; picked choices or the order as shown, "0,2"; an act
// "call:<host>:<call>:<octets>" or "segment:<host>:<flags>:<seq>:<ack>:<len>:<wnd>".
struct GivenAnswer {
  std::string question;
  QuestionKind kind = QuestionKind::Choose;
  std::string value;
  bool correct = false;
  double points = 0;
};

struct LessonScore {
  double points = 0;
  int questions = 0;         // graded questions in the lesson
  int answered = 0;          // answered correctly (at any try)
  int first_try = 0;
};

// One attempt at a lesson with its own seed (random ISNs, shown and
// reproducible). A value: copy it to keep an undo point.
class LessonRun {
 public:
  LessonRun(const Lesson& lesson, std::uint64_t seed);

  const Lesson& lesson() const { return *lesson_; }
  std::uint64_t seed() const { return seed_; }
  const Simulation& sim() const { return sim_; }
  std::size_t step_index() const { return step_; }
  bool finished() const { return step_ >= lesson_->steps.size(); }
  const LessonStep* current() const;
  // The current question, or nullptr when the current step is not an `ask`.
  const Question* question() const;
  // The narration to show now: the current `say`; the `do` just done (a
  // `do` with a `say` stops after acting, like a `say`); at an `ask`, the
  // narration just before it (nullptr when a silent `do` came between).
  const Text* narration() const;
  // True on a `say` or a `do` with narration: the learner presses Continue.
  bool awaiting_continue() const { return !finished() && question() == nullptr; }

  // Moves past a `say` step (and runs following `do` steps up to the next
  // `say` or `ask`). Does nothing on an `ask` that is not answered.
  void advance();

  // Answers to the current question. Each returns the feedback; a correct
  // answer moves on (advance()).
  Feedback answer_state(std::string_view text);
  Feedback answer_number(std::uint32_t value);
  // A typed number (decimal, taken modulo 2^32). Text that is not a number
  // is not graded (no miss): the message asks for a number.
  Feedback answer_number_text(std::string_view text);
  Feedback answer_choices(const std::vector<int>& picked);
  Feedback answer_order(const std::vector<int>& order);  // indices into order_items()
  // Classify: the class index of each item, in the lesson's item order.
  Feedback answer_classify(const std::vector<int>& classes);
  // Blanks: one text per blank, in the lesson's order ("1001", "SYN,ACK",
  // "ESTABLISHED"); each graded by itself.
  Feedback answer_blanks(const std::vector<std::string>& values);
  // Ladder: the index of the picked ladder among ladder_options().
  Feedback answer_ladder(int picked);
  Feedback act_call(int host, Call call, std::uint32_t octets = 0);
  Feedback act_segment(int host, const Segment& seg);

  // For an order question: whether some item must come before another
  // (false when every pair may come in either order).
  bool order_has_strict_pair() const;
  // For an order question: the items as shown (shuffled by the seed).
  std::vector<Text> order_items() const;
  // Ladder: the ladders shown (the run's own and its mutations, shuffled by
  // the seed); blanks: the run's ladder (its blanks hidden by the page).
  const std::vector<LadderChoice>& ladder_options() const { return ladder_options_; }
  const std::vector<LadderRow>& blank_ladder() const { return blank_ladder_; }
  // Blanks: the row each blank refers to (negative rows resolved; the
  // ladder's size when out of range).
  std::size_t blank_row(const Blank& b) const;
  // Blanks: the right text of each blank ("1001", "SYN,ACK", "ESTABLISHED").
  std::string blank_answer(const Blank& b) const;
  // Ladder and blanks: why the run's ladder or a distractor cannot be shown
  // (the validator reports it at `path`); empty when all is well.
  const std::vector<LessonError>& ladder_problems() const { return ladder_problems_; }
  // The right answer of the current question in this run, as text.
  std::string answer_text(Lang lang) const;
  int misses() const { return misses_; }
  LessonScore score() const { return score_; }
  // Every graded answer so far, in order (part of the value: undo reverts it).
  const std::vector<GivenAnswer>& given() const { return given_; }
  // Fills placeholders ({A.iss+1}, {answer}, {msl_s}, {rto_s},
  // {latency_ms}, {now_s}, {bytes}) from this run.
  std::string fill(const std::string& text, Lang lang) const;
  Text fill(const Text& text) const;  // both languages

  // Exams that never repeat: from now on each ladder question shows as
  // many distractors as its author chose, drawn by `draw_seed` from every
  // named mutation the engine refuses in this run (the author's list is
  // the lesson's own set). The same draw seed draws the same set.
  void redraw_distractors(std::uint64_t draw_seed);
  std::optional<std::uint64_t> distractor_seed() const { return distractor_seed_; }

  // Performs the current question's solution (exam mode fast-forward,
  // validation and tests).
  Feedback solve();
  // Moves past the current question without grading it (no points, not
  // answered); an `act` question's solution is performed so the
  // conversation goes on as the lesson expects (exam fast-forward).
  void skip();
  // Answers the current question with a wrong answer (a mistake listed in
  // `mistakes` when there is one, the right number + 1, an incorrect choice,
  // the reversed order, another call, a segment far outside the window):
  // tests and `tcplab-lesson play --wrong`. `given` receives the answer as
  // text (English).
  Feedback answer_wrong(std::string* given = nullptr);

  // The value the current number question's selector reads in this run;
  // nullopt when it reads nothing (`why` says why, in English).
  std::optional<std::uint32_t> number_value(std::string* why = nullptr) const;
  // Actions of `do` steps that could not be performed in this run (nothing
  // in flight to deliver, an expression that does not evaluate), with their
  // JSON path. Empty for a lesson that validates.
  const std::vector<LessonError>& problems() const { return problems_; }

 private:
  const HostNames& names() const;  // client/server, or host A/host B
  void run_do(const LessonStep& s);
  void check_expect(const StepExpect& e, std::size_t from);
  bool emitted_matches(const ExpectedSegment& x, const Event& sent) const;
  void settle();  // run `do` steps until a `say`, an `ask` or the end
  void next_step();  // past the current question, then settle()
  Feedback grade(bool correct, Text specific);
  Feedback grade_with(bool correct, const Text& specific, const Text& explain);
  Feedback not_graded(const Text& message) const;
  std::uint32_t selector_value(const Selector& s, bool* ok) const;
  std::uint32_t selector_value(const Selector& s, bool* ok, std::string* why) const;
  bool solution_segment(Segment* out) const;
  // The classes of mistake in a hand-built segment's seq and ack, against
  // the solution's (segment_mistakes.h); empty when none is named.
  Text segment_mistakes(int host, const Segment& seg) const;
  bool perform_solution();

  const Lesson* lesson_;
  std::uint64_t seed_;
  Simulation sim_;
  std::size_t step_ = 0;
  int misses_ = 0;
  LessonScore score_;
  const Text* narration_ = nullptr;
  std::vector<int> shuffle_;  // order questions: shown item i is right item shuffle_[i]
  std::vector<Text> order_right_;  // order questions: the items in the right order
  std::vector<LessonError> problems_;
  std::vector<GivenAnswer> given_;
  std::vector<LadderChoice> ladder_options_;  // ladder questions
  std::vector<LadderRow> blank_ladder_;       // blanks questions
  std::vector<std::vector<bool>> before_;     // order questions: right item i must precede j
  std::vector<LessonError> ladder_problems_;
  void prepare_order(const Question& q);
  Feedback grade_total_order(const std::vector<std::size_t>& pos);
  void prepare_ladder(const Question& q);
  std::vector<int> distractor_mutations(const Question& q, const std::vector<LadderRow>& rows) const;
  std::optional<std::uint64_t> distractor_seed_;  // exams: distractors drawn, not the author's
  GivenAnswer giving_;  // the answer being graded (set by each answer function)
};

// Evaluates "{A.iss+1}" or "1234" against a simulation; false if malformed.
bool eval_expression(const std::string& expr, const Simulation& sim, std::uint32_t* out);

}  // namespace tcplab
