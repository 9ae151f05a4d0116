// The questions that make learners construct (lessons/lesson_construct.cpp):
// ladder, blanks, classify and order as a partial order, answered right and
// wrong; the validator's and the loader's messages naming the field.
#include <set>

#include "attempt.h"
#include "mutations.h"
#include "segment_mistakes.h"
#include "question_fixtures.h"

using namespace tcplab;
using namespace qfix;

namespace {

const std::string LADDER_Q = R"({"ask": {"id": "pick", "kind": "ladder",
  "distractors": ["ack_ignores_data", "syn_fin_not_counted", "time_wait_on_passive_closer"], )" + std::string(TEXTS) + "}}";

const std::string BLANKS_Q = R"({"ask": {"id": "fill", "kind": "blanks",
  "blanks": [{"row": 1, "field": "ack"}, {"row": 4, "field": "ack"}, {"row": 1, "field": "flags"},
             {"row": 1, "field": "state", "host": "B"}, {"row": -1, "field": "state", "host": "A"}, {"row": 3, "field": "seq"}], )" +
                             std::string(TEXTS) + "}}";

const std::string CLASSIFY_Q = R"({"ask": {"id": "sort", "kind": "classify",
  "classes": [{"en": "can last a long time", "zh": "可能持续很久"}, {"en": "passes quickly", "zh": "很快就过去"}],
  "items": [
    {"text": {"en": "ESTABLISHED", "zh": "ESTABLISHED"}, "class": 0, "explain": {"en": "It lasts while the connection is used.", "zh": "连接使用多久就持续多久。"}},
    {"text": {"en": "CLOSE-WAIT", "zh": "CLOSE-WAIT"}, "class": 0, "explain": {"en": "It lasts until the application closes.", "zh": "持续到应用进程关闭为止。"}},
    {"text": {"en": "SYN-SENT", "zh": "SYN-SENT"}, "class": 1, "explain": {"en": "It ends one round trip later.", "zh": "一个往返时间后就结束。"}}], )" +
                               std::string(TEXTS) + "}}";

const std::string ORDER_Q = R"({"ask": {"id": "cross", "kind": "order",
  "items": [{"en": "both ESTABLISHED", "zh": "双方 ESTABLISHED"}, [{"en": "A sends FIN", "zh": "A 发送 FIN"}, {"en": "B sends FIN", "zh": "B 发送 FIN"}], {"en": "both CLOSING", "zh": "双方 CLOSING"}], )" +
                            std::string(TEXTS) + "}}";

const Lesson& lesson() {
  static const Lesson l = load(conversation(LADDER_Q + "," + BLANKS_Q + "," + CLASSIFY_Q + "," + ORDER_Q));
  return l;
}

int right_ladder(const LessonRun& run) {
  for (std::size_t i = 0; i < run.ladder_options().size(); ++i)
    if (run.ladder_options()[i].mutation < 0) return static_cast<int>(i);
  return -1;
}

}  // namespace

// =============================================================================
// Ladder
// =============================================================================

TEST_CASE("ladder: the run's own ladder among its refused mutations, shuffled by the seed") {
  std::set<int> positions;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const LessonRun run = at(lesson(), seed, "pick");
    REQUIRE(run.ladder_options().size() == 4);
    const int right = right_ladder(run);
    REQUIRE(right >= 0);
    positions.insert(right);
    // The right one is the run's segments, as sent.
    const std::vector<Event> s = sent(run);
    const std::vector<LadderRow>& rows = run.ladder_options()[static_cast<std::size_t>(right)].rows;
    REQUIRE(rows.size() == s.size());
    for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i].seg == s[i].seg);
    for (const LadderChoice& c : run.ladder_options()) CHECK(check_ladder(c.rows).valid == (c.mutation < 0));
  }
  CHECK(positions.size() >= 3);  // not always in the same place
}

