// The application state of the web lesson, in one place, with no UI code:
// the simulation, its undo history, the settings and the commands the panels
// push. Panels read App and push Commands; commands are applied after
// drawing, through the same engine API the tests use.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <deque>
#include <map>
#include <optional>

#include "explain.h"
#include "lesson.h"
#include "relative.h"  // includes replay.h
#include "simulation.h"
#include "socket_lab.h"

namespace tcplab {

enum class CommandKind : std::uint8_t {
  Call,         // host, call, octets
  SendSegment,  // host sends the hand-built segment `seg`
  Drop,         // seg_id
  Deliver,      // seg_id: deliver now, ahead of its time
  Step,         // process the next event at once
  Undo,         // back to history[index]
  Reset,        // new simulation with `seed`
  Settings,     // settings changed: rebuild endpoint and network configs
  OpenLesson,   // index: open lessons[index] with `seed` at real time `at_ms` (host page command)
  StartExam,    // start an exam with `seed` at real time `at_ms` (host page command)
};

struct Command {
  CommandKind kind = CommandKind::Step;
  int host = 0;
  Call call = Call::OpenPassive;
  std::uint32_t octets = 0;
  Segment seg;
  std::uint32_t seg_id = 0;
  int index = 0;
  std::uint64_t seed = 0;
  double at_ms = 0;
};

struct Settings {
  int latency_ms = 500;      // one-way delay
  int loss_percent = 0;      // random loss
  int msl_ms = 4000;         // TIME-WAIT lasts 2*MSL (RFC 9293 suggests 2 min)
  int rto_ms = 1500;         // first retransmission timeout
  int max_retransmits = 4;
  bool rfc5961 = true;
  bool delayed_ack = false;
  bool close_on_fin = false;
};

// The segment builder of one host: pre-filled with what the endpoint would
// send, editable.
struct SegmentBuilder {
  bool syn = false, ack = true, fin = false, rst = false;
  std::uint32_t seq = 0, ack_no = 0, len = 0;
  bool edited = false;  // the learner changed a field: stop pre-filling
  State filled_for = State::Closed;
};

struct UndoPoint {
  Simulation sim;
  std::string label;  // what the learner did next, e.g. "client: connect"
  std::size_t log_len = 0;  // run_log entries before that action
};

// Which host the learner plays in the sandbox (URL parameter `role`); the
// other host's application acts by itself (App::auto_act).
enum class Role : std::uint8_t { Both, Client, Server };

// One action of the learner in the sandbox, at a virtual time: what a
// "share this run" link replays (web/embed.cpp encodes it).
struct RunAction {
  Instant t = 0;
  Command cmd;        // Call, SendSegment, Drop, Deliver, Step or Settings
  Settings settings;  // for Settings: the values from then on
};

// Replay: a connection from a capture file, replayed through the engine
// (read-only: the captured segments drive both hosts).
enum class Mode : std::uint8_t { Sandbox, Lesson, Exam, Replay };

// A capture file the learner opened, and the connection replayed from it.
struct CaptureState {
  std::string name;                      // the file's name
  PcapParseResult parsed;
  std::optional<ReplayResult> replay;    // of the picked connection
  std::size_t connection = 0;            // picked connection
  bool picking = false;                  // the connection picker is open
  std::size_t shown = 0;                 // the hosts show the states after this many segments
  std::vector<std::string> errors;       // problems with the file, shown until dismissed
  // The replay rows' heights as last drawn (0: not yet), for this width and
  // language (row_height_key): only the rows near the view are laid out.
  std::vector<float> row_height;
  int row_height_key = -1;
  // Where the capture was taken (which timestamps the replay trusts), and
  // sequence numbers relative to each side's ISN as Wireshark shows them.
  ReplayOptions options;
  bool relative = false;
  SeqBases bases;                        // of the whole replay
  Trace relative_trace;                  // the shown trace made relative
  std::size_t relative_for = static_cast<std::size_t>(-1);  // its `shown`
};

// What the learner asked to download (done by the web layer after drawing).
// Paper: the finished lesson's run as an exam paper (SVG) and its key.
enum class Export : std::uint8_t { None, Pcap, LadderText, LadderSvg, Paper };

// Progress of one lesson version, kept in the browser's storage.
struct Progress {
  bool done = false;
  double best = 0;    // best points
  int questions = 0;  // out of
};

// One exam question: a lesson run positioned at one of its questions.
struct ExamItem {
  std::size_t lesson = 0;
  LessonRun run;       // answered on
  LessonRun pristine;  // the question as asked, for the review
  bool answered = false;
  bool correct = false;
  std::string given;     // the learner's answer, as text
  Feedback feedback;     // what was said
};

// Everything about lessons and exams; App::sim mirrors the active run.
struct LessonState {
  std::deque<Lesson> lessons;          // built-in first, then loaded ones (stable addresses)
  std::vector<std::string> errors;     // problems with lesson files, shown until dismissed
  std::optional<std::size_t> current; // index into lessons
  std::optional<LessonRun> run;
  std::optional<Feedback> feedback;    // of the last answer
  bool show_hint = false;
  double started_ms = 0;               // when the lesson was opened (real ms)
  // What the learner is composing for the current question.
  std::uint32_t number = 0;
  std::vector<int> picked;             // choose: indices; state: [index of State]
  std::vector<int> order;              // order: current arrangement (indices into items)
  std::vector<std::string> blanks;     // blanks: the text typed in each blank
  std::string last_given;              // the learner's last answer, as text (the exam's review)
  std::map<std::string, Progress> progress;  // key "id@version"
  std::vector<std::string> progress_changed;  // keys changed here since the last save (merged into storage)
  std::string asking;                  // id of the question on screen (lesson mode)
  // The last answer given (lesson or exam), for the host page's events.
  std::uint32_t answers = 0;           // answers given so far (a counter)
  std::string answered_question;
  bool answered_correct = false;
  double answered_points = 0;
  std::uint32_t completions = 0;       // lessons completed so far (a counter)
  bool completion_recorded = false;    // the current run's progress is saved
  // Lessons left half-way (Exit), by lesson id: opened again, they go on
  // where they were.
  std::map<std::string, LessonRun> paused;
  // Textbook numbers: lessons opened with small fixed ISNs (x = 100 for the
  // client, y = 300 for the server) instead of random ones; the copies the
  // runs point to.
  bool textbook = false;
  std::deque<Lesson> textbook_copies;
  // Presenter mode: the run before each Continue, for the Back key.
  std::vector<LessonRun> back;
  // Exam mode.
  std::vector<ExamItem> exam;
  std::size_t exam_pos = 0;
};

// Accessibility and comfort settings of the page (web/a11y.cpp): text size,
// the keyboard help, the transcript.
struct Access {
  float text_scale = 1.0f;         // multiplies every font size (the learner's A-/A+)
  float view_scale = 1.0f;         // follows the screen: body text 16 px at 1366x768, 22 px at 1920x1080
  bool presenting = false;         // presenter mode (?present=1, key V): larger text, the ladder enlarged
  bool card_collapsed = false;     // presenter mode: the lesson card folded to its header
  float ui_scale() const { return text_scale * view_scale * (presenting ? 1.3f : 1.0f); }
  bool text_scale_changed = false; // main.cpp rebuilds the fonts and stores it
  bool help_open = false;          // the keyboard help overlay
  bool transcript_request = false; // open the transcript (a DOM dialog)
  bool open_lessons_menu = false;  // the lesson menu, opened from the keyboard
};

struct App {
  Simulation sim;
  SocketLab lab;  // the socket lab (issue 15), shown instead of the two hosts while open
  Access access;
  Settings settings;
  std::uint64_t seed = 1;
  bool playing = true;
  double speed = 1.0;  // virtual ms per real ms
  double clock_carry = 0;
  Mode mode = Mode::Sandbox;
  LessonState ls;
  Lang lang = Lang::En;
  // A panel asks for another language; main.cpp switches once the glyphs
  // are there (the Chinese font is fetched on first use).
  int lang_request = -1;
  bool zh_font_ready = false;
  std::vector<UndoPoint> history;
  Role role = Role::Both;
  // The learner's sandbox actions since the last reset, with the settings
  // the run started with: enough to replay the run (share link).
  std::vector<RunAction> run_log;
  Settings run_settings;
  SegmentBuilder builder[2];
  std::vector<Command> pending;
  std::string feedback[2];  // what happened to the last hand-built segment, per host
  std::size_t watched_trace = 0;  // trace entries already looked at for feedback
  std::uint32_t watched_seg[2] = {0, 0};  // id of the last hand-built segment

