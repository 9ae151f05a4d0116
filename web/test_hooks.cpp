// Test hooks: read-only views for the browser tests (the tests act by
// clicking, never through these). Built twice: the page (dist/) carries no
// answer while a question is open, so a learner's console cannot read it;
// the test build (dist-test/, TCPLAB_TEST_ANSWERS) adds the current answer
// so the tests can answer right and wrong on purpose.
#include <emscripten.h>

#include <string>

#include "app.h"
#include "conceal.h"
#include "embed.h"
#include "json.h"
#include "ladder.h"
#include "platform.h"
#include "text_probe.h"
#include "ui.h"

#ifdef TCPLAB_TEST_ANSWERS
constexpr bool WITH_ANSWERS = true;
#else
constexpr bool WITH_ANSWERS = false;
#endif

namespace tcplab {
const App& page_app();  // web/main.cpp
namespace {

// What the production hook leaves out while a question waits for its answer.
struct Conceal {
  bool state[2] = {false, false};
  bool numbers = false;
};
Conceal conceal(const App& app) {
  Conceal c;
  if (WITH_ANSWERS || app.ls.feedback) return c;
  const Question* q = app.active_question();
  if (!q) return c;
  if (q->kind == QuestionKind::State) c.state[q->host & 1] = true;
  if (q->kind == QuestionKind::Number) c.numbers = true;
  if (q->kind == QuestionKind::Blanks || q->kind == QuestionKind::Ladder) {
    c.state[0] = c.state[1] = true;
    c.numbers = true;
  }
  return c;
}

}  // namespace
}  // namespace tcplab

