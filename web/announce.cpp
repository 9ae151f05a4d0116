// The announcer and the transcript (see announce.h). The sentences come from
// lessons/explain (describe_event), the same words as the log.
#include "announce.h"

#include <cstdio>
#include <string>
#include <vector>

#include "explain.h"
#include "platform.h"
#include "ui.h"

extern "C" {
void tcplab_js_announce(const char* text, const char* lang);
void tcplab_js_set_canvas_label(const char* text, const char* lang);
void tcplab_js_show_transcript(const char* title, const char* text, const char* copy, const char* close,
                               const char* copied, const char* lang);
}

namespace tcplab {
namespace {

struct Entry {
  Instant time = -1;  // simulated time, -1 for lesson texts
  Text text;
};

// Rate limit of the live region: one update at most this often; what comes
// in between is merged into the next one.
constexpr double MIN_GAP_MS = 600.0;
// A batch longer than this says how many more events there were.
constexpr std::size_t MAX_SPOKEN = 4;
constexpr std::size_t MAX_ENTRIES = 5000;

struct Announcer {
  std::size_t seen = 0;          // trace events already looked at
  Instant first_time = -1;       // time of the first trace event (tells a new run)
  std::string narration, question, feedback, lesson;  // last seen (English) texts
  std::vector<Text> pending;     // to speak at the next update
  double last_spoken_ms = -1e9;
  std::string canvas_label;
  std::vector<Entry> transcript;
};

Announcer g;

// Which events are spoken (the others stay in the transcript).
bool spoken(EventKind k) {
  switch (k) {
    case EventKind::StateChanged:
    case EventKind::Sent:
    case EventKind::Lost:
    case EventKind::Dropped:
    case EventKind::Rejected:
    case EventKind::CallError:
    case EventKind::Signal:
    case EventKind::TimerFired:
    case EventKind::Injected:
      return true;
    case EventKind::Call:
    case EventKind::Delivered:
    case EventKind::Accepted:
    case EventKind::Duplicated:
      return false;
  }
  return false;
}

void record(Instant t, const Text& text, bool speak) {
  if (g.transcript.size() >= MAX_ENTRIES) g.transcript.erase(g.transcript.begin(), g.transcript.begin() + 500);
  g.transcript.push_back(Entry{t, text});
  if (speak) g.pending.push_back(text);
}

Text both(const char* en, const char* zh) { return Text{en, zh}; }

Text prefixed(const Text& p, const Text& body) { return Text{p.en + body.en, p.zh + body.zh}; }

// New trace events since the last frame; a shorter trace means an undo or a
// new run.
void watch_trace(const App& app) {
  const Trace& t = app.sim.trace();
  const Instant first = t.empty() ? -1 : t.front().time;
  if (t.size() < g.seen || (g.seen > 0 && first != g.first_time)) {
    char en[96], zh[96];
    std::snprintf(en, sizeof en, "Back to t = %.3f s. ", static_cast<double>(app.sim.now()) / 1000.0);
    std::snprintf(zh, sizeof zh, "回到 t = %.3f 秒。", static_cast<double>(app.sim.now()) / 1000.0);
    const Text states{std::string(en) + "Client: " + state_name(app.sim.endpoint(HOST_A).state()) +
                          ", server: " + state_name(app.sim.endpoint(HOST_B).state()) + ".",
                      std::string(zh) + "客户端：" + state_name(app.sim.endpoint(HOST_A).state()) +
                          "，服务器：" + state_name(app.sim.endpoint(HOST_B).state()) + "。"};
    record(app.sim.now(), states, true);
    g.seen = t.size();
  }
  g.first_time = first;
  for (; g.seen < t.size(); ++g.seen) {
    const Event& e = t[g.seen];
    // Delivery is told by the verdict that follows it.
    if (e.kind == EventKind::Delivered) continue;
    record(e.time, Text{describe_event(e, Lang::En), describe_event(e, Lang::Zh)}, spoken(e.kind));
  }
}

// The lesson's narration, question and feedback, when they change.
void watch_lesson(const App& app) {
  const LessonRun* run = app.active_run();
  std::string lesson_id = app.mode == Mode::Sandbox ? "" : app.mode == Mode::Exam ? "#exam" : run ? run->lesson().id : "";
  if (lesson_id != g.lesson) {
    g.lesson = lesson_id;
    g.narration.clear();
    g.question.clear();
    if (app.mode == Mode::Lesson && run) record(-1, prefixed(both("Lesson: ", "课程："), run->lesson().title), true);
    else if (app.mode == Mode::Exam) record(-1, both("Exam.", "考试。"), true);
    else record(-1, both("Free play (sandbox).", "自由练习（沙盒）。"), true);
  }
  if (!run) return;
  const Text* n = run->narration();
  const std::string nkey = n ? run->fill(n->en, Lang::En) : std::string();
  if (nkey != g.narration) {
    g.narration = nkey;
    if (n) record(-1, run->fill(*n), true);
  }
  const Question* q = app.active_question();
  const std::string qkey = q ? q->id + "#" + std::to_string(run->step_index()) + "#" + std::to_string(run->seed()) : "";
  if (qkey != g.question) {
    g.question = qkey;
    if (q) {
      Text prompt = prefixed(both("Question: ", "问题："), run->fill(q->prompt));
      if (q->kind == QuestionKind::Choose) {
        for (std::size_t i = 0; i < q->choices.size(); ++i) {
          const Text c = run->fill(q->choices[i].text);
          const std::string k = std::to_string(i + 1);
          prompt.en += " " + k + ": " + c.en;
          prompt.zh += " " + k + "：" + c.zh;
        }
      }
      record(-1, prompt, true);
    }
  }
  if (run->finished() && g.question != "#done") {
    g.question = "#done";
    const LessonScore sc = run->score();
    char en[96], zh[96];
    std::snprintf(en, sizeof en, "Lesson complete. Score: %.1f of %d.", sc.points, sc.questions);
    std::snprintf(zh, sizeof zh, "本课完成。得分：%.1f / %d。", sc.points, sc.questions);
    record(-1, Text{en, zh}, true);
  }
  const std::string fkey =
      app.ls.feedback ? (app.ls.feedback->correct ? "+" : "-") + app.ls.feedback->message.en + qkey : std::string();
  if (fkey != g.feedback) {
    g.feedback = fkey;
    if (app.ls.feedback) {
      // The learner's own answer first: the transcript is a record of it.
      const std::string& given = app.ls.last_given;
      const Text verdict = app.ls.feedback->correct ? both("Right. ", "正确。") : both("Not right. ", "不对。");
      const Text head = given.empty() ? verdict
                                      : Text{"Your answer: " + given + ". " + verdict.en, "你的答案：" + given + "。" + verdict.zh};
      record(-1, prefixed(head, app.ls.feedback->message), true);
    }
  }
}

// The canvas's text alternative: what the drawing shows, briefly.
void update_canvas_label(const App& app) {
  const bool zh = app.lang == Lang::Zh;
  std::string s = zh ? "tcplab 交互式 TCP 课程。" : "tcplab interactive TCP lesson. ";
  s += zh ? "客户端：" : "Client: ";
  s += state_name(app.sim.endpoint(HOST_A).state());
  s += zh ? "，服务器：" : ", server: ";
  s += state_name(app.sim.endpoint(HOST_B).state());
  s += zh ? "。" : ". ";
  if (app.mode == Mode::Lesson && app.ls.run) s += (zh ? "课程：" : "Lesson: ") + app.ls.run->lesson().title.get(app.lang) + (zh ? "。" : ". ");
  if (app.mode == Mode::Exam) s += zh ? "考试中。" : "Exam. ";
  s += zh ? "按 F1 查看键盘快捷键，按 T 打开文字记录。" : "Press F1 for keyboard shortcuts, T for the transcript.";
  if (s != g.canvas_label) {
    g.canvas_label = s;
    tcplab_js_set_canvas_label(s.c_str(), zh ? "zh" : "en");
  }
}

void speak(const App& app, double now_ms) {
  if (g.pending.empty() || now_ms - g.last_spoken_ms < MIN_GAP_MS) {
    if (!g.pending.empty()) platform_request_redraw_for(2);  // come back for the rest
    return;
  }
  std::string s;
  const std::size_t n = g.pending.size();
  // The latest state matters most: with many events, the first few and a count.
  for (std::size_t i = 0; i < n && i < MAX_SPOKEN; ++i) {
    if (!s.empty()) s += ' ';
    s += g.pending[i].get(app.lang);
  }
  if (n > MAX_SPOKEN) {
    char more[160];
    if (app.lang == Lang::Zh)
      std::snprintf(more, sizeof more, " 另有 %zu 个事件，见文字记录。", n - MAX_SPOKEN);
    else
      std::snprintf(more, sizeof more, " And %zu more events: see the transcript.", n - MAX_SPOKEN);
    s += more;
  }
  g.pending.clear();
  g.last_spoken_ms = now_ms;
  tcplab_js_announce(s.c_str(), app.lang == Lang::Zh ? "zh" : "en");
}

}  // namespace

std::string transcript_text(const App& app) {
  std::string out;
  for (const Entry& e : g.transcript) {
    if (e.time >= 0) {
      char when[32];
      std::snprintf(when, sizeof when, "%.3f s  ", static_cast<double>(e.time) / 1000.0);
      out += when;
    } else {
      out += "-- ";
    }
    out += e.text.get(app.lang);
    out += '\n';
  }
  return out;
}

void announce_after_frame(App& app, double now_ms) {
  watch_trace(app);
  watch_lesson(app);
  speak(app, now_ms);
  update_canvas_label(app);
  if (app.access.transcript_request) {
    app.access.transcript_request = false;
    const bool zh = app.lang == Lang::Zh;
    const std::string text = transcript_text(app);
    tcplab_js_show_transcript(zh ? "文字记录" : "Transcript", text.c_str(), zh ? "复制" : "Copy",
                              zh ? "关闭" : "Close", zh ? "已复制。" : "Copied.", zh ? "zh" : "en");
  }
}

}  // namespace tcplab
