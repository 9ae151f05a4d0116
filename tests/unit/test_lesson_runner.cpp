// The lesson runner (lessons/lesson.h): a small lesson with every kind of
// question, answered right and wrong; placeholders; grading in any spelling;
// scoring and hints; act questions performed on the engine and undone when
// wrong; the loader's located errors and the validator's checks.
//
// [SECTION] The lesson under test and helpers
// [SECTION] Loading, settings, seeds
// [SECTION] Steps and narration
// [SECTION] Placeholders and expressions
// [SECTION] Number questions
// [SECTION] State questions
// [SECTION] Choose and order questions
// [SECTION] Act questions
// [SECTION] Scoring, skipping, wrong answers, whole runs
// [SECTION] Parse errors
// [SECTION] Validation errors
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lesson.h"

using namespace tcplab;

namespace {

// =============================================================================
// [SECTION] The lesson under test and helpers
// =============================================================================

// Handshake with every question kind; the client's own ACK is dropped so the
// learner builds it; then the client closes.
const std::string LESSON = R"({
 "id": "runner-test", "version": 2, "order": 99,
 "title": {"en": "Runner test", "zh": "运行器测试"},
 "summary": {"en": "Every kind of question", "zh": "每一种问题"},
 "setup": {"latency_ms": 500, "msl_ms": 4000},
 "steps": [
  {"say": {"en": "MSL is {msl_s} s here.", "zh": "这里的 MSL 是 {msl_s} 秒。"}},
  {"do": [{"app": "B", "call": "open_passive"}, {"app": "A", "call": "open_active"}],
   "say": {"en": "The client sends SYN seq={A.iss}.", "zh": "客户端发送 SYN，seq={A.iss}。"}},
  {"ask": {"id": "reply-ack", "kind": "number", "value": {"reply": "B", "field": "ack"},
    "prompt": {"en": "Ack of the SYN,ACK?", "zh": "SYN,ACK 的确认号是多少？"},
    "hint": {"en": "The SYN takes one number.", "zh": "SYN 占用一个序号。"},
    "explain": {"en": "The SYN used {A.iss}: ack={answer}.", "zh": "SYN 占用了 {A.iss}：ack={answer}。"}}},
  {"do": {"deliver": "A->B", "which": "next"}},
  {"ask": {"id": "server-state", "kind": "state", "host": "B", "expect": "SYN-RECEIVED",
    "mistakes": [{"answer": "ESTABLISHED", "explain": {"en": "Not yet: a third segment is needed.", "zh": "还没有：还需要第三个报文段。"}}],
    "prompt": {"en": "Server state?", "zh": "服务器处于什么状态？"},
    "hint": {"en": "It answered the SYN.", "zh": "它已回复 SYN。"},
    "explain": {"en": "SYN in LISTEN: SYN-RECEIVED.", "zh": "在 LISTEN 收到 SYN：SYN-RECEIVED。"},
    "arc": {"host": "B", "from": "LISTEN", "to": "SYN-RECEIVED"}}},
  {"ask": {"id": "client-state", "kind": "state", "host": "A", "expect": "SYN-SENT",
    "prompt": {"en": "Client state?", "zh": "客户端处于什么状态？"},
    "hint": {"en": "It has not heard back.", "zh": "它还没有收到回复。"},
    "explain": {"en": "The client waits in {answer}.", "zh": "客户端在 {answer} 状态等待。"}}},
  {"ask": {"id": "synack-flags", "kind": "choose",
    "prompt": {"en": "Which flags does the server's reply carry?", "zh": "服务器的回复带哪些标志？"},
    "hint": {"en": "It answers and asks.", "zh": "既确认又同步。"},
    "explain": {"en": "SYN and ACK in one segment.", "zh": "SYN 和 ACK 在同一个报文段里。"},
    "choices": [
     {"text": {"en": "SYN only", "zh": "只有 SYN"}, "correct": false, "explain": {"en": "It also acknowledges the client's SYN.", "zh": "它还要确认客户端的 SYN。"}},
     {"text": {"en": "SYN and ACK", "zh": "SYN 和 ACK"}, "correct": true, "explain": {"en": "Its ISN and the ack of {A.iss}.", "zh": "它的 ISN 以及对 {A.iss} 的确认。"}},
     {"text": {"en": "ACK only", "zh": "只有 ACK"}, "correct": false, "explain": {"en": "The server has its own ISN to send.", "zh": "服务器还要发送自己的 ISN。"}}]}},
  {"ask": {"id": "true-things", "kind": "choose", "multiple": true,
    "prompt": {"en": "Which are true?", "zh": "哪些是对的？"},
    "hint": {"en": "Two are.", "zh": "有两个。"},
    "explain": {"en": "SYN and FIN each take a number.", "zh": "SYN 和 FIN 各占一个序号。"},
    "choices": [
     {"text": {"en": "A SYN takes one sequence number", "zh": "SYN 占一个序号"}, "correct": true, "explain": {"en": "Yes, SYN counts.", "zh": "是的，SYN 占序号。"}},
     {"text": {"en": "A pure ACK takes one sequence number", "zh": "纯 ACK 占一个序号"}, "correct": false, "explain": {"en": "A pure ACK takes none.", "zh": "纯 ACK 不占序号。"}},
     {"text": {"en": "A FIN takes one sequence number", "zh": "FIN 占一个序号"}, "correct": true, "explain": {"en": "Yes, FIN counts.", "zh": "是的，FIN 占序号。"}}]}},
  {"do": [{"deliver": "B->A", "which": "all"}, {"drop": "A->B"}],
   "say": {"en": "The client is established; its ACK is lost.", "zh": "客户端已建立连接；它的 ACK 丢了。"}},
  {"ask": {"id": "order-segs", "kind": "order", "segments": true,
    "prompt": {"en": "Put the segments in order.", "zh": "把报文段按顺序排列。"},
    "hint": {"en": "SYN first.", "zh": "SYN 在前。"},
    "explain": {"en": "SYN, SYN,ACK, ACK.", "zh": "SYN、SYN,ACK、ACK。"}}},
  {"ask": {"id": "complete", "kind": "act", "host": "A",
    "goal": {"segment": {"peer_state": "ESTABLISHED"}, "state": {"A": "ESTABLISHED"}},
    "solution": {"segment": {"flags": ["ACK"], "seq": "{A.snd_nxt}", "ack": "{A.rcv_nxt}"}},
    "prompt": {"en": "Send the ACK again.", "zh": "重新发送 ACK。"},
    "hint": {"en": "seq={A.snd_nxt}", "zh": "seq={A.snd_nxt}"},
    "explain": {"en": "The ACK: seq={A.snd_nxt} ack={A.rcv_nxt}.", "zh": "ACK：seq={A.snd_nxt}，ack={A.rcv_nxt}。"}}},
  {"ask": {"id": "server-rcv-nxt", "kind": "number", "value": {"var": "B.rcv_nxt"},
    "prompt": {"en": "Server RCV.NXT?", "zh": "服务器的 RCV.NXT？"},
    "hint": {"en": "After the SYN.", "zh": "SYN 之后。"},
    "explain": {"en": "{A.iss} + 1 = {answer}.", "zh": "{A.iss} + 1 = {answer}。"}}},
  {"ask": {"id": "close", "kind": "act", "host": "A",
    "goal": {"call": "close", "state": {"A": "FIN-WAIT-1"}}, "solution": {"call": "close"},
    "prompt": {"en": "Close the client.", "zh": "关闭客户端。"},
    "hint": {"en": "CLOSE.", "zh": "CLOSE。"},
    "explain": {"en": "CLOSE sends FIN seq={A.snd_nxt}.", "zh": "CLOSE 发送 FIN，seq={A.snd_nxt}。"}}},
  {"ask": {"id": "fin-seq", "kind": "number", "value": {"sent": "A", "field": "seq"},
    "prompt": {"en": "FIN seq?", "zh": "FIN 的序号？"},
    "hint": {"en": "SND.NXT.", "zh": "SND.NXT。"},
    "explain": {"en": "seq={answer}.", "zh": "seq={answer}。"}}},
  {"do": {"deliver": "A->B", "which": "next"}},
  {"ask": {"id": "close-order", "kind": "order",
    "items": [{"en": "FIN-WAIT-1", "zh": "FIN-WAIT-1 状态"}, {"en": "FIN-WAIT-2", "zh": "FIN-WAIT-2 状态"},
              {"en": "TIME-WAIT", "zh": "TIME-WAIT 状态"}, {"en": "CLOSED", "zh": "CLOSED 状态"}],
    "prompt": {"en": "The client's states from here?", "zh": "客户端接下来的状态？"},
    "hint": {"en": "TIME-WAIT comes last but one.", "zh": "TIME-WAIT 是倒数第二个。"},
    "explain": {"en": "FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT for {msl_s}*2 s, CLOSED.", "zh": "FIN-WAIT-1、FIN-WAIT-2、TIME-WAIT（{msl_s}*2 秒）、CLOSED。"}}},
  {"say": {"en": "The end.", "zh": "结束。"}}
 ]})";

