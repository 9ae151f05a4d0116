// Exams that never repeat (lessons/exam.h): a seed draws the questions, each
// run's numbers and, for ladder questions, the distractors among every named
// mutation the engine refuses in that run. The same seed draws the same
// exam; other seeds draw other distractor sets; every distractor drawn is
// still refused by the engine's replay.
#include <algorithm>
#include <cstdio>
#include <set>

#include "exam.h"
#include "mutations.h"
#include "question_fixtures.h"

#ifndef TCPLAB_LESSONS_DIR
#define TCPLAB_LESSONS_DIR "lessons"
#endif

using namespace tcplab;
using namespace qfix;

namespace {

// The whole conversation (every mutation applies: seven to draw two from),
// then a ladder question and a classify one.
Lesson exam_lesson() {
  const std::string ladder = R"({"ask": {"id": "pick", "kind": "ladder",
      "distractors": ["ack_ignores_data", "states_swapped"], )" + std::string(TEXTS) + "}}";
  const std::string sort = R"({"ask": {"id": "sort", "kind": "classify",
      "classes": [{"en": "long", "zh": "长"}, {"en": "short", "zh": "短"}],
      "items": [{"text": {"en": "CLOSE-WAIT", "zh": "CLOSE-WAIT"}, "class": 0, "explain": {"en": "app", "zh": "应用"}},
                {"text": {"en": "TIME-WAIT", "zh": "TIME-WAIT"}, "class": 1, "explain": {"en": "2MSL", "zh": "2MSL"}}], )" +
                           std::string(TEXTS) + "}}";
  return load(conversation(ladder + ",\n" + sort));
}

// The ladder question's options in a drawn exam: the mutation of each
// (-1: the run's own), in the order shown. Empty when no ladder was drawn.
std::vector<int> drawn_ladder(const std::deque<Lesson>& lessons, std::uint64_t seed) {
  for (const ExamDraw& d : draw_exam(lessons, {}, seed, 10)) {
    if (d.run.question()->kind != QuestionKind::Ladder) continue;
    std::vector<int> shown;
    for (const LadderChoice& c : d.run.ladder_options()) shown.push_back(c.mutation);
    return shown;
  }
  return {};
}

bool same_rows(const std::vector<LadderRow>& a, const std::vector<LadderRow>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i].seg == b[i].seg) || a[i].from != b[i].from || a[i].state[0] != b[i].state[0] || a[i].state[1] != b[i].state[1])
      return false;
  return true;
}

std::set<int> distractor_set(const std::vector<int>& shown) {
  std::set<int> out;
  for (int m : shown)
    if (m >= 0) out.insert(m);
  return out;
}

// Every ladder drawn: the run's own accepted, each distractor refused by
// the engine, and the answers graded so (the own right, a distractor wrong
// with its mutation's explanation).
void check_ladders_graded(const ExamDraw& d) {
  const std::vector<LadderChoice>& options = d.run.ladder_options();
  REQUIRE(options.size() == d.run.question()->distractors.size() + 1);
  CHECK(d.run.ladder_problems().empty());
  for (std::size_t i = 0; i < options.size(); ++i) {
    CAPTURE(i);
    CAPTURE(options[i].mutation < 0 ? "own" : mutation_name(options[i].mutation));
    CHECK(check_ladder(options[i].rows).valid == (options[i].mutation < 0));
    LessonRun copy = d.run;
    const Feedback f = copy.answer_ladder(static_cast<int>(i));
    CHECK(f.correct == (options[i].mutation < 0));
    if (options[i].mutation >= 0) CHECK(has(f.message.en, mutation_explain(options[i].mutation, Lang::En)));
  }
}

std::deque<Lesson> builtin_lessons() {
  std::deque<Lesson> out;
  for (const char* name : {"/02-four-way-close.json", "/06-time-wait.json"}) {
    std::string text;
    std::FILE* f = std::fopen((std::string(TCPLAB_LESSONS_DIR) + name).c_str(), "rb");
    REQUIRE(f != nullptr);
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
    out.push_back(load(text));
  }
  return out;
}

}  // namespace