TEST_CASE("ladder: a distractor is explained by its mistake and the engine's verdict") {
  LessonRun run = at(lesson(), 4, "pick");
  for (std::size_t i = 0; i < run.ladder_options().size(); ++i) {
    const int m = run.ladder_options()[i].mutation;
    if (m < 0) continue;
    LessonRun r = run;
    const Feedback f = r.answer_ladder(static_cast<int>(i));
    CHECK_FALSE(f.correct);
    CHECK(has(f.message.en, mutation_explain(m, Lang::En)));
    CHECK(has(f.message.zh, mutation_explain(m, Lang::Zh)));
    CHECK((has(f.message.en, "The engine refuses row") || has(f.message.en, "the engine puts")));
    CHECK(r.misses() == 1);
  }
  CHECK_FALSE(run.answer_ladder(9).correct);
  CHECK(run.misses() == 0);  // out of range: not graded
  const Feedback f = run.answer_ladder(right_ladder(run));
  CHECK(f.correct);
  CHECK(f.points == 1.0);
  CHECK(run.question()->id == "fill");
}

// =============================================================================
// Blanks
// =============================================================================

TEST_CASE("blanks: each field graded by itself, from this run's numbers") {
  LessonRun run = at(lesson(), 6, "fill");
  const Seq a = run.sim().endpoint(HOST_A).tcb().iss;
  const Seq b = run.sim().endpoint(HOST_B).tcb().iss;
  const std::vector<std::string> right = {std::to_string(a + 1), std::to_string(a + 201), "SYN,ACK",
                                          "SYN-RECEIVED",        "TIME-WAIT",              std::to_string(a + 1)};
  for (std::size_t i = 0; i < right.size(); ++i) CHECK(run.blank_answer(run.question()->blanks[i]) == right[i]);
  (void)b;
  // One field wrong: that blank is named, the others are right.
  std::vector<std::string> given = right;
  given[1] = std::to_string(a + 2);  // the ACK of 200 octets given as seq + 1
  Feedback f = run.answer_blanks(given);
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "Blank 1 (row 2, ack): right."));
  CHECK(has(f.message.en, "Blank 2 (row 5, ack): not right. The mistake: ack = seq + 1 although the segment carried data."));
  CHECK(has(f.message.zh, "第 2 空（第 5 行，确认号 ack）：不对。错误类型：虽然报文段携带了数据"));
  CHECK(has(f.message.en, "Blank 3 (row 2, flags): right."));
  CHECK(has(f.message.en, "Blank 5 (row 11, state of A): right."));
  // The SYN not counted; own and peer swapped; off by one.
  given = right;
  given[0] = std::to_string(a);
  CHECK(has(run.answer_blanks(given).message.en, "The mistake: the SYN or FIN was not counted."));
  given = right;
  given[5] = std::to_string(b + 1);  // row 3's ack given as its seq
  CHECK(has(run.answer_blanks(given).message.en, "Blank 6 (row 4, seq): not right. The mistake: own and peer numbers swapped."));
  given = right;
  given[5] = std::to_string(a + 2);
  CHECK(has(run.answer_blanks(given).message.en, "The mistake: off by one."));
  // Flags in any spelling; states in any spelling the engine knows.
  given = right;
  given[2] = "ack syn";
  given[3] = "syn_recv";
  CHECK(run.answer_blanks(given).correct);
}

TEST_CASE("blanks: text that is not a value is not graded, and says which blank") {
  LessonRun run = at(lesson(), 2, "fill");
  const Feedback f = run.answer_blanks({"1", "2", "SYN,HELLO", "LISTEN", "CLOSED", "3"});
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "Blank 3 (row 2, flags): type flags such as SYN,ACK."));
  CHECK(has(f.message.zh, "第 3 空（第 2 行，标志位）：请输入标志位"));
  CHECK(run.misses() == 0);
  CHECK(run.answer_blanks({"1"}).message.en == "Fill every blank.");
}

// =============================================================================
// Classify
// =============================================================================

TEST_CASE("classify: every item in its class; a wrong item is named with its reason") {
  LessonRun run = at(lesson(), 3, "sort");
  Feedback f = run.answer_classify({0, 1, 1});
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "\"CLOSE-WAIT\" is not \"passes quickly\": It lasts until the application closes."));
  CHECK(has(f.message.zh, "“CLOSE-WAIT”不属于“很快就过去”：持续到应用进程关闭为止。"));
  CHECK_FALSE(has(f.message.en, "\"ESTABLISHED\" is not"));
  CHECK(run.answer_classify({0, 1}).message.en == "Put every item in a class.");
  CHECK(run.answer_classify({0, 5, 1}).message.en == "Put every item in a class.");
  f = run.answer_classify({0, 0, 1});
  CHECK(f.correct);
  CHECK(f.points == 0.5);
}