const std::uint64_t WRAP_SEED_A = 6308073;
const std::uint64_t WRAP_SEED_B = 28064216;

Lesson load(const std::string& json) {
  std::vector<LessonError> errors;
  std::optional<Lesson> l = load_lesson(json, "t.json", errors);
  std::string all;
  for (const LessonError& e : errors) all += e.text() + "\n";
  INFO(all);
  REQUIRE(l);
  return *l;
}

const Lesson& the_lesson() {
  static const Lesson l = load(LESSON);
  return l;
}

// A run of the lesson with every question before `id` answered right.
LessonRun at_question(const Lesson& l, std::uint64_t seed, const std::string& id) {
  LessonRun run(l, seed);
  for (int guard = 0; guard < 1000 && !run.finished(); ++guard) {
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

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The lesson text with one piece replaced (for malformed variants).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  text.replace(at, from.size(), to);
  return text;
}

// The first error of parsing `json` (or validating, when parsing is clean).
std::string first_error(const std::string& json) {
  std::vector<LessonError> errors;
  std::optional<Lesson> l = load_lesson(json, "t.json", errors);
  REQUIRE_FALSE(l);
  REQUIRE_FALSE(errors.empty());
  return errors[0].text();
}

// A minimal lesson around some steps (a JSON array text without brackets).
std::string with_steps(const std::string& steps, const std::string& setup = "") {
  return R"({"id": "t", "version": 1, "title": {"en": "T", "zh": "题"}, "summary": {"en": "S", "zh": "摘"},)" +
         setup + R"( "steps": [)" + steps + "]}";
}

const std::string OPEN_BOTH = R"({"do": [{"app": "B", "call": "open_passive"}, {"app": "A", "call": "open_active"}]})";
const std::string TEXTS = R"("prompt": {"en": "P", "zh": "问"}, "hint": {"en": "H", "zh": "提示"}, "explain": {"en": "E", "zh": "解释"})";

// =============================================================================
// [SECTION] Loading, settings, seeds
// =============================================================================

TEST_CASE("lesson: the test lesson loads and validates; fields are read") {
  const Lesson& l = the_lesson();
  CHECK(l.id == "runner-test");
  CHECK(l.version == 2);
  CHECK(l.order == 99);
  CHECK(l.title.zh == "运行器测试");
  CHECK(l.question_count() == 11);
  CHECK(l.setup.latency_ms == 500);
  CHECK(l.steps[1].kind == LessonStep::Kind::Do);
  CHECK(l.steps[1].actions.size() == 2);
  CHECK(l.steps[1].actions[1].path == "steps[1].do[1]");
  CHECK(l.steps[3].actions[0].path == "steps[3].do");
  CHECK(l.steps[8].actions[0].kind == LessonAction::Kind::DeliverAll);
  CHECK(l.steps[4].question.mistakes.size() == 1);
  CHECK(question_kind_name(QuestionKind::Act) == std::string("act"));
}

TEST_CASE("lesson: the README's worked example loads and validates") {
  const std::string example = R"({
  "id": "example", "version": 1,
  "title": {"en": "The first segment", "zh": "第一个报文段"},
  "summary": {"en": "What the SYN carries", "zh": "SYN 携带了什么"},
  "steps": [
    {"do": [{"app": "B", "call": "open_passive"}, {"app": "A", "call": "open_active"}],
     "say": {"en": "The client sends SYN seq={A.iss}.", "zh": "客户端发送 SYN，seq={A.iss}。"}},
    {"ask": {"id": "q1", "kind": "number", "value": {"reply": "B", "field": "ack"},
      "prompt": {"en": "What ack number will the server's SYN,ACK carry?", "zh": "服务器的 SYN,ACK 的确认号是多少？"},
      "hint": {"en": "The SYN occupies one sequence number.", "zh": "SYN 占用一个序号。"},
      "explain": {"en": "The SYN used {A.iss}, so the next byte expected is {A.iss+1}: ack={answer}.",
                  "zh": "SYN 占用了序号 {A.iss}，期望的下一个序号是 {A.iss+1}：ack={answer}。"}}},
    {"do": {"deliver": "A->B", "which": "next"}},
    {"ask": {"id": "q2", "kind": "state", "host": "B", "expect": "SYN-RECEIVED",
      "prompt": {"en": "Which state is the server in now?", "zh": "服务器现在处于什么状态？"},
      "hint": {"en": "It has answered the SYN and waits for the ACK.", "zh": "它已回复 SYN，正在等待 ACK。"},
      "explain": {"en": "A SYN arriving in LISTEN moves the server to SYN-RECEIVED (RFC 9293 3.10.7.2).",
                  "zh": "在 LISTEN 状态收到 SYN，服务器进入 SYN-RECEIVED（RFC 9293 3.10.7.2）。"},
      "arc": {"host": "B", "from": "LISTEN", "to": "SYN-RECEIVED"}}}
  ]
})";
  const Lesson l = load(example);
  CHECK(l.question_count() == 2);
  CHECK(l.setup.rto_ms == 1500);  // defaults of the README
  CHECK(l.setup.msl_ms == 4000);
  CHECK(l.setup.max_retransmits == 4);
  CHECK(l.setup.rcv_wnd == 4096);
}