TEST_CASE("exam: the same seed draws the same distractors, in the same order") {
  const std::deque<Lesson> lessons{exam_lesson()};
  for (std::uint64_t seed : {1u, 42u, 8801u, 123456789u}) {
    CAPTURE(seed);
    const std::vector<int> first = drawn_ladder(lessons, seed);
    REQUIRE(first.size() == 3);
    CHECK(drawn_ladder(lessons, seed) == first);
    // The rows too: the same exam is the same paper.
    const std::vector<ExamDraw> a = draw_exam(lessons, {}, seed, 10), b = draw_exam(lessons, {}, seed, 10);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].run.seed() == b[i].run.seed());
      CHECK(a[i].run.step_index() == b[i].run.step_index());
      REQUIRE(a[i].run.ladder_options().size() == b[i].run.ladder_options().size());
      for (std::size_t k = 0; k < a[i].run.ladder_options().size(); ++k)
        CHECK(same_rows(a[i].run.ladder_options()[k].rows, b[i].run.ladder_options()[k].rows));
    }
  }
}

TEST_CASE("exam: other seeds draw other distractor sets from every mutation the engine refuses") {
  const std::deque<Lesson> lessons{exam_lesson()};
  std::set<std::set<int>> sets;
  std::set<int> used;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const std::set<int> s = distractor_set(drawn_ladder(lessons, seed));
    REQUIRE(s.size() == 2);  // as many as the author chose
    sets.insert(s);
    used.insert(s.begin(), s.end());
  }
  MESSAGE(sets.size() << " distinct distractor sets over 40 seeds; " << used.size() << " mutations used");
  CHECK(sets.size() >= 8);
  // Not only the author's two: the draw reaches every mutation over 40 seeds.
  CHECK(used.size() == static_cast<std::size_t>(Mutation::Count));
}

TEST_CASE("exam: every drawn distractor is refused by the engine and graded wrong") {
  const std::deque<Lesson> lessons{exam_lesson()};
  int ladders = 0;
  for (std::uint64_t seed = 1; seed <= 25; ++seed)
    for (const ExamDraw& d : draw_exam(lessons, {}, seed, 10)) {
      if (d.run.question()->kind != QuestionKind::Ladder) continue;
      CAPTURE(seed);
      ++ladders;
      check_ladders_graded(d);
    }
  CHECK(ladders == 25);
}

TEST_CASE("exam: built-in ladder questions redraw their distractors, each refused by the engine") {
  const std::deque<Lesson> lessons = builtin_lessons();
  std::set<std::pair<std::string, std::set<int>>> sets;
  int ladders = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed)
    for (const ExamDraw& d : draw_exam(lessons, {}, seed, 50)) {
      if (d.run.question()->kind != QuestionKind::Ladder) continue;
      CAPTURE(seed);
      CAPTURE(d.run.question()->id);
      ++ladders;
      check_ladders_graded(d);
      std::vector<int> shown;
      for (const LadderChoice& c : d.run.ladder_options()) shown.push_back(c.mutation);
      sets.insert({lessons[d.lesson].id + "/" + d.run.question()->id, distractor_set(shown)});
    }
  REQUIRE(ladders >= 30);
  // More than one set per question: the exams differ in their distractors.
  CHECK(sets.size() > 2);
}

TEST_CASE("exam: a lesson (not an exam) keeps the author's distractors") {
  const Lesson l = exam_lesson();
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const LessonRun run = at(l, seed, "pick");
    std::vector<int> shown;
    for (const LadderChoice& c : run.ladder_options()) shown.push_back(c.mutation);
    CHECK(distractor_set(shown) == std::set<int>{static_cast<int>(Mutation::AckIgnoresData),
                                                 static_cast<int>(Mutation::StatesSwapped)});
  }
}

TEST_CASE("exam: questions come from the chosen lessons only, as many as asked") {
  const std::deque<Lesson> lessons = builtin_lessons();
  for (std::uint64_t seed : {5u, 6u}) {
    const std::vector<ExamDraw> drawn = draw_exam(lessons, {"time-wait"}, seed, 4);
    REQUIRE(drawn.size() == 4);
    for (const ExamDraw& d : drawn) {
      CHECK(lessons[d.lesson].id == "time-wait");
      REQUIRE(d.run.question() != nullptr);
      REQUIRE(d.run.distractor_seed().has_value());
      CHECK(*d.run.distractor_seed() == seed);
    }
  }
  CHECK(draw_exam(lessons, {"no-such-lesson"}, 1, 4).empty());
}