// =============================================================================
// Order as a partial order
// =============================================================================

TEST_CASE("order: items in one group are accepted in either order, others not") {
  LessonRun run = at(lesson(), 8, "cross");
  const std::vector<Text> shown = run.order_items();
  REQUIRE(shown.size() == 4);
  auto idx = [&](const std::string& en) {
    for (std::size_t i = 0; i < shown.size(); ++i)
      if (shown[i].en == en) return static_cast<int>(i);
    return -1;
  };
  const int e = idx("both ESTABLISHED"), fa = idx("A sends FIN"), fb = idx("B sends FIN"), c = idx("both CLOSING");
  {
    LessonRun r = run;
    const Feedback f = r.answer_order({e, fb, fa, c});
    CHECK(f.correct);
    CHECK(has(f.message.en, "\"A sends FIN\" and \"B sends FIN\" may come in either order."));
  }
  {
    LessonRun r = run;
    CHECK(r.answer_order({e, fa, fb, c}).correct);
  }
  const Feedback f = run.answer_order({fa, e, fb, c});
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "\"both ESTABLISHED\" must come before \"A sends FIN\"."));
  CHECK(has(f.message.zh, "“双方 ESTABLISHED”必须在“A 发送 FIN”之前。"));
}

TEST_CASE("order: segments that crossed may be given either way only with crossing") {
  // A simultaneous open: both SYNs are in flight at once.
  auto lesson_with = [](const std::string& crossing) {
    return R"({"id": "q-so", "version": 1, "title": {"en": "T", "zh": "题"}, "summary": {"en": "S", "zh": "概"},
    "steps": [
      {"do": [{"app": "A", "call": "open_active"}, {"app": "B", "call": "open_active"},
              {"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"}]},
      {"ask": {"id": "o", "kind": "order", "segments": true)" + crossing + ", " + std::string(TEXTS) + "}}]}";
  };
  const Lesson with = load(lesson_with(R"(, "crossing": true)"));
  const Lesson without = load(lesson_with(""));
  for (const Lesson* l : {&with, &without}) {
    LessonRun run = at(*l, 1, "o");
    const std::vector<Text> shown = run.order_items();
    REQUIRE(shown.size() >= 3);  // two SYNs, then the SYN,ACKs
    // Shown order to the learner's order: put every SYN,ACK last, and the
    // two SYNs in both orders.
    std::vector<int> syns, rest;
    for (std::size_t i = 0; i < shown.size(); ++i)
      (has(shown[i].en, "SYN seq") && !has(shown[i].en, "SYN,ACK") ? syns : rest).push_back(static_cast<int>(i));
    REQUIRE(syns.size() == 2);
    // Count the orders of the two SYNs that pass (the rest in every order
    // tried: the SYN,ACKs cross as well).
    int right = 0;
    for (int flip = 0; flip < 2; ++flip) {
      bool passed = false;
      for (int flip2 = 0; flip2 < 2 && !passed; ++flip2) {
        std::vector<int> o;
        o.push_back(syns[flip == 0 ? 0 : 1]);
        o.push_back(syns[flip == 0 ? 1 : 0]);
        for (std::size_t k = 0; k < rest.size(); ++k) o.push_back(rest[flip2 == 0 ? k : rest.size() - 1 - k]);
        LessonRun r2 = run;
        passed = r2.answer_order(o).correct;
      }
      right += passed ? 1 : 0;
    }
    CHECK(right == (l == &with ? 2 : 1));
  }
}

// =============================================================================
// Re-grading and answer text
// =============================================================================

TEST_CASE("new kinds: given answers re-grade to the same result") {
  LessonRun run(lesson(), 11);
  while (!run.finished()) {
    if (run.question() == nullptr) {
      run.advance();
      continue;
    }
    run.answer_wrong();
    REQUIRE(run.solve().correct);
  }
  LessonRun again(lesson(), 11);
  for (const GivenAnswer& g : run.given()) {
    std::string why;
    const std::optional<Feedback> f = replay_answer(again, g, why);
    REQUIRE_MESSAGE(f, why);
    CHECK(f->correct == g.correct);
  }
  CHECK(again.finished());
}

// =============================================================================
// Messages naming the field
// =============================================================================