TEST_CASE("lesson: the simulation follows the setup; close_on_fin only on the server") {
  LessonSetup s;
  s.latency_ms = 300;
  s.rto_ms = 2000;
  s.close_on_fin = true;
  s.rfc5961 = false;
  s.rcv_wnd = 1000;
  const SimConfig c = lesson_sim_config(s, 42);
  CHECK(c.seed == 42);
  CHECK_FALSE(c.net.auto_deliver);
  CHECK(c.net.latency_ms == 300);
  CHECK(c.net.loss_ppm == 0);
  CHECK(c.iss[0].empty());
  CHECK(c.iss[1].empty());
  CHECK_FALSE(c.endpoint[HOST_A].close_on_fin);
  CHECK(c.endpoint[HOST_B].close_on_fin);
  CHECK(c.endpoint[HOST_A].rto_initial_ms == 2000);
  CHECK_FALSE(c.endpoint[HOST_B].rfc5961);
  CHECK(c.endpoint[HOST_B].rcv_wnd == 1000);
  CHECK(c.endpoint[HOST_A].msl_ms == 4000);
}

TEST_CASE("lesson: the validation seeds put A's and B's first ISS near 2^32") {
  const std::vector<std::uint64_t>& seeds = lesson_validation_seeds();
  REQUIRE(seeds.size() >= 5);
  bool a_near = false, b_near = false;
  for (std::uint64_t seed : seeds) {
    Simulation sim(lesson_sim_config(LessonSetup{}, seed));
    sim.call(HOST_A, Call::OpenActive);
    sim.call(HOST_B, Call::OpenActive);
    a_near = a_near || sim.endpoint(HOST_A).tcb().iss >= 0xFFFFFFFFu - 100;
    b_near = b_near || sim.endpoint(HOST_B).tcb().iss >= 0xFFFFFFFFu - 100;
  }
  CHECK(a_near);
  CHECK(b_near);
}

TEST_CASE("lesson: a seed gives the same run twice, another seed other numbers") {
  LessonRun a(the_lesson(), 11), b(the_lesson(), 11), c(the_lesson(), 12);
  a.advance();  // the first `do` opens the connection
  b.advance();
  c.advance();
  CHECK(a.sim().endpoint(HOST_A).tcb().iss == b.sim().endpoint(HOST_A).tcb().iss);
  CHECK(a.sim().endpoint(HOST_A).tcb().iss != c.sim().endpoint(HOST_A).tcb().iss);
  CHECK(a.seed() == 11);
}

// =============================================================================
// [SECTION] Steps and narration
// =============================================================================

TEST_CASE("lesson: say waits for Continue; a do with say acts and waits; the ask keeps it") {
  LessonRun run(the_lesson(), 5);
  REQUIRE(run.current() != nullptr);
  CHECK(run.current()->kind == LessonStep::Kind::Say);
  CHECK(run.awaiting_continue());
  REQUIRE(run.narration() != nullptr);
  CHECK(run.fill(run.narration()->en, Lang::En) == "MSL is 4 s here.");
  CHECK(run.sim().endpoint(HOST_B).state() == State::Closed);  // nothing done yet

  run.advance();  // to the do with say: performed at once, then waits
  CHECK(run.step_index() == 1);
  CHECK(run.current()->kind == LessonStep::Kind::Do);
  CHECK(run.awaiting_continue());
  CHECK(run.sim().endpoint(HOST_A).state() == State::SynSent);
  CHECK(run.sim().endpoint(HOST_B).state() == State::Listen);
  const Seq iss = run.sim().endpoint(HOST_A).tcb().iss;
  CHECK(run.fill(*run.narration()).en == "The client sends SYN seq=" + std::to_string(iss) + ".");
  CHECK(run.fill(*run.narration()).zh == "客户端发送 SYN，seq=" + std::to_string(iss) + "。");

  run.advance();  // to the question: the narration is still shown
  REQUIRE(run.question() != nullptr);
  CHECK(run.question()->id == "reply-ack");
  CHECK_FALSE(run.awaiting_continue());
  REQUIRE(run.narration() != nullptr);
  CHECK(run.narration()->en == "The client sends SYN seq={A.iss}.");
  run.advance();  // does nothing on an unanswered question
  CHECK(run.step_index() == 2);

  REQUIRE(run.solve().correct);  // then a silent do (deliver) runs, and the next ask
  CHECK(run.question()->id == "server-state");
  CHECK(run.narration() == nullptr);
  CHECK(run.sim().now() == 500);  // the delivery waited for the link's latency
  CHECK(run.problems().empty());
}

TEST_CASE("lesson: a copy of a run is an undo point") {
  LessonRun run = at_question(the_lesson(), 3, "close");
  const LessonRun saved = run;
  REQUIRE(run.solve().correct);
  CHECK(run.sim().endpoint(HOST_A).state() == State::FinWait1);
  CHECK(saved.sim().endpoint(HOST_A).state() == State::Established);
  CHECK(saved.question()->id == "close");
  CHECK(run.score().points == saved.score().points + 1);
}

// =============================================================================
// [SECTION] Placeholders and expressions
// =============================================================================