extern "C" {
EMSCRIPTEN_KEEPALIVE const char* tcplab_test_hooks() {
  static std::string s;
  s = tcplab::hooks_json();
  return s.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* tcplab_test_state() {
  using namespace tcplab;
  static std::string s;
  const App& g_app = page_app();
  const Simulation& sim = g_app.sim;
  const Conceal c = conceal(g_app);
  s = "{\"A\":\"";
  s += c.state[HOST_A] ? "?" : state_name(sim.endpoint(HOST_A).state());
  s += "\",\"B\":\"";
  s += c.state[HOST_B] ? "?" : state_name(sim.endpoint(HOST_B).state());
  s += "\",\"now\":" + std::to_string(sim.now());
  s += ",\"seed\":" + std::to_string(g_app.seed);
  s += ",\"trace\":" + std::to_string(sim.trace().size());
  s += ",\"lang\":\"" + std::string(g_app.lang == Lang::Zh ? "zh" : "en") + "\"";
  s += ",\"mode\":\"" + std::string(g_app.mode == Mode::Sandbox ? "sandbox" : g_app.mode == Mode::Lesson ? "lesson" : g_app.mode == Mode::Exam ? "exam" : "replay") + "\"";
  s += ",\"capture\":{\"errors\":" + std::to_string(g_app.cap.errors.size()) +
       ",\"connections\":" + std::to_string(g_app.cap.parsed.connections.size()) +
       ",\"picking\":" + (g_app.cap.picking ? "true" : "false");
  if (g_app.cap.replay) {
    const ReplayResult& r = *g_app.cap.replay;
    s += ",\"connection\":" + std::to_string(g_app.cap.connection) + ",\"late\":" + (r.late_start ? "true" : "false") +
         ",\"shown\":" + std::to_string(g_app.cap.shown) +
         ",\"rows\":[";
    for (std::size_t i = 0; i < r.rows.size(); ++i) s += (i ? "," : "") + replay_row_json(r.rows[i]);
    s += "]";
  }
  s += "}";
  if (g_app.ls.run) {
    const LessonScore sc = g_app.ls.run->score();
    s += ",\"lesson\":{\"id\":\"" + g_app.ls.run->lesson().id + "\",\"step\":" + std::to_string(g_app.ls.run->step_index()) +
         ",\"finished\":" + (g_app.ls.run->finished() ? "true" : "false") + ",\"points\":" + std::to_string(sc.points) +
         ",\"questions\":" + std::to_string(sc.questions) + "}";
  }
  if (const Question* q = WITH_ANSWERS ? g_app.active_question() : nullptr) {
    // The current question and its right answer, for the browser tests,
    // which still answer by clicking (test build only).
    const LessonRun* run = g_app.active_run();
    s += ",\"question\":{\"id\":" + json_quote(q->id) + ",\"kind\":\"" + question_kind_name(q->kind) +
         "\",\"host\":\"" + ((q->kind == QuestionKind::Number ? q->value.host : q->host) == 0 ? "A" : "B") + "\",\"answer\":" + json_quote(run->answer_text(Lang::En));
    s += ",\"correct\":[";
    for (std::size_t i = 0; i < q->choices.size(); ++i)
      if (q->choices[i].correct) s += (s.back() == '[' ? "" : ",") + std::to_string(i);
    s += "],\"shown\":[";
    const std::vector<Text> items = run->order_items();
    for (std::size_t i = 0; i < items.size(); ++i) s += (i ? "," : "") + json_quote(items[i].en);
    // The segment whose field the question asks for, as labelled unhidden.
    const Concealed hidden = concealed(g_app);
    std::string asked;
    for (const Event& e : sim.trace())
      if (hidden.seg_id != 0 && e.kind == EventKind::Sent && e.seg_id == hidden.seg_id) asked = segment_label(e.seg);
    s += "],\"segment\":" + json_quote(asked);
    s += ",\"items\":[";
    for (std::size_t i = 0; i < q->items.size(); ++i) s += (i ? "," : "") + json_quote(run->fill(q->items[i].en, Lang::En));
    s += "]";
    // Classify: each item's class; blanks: each blank's text; ladder: the
    // index of the run's own ladder.
    s += ",\"classes\":[";
    for (std::size_t i = 0; i < q->sort_items.size(); ++i) s += (i ? "," : "") + std::to_string(q->sort_items[i].cls);
    s += "],\"blanks\":[";
    for (std::size_t i = 0; i < q->blanks.size(); ++i) s += (i ? "," : "") + json_quote(run->blank_answer(q->blanks[i]));
    int own = -1;
    for (std::size_t i = 0; i < run->ladder_options().size(); ++i)
      if (run->ladder_options()[i].mutation < 0) own = static_cast<int>(i);
    s += "],\"ladder\":" + std::to_string(own) + ",\"ladders\":" + std::to_string(run->ladder_options().size()) + "}";
  }
  if (g_app.ls.feedback)
    s += ",\"feedback\":{\"correct\":" + std::string(g_app.ls.feedback->correct ? "true" : "false") +
         ",\"message\":" + json_quote(g_app.ls.feedback->message.get(g_app.lang)) + "}";
  s += ",\"lessons\":" + std::to_string(g_app.ls.lessons.size());
  s += ",\"errors\":" + std::to_string(g_app.ls.errors.size());
  s += ",\"progress\":" + g_app.progress_json();
  s += ",\"playing\":" + std::string(g_app.playing ? "true" : "false");
  s += ",\"in_flight\":[";
  bool first = true;
  for (int dir = 0; dir < 2; ++dir) {
    for (const InFlight& f : sim.network().in_flight(dir)) {
      if (!first) s += ',';
      first = false;
      s += "{\"id\":" + std::to_string(f.id) + ",\"from\":\"" + (f.from == 0 ? "A" : "B") + "\",\"label\":\"" +
           (c.numbers ? "?" : segment_label(f.seg)) + "\",\"deliver_at\":" + std::to_string(f.deliver_at) + "}";
    }
  }
  s += "],\"sent\":[";
  first = true;
  for (const Event& e : sim.trace()) {
    if (e.kind != EventKind::Sent) continue;
    if (!first) s += ',';
    first = false;
    s += "{\"t\":" + std::to_string(e.time) + ",\"from\":\"" + (e.host == 0 ? "A" : "B") + "\",\"label\":\"" +
         (c.numbers ? "?" : segment_label(e.seg)) + "\"}";
  }
  s += "]," + embed_state_fields(g_app) + "}";
  return s.c_str();
}

// 0: frames are laid out but not put on the canvas; 1: painted again; -1:
// only asks. Returns whether frames were painted before the call.
EMSCRIPTEN_KEEPALIVE int tcplab_test_paint(int on) {
  const bool was = tcplab::platform_painting();
  if (on >= 0) tcplab::platform_set_painting(on != 0);
  return was ? 1 : 0;
}

// Every text run drawn in the last frame (web/text_probe.cpp); the first
// call turns the recorder on.
EMSCRIPTEN_KEEPALIVE const char* tcplab_test_text() {
  static std::string s;
  s = tcplab::text_probe_json();
  return s.c_str();
}
}
