// The ladder question's distractors (lessons/mutations.h): each named
// mutation changes the run's ladder and the engine's replay refuses the
// result; the run's own ladder is accepted row by row.
#include "mutations.h"
#include "question_fixtures.h"

using namespace tcplab;
using namespace qfix;

namespace {

std::vector<LadderRow> ladder_of(const std::string& extra_steps, std::uint64_t seed) {
  static const std::string ask = R"({"ask": {"id": "q", "kind": "choose", "choices": [
      {"text": {"en": "a", "zh": "甲"}, "correct": true, "explain": {"en": "x", "zh": "乙"}},
      {"text": {"en": "b", "zh": "丙"}, "correct": false, "explain": {"en": "y", "zh": "丁"}}], )" + std::string(TEXTS) + "}}";
  const Lesson l = load(conversation(extra_steps + ask));
  const LessonRun run = at(l, seed, "q");
  std::vector<LadderRow> rows;
  std::string why;
  REQUIRE_MESSAGE(run_ladder(run.sim().trace(), rows, &why), why);
  return rows;
}

}  // namespace

TEST_CASE("mutations: the run's own ladder is accepted by the engine, row by row") {
  for (std::uint64_t seed : {1, 2, 3, 77}) {
    const std::vector<LadderRow> rows = ladder_of("", seed);
    REQUIRE(rows.size() == 11);
    CHECK(check_ladder(rows).valid);
    // States are the engine's: the server is SYN-RECEIVED after its SYN,ACK, ESTABLISHED after the third segment.
    CHECK(rows[1].state[1] == State::SynReceived);
    CHECK(rows[2].state[1] == State::Established);
    CHECK(rows.back().state[0] == State::TimeWait);
    CHECK(rows.back().state[1] == State::Closed);
  }
}

TEST_CASE("mutations: every named mutation is refused by the engine") {
  const std::vector<LadderRow> rows = ladder_of("", 5);
  REQUIRE(mutation_names().size() == static_cast<std::size_t>(Mutation::Count));
  for (int m = 0; m < static_cast<int>(Mutation::Count); ++m) {
    CAPTURE(mutation_name(m));
    std::vector<LadderRow> out;
    REQUIRE(apply_mutation(m, rows, out));
    CHECK(out.size() == rows.size());
    bool differs = false;
    for (std::size_t i = 0; i < rows.size(); ++i)
      differs = differs || !(out[i].seg == rows[i].seg) || out[i].state[0] != rows[i].state[0] ||
                out[i].state[1] != rows[i].state[1];
    CHECK(differs);
    const LadderVerdict v = check_ladder(out);
    CHECK_FALSE(v.valid);
    const std::string en = ladder_verdict_text(v, out, Lang::En), zh = ladder_verdict_text(v, out, Lang::Zh);
    CHECK((has(en, "The engine refuses row") || has(en, "the engine puts")));
    CHECK((has(zh, "引擎不接受第") || has(zh, "引擎在第")));
    CHECK(std::string(mutation_explain(m, Lang::En)).size() > 40);
    CHECK(std::string(mutation_explain(m, Lang::Zh)).size() > 40);
    CHECK(has(mutation_explain(m, Lang::En), "RFC 9293"));
    CHECK(has(mutation_explain(m, Lang::Zh), "RFC 9293"));
  }
}

TEST_CASE("mutations: each changes what its name says") {
  const std::vector<LadderRow> rows = ladder_of("", 9);
  std::vector<LadderRow> out;
  // Row 4 is B's ACK of A's 200 octets (row 3).
  REQUIRE(apply_mutation(static_cast<int>(Mutation::AckIgnoresData), rows, out));
  CHECK(out[4].seg.ack == rows[3].seg.seq + 1);
  CHECK(rows[4].seg.ack == rows[3].seg.seq + 200);
  CHECK(check_ladder(out).row == 4);
  CHECK(check_ladder(out).reason != Reason::None);
  // Row 1 is the SYN,ACK: its ack does not count the SYN.
  REQUIRE(apply_mutation(static_cast<int>(Mutation::SynFinNotCounted), rows, out));
  CHECK(out[1].seg.ack == rows[0].seg.seq);
  CHECK(check_ladder(out).row == 1);
  // B's ACK of the FIN (row 6) becomes FIN,ACK; B's data after it is refused.
  REQUIRE(apply_mutation(static_cast<int>(Mutation::FinAckMerged), rows, out));
  CHECK(out[6].seg.flags == (FLAG_FIN | FLAG_ACK));
  CHECK(out[6].state[1] == State::LastAck);  // the engine's state for its own FIN
  CHECK(check_ladder(out).row == 7);
  // State mutations: the first row whose state differs from the engine's.
  REQUIRE(apply_mutation(static_cast<int>(Mutation::ServerEstablishedEarly), rows, out));
  CHECK(check_ladder(out).row == 0);  // B is SYN-RECEIVED once the SYN arrives
  CHECK(check_ladder(out).engine_state == State::SynReceived);
  REQUIRE(apply_mutation(static_cast<int>(Mutation::TimeWaitOnPassiveCloser), rows, out));
  CHECK(out.back().state[0] == State::Closed);
  CHECK(out.back().state[1] == State::TimeWait);
  REQUIRE(apply_mutation(static_cast<int>(Mutation::ClosingAfterLostAck), rows, out));
  CHECK(out[5].state[0] == State::Closing);
  REQUIRE(apply_mutation(static_cast<int>(Mutation::StatesSwapped), rows, out));
  CHECK(out[0].state[0] == rows[0].state[1]);
}

TEST_CASE("mutations: a run without the thing a mutation is about is left alone") {
  // Only the handshake: no data, no FIN, no TIME-WAIT.
  const std::string json = R"({
  "id": "q-hs", "version": 1, "title": {"en": "T", "zh": "题"}, "summary": {"en": "S", "zh": "概"},
  "steps": [
    {"do": [{"app": "B", "call": "open_passive"}, {"app": "A", "call": "open_active"},
      {"deliver": "A->B", "which": "next"}, {"deliver": "B->A", "which": "next"}, {"deliver": "A->B", "which": "next"}]},
    {"say": {"en": "Done.", "zh": "完。"}}]})";
  const Lesson l = load(json);
  LessonRun run(l, 1);
  std::vector<LadderRow> rows, out;
  REQUIRE(run_ladder(run.sim().trace(), rows, nullptr));
  REQUIRE(rows.size() == 3);
  CHECK_FALSE(apply_mutation(static_cast<int>(Mutation::AckIgnoresData), rows, out));
  CHECK_FALSE(apply_mutation(static_cast<int>(Mutation::FinAckMerged), rows, out));
  CHECK_FALSE(apply_mutation(static_cast<int>(Mutation::TimeWaitOnPassiveCloser), rows, out));
  CHECK_FALSE(apply_mutation(static_cast<int>(Mutation::ClosingAfterLostAck), rows, out));
  CHECK(apply_mutation(static_cast<int>(Mutation::SynFinNotCounted), rows, out));
  CHECK_FALSE(check_ladder(out).valid);
}