TEST_CASE("lesson: placeholders are filled from this run, modulo 2^32") {
  LessonRun run = at_question(the_lesson(), WRAP_SEED_A, "server-state");
  const Seq a = run.sim().endpoint(HOST_A).tcb().iss;
  const Seq b = run.sim().endpoint(HOST_B).tcb().iss;
  REQUIRE(a >= 0xFFFFFFFFu - 100);
  CHECK(run.fill("{A.iss}", Lang::En) == std::to_string(a));
  CHECK(run.fill("{A.iss+100}", Lang::En) == std::to_string(static_cast<Seq>(a + 100)));  // wrapped
  CHECK(run.fill("x{ B.irs - 1 }y", Lang::En) == "x" + std::to_string(static_cast<Seq>(a - 1)) + "y");
  CHECK(run.fill("{B.snd_nxt}{B.snd_una}", Lang::En) == std::to_string(b + 1) + std::to_string(b));
  CHECK(run.fill("{A.rcv_nxt}", Lang::En) == "0");  // A has heard nothing yet
  CHECK(run.fill("{msl_s} s", Lang::En) == "4 s");
  CHECK(run.fill("{answer}", Lang::En) == "SYN-RECEIVED");
  CHECK(run.fill("no braces", Lang::Zh) == "no braces");
}

TEST_CASE("lesson: eval_expression reads numbers and placeholders joined by + and -") {
  Simulation sim(lesson_sim_config(LessonSetup{}, 9));
  sim.call(HOST_A, Call::OpenActive);
  const Seq iss = sim.endpoint(HOST_A).tcb().iss;
  std::uint32_t v = 0;
  CHECK(eval_expression("1234", sim, &v));
  CHECK(v == 1234);
  CHECK(eval_expression("{A.iss}", sim, &v));
  CHECK(v == iss);
  CHECK(eval_expression("{A.iss}-300", sim, &v));
  CHECK(v == static_cast<Seq>(iss - 300));
  CHECK(eval_expression(" {A.iss+1} + 10 - 1 ", sim, &v));
  CHECK(v == static_cast<Seq>(iss + 10));
  CHECK(eval_expression("0-1", sim, &v));
  CHECK(v == 0xFFFFFFFFu);
  CHECK(eval_expression("4294967295+1", sim, &v));
  CHECK(v == 0);
  for (const char* bad : {"", "-1", "{A.iss", "{A.isn}", "{answer}", "{msl_s}", "1 2", "1+", "{A.iss}--1", "x",
                          "12345678901"})
    CHECK_MESSAGE(!eval_expression(bad, sim, &v), bad);
}

// =============================================================================
// [SECTION] Number questions
// =============================================================================

TEST_CASE("lesson: number (reply selector): the engine's predicted ack; wrong shows the explanation") {
  LessonRun run = at_question(the_lesson(), 21, "reply-ack");
  const Seq iss = run.sim().endpoint(HOST_A).tcb().iss;
  REQUIRE(run.number_value());
  CHECK(*run.number_value() == static_cast<Seq>(iss + 1));
  CHECK(run.answer_text(Lang::En) == std::to_string(static_cast<Seq>(iss + 1)));

  Feedback f = run.answer_number(iss);
  CHECK_FALSE(f.correct);
  CHECK(f.points == 0);
  CHECK(has(f.message.en, "You are off by one."));
  CHECK(has(f.message.en, "The SYN used " + std::to_string(iss) + ": ack=" + std::to_string(static_cast<Seq>(iss + 1)) + "."));
  CHECK(has(f.message.zh, "SYN 占用了 " + std::to_string(iss)));
  CHECK(run.misses() == 1);
  CHECK_FALSE(f.hint_offered);
  CHECK(run.question()->id == "reply-ack");  // still asking

  f = run.answer_number(static_cast<Seq>(iss + 1));
  CHECK(f.correct);
  CHECK(f.points == 0.5);
  CHECK(has(f.message.en, "Correct."));
  CHECK(run.question()->id == "server-state");
}

TEST_CASE("lesson: number typed as text: decimal, modulo 2^32; not a number is not a miss") {
  LessonRun run = at_question(the_lesson(), 21, "reply-ack");
  const Seq right = *run.number_value();
  Feedback f = run.answer_number_text("12ab");
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "Type a number"));
  CHECK(run.misses() == 0);
  f = run.answer_number_text(" " + std::to_string(static_cast<std::uint64_t>(right) + 0x100000000ull) + " ");
  CHECK(f.correct);
  CHECK(f.points == 1);
}

TEST_CASE("lesson: number (var and sent selectors)") {
  LessonRun run = at_question(the_lesson(), 8, "server-rcv-nxt");
  CHECK(*run.number_value() == static_cast<Seq>(run.sim().endpoint(HOST_A).tcb().iss + 1));
  CHECK(run.solve().correct);
  REQUIRE(run.question()->id == "close");
  CHECK(run.solve().correct);
  REQUIRE(run.question()->id == "fin-seq");
  // The FIN is the client's last segment: seq = its SND.NXT before the FIN.
  CHECK(*run.number_value() == static_cast<Seq>(run.sim().endpoint(HOST_A).tcb().snd_nxt - 1));
}

// =============================================================================
// [SECTION] State questions
// =============================================================================

TEST_CASE("lesson: state answers in any spelling the engine knows are accepted") {
  for (const char* spelling : {"SYN-RECEIVED", "syn-received", "SYN_RECV", "syn_recv", "SYN-RECV", "syn received",
                               "SYN_RCVD", "SynReceived"}) {
    LessonRun run = at_question(the_lesson(), 4, "server-state");
    const Feedback f = run.answer_state(spelling);
    CHECK_MESSAGE(f.correct, spelling);
    CHECK(f.points == 1);
  }
}

TEST_CASE("lesson: a known misspelling is graded wrong and names the right spelling") {
  LessonRun run = at_question(the_lesson(), 4, "client-state");
  const Feedback f = run.answer_state("SYN_SEND");
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "SYN_SEND is a common misspelling: the state is called SYN-SENT"));
  CHECK(has(f.message.zh, "SYN_SEND 是常见的误写：正确的状态名是 SYN-SENT"));
  CHECK(has(f.message.en, "The client waits in SYN-SENT."));  // explain, {answer} filled
  CHECK(run.misses() == 1);
  CHECK(run.answer_state("SYN-SENT").correct);
}