TEST_CASE("new kinds: a lesson with an invalid question is refused, naming the field") {
  struct Case {
    std::string ask, error;
  };
  const std::string T = TEXTS;
  const std::vector<Case> cases = {
      {R"({"ask": {"id": "q", "kind": "ladder", "distractors": ["ack_plus_one", "states_swapped"], )" + T + "}}",
       "steps[1].ask.distractors[0] (question \"q\"): unknown mutation \"ack_plus_one\" (expected ack_ignores_data, syn_fin_not_counted"},
      {R"({"ask": {"id": "q", "kind": "ladder", "distractors": ["states_swapped"], )" + T + "}}",
       "steps[1].ask.distractors (question \"q\"): a ladder question shows two or three distractors"},
      {R"({"ask": {"id": "q", "kind": "blanks", "blanks": [{"row": 1, "field": "state"}], )" + T + "}}",
       "steps[1].ask.blanks[0].host (question \"q\"): missing required field (whose state: \"A\" or \"B\")"},
      {R"({"ask": {"id": "q", "kind": "blanks", "blanks": [{"row": 1, "field": "window"}], )" + T + "}}",
       "steps[1].ask.blanks[0].field (question \"q\"): unknown field \"window\" (expected seq, ack, flags, state)"},
      {R"({"ask": {"id": "q", "kind": "blanks", "blanks": [{"row": 40, "field": "seq"}], )" + T + "}}",
       "steps[1].ask.blanks[0].row (question \"q\"): there is no row 40: the ladder has 11 rows (0 to 10)"},
      {R"({"ask": {"id": "q", "kind": "blanks", "blanks": [{"row": 0, "field": "ack"}], )" + T + "}}",
       "steps[1].ask.blanks[0].field (question \"q\"): row 0 (SYN seq="},
      {R"({"ask": {"id": "q", "kind": "classify", "classes": [{"en": "a", "zh": "甲"}, {"en": "b", "zh": "乙"}],
         "items": [{"text": {"en": "x", "zh": "丙"}, "class": 2, "explain": {"en": "y", "zh": "丁"}}, {"text": {"en": "x", "zh": "丙"}, "class": 0, "explain": {"en": "y", "zh": "丁"}}], )" + T + "}}",
       "steps[1].ask.items[0].class (question \"q\"): expected an integer from 0 to 1"},
      {R"({"ask": {"id": "q", "kind": "classify", "classes": [{"en": "a", "zh": "甲"}, {"en": "b", "zh": "乙"}],
         "items": [{"text": {"en": "x", "zh": "丙"}, "class": 0, "explain": {"en": "y", "zh": "丁"}}, {"text": {"en": "x", "zh": "丙"}, "class": 0, "explain": {"en": "y", "zh": "丁"}}], )" + T + "}}",
       "steps[1].ask.classes[1] (question \"q\"): no item belongs to this class"},
      {R"({"ask": {"id": "q", "kind": "order", "items": [[{"en": "a", "zh": "甲"}, {"en": "b", "zh": "乙"}]], )" + T + "}}",
       "steps[1].ask.items (question \"q\"): every item is in one group: any order would be right"},
      {R"({"ask": {"id": "q", "kind": "order", "items": [{"en": "a", "zh": "甲"}, {"en": "b", "zh": "乙"}], "crossing": true, )" + T + "}}",
       "steps[1].ask.crossing (question \"q\"): only with \"segments\": true"},
  };
  for (const Case& c : cases) {
    const std::string e = first_error(conversation(c.ask));
    CHECK_MESSAGE(has(e, c.error), "expected: " << c.error << "\n  got: " << e);
  }
}