  void reset(std::uint64_t new_seed);

  // Lessons. open_lesson starts a fresh run (new seed); answers go through
  // the run and App::sim follows it.
  void add_lesson_text(const std::string& json, const std::string& name);
  void open_lesson(std::size_t index, std::uint64_t new_seed, double now_ms);
  const Lesson& lesson_to_run(std::size_t index);
  void leave_lesson();
  void lesson_advance();
  void lesson_feedback(const Feedback& f);
  void start_exam(std::uint64_t new_seed, std::size_t count);
  LessonRun* active_run();
  const LessonRun* active_run() const;
  void record_completion();
  const Question* active_question() const;
  std::string progress_json() const;
  void load_progress_json(const std::string& json);
  bool progress_dirty = false;  // to be saved by the web layer
  double lesson_elapsed_s = 0;  // time taken by the last completed lesson
  bool lesson_just_completed = false;
  bool want_open_file = false;  // the menu asked for the file picker
  // Captures: export the current run, open a .pcap/.pcapng and replay one
  // of its connections.
  CaptureState cap;
  Export want_export = Export::None;
  bool want_open_capture = false;  // the capture menu asked for the file picker
  void load_capture(const std::string& name, const std::uint8_t* data, std::size_t size);
  void replay_capture(std::size_t connection);
  void leave_replay();
  // The hosts, the ladder and the diagram as they were after the first
  // `count` captured segments (all of them: the whole replay).
  void show_replay_upto(std::size_t count);
  // The trace the ladder draws: the run's, or a replay's with relative
  // sequence numbers when the learner asked for them.
  const Trace& ladder_trace();
  // A file name for downloads of the current run, without extension:
  // "tcplab-seed42", "tcplab-handshake-seed42", "trace-replay".
  std::string export_basename() const;
  bool want_share = false;      // the toolbar asked for a share link (web/embed.cpp)
  // Assessment mode (?lock=1, SCORM packages; web/embed.cpp): no lesson menu, sandbox, exam or new numbers.
  bool locked = false;
  std::vector<std::string> exam_lessons;  // ids the exam draws from (lessons=); empty: every lesson
  void push(const Command& c) { pending.push_back(c); }
  // Applies the commands pushed while drawing; returns true if anything changed.
  bool apply_pending();
  // Lets real time pass: the virtual clock runs only while something is due
  // (a segment in flight, a timer), so an idle lesson stands still.
  // Returns true when the simulation changed or is animating.
  bool tick(double real_ms);
  bool busy() const { return sim.next_deadline() != NEVER; }
  // Moves the virtual clock to `t`. With a role, event by event, so the
  // automatic host acts at the exact virtual time its state changes (the
  // same run replays to the same trace whatever the frame timing).
  void advance(Instant t);
  // The automatic host's application in the sandbox (see Role).
  void auto_act();
  // Pre-fills the builders that the learner has not edited.
  void refresh_builders();
  Segment built_segment(int host) const;

 private:
  SimConfig make_config() const;
  void remember(const std::string& label);
  void update_feedback();
  void log_action(const Command& c);
};

// Progress JSON as kept in storage ({"id@version": {done, best, questions}});
// malformed entries are skipped.
std::map<std::string, Progress> parse_progress_json(const std::string& text);
std::string progress_to_json(const std::map<std::string, Progress>& progress);
// `mine` merged into `stored`: done if either, the best score of both.
void merge_progress(Progress& stored, const Progress& mine);

std::uint64_t seed_from_entropy(double entropy);

}  // namespace tcplab