TEST_CASE("lesson: a wrong state gets the authored mistake, the engine's reason and the explanation") {
  LessonRun run = at_question(the_lesson(), 4, "server-state");
  const Feedback f = run.answer_state("established");
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "Not yet: a third segment is needed."));
  CHECK(has(f.message.zh, "还没有：还需要第三个报文段。"));
  // The engine's sentence for what put the server in SYN-RECEIVED.
  CHECK(has(f.message.en, "The server received SYN seq="));
  CHECK(has(f.message.en, "in LISTEN"));
  CHECK(has(f.message.zh, "服务器在 LISTEN 状态收到 SYN"));
  CHECK(has(f.message.en, "SYN in LISTEN: SYN-RECEIVED."));
  REQUIRE(f.arc);
  CHECK(f.arc->host == HOST_B);
  CHECK(f.arc->from == State::Listen);
  CHECK(f.arc->to == State::SynReceived);
}

TEST_CASE("lesson: without an authored arc, a state question marks the host's last transition") {
  LessonRun run = at_question(the_lesson(), 4, "client-state");
  const Feedback f = run.answer_state("LISTEN");
  CHECK_FALSE(f.correct);
  CHECK_FALSE(has(f.message.en, "Not yet"));  // the mistake is about ESTABLISHED only
  CHECK(has(f.message.en, "The client called OPEN (active) in CLOSED"));
  REQUIRE(f.arc);
  CHECK(f.arc->host == HOST_A);
  CHECK(f.arc->from == State::Closed);
  CHECK(f.arc->to == State::SynSent);
}

TEST_CASE("lesson: text that is no state name is not graded") {
  LessonRun run = at_question(the_lesson(), 4, "client-state");
  const Feedback f = run.answer_state("banana");
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "\"banana\" is not a state name"));
  CHECK(run.misses() == 0);
  CHECK(run.answer_number(5).message.en == "There is no number question to answer now.");
  CHECK(run.misses() == 0);
}

// =============================================================================
// [SECTION] Choose and order questions
// =============================================================================

TEST_CASE("lesson: choose one: each picked choice is explained") {
  LessonRun run = at_question(the_lesson(), 6, "synack-flags");
  const Seq iss = run.sim().endpoint(HOST_A).tcb().iss;
  Feedback f = run.answer_choices({2});
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "The server has its own ISN to send."));
  CHECK(has(f.message.en, "SYN and ACK in one segment."));
  CHECK(has(f.message.zh, "服务器还要发送自己的 ISN。"));
  f = run.answer_choices({0, 1});
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "Pick exactly one choice."));
  CHECK(run.misses() == 1);  // not graded
  CHECK(run.answer_text(Lang::Zh) == "SYN 和 ACK");
  f = run.answer_choices({1});
  CHECK(f.correct);
  CHECK(f.points == 0.5);
  CHECK(has(f.message.en, "Its ISN and the ack of " + std::to_string(iss) + "."));
}

TEST_CASE("lesson: choose several: the set must be exact") {
  LessonRun run = at_question(the_lesson(), 6, "true-things");
  Feedback f = run.answer_choices({0});
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "Yes, SYN counts."));
  CHECK(has(f.message.en, "Some correct choices are missing."));
  CHECK(has(f.message.zh, "还有正确的选项没有选。"));
  f = run.answer_choices({0, 1, 2});
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "A pure ACK takes none."));
  CHECK(run.answer_choices({}).message.en == "Pick a choice first.");
  f = run.answer_choices({2, 0});
  CHECK(f.correct);
  CHECK(f.points == 0);  // third try
  CHECK(run.answer_text(Lang::En).empty());  // moved on to a say
}

TEST_CASE("lesson: order the run's segments: shuffled by the seed, wrong positions named") {
  LessonRun run = at_question(the_lesson(), 13, "order-segs");
  const std::vector<Text> shown = run.order_items();
  REQUIRE(shown.size() == 3);  // SYN, SYN,ACK, ACK (the dropped one too: it was sent)
  const Seq a = run.sim().endpoint(HOST_A).tcb().iss;
  bool identity = true;
  std::vector<int> right(3);
  for (int i = 0; i < 3; ++i) {
    const std::string& en = shown[static_cast<std::size_t>(i)].en;
    const int pos = has(en, "SYN,ACK") ? 1 : has(en, "SYN") ? 0 : 2;
    right[static_cast<std::size_t>(pos)] = i;
    identity = identity && pos == i;
    if (pos == 0) {
      CHECK(en == "client -> server: SYN seq=" + std::to_string(a));
      CHECK(shown[static_cast<std::size_t>(i)].zh == "客户端 -> 服务器：SYN seq=" + std::to_string(a));
    }
  }
  CHECK_FALSE(identity);
  std::vector<int> swapped = {right[1], right[0], right[2]};
  Feedback f = run.answer_order(swapped);
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "Positions 1 and 2 are not right."));
  CHECK(has(f.message.zh, "第 1、2 项的位置不对。"));
  CHECK(has(f.message.en, "SYN, SYN,ACK, ACK."));
  CHECK(run.answer_order({0, 0, 1}).message.en == "Put every item in the list exactly once.");
  CHECK(run.misses() == 1);
  f = run.answer_order(right);
  CHECK(f.correct);
}