TEST_CASE("ladder: a distractor the run has nothing for is refused by the validator") {
  const std::string json = R"({
  "id": "q-hs", "version": 1, "title": {"en": "T", "zh": "题"}, "summary": {"en": "S", "zh": "概"},
  "steps": [
    {"do": [{"app": "B", "call": "open_passive"}, {"app": "A", "call": "open_active"},
      {"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"}, {"deliver": "A->B", "which": "next"}]},
    {"ask": {"id": "q", "kind": "ladder", "distractors": ["syn_fin_not_counted", "ack_ignores_data"], )" +
                           std::string(TEXTS) + "}}]}";
  CHECK(has(first_error(json), "steps[1].ask.distractors[1] (question \"q\"): \"ack_ignores_data\" changes nothing in this run's ladder"));
}

// =============================================================================
// Mistakes named in hand-built segments
// =============================================================================

TEST_CASE("act: a hand-built segment's mistake is named beside the engine's rule") {
  // The client's ACK of the SYN,ACK is lost; the learner builds it, and the
  // server must reach ESTABLISHED.
  const std::string json = R"({
  "id": "q-act", "version": 1, "title": {"en": "T", "zh": "题"}, "summary": {"en": "S", "zh": "概"},
  "steps": [
    {"do": [{"app": "B", "call": "open_passive"}, {"app": "A", "call": "open_active"},
      {"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"}, {"drop": "A->B"}]},
    {"ask": {"id": "ack", "kind": "act", "host": "A", "goal": {"segment": {"peer_state": "ESTABLISHED"}},
      "solution": {"segment": {"flags": ["ACK"], "seq": "{A.snd_nxt}", "ack": "{A.rcv_nxt}"}}, )" +
                           std::string(TEXTS) + "}}]}";
  const Lesson l = load(json);
  LessonRun run = at(l, 1, "ack");
  const Tcb& t = run.sim().endpoint(HOST_A).tcb();
  const Seq nxt = t.snd_nxt, rcv = t.rcv_nxt;
  auto build = [&](Seq seq, Seq ack) {
    Segment s;
    s.flags = FLAG_ACK;
    s.seq = seq;
    s.ack = ack;
    s.wnd = 4096;
    return s;
  };
  Feedback f = run.act_segment(HOST_A, build(nxt, rcv - 1));
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "In the ack: The mistake: the SYN or FIN was not counted."));
  CHECK(has(f.message.zh, "ack 中的错误类型：没有计入 SYN 或 FIN"));
  f = run.act_segment(HOST_A, build(rcv, nxt));
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "In the seq: The mistake: own and peer numbers swapped."));
  CHECK_FALSE(has(f.message.en, "In the ack:"));  // one swap, said once
  f = run.act_segment(HOST_A, build(nxt, rcv + 1));
  CHECK(has(f.message.en, "In the ack: The mistake: off by one."));
  f = run.act_segment(HOST_A, build(nxt + 100000, rcv));
  CHECK(has(f.message.en, "In the seq: The mistake: the seq is outside the receiver's window"));
  CHECK(run.misses() == 4);
  f = run.act_segment(HOST_A, build(nxt, rcv));
  CHECK(f.correct);
  CHECK_FALSE(has(f.message.en, "The mistake"));
}

TEST_CASE("number mistakes: each class from the numbers alone") {
  Segment data;
  data.flags = FLAG_ACK;
  data.seq = 1000;
  data.len = 300;
  Segment syn;
  syn.flags = FLAG_SYN;
  syn.seq = 50;
  CHECK(number_mistake(1001, 1300, 7, true, &data, nullptr) == NumberMistake::AckIgnoresData);
  CHECK(number_mistake(50, 51, 7, true, &syn, nullptr) == NumberMistake::SynFinNotCounted);
  CHECK(number_mistake(7, 51, 7, true, &syn, nullptr) == NumberMistake::Swapped);
  CHECK(number_mistake(52, 51, 7, true, &syn, nullptr) == NumberMistake::OffByOne);
  CHECK(number_mistake(900, 51, 7, true, &syn, nullptr) == NumberMistake::None);
  CHECK(number_mistake(51, 51, 7, true, &syn, nullptr) == NumberMistake::None);
  // A sender's next seq after its own SYN or data.
  CHECK(number_mistake(50, 51, 7, false, nullptr, &syn) == NumberMistake::SynFinNotCounted);
  CHECK(number_mistake(1001, 1300, 7, false, nullptr, &data) == NumberMistake::AckIgnoresData);
  std::uint8_t f = 0;
  CHECK(parse_flag_list("syn, ack", f));
  CHECK(f == (FLAG_SYN | FLAG_ACK));
  CHECK(parse_flag_list("FIN+ACK", f));
  CHECK(f == (FLAG_FIN | FLAG_ACK));
  CHECK_FALSE(parse_flag_list("SYN,HELLO", f));
  CHECK_FALSE(parse_flag_list("  ", f));
}
