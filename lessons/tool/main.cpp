// tcplab-lesson: checks lesson files (lessons/README.md) and replays them
// with their solutions, in both languages, as the web lesson would run them.
// The only part of the lessons that reads files and prints.
//
//   tcplab-lesson validate FILE...               "OK <file>" or one line per error
//   tcplab-lesson play FILE --seed N [--wrong]   the lesson, answered
//
// Exit codes: 0 all files valid / the replay scored what it should, 1 the
// replay did not, 2 a file was malformed or unreadable, or the command line
// was wrong.
//
// Lesson files larger than LESSON_MAX_BYTES (or endless, like /dev/zero)
// are refused with exit 2; seeds outside 0..2^64-1 are refused, not clamped
// (issue 18, D13, D15).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "attempt.h"
#include "lesson.h"
#include "terminal.h"
#include "tool.h"

namespace tcplab_tool {

using namespace tcplab;

// The built-in lessons are about 30 KB; 16 MiB leaves room for any lesson
// an author writes by hand, not for a file that would take minutes.
constexpr std::size_t LESSON_MAX_BYTES = 16u << 20;
// A file with thousands of mistakes gets this many lines, then a count.
constexpr std::size_t ERRORS_LISTED = 50;

const char* const USAGE =
    "usage: tcplab-lesson validate FILE...\n"
    "       tcplab-lesson play FILE --seed N [--wrong] [--record OUT.json]\n"
    "       tcplab-lesson regrade ATTEMPT.json [LESSON.json... | --lessons DIR]\n"
    "       tcplab-lesson export FILE --seed N (--svg OUT | --txt OUT) [--blank seq,ack,flags,state] [--lang en|zh]\n"
    "       tcplab-lesson --help\n";

const char* const HELP =
    "tcplab-lesson: check and replay tcplab lesson files (lessons/README.md).\n"
    "\n"
    "  tcplab-lesson validate FILE...\n"
    "      Loads each file, checks its structure and runs it with its solutions\n"
    "      for several seeds against the engine. Prints \"OK <file>\" on stdout,\n"
    "      or each problem on stderr as \"<file>: <JSON path>: <message>\" (with\n"
    "      (question \"<id>\") after the path inside a question).\n"
    "  tcplab-lesson play FILE --seed N [--wrong] [--record OUT.json]\n"
    "      Replays the lesson with the ISNs of seed N: every narration, question,\n"
    "      answer and feedback in English and Chinese, and the score; each step\n"
    "      under a header with its index, kind, the virtual clock and both states,\n"
    "      and the segments and state changes of the engine in between. Questions\n"
    "      are answered with their solutions; with --wrong, first with a wrong\n"
    "      answer (a listed mistake, the right number + 1, ...) and then right.\n"
    "      --record writes the attempt record of the replay (see regrade).\n"
    "  tcplab-lesson regrade ATTEMPT.json [LESSON.json... | --lessons DIR]\n"
    "      Replays an attempt record (the \"record\" of a complete event, or the\n"
    "      SCORM suspend data) on its lesson with its seed and re-grades every\n"
    "      answer; says MATCHES when the reported score is what the answers earn,\n"
    "      DOES NOT MATCH (exit 1) when it is not. The lesson is looked up by id\n"
    "      and version among the given files, else in the built-in lessons.\n"
    "  tcplab-lesson export FILE --seed N (--svg OUT | --txt OUT) [--blank seq,ack,flags,state] [--lang en|zh]\n"
    "      Runs the lesson with seed N to its end and writes its ladder as an\n"
    "      exam paper (SVG or text, time running down the page) with the chosen\n"
    "      fields as numbered blanks, and its answer key to OUT.key.txt.\n"
    "\n"
    "Exit status: 0 every file is valid, or the replay scored full marks (with\n"
    "--wrong: every question right at the second try, half marks); 1 it did\n"
    "not; 2 a file was malformed or unreadable, or the command line was wrong.\n"
    "\n"
    "Limits: lesson files up to 16 MiB (larger ones exit 2); seeds from 0 to\n"
    "18446744073709551615; a run stops at 200000 trace events, 1000\n"
    "retransmissions, 2000 segments in flight or 10^12 ms of virtual time (a\n"
    "validation error naming the limit). Control characters from files are\n"
    "printed as \\u00XX.\n";

// Everything printed goes through here: control characters that came from
// a file cannot reach the terminal (D14).
void put(std::FILE* f, const std::string& s) {
  const std::string safe = terminal_text(s, true);
  std::fwrite(safe.data(), 1, safe.size(), f);
}
void out(const std::string& s) { put(stdout, s + "\n"); }

int usage_error(const std::string& message) {
  put(stderr, "tcplab-lesson: " + message + "\n" + USAGE);
  return 2;
}

// Reads at most LESSON_MAX_BYTES; "" on success, else why not.
std::string read_file(const std::string& path, std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return "cannot read the file";
  text.clear();
  char buf[65536];
  std::size_t n;
  while (text.size() <= LESSON_MAX_BYTES && (n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  const bool ok = !std::ferror(f);
  std::fclose(f);
  if (!ok) return "cannot read the file";
  if (text.size() > LESSON_MAX_BYTES) return "the file is larger than 16 MiB, the limit for a lesson file";
  return "";
}

// A decimal seed in 0..2^64-1; false for anything else (strtoull would
// clamp 99999999999999999999999 to 2^64-1 without a word).
bool parse_seed(const std::string& s, std::uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

// Reads and loads (parse + validate) a file; prints its problems on stderr.
std::optional<Lesson> load_file(const std::string& path) {
  std::string text;
  const std::string why = read_file(path, text);
  if (!why.empty()) {
    put(stderr, path + ": " + why + "\n");
    return std::nullopt;
  }
  std::vector<LessonError> errors;
  std::optional<Lesson> l = load_lesson(text, path, errors);
  for (std::size_t i = 0; i < errors.size() && i < ERRORS_LISTED; ++i) put(stderr, errors[i].text() + "\n");
  if (errors.size() > ERRORS_LISTED)
    put(stderr, path + ": and " + std::to_string(errors.size() - ERRORS_LISTED) + " more problems\n");
  return l;
}

int command_validate(const std::vector<std::string>& files) {
  if (files.empty()) return usage_error("validate needs at least one file");
  int rc = 0;
  for (const std::string& f : files) {
    if (is_socket_lesson_file(f)) {
      if (validate_socket_file(f) != 0) rc = 2;
      continue;
    }
    if (load_file(f))
      out("OK " + f);
    else
      rc = 2;
  }
  return rc;
}

void print_text(const std::string& indent, const Text& t) {
  out(indent + "en: " + t.en);
  out(indent + "zh: " + t.zh);
}

// What the engine did since `from`: segments sent and state changes.
void print_events(const Simulation& sim, std::size_t& from) {
  static const char* const HOST[] = {"A", "B"};
  const Trace& t = sim.trace();
  for (; from < t.size(); ++from) {
    const Event& e = t[from];
    const int h = e.host & 1;
    switch (e.kind) {
      case EventKind::Sent:
        out("    . " + std::to_string(e.time) + " ms  " + HOST[h] + " -> " + HOST[h ^ 1] + "  " + segment_label(e.seg));
        break;
      case EventKind::StateChanged:
        out("    . " + std::to_string(e.time) + " ms  " + HOST[h] + "  " + state_name(e.from) + " -> " +
            state_name(e.to));
        break;
      case EventKind::Rejected:
        out("    . " + std::to_string(e.time) + " ms  " + HOST[h] + " rejects " + segment_label(e.seg) + " (" +
            reason_key(e.reason) + ")");
        break;
      case EventKind::Dropped:
        out("    . " + std::to_string(e.time) + " ms  dropped " + segment_label(e.seg) + " on its way to " + HOST[h]);
        break;
      case EventKind::Call:
      case EventKind::CallError:
      case EventKind::Delivered:
      case EventKind::Accepted:
      case EventKind::Lost:
      case EventKind::Duplicated:
      case EventKind::Injected:
      case EventKind::TimerFired:
      case EventKind::Signal:
        break;
    }
  }
}

void print_feedback(const std::string& answer, const Feedback& f) {
  out("    answer: " + answer + (f.correct ? "  (correct)" : "  (wrong)"));
  print_text("      ", f.message);
  if (f.arc)
    out(std::string("      arc: ") + (f.arc->host == HOST_A ? "A " : "B ") + state_name(f.arc->from) + " -> " +
        state_name(f.arc->to));
  if (f.hint_offered) out("      (the hint is offered)");
  if (f.correct) {
    char pts[32];
    std::snprintf(pts, sizeof pts, "%g", f.points);
    out(std::string("      points: ") + pts);
  }
}

// "=== [3/40] ask who-retransmits (choose) · 12.5 s · A SYN-SENT, B SYN-RECEIVED":
// where the step is, what it is, the virtual clock and both states, so a
// transcript can be read against the ladder.
std::string step_header(const LessonRun& run) {
  const LessonStep& s = *run.current();
  std::string what;
  switch (s.kind) {
    case LessonStep::Kind::Say: what = "say"; break;
    case LessonStep::Kind::Do: what = "do"; break;
    case LessonStep::Kind::Ask:
      what = "ask " + s.question.id + " (" + question_kind_name(s.question.kind) + ")";
      break;
  }
  char clock[48];
  std::snprintf(clock, sizeof clock, "%.3f s", static_cast<double>(run.sim().now()) / 1000.0);
  return "=== [" + std::to_string(run.step_index()) + "/" + std::to_string(run.lesson().steps.size()) + "] " + what +
         " · " + clock + " · A " + state_name(run.sim().endpoint(HOST_A).state()) + ", B " +
         state_name(run.sim().endpoint(HOST_B).state());
}

int command_play(const std::vector<std::string>& args) {
  std::string file;
  std::uint64_t seed = 0;
  bool have_seed = false, wrong = false;
  std::string record;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--wrong") {
      wrong = true;
    } else if (args[i] == "--record") {
      if (i + 1 >= args.size()) return usage_error("--record needs a file name");
      record = args[++i];
    } else if (args[i] == "--seed") {
      if (i + 1 >= args.size()) return usage_error("--seed needs a number");
      const std::string& s = args[++i];
      if (!parse_seed(s, seed)) return usage_error("bad seed " + s + ": expected a whole number from 0 to 18446744073709551615");
      have_seed = true;
    } else if (!args[i].empty() && args[i][0] == '-') {
      return usage_error("unknown option " + args[i]);
    } else if (file.empty()) {
      file = args[i];
    } else {
      return usage_error("play takes one file");
    }
  }
  if (file.empty()) return usage_error("play needs a file");
  if (!have_seed) return usage_error("play needs --seed N");
  if (is_socket_lesson_file(file)) return play_socket_file(file, wrong);  // a World's lesson: no ISN seed
  const std::optional<Lesson> lesson = load_file(file);
  if (!lesson) return 2;
  out("lesson " + lesson->id + " v" + std::to_string(lesson->version) + " (seed " + std::to_string(seed) + ")");
  print_text("  ", lesson->title);
  LessonRun run(*lesson, seed);
  std::size_t seen = 0;
  while (!run.finished()) {
    print_events(run.sim(), seen);
    const Question* q = run.question();
    out(step_header(run));
    if (q == nullptr) {
      if (const Text* n = run.narration()) print_text("    ", run.fill(*n));
      run.advance();
      continue;
    }
    print_text("    ", run.fill(q->prompt));
    if (q->kind == QuestionKind::Choose)
      for (std::size_t i = 0; i < q->choices.size(); ++i)
        out("      " + std::to_string(i) + ". " + run.fill(q->choices[i].text.en, Lang::En) + " / " +
            run.fill(q->choices[i].text.zh, Lang::Zh));
    if (q->kind == QuestionKind::Classify)
      for (std::size_t i = 0; i < q->sort_items.size(); ++i) out("      " + std::to_string(i) + ". " + run.fill(q->sort_items[i].text.en, Lang::En));
    if (q->kind == QuestionKind::Ladder)
      for (std::size_t i = 0; i < run.ladder_options().size(); ++i) {
        out("      ladder " + std::string(1, static_cast<char>('A' + i)) + ":");
        for (const LadderRow& r : run.ladder_options()[i].rows) out("        " + ladder_row_text(r, Lang::En));
      }
    if (q->kind == QuestionKind::Order) {
      const std::vector<Text> items = run.order_items();
      for (std::size_t i = 0; i < items.size(); ++i) out("      " + std::to_string(i) + ". " + run.fill(items[i].en, Lang::En));
    }
    if (wrong) {
      std::string given;
      const std::size_t at = run.step_index();
      const Feedback f = run.answer_wrong(&given);
      print_feedback(given, f);
      if (f.correct || run.step_index() != at) continue;
    }
    const std::string right = run.answer_text(Lang::En);
    print_feedback(right, run.solve());
    if (run.question() == q) {  // the solution did not pass: stop rather than loop
      out("    the solution did not pass; stopping");
      break;
    }
  }
  print_events(run.sim(), seen);
  const LessonScore s = run.score();
  char line[160];
  std::snprintf(line, sizeof line, "score: %g / %d (answered %d, first try %d)", s.points, s.questions, s.answered,
                s.first_try);
  out(line);
  if (!record.empty()) {
    std::FILE* f = std::fopen(record.c_str(), "wb");
    if (f == nullptr) {
      put(stderr, record + ": cannot write the file\n");
      return 2;
    }
    put(f, attempt_to_json(attempt_of(run, 1, {})) + "\n");
    std::fclose(f);
  }
  const double want = wrong ? s.questions * 0.5 : s.questions;
  return run.finished() && s.answered == s.questions && s.points == want ? 0 : 1;
}

}  // namespace tcplab_tool

int main(int argc, char** argv) {
  using namespace tcplab_tool;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command");
  const std::string cmd = args[0];
  args.erase(args.begin());
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    put(stdout, HELP);
    return 0;
  }
  if (cmd == "validate") return command_validate(args);
  if (cmd == "play") return command_play(args);
  if (cmd == "regrade") return command_regrade(args);
  if (cmd == "export") return command_export(args);
  return usage_error("unknown command " + cmd);
}