TEST_CASE("lesson: order authored items; the same seed shuffles the same way") {
  LessonRun a = at_question(the_lesson(), 17, "close-order");
  LessonRun b = at_question(the_lesson(), 17, "close-order");
  REQUIRE(a.order_items().size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(a.order_items()[i].en == b.order_items()[i].en);
  CHECK(has(a.answer_text(Lang::En), "FIN-WAIT-1; FIN-WAIT-2; TIME-WAIT; CLOSED"));
  const Feedback f = a.solve();
  CHECK(f.correct);
  CHECK(has(f.message.en, "TIME-WAIT for 4*2 s"));
}

// =============================================================================
// [SECTION] Act questions
// =============================================================================

TEST_CASE("lesson: act segment: any segment the engine accepts passes (bare ACK, ACK with data)") {
  const LessonRun start = at_question(the_lesson(), 31, "complete");
  REQUIRE(start.sim().endpoint(HOST_B).state() == State::SynReceived);
  const Segment tmpl = start.sim().endpoint(HOST_A).template_segment();

  LessonRun bare = start;
  Feedback f = bare.act_segment(HOST_A, tmpl);
  CHECK(f.correct);
  CHECK(f.points == 1);
  CHECK(has(f.message.en, "The server received ACK"));
  CHECK(bare.sim().endpoint(HOST_B).state() == State::Established);

  LessonRun data = start;
  Segment with_data = tmpl;
  with_data.len = 100;
  f = data.act_segment(HOST_A, with_data);
  CHECK(f.correct);
  CHECK(data.sim().endpoint(HOST_B).state() == State::Established);
  CHECK(data.sim().endpoint(HOST_B).tcb().rcv_nxt == static_cast<Seq>(tmpl.seq + 100));
  // The server's ACK of the data is in flight: the conversation goes on from it.
  REQUIRE(data.sim().network().in_flight(HOST_B).size() == 1);
  CHECK(data.sim().network().in_flight(HOST_B)[0].seg.ack == static_cast<Seq>(tmpl.seq + 100));

  LessonRun solved = start;
  CHECK(solved.solve().correct);
  CHECK(solved.question()->id == "server-rcv-nxt");
}

TEST_CASE("lesson: act segment: a refused segment is undone and the server's reason shown") {
  LessonRun run = at_question(the_lesson(), 31, "complete");
  const Simulation before = run.sim();
  Segment bad = run.sim().endpoint(HOST_A).template_segment();
  bad.ack = static_cast<Seq>(bad.ack + 1000);  // acknowledges something never sent
  const Feedback f = run.act_segment(HOST_A, bad);
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "The server received ACK"));
  CHECK(has(f.message.en, "in SYN-RECEIVED"));
  CHECK(has(f.message.en, "RFC 9293"));
  CHECK(has(f.message.en, "The ACK: seq="));  // explain
  CHECK(has(f.message.zh, "服务器在 SYN-RECEIVED 状态收到"));
  CHECK(run.sim().trace().size() == before.trace().size());
  CHECK(run.sim().network().count() == before.network().count());
  CHECK(run.sim().endpoint(HOST_B).state() == State::SynReceived);
  CHECK(run.misses() == 1);

  // From the wrong host; and a call where a segment is asked for.
  Feedback g = run.act_segment(HOST_B, run.sim().endpoint(HOST_B).template_segment());
  CHECK_FALSE(g.correct);
  CHECK(has(g.message.en, "This task is about the client."));
  g = run.act_call(HOST_A, Call::Close);
  CHECK_FALSE(g.correct);
  CHECK(has(g.message.en, "build a segment"));
  CHECK(g.hint_offered);
  CHECK(run.sim().endpoint(HOST_A).state() == State::Established);
  CHECK(run.solve().correct);
  CHECK(run.score().points == 6);  // six before at 1 point, this one at 0
}

TEST_CASE("lesson: act segment: accepted but the goal's peer state not reached") {
  LessonRun run = at_question(the_lesson(), 31, "complete");
  Segment rst;
  rst.flags = FLAG_RST;
  rst.seq = run.sim().endpoint(HOST_A).tcb().snd_nxt;  // exactly RCV.NXT: accepted, resets
  const Feedback f = run.act_segment(HOST_A, rst);
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "The server should end in ESTABLISHED but is in LISTEN."));
  CHECK(run.sim().endpoint(HOST_B).state() == State::SynReceived);  // undone
}

TEST_CASE("lesson: act call: the right call is kept; a wrong or refused one is undone") {
  LessonRun run = at_question(the_lesson(), 41, "close");
  const std::size_t trace = run.sim().trace().size();
  Feedback f = run.act_call(HOST_A, Call::Abort);
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "The task asks for CLOSE."));
  CHECK(has(f.message.en, "The client called ABORT in ESTABLISHED"));
  CHECK(has(f.message.en, "CLOSE sends FIN seq="));
  CHECK(run.sim().trace().size() == trace);
  CHECK(run.sim().endpoint(HOST_A).state() == State::Established);

  f = run.act_call(HOST_A, Call::OpenActive);  // refused: the connection exists
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "nothing changes"));
  CHECK(has(f.message.zh, "状态不变"));
  f = run.act_call(HOST_B, Call::Close);
  CHECK_FALSE(f.correct);
  CHECK(has(f.message.en, "This task is about the client."));
  CHECK(run.sim().endpoint(HOST_B).state() == State::Established);
  CHECK(f.hint_offered);

  f = run.act_call(HOST_A, Call::Close);
  CHECK(f.correct);
  CHECK(f.points == 0);
  CHECK(has(f.message.en, "The client called CLOSE in ESTABLISHED"));
  CHECK(run.sim().endpoint(HOST_A).state() == State::FinWait1);
  REQUIRE(run.sim().network().in_flight(HOST_A).size() == 1);
  CHECK(run.sim().network().in_flight(HOST_A)[0].seg.has(FLAG_FIN));
}

// =============================================================================
// [SECTION] Scoring, skipping, wrong answers, whole runs
// =============================================================================

TEST_CASE("lesson: scoring 1 / 0.5 / 0 and the hint after two misses") {
  LessonRun run = at_question(the_lesson(), 2, "server-state");
  const LessonScore before = run.score();
  CHECK(before.points == 1);
  CHECK(before.first_try == 1);
  Feedback f = run.answer_state("CLOSED");
  CHECK_FALSE(f.hint_offered);
  f = run.answer_state("LISTEN");
  CHECK(f.hint_offered);
  CHECK(run.misses() == 2);
  f = run.answer_state("SYN-RECEIVED");
  CHECK(f.correct);
  CHECK(f.points == 0);
  CHECK(run.misses() == 0);  // a new question
  const LessonScore after = run.score();
  CHECK(after.points == 1);
  CHECK(after.answered == 2);
  CHECK(after.first_try == 1);
  CHECK(after.questions == 11);
}

TEST_CASE("lesson: skip moves on without points; an act's solution is performed") {
  LessonRun run = at_question(the_lesson(), 3, "complete");
  const LessonScore before = run.score();
  run.skip();
  CHECK(run.sim().endpoint(HOST_B).state() == State::Established);
  CHECK(run.question()->id == "server-rcv-nxt");
  CHECK(run.score().points == before.points);
  CHECK(run.score().answered == before.answered);
  run.skip();
  run.skip();  // close
  CHECK(run.sim().endpoint(HOST_A).state() == State::FinWait1);
}

TEST_CASE("lesson: every question answered wrong first, then right: half marks, authored feedback") {
  for (std::uint64_t seed : {std::uint64_t{1}, std::uint64_t{77}, WRAP_SEED_B}) {
    LessonRun run(the_lesson(), seed);
    while (!run.finished()) {
      const Question* q = run.question();
      if (q == nullptr) {
        run.advance();
        continue;
      }
      const Text explain = run.fill(q->explain);
      std::string given;
      const Feedback wrong = run.answer_wrong(&given);
      INFO(q->id << " " << given);
      CHECK_FALSE(wrong.correct);
      CHECK(has(wrong.message.en, explain.en));
      CHECK(has(wrong.message.zh, explain.zh));
      CHECK(run.misses() == 1);
      CHECK(run.solve().correct);
    }
    CHECK(run.score().points == 5.5);
    CHECK(run.score().answered == 11);
    CHECK(run.score().first_try == 0);
    CHECK(run.problems().empty());
  }
}

