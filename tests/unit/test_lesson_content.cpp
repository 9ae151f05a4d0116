// What the built-in lessons teach, checked against the engine (the review's
// findings, lessons/README.md "Coverage"): timers fire at their deadlines in
// every lesson; lesson 09 grades the protocol's four and this run's six; in
// lesson 07 A's repeated SYN gets a bare ACK (RFC 9293 3.10.7.4); the source
// articles' state typos are flagged as misspellings; a right act does not
// repeat the same RFC sentence.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "lesson.h"

#ifndef TCPLAB_LESSONS_DIR
#define TCPLAB_LESSONS_DIR "lessons"
#endif

using namespace tcplab;

namespace {

Lesson load_file(const std::string& name) {
  const std::string path = std::string(TCPLAB_LESSONS_DIR) + "/" + name;
  std::string text;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  REQUIRE_MESSAGE(f != nullptr, path);
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  std::vector<LessonError> errors;
  std::optional<Lesson> l = load_lesson(text, path, errors);
  std::string all;
  for (const LessonError& e : errors) all += e.text() + "\n";
  INFO(all);
  REQUIRE(l);
  return *l;
}

// Every lesson file's name, found at run time (a new lesson is checked too).
std::vector<std::string> lesson_names() {
  std::vector<std::string> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(TCPLAB_LESSONS_DIR, ec), end;
  for (; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json") out.push_back(it->path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Runs to the question `id`, answering everything before it right.
LessonRun at_question(const Lesson& l, std::uint64_t seed, const std::string& id) {
  LessonRun run(l, seed);
  for (int guard = 0; guard < 10000 && !run.finished(); ++guard) {
    const Question* q = run.question();
    if (q == nullptr) {
      run.advance();
      continue;
    }
    if (q->id == id) return run;
    REQUIRE(run.solve().correct);
  }
  FAIL("no question " << id);
  return run;
}

int choice_with(const Question& q, const std::string& starts) {
  for (std::size_t i = 0; i < q.choices.size(); ++i)
    if (q.choices[i].text.en.rfind(starts, 0) == 0) return static_cast<int>(i);
  FAIL("no choice starting with " << starts);
  return -1;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The whole lesson solved; then every timer that fired is checked against
// the time its cause happened: TIME-WAIT ends no sooner than 2*MSL after
// TIME-WAIT began or the last segment arrived in it (a retransmitted FIN
// restarts it, RFC 9293 3.10.7.4); a retransmission no sooner than one
// initial RTO after that host last sent a SYN, FIN or data.
void check_timer_deadlines(const Lesson& l, std::uint64_t seed) {
  LessonRun run(l, seed);
  for (int guard = 0; guard < 10000 && !run.finished(); ++guard) {
    if (run.question() == nullptr)
      run.advance();
    else
      REQUIRE(run.solve().correct);
  }
  const Trace& t = run.sim().trace();
  Instant tw_since[2] = {NEVER, NEVER}, last_sent[2] = {NEVER, NEVER};
  for (const Event& e : t) {
    const int h = e.host & 1;
    if (e.kind == EventKind::StateChanged && e.to == State::TimeWait) tw_since[h] = e.time;
    if (e.kind == EventKind::Accepted && e.reason == Reason::TimeWaitFinRestart) tw_since[h] = e.time;
    if (e.kind == EventKind::TimerFired && e.timer == TimerKind::TimeWait) {
      INFO(l.file << " seed " << seed << ": TIME-WAIT of host " << h << " at " << e.time << " ms");
      REQUIRE(tw_since[h] != NEVER);
      CHECK(e.time - tw_since[h] >= 2 * static_cast<Instant>(l.setup.msl_ms));
    }
    if (e.kind == EventKind::TimerFired && e.timer == TimerKind::Retransmit) {
      INFO(l.file << " seed " << seed << ": retransmission of host " << h << " at " << e.time << " ms");
      REQUIRE(last_sent[h] != NEVER);
      CHECK(e.time - last_sent[h] >= static_cast<Instant>(l.setup.rto_ms));
    }
    // Only segments that occupy sequence space run the timer (a RST or a
    // bare ACK does not).
    if (e.kind == EventKind::Sent && (e.seg.has(FLAG_SYN) || e.seg.has(FLAG_FIN) || e.seg.len > 0)) last_sent[h] = e.time;
  }
}

}  // namespace

TEST_CASE("lesson content: in every lesson a timer fires at its deadline, never early (issue 10 item 7)") {
  const std::vector<std::string> names = lesson_names();
  REQUIRE(names.size() >= 10);
  for (const std::string& name : names) {
    const Lesson l = load_file(name);
    for (std::uint64_t seed : {1ull, 2ull, 42ull}) check_timer_deadlines(l, seed);
  }
}

TEST_CASE("lesson content: 02 and 05, the client is CLOSED 2*MSL after entering TIME-WAIT") {
  for (const char* name : {"02-four-way-close.json", "05-close-losses.json"}) {
    const Lesson l = load_file(name);
    LessonRun run(l, 1);
    Instant entered = NEVER, closed = NEVER;
    for (int guard = 0; guard < 10000 && !run.finished(); ++guard) {
      if (run.question() == nullptr)
        run.advance();
      else
        REQUIRE(run.solve().correct);
    }
    for (const Event& e : run.sim().trace())
      if (e.kind == EventKind::StateChanged && (e.host & 1) == HOST_A) {
        if (e.to == State::TimeWait) entered = e.time;
        if (e.from == State::TimeWait) closed = e.time;
      }
    INFO(name);
    REQUIRE(entered != NEVER);
    REQUIRE(closed != NEVER);
    // Lesson 05 restarts the wait with a retransmitted FIN: at least 2*MSL.
    CHECK(closed - entered >= 2 * static_cast<Instant>(l.setup.msl_ms));
  }
}

TEST_CASE("lesson content: 09 grades the protocol's four and this run's six (M2)") {
  const Lesson l = load_file("09-simultaneous.json");
  LessonRun run = at_question(l, 1, "how-many-needed");
  const Question* q = run.question();
  LessonRun wrong = run;
  const Feedback six = wrong.answer_choices({choice_with(*q, "Six")});
  CHECK_FALSE(six.correct);
  CHECK(has(six.message.en, "what this run sent"));
  const Feedback four = run.answer_choices({choice_with(*q, "Four")});
  CHECK(four.correct);
  REQUIRE(run.question() != nullptr);
  REQUIRE(run.question()->id == "how-many-sent");
  // The run really sent six segments: counted from the engine's trace.
  int sent = 0;
  for (const Event& e : run.sim().trace()) sent += e.kind == EventKind::Sent ? 1 : 0;
  CHECK(sent == 6);
  LessonRun wrong2 = run;
  CHECK_FALSE(wrong2.answer_choices({choice_with(*run.question(), "Four")}).correct);
  CHECK(run.answer_choices({choice_with(*run.question(), "Six")}).correct);
}

TEST_CASE("lesson content: 07, A's repeated SYN reaching B in SYN-RECEIVED gets a bare ACK (M1)") {
  const Lesson l = load_file("07-lost-syn.json");
  for (std::uint64_t seed : {1ull, 3ull}) {
    const LessonRun run = at_question(l, seed, "b-after-dup-syn");
    const Trace& t = run.sim().trace();
    bool rejected_syn = false, bare_ack = false;
    for (std::size_t k = 0; k < t.size(); ++k) {
      const Event& e = t[k];
      if (e.kind == EventKind::Rejected && (e.host & 1) == HOST_B && e.seg.has(FLAG_SYN)) {
        rejected_syn = true;
        for (std::size_t j = k + 1; j < t.size(); ++j)
          if (t[j].kind == EventKind::Sent && (t[j].host & 1) == HOST_B) {
            bare_ack = t[j].seg.flags == FLAG_ACK;
            break;
          }
      }
    }
    CHECK(rejected_syn);
    CHECK(bare_ack);
    CHECK(run.sim().endpoint(HOST_B).state() == State::SynReceived);
  }
}

TEST_CASE("lesson content: the source articles' typos are misspellings, pointed out (L13)") {
  struct Case {
    const char* typed;
    State state;
  };
  for (const Case& c : {Case{"CLOST-WAIT", State::CloseWait}, Case{"SYN_RCVE", State::SynReceived},
                        Case{"TIMED_WAIT", State::TimeWait}, Case{"SYN_SEND", State::SynSent}}) {
    const std::optional<ParsedState> p = parse_state(c.typed);
    INFO(c.typed);
    REQUIRE(p);
    CHECK(p->misspelling);
    CHECK(p->state == c.state);
  }
  // In a lesson: graded wrong, with the right spelling named.
  const Lesson l = load_file("02-four-way-close.json");
  LessonRun run(l, 1);
  for (int guard = 0; guard < 1000 && !run.finished(); ++guard) {
    const Question* q = run.question();
    if (q == nullptr) {
      run.advance();
      continue;
    }
    if (q->kind == QuestionKind::State && run.sim().endpoint(q->host).state() == State::CloseWait) break;
    REQUIRE(run.solve().correct);
  }
  REQUIRE(run.question() != nullptr);
  const Feedback f = run.answer_state("CLOST-WAIT");
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "CLOST-WAIT is a common misspelling: the state is called CLOSE-WAIT"));
}

TEST_CASE("lesson content: a right act says an RFC rule once (L12)") {
  const Lesson l = load_file("07-lost-syn.json");
  LessonRun run = at_question(l, 1, "reopen");
  const Feedback f = run.solve();
  REQUIRE(f.correct);
  const std::string cite = "(RFC 9293 3.10.1)";
  const std::size_t first = f.message.en.find(cite);
  REQUIRE(first != std::string::npos);
  CHECK(f.message.en.find(cite, first + 1) == std::string::npos);
}

TEST_CASE("lesson content: every question named in the README's coverage table exists") {
  std::string readme;
  {
    std::FILE* f = std::fopen((std::string(TCPLAB_LESSONS_DIR) + "/README.md").c_str(), "rb");
    REQUIRE(f != nullptr);
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) readme.append(buf, n);
    std::fclose(f);
  }
  // The question ids of each lesson, by its two-digit number.
  std::vector<std::pair<std::string, std::vector<std::string>>> ids;
  for (const std::string& name : lesson_names()) {
    const Lesson l = load_file(name);
    std::vector<std::string> q;
    for (const LessonStep& s : l.steps)
      if (s.kind == LessonStep::Kind::Ask) q.push_back(s.question.id);
    ids.emplace_back(name.substr(0, 2), q);
  }
  int rows = 0, checked = 0;
  std::size_t at = 0;
  while ((at = readme.find("\n| S", at)) != std::string::npos) {
    const std::size_t end = readme.find('\n', at + 1);
    const std::string row = readme.substr(at + 1, end - at - 1);
    at = end;
    ++rows;
    // "01 `a`, `b`, 10 `c`": a two-digit number names the lesson of the ids after it.
    std::string lesson;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i + 2 < row.size() && std::isdigit(static_cast<unsigned char>(row[i])) &&
          std::isdigit(static_cast<unsigned char>(row[i + 1])) && row[i + 2] == ' ' &&
          (i == 0 || row[i - 1] == ' ' || row[i - 1] == '(')) {
        lesson = row.substr(i, 2);
        continue;
      }
      if (row[i] != '`') continue;
      const std::size_t close = row.find('`', i + 1);
      const std::string id = row.substr(i + 1, close - i - 1);
      i = close;
      INFO(row);
      REQUIRE_FALSE(lesson.empty());
      bool found = false;
      for (const auto& l : ids)
        if (l.first == lesson) found = std::find(l.second.begin(), l.second.end(), id) != l.second.end();
      CHECK_MESSAGE(found, "lesson " << lesson << " has no question " << id);
      ++checked;
    }
  }
  CHECK(rows >= 30);
  CHECK(checked >= 60);
}