TEST_CASE("lesson: solved for many seeds (wrap-around included), full marks") {
  std::vector<std::uint64_t> seeds = lesson_validation_seeds();
  for (std::uint64_t s = 100; s < 130; ++s) seeds.push_back(s);
  for (std::uint64_t seed : seeds) {
    LessonRun run(the_lesson(), seed);
    while (!run.finished()) {
      if (run.question() == nullptr) {
        run.advance();
        continue;
      }
      INFO("seed " << seed << " " << run.question()->id);
      REQUIRE(run.solve().correct);
    }
    CHECK(run.score().points == 11);
    CHECK(run.score().first_try == 11);
  }
}

// =============================================================================
// [SECTION] Parse errors
// =============================================================================

TEST_CASE("lesson: parse errors name the file, the JSON path and what is wrong") {
  struct Case {
    std::string json;
    std::string error;
  };
  const std::string ask_state = R"({"ask": {"id": "q", "kind": "state", "host": "B", )" + TEXTS + "}}";
  const std::vector<Case> cases = {
      {"{\"id\": ", "t.json:1:"},
      {"[]", "t.json: expected a lesson object, got an array"},
      {replaced(LESSON, R"("kind": "choose",)", R"("kind": "pick",)"),
       "t.json: steps[6].ask.kind (question \"synack-flags\"): unknown question kind \"pick\" (expected state, number, choose, order, act, classify, blanks, ladder)"},
      {replaced(LESSON, R"("id": "runner-test")", R"("id": "Runner_Test")"),
       "t.json: id: \"Runner_Test\" does not match [a-z0-9-]+"},
      {replaced(LESSON, R"("version": 2)", R"("version": 0)"), "t.json: version: must be 1 or more, got 0"},
      {replaced(LESSON, R"("version": 2,)", ""), "t.json: version: missing required field"},
      {replaced(LESSON, R"("zh": "运行器测试")", R"("zh": "  ")"), "t.json: title.zh: empty text"},
      {replaced(LESSON, R"(, "zh": "每一种问题")", ""),
       "t.json: summary.zh: missing: a text needs both \"en\" and \"zh\""},
      {replaced(LESSON, R"("id": "client-state")", R"("id": "server-state")"),
       "t.json: steps[5].ask.id (question \"server-state\"): duplicate question id \"server-state\" (steps[4].ask.id has it too)"},
      {replaced(LESSON, R"("expect": "SYN-SENT")", R"("expect": "SYN_SEND")"),
       "t.json: steps[5].ask.expect (question \"client-state\"): \"SYN_SEND\" is a misspelling of \"SYN-SENT\""},
      {replaced(LESSON, R"({"deliver": "A->B", "which": "next"})", R"({"deliver": "A-B", "which": "next"})"),
       "t.json: steps[3].do.deliver: unknown direction \"A-B\" (expected A->B, B->A)"},
      {replaced(LESSON, R"({"app": "A", "call": "open_active"})", R"({"app": "A", "call": "connect"})"),
       "t.json: steps[1].do[1].call: unknown call \"connect\" (expected open_passive, open_active, send, close, abort)"},
      {replaced(LESSON, R"("flags": ["ACK"])", R"("flags": ["ACK", "SYNACK"])"),
       "t.json: steps[10].ask.solution.segment.flags[1] (question \"complete\"): unknown flag \"SYNACK\" (expected SYN, ACK, FIN, RST, PSH)"},
      {replaced(LESSON, R"("seq": "{A.snd_nxt}")", R"("seq": "{A.snd_next}")"),
       "t.json: steps[10].ask.solution.segment.seq (question \"complete\"): cannot read \"{A.snd_next}\" as a sequence number"},
      {replaced(LESSON, R"({"en": "Server RCV.NXT?")", R"({"en": "Server {B.rcvnxt}?")"),
       "t.json: steps[11].ask.prompt.en (question \"server-rcv-nxt\"): unknown placeholder \"{B.rcvnxt}\""},
      {replaced(LESSON, R"("MSL is {msl_s} s here.")", R"("MSL is {answer} s here.")"),
       "t.json: steps[0].say.en: {answer} is known only in a question's texts"},
      {replaced(LESSON, R"("en": "Runner test")", R"("en": "Runner {A.iss")"),
       "t.json: title.en: \"{\" without its closing \"}\""},
      {replaced(LESSON, R"("value": {"var": "B.rcv_nxt"})", R"("value": {"var": "B.cwnd"})"),
       "t.json: steps[11].ask.value.var (question \"server-rcv-nxt\"): unknown variable \"B.cwnd\""},
      {replaced(LESSON, R"("value": {"reply": "B", "field": "ack"})", R"("value": {"reply": "B", "field": "len"})"),
       "t.json: steps[2].ask.value.field (question \"reply-ack\"): unknown field \"len\" (expected seq, ack)"},
      {replaced(LESSON, R"("correct": true, "explain": {"en": "Its ISN)", R"("correct": false, "explain": {"en": "Its ISN)"),
       "t.json: steps[6].ask.choices (question \"synack-flags\"): no choice is marked correct"},
      {replaced(LESSON, R"("host": "A", "expect": "SYN-SENT")", R"("host": "C", "expect": "SYN-SENT")"),
       "t.json: steps[5].ask.host (question \"client-state\"): unknown host \"C\" (expected A, B)"},
      {replaced(LESSON, R"("to": "SYN-RECEIVED"}}})", R"("to": "ESTABLISHED"}}})"),
       "t.json: steps[4].ask.arc (question \"server-state\"): LISTEN -> ESTABLISHED is not an arc of the state diagram"},
      {replaced(LESSON, R"({"say": {"en": "The end.")", R"({"narrate": {"en": "The end.")"),
       "t.json: steps[16]: unknown step kind: expected one of the fields \"say\", \"do\", \"ask\", got fields \"narrate\""},
      {replaced(LESSON, R"("prompt": {"en": "Server state?")", R"("promt": {"en": "Server state?")"),
       "t.json: steps[4].ask.promt (question \"server-state\"): unknown field (expected id, kind, prompt, hint, explain, arc, host, expect, mistakes)"},
      {replaced(LESSON, R"("value": {"var": "B.rcv_nxt"},)", R"("value": {"var": "B.rcv_nxt"}, "choices": [],)"),
       "t.json: steps[11].ask.choices (question \"server-rcv-nxt\"): not a field of a \"number\" question"},
      {replaced(LESSON, R"("solution": {"call": "close"})", R"("solution": {"call": "abort"})"),
       "t.json: steps[12].ask.solution.call (question \"close\"): the solution calls \"abort\", the goal asks for \"close\""},
      {replaced(LESSON, R"("setup": {"latency_ms": 500,)", R"("setup": {"latency": 500,)"),
       "t.json: setup.latency: unknown field"},
      {replaced(LESSON, R"({"drop": "A->B"})", R"({"drop": "A->B", "which": "all"})"),
       "t.json: steps[8].do[1].which: not a field of a \"drop\" action"},
      {replaced(LESSON, R"("kind": "order", "segments": true,)", R"("kind": "order",)"),
       "t.json: steps[9].ask (question \"order-segs\"): expected \"items\" (the texts in the right order) or \"segments\": true"},
      {with_steps(ask_state + "," + ask_state), "t.json: steps[1].ask.id (question \"q\"): duplicate question id \"q\""},
      {with_steps(R"({"ask": {"id": "q", "kind": "state", "host": "A", "prompt": {"en": "P", "zh": "问"}}})"),
       "t.json: steps[0].ask.hint (question \"q\"): missing required field"},
      {with_steps(R"({"do": {"timer": "A", "kind": "keepalive"}})"),
       "t.json: steps[0].do.kind: unknown timer kind \"keepalive\" (expected retransmit, time_wait, delayed_ack)"},
  };
  for (const Case& c : cases) {
    const std::string e = first_error(c.json);
    CHECK_MESSAGE(has(e, c.error), "expected: " << c.error << "\n  got: " << e);
  }
}

TEST_CASE("lesson: each step reports its own first error") {
  std::vector<LessonError> errors;
  const std::string json = with_steps(R"({"say": {"en": "a"}}, {"do": {"deliver": "A->C"}}, {"ask": 3})");
  CHECK_FALSE(parse_lesson(json, "x.json", errors));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].path == "steps[0].say.zh");
  CHECK(errors[1].path == "steps[1].do.deliver");
  CHECK(errors[2].text() == "x.json: steps[2].ask: expected a question object, got 3");
}

TEST_CASE("lesson: comments (\"_...\") and expect_error are ignored") {
  const std::string json = replaced(with_steps(R"({"say": {"en": "a", "zh": "甲", "_note": "x"}, "_why": 1})"),
                                    R"({"id": "t",)", R"({"_c": 1, "expect_error": "none", "id": "t",)");
  std::vector<LessonError> errors;
  CHECK(load_lesson(json, "x.json", errors));
  CHECK(errors.empty());
}

// =============================================================================
// [SECTION] Validation errors
// =============================================================================

TEST_CASE("lesson: validation runs the lesson against the engine") {
  struct Case {
    std::string json;
    std::string error;
  };
  const std::vector<Case> cases = {
      {replaced(LESSON, R"("expect": "SYN-RECEIVED")", R"("expect": "ESTABLISHED")"),
       "t.json: steps[4].ask.expect (question \"server-state\"): the engine says SYN-RECEIVED, the lesson says ESTABLISHED (seed 1)"},
      {replaced(LESSON, R"({"deliver": "A->B", "which": "next"})", R"({"deliver": "B->A", "which": "next"})"),
       "t.json: steps[3].do: no segment in flight B->A to deliver (seed 1)"},
      {replaced(LESSON, R"({"drop": "A->B"})", R"({"drop": "B->A"})"),
       "t.json: steps[8].do[1]: no segment in flight B->A to drop (seed 1)"},
      {replaced(LESSON, R"({"reply": "B", "field": "ack"})", R"({"reply": "A", "field": "ack"})"),
       "t.json: steps[2].ask.value (question \"reply-ack\"): reads nothing: no segment is in flight towards A (seed 1)"},
      {replaced(LESSON, R"({"sent": "A", "field": "seq"})", R"({"sent": "A", "field": "seq", "index": 7})"),
       "t.json: steps[13].ask.value (question \"fin-seq\"): reads nothing: A has sent 4 segment(s): there is no segment [7] (seed 1)"},
      {replaced(LESSON, R"("ack": "{A.rcv_nxt}"}})", R"("ack": "{A.rcv_nxt}+5"}})"),
       "t.json: steps[10].ask.solution (question \"complete\"): the solution does not meet its goal: Not quite. The server received ACK"},
      {replaced(LESSON, R"("goal": {"call": "close", "state": {"A": "FIN-WAIT-1"}})",
                R"("goal": {"call": "close", "state": {"A": "FIN-WAIT-2"}})"),
       "The client should end in FIN-WAIT-2 but is in FIN-WAIT-1. CLOSE sends FIN seq="},
      {replaced(LESSON, R"("answer": "ESTABLISHED")", R"("answer": "SYN-RECEIVED")"),
       "t.json: steps[4].ask.mistakes[0].answer (question \"server-state\"): is the right answer (the engine says SYN-RECEIVED): this feedback is "
       "never shown"},
      {with_steps(OPEN_BOTH + R"(, {"ask": {"id": "o", "kind": "order", "segments": true, )" + TEXTS + "}}"),
       "t.json: steps[1].ask.segments (question \"o\"): 1 segment(s) sent so far: nothing to put in order (seed 1)"},
  };
  for (const Case& c : cases) {
    std::vector<LessonError> parse_errors;
    REQUIRE(parse_lesson(c.json, "t.json", parse_errors));
    const std::string e = first_error(c.json);
    CHECK_MESSAGE(has(e, c.error), "expected: " << c.error << "\n  got: " << e);
  }
}

TEST_CASE("lesson: a run that cannot perform an action lists the problem") {
  std::vector<LessonError> errors;
  const std::optional<Lesson> l = parse_lesson(with_steps(R"({"do": {"drop": "A->B"}}, {"say": {"en": "a", "zh": "甲"}})"),
                                               "x.json", errors);
  REQUIRE(l);
  LessonRun run(*l, 1);
  REQUIRE(run.problems().size() == 1);
  CHECK(run.problems()[0].text() == "x.json: steps[0].do: no segment in flight A->B to drop");
  CHECK(run.current()->kind == LessonStep::Kind::Say);
}

}  // namespace
