// The lesson panel: narration, the current question with its inputs, the
// feedback, the hint; the lesson menu; the exam and its review.
#include <cstdio>
#include <utility>
#include <string>

#include "panel_question_kinds.h"
#include "platform.h"
#include "ui.h"

namespace tcplab {
namespace {

float g_content_h = 0;  // the card's content height last frame

// Digits to tap into a number answer: on a touch screen there is no
// keyboard for the canvas's number field.
void draw_keypad(const App& app, std::uint32_t& number, float right) {
  const float digit_w = ImGui::GetFrameHeight() * 1.25f;
  static const char* HOOKS[12] = {"lesson.key.1", "lesson.key.2", "lesson.key.3", "lesson.key.4",
                                  "lesson.key.5", "lesson.key.6", "lesson.key.7", "lesson.key.8",
                                  "lesson.key.9", "lesson.key.0", "lesson.key.back", "lesson.key.clear"};
  for (int k = 0; k < 12; ++k) {
    char text[48];
    if (k < 10)
      std::snprintf(text, sizeof text, "%d###key%d", (k + 1) % 10, k);
    else
      std::snprintf(text, sizeof text, "%s###key%d",
                    k == 10 ? tr(app, "Delete", "删除") : tr(app, "Clear", "清空"), k);
    const float w = k < 10 ? digit_w
                           : ImGui::CalcTextSize(text, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
    if (k > 0) {
      ImGui::SameLine();
      if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    }
    if (ImGui::Button(text, ImVec2(w, 0))) {
      if (k < 10) {
        const std::uint32_t digit = static_cast<std::uint32_t>((k + 1) % 10);
        if (number <= (0xFFFFFFFFu - digit) / 10u) number = number * 10u + digit;
      } else if (k == 10) {
        number /= 10u;
      } else {
        number = 0;
      }
    }
    hook_item(HOOKS[k]);
  }
}

const ImVec4 GOOD = ImGui::ColorConvertU32ToFloat4(Palette::rgb(colours::GOOD));
const ImVec4 BAD = ImGui::ColorConvertU32ToFloat4(Palette::rgb(colours::BAD));

void wrapped(const std::string& s) { text_wrapped(s); }

// Scrolls the panel so the last item shows, and keeps drawing until the
// scroll has settled (ImGui applies it over the next frames; an idle app
// would otherwise show, and hit-test, a stale layout).
void scroll_into_view() {
  ImGui::SetScrollHereY(1.0f);
  platform_request_redraw_for(8);
}

// Buttons that flow onto new rows instead of running off the panel;
// `first` is true for the first button of a group.
bool flow_button(const std::string& text, const char* hook, float right, bool first, bool selected = false) {
  const float w = ImGui::CalcTextSize(text.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
  if (!first) {
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
  }
  if (selected) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
  const bool clicked = ImGui::Button(text.c_str());
  if (selected) ImGui::PopStyleColor();
  hook_item(hook);
  return clicked;
}

// A key of the feedback on screen: a new one scrolls the card once.
std::string feedback_key(const LessonState& ls) {
  return ls.feedback ? ls.feedback->message.en + (ls.feedback->correct ? "+" : "-") + std::to_string(ls.answers) : "";
}

void draw_feedback(App& app, bool scroll = true) {
  LessonState& ls = app.ls;
  if (!ls.feedback) return;
  const Feedback& f = *ls.feedback;
  ImGui::Separator();
  // A mark in colour and a message that says right or wrong in words.
  ImGui::PushStyleColor(ImGuiCol_Text, f.correct ? GOOD : BAD);
  ImGui::TextUnformatted(f.correct ? "\u2713" : "\u2717");
  hook_item("lesson.verdict");
  ImGui::SameLine();
  wrapped(f.message.get(app.lang));
  ImGui::PopStyleColor();
  // New feedback scrolls into view.
  static std::string shown;
  if (scroll && shown != feedback_key(ls)) {
    shown = feedback_key(ls);
    scroll_into_view();
  }
  LessonRun* run = app.active_run();
  const Question* q = app.active_question();
  if (!f.correct && f.hint_offered && q && run) {
    if (!ls.show_hint) {
      if (ImGui::Button(label(app, "Show a hint", "看提示", "hint").c_str())) ls.show_hint = true;
      hook_item("lesson.hint");
    } else {
      ImGui::TextDisabled("%s", tr(app, "Hint:", "提示："));
      wrapped(run->fill(q->hint.get(app.lang), app.lang));
      static std::string hint_shown;
      if (hint_shown != q->id) {
        hint_shown = q->id;
        scroll_into_view();
      }
    }
  }
}

// The prompt and the inputs of one question; an answer goes to the run and
// its feedback to the app.
void draw_question(App& app, LessonRun& run, const Question& q, float right) {
  LessonState& ls = app.ls;
  // A new question starts at the top of the card: its prompt and inputs in
  // view (its narration was read before it).
  static std::string shown_question;
  if (shown_question != q.id + "#" + std::to_string(run.seed())) {
    shown_question = q.id + "#" + std::to_string(run.seed());
    ImGui::SetScrollHereY(0.0f);
    platform_request_redraw_for(8);
  }
  ImGui::PushStyleColor(ImGuiCol_Text, palette().text);
  wrapped(run.fill(q.prompt.get(app.lang), app.lang));
  ImGui::PopStyleColor();
  hook_item("lesson.prompt");
  std::optional<Feedback> f;
  switch (q.kind) {
    case QuestionKind::State: {
      for (int i = 0; i < STATE_COUNT; ++i) {
        const State s = static_cast<State>(i);
        const bool sel = !ls.picked.empty() && ls.picked[0] == i;
        const std::string hook = std::string("lesson.state.") + state_name(s);
        if (flow_button(std::string(state_name(s)) + "###st" + std::to_string(i), hook.c_str(), right, i == 0, sel)) {
          ls.picked.assign(1, i);
          f = run.answer_state(state_name(s));
        }
      }
      break;
    }
    case QuestionKind::Number: {
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
      ImGui::InputScalar("###number", ImGuiDataType_U32, &ls.number, nullptr, nullptr, "%u");
      hook_item("lesson.number");
      // Enter in the field checks the number (keyboard use).
      const bool entered = ImGui::IsItemDeactivated() && (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
                                                          ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false));
      if (entered) f = run.answer_number(ls.number);
      ImGui::SameLine();
      if (ImGui::Button(label(app, "Check", "提交", "check").c_str())) f = run.answer_number(ls.number);
      hook_item("lesson.check");
      draw_keypad(app, ls.number, right);
      break;
    }
    case QuestionKind::Choose: {
      for (std::size_t i = 0; i < q.choices.size(); ++i) {
        bool on = false;
        for (int p : ls.picked) on |= p == static_cast<int>(i);
        // Numbered: keys 1-9 pick them. A wrong pick stays marked as wrong.
        const bool missed = on && ls.feedback && !ls.feedback->correct && !q.choices[i].correct;
        const std::string text = std::to_string(i + 1) + ". " + run.fill(q.choices[i].text.get(app.lang), app.lang) +
                                 (missed ? tr(app, "  \u2717 not right", "  \u2717 不对") : "");
        ImGui::PushID(static_cast<int>(i));
        bool clicked = q.multiple ? ImGui::Checkbox("##c", &on) : ImGui::RadioButton("##c", on);
        const std::string hook = "lesson.choice." + std::to_string(i);
        hook_item(hook.c_str());
        ImGui::SameLine();
        if (missed) ImGui::PushStyleColor(ImGuiCol_Text, BAD);
        text_wrapped(text);
        if (missed) ImGui::PopStyleColor();
        if (ImGui::IsItemClicked()) clicked = true;
        ImGui::PopID();
        if (clicked) {
          if (!q.multiple) ls.picked.assign(1, static_cast<int>(i));
          else {
            std::vector<int> next;
            bool had = false;
            for (int p : ls.picked) {
              if (p == static_cast<int>(i)) had = true;
              else next.push_back(p);
            }
            if (!had) next.push_back(static_cast<int>(i));
            ls.picked = next;
          }
        }
      }
      ImGui::BeginDisabled(ls.picked.empty());
      if (ImGui::Button(label(app, "Check", "提交", "check").c_str())) f = run.answer_choices(ls.picked);
      ImGui::EndDisabled();
      hook_item("lesson.check");
      break;
    }
    case QuestionKind::Order: {
      const std::vector<Text> items = run.order_items();
      for (std::size_t k = 0; k < ls.order.size(); ++k) {
        ImGui::PushID(static_cast<int>(k));
        ImGui::BeginDisabled(k == 0);
        if (ImGui::ArrowButton("up", ImGuiDir_Up)) std::swap(ls.order[k], ls.order[k - 1]);
        ImGui::EndDisabled();
        hook_item(("lesson.order.up." + std::to_string(k)).c_str());
        ImGui::SameLine();
        ImGui::BeginDisabled(k + 1 == ls.order.size());
        if (ImGui::ArrowButton("down", ImGuiDir_Down)) std::swap(ls.order[k], ls.order[k + 1]);
        ImGui::EndDisabled();
        hook_item(("lesson.order.down." + std::to_string(k)).c_str());
        ImGui::SameLine();
        const std::size_t item = static_cast<std::size_t>(ls.order[k]);
        ImGui::Text("%zu.", k + 1);
        ImGui::SameLine();
        wrapped(item < items.size() ? run.fill(items[item].get(app.lang), app.lang) : std::string());
        ImGui::PopID();
      }
      if (ImGui::Button(label(app, "Check", "提交", "check").c_str())) f = run.answer_order(ls.order);
      hook_item("lesson.check");
      break;
    }
    case QuestionKind::Act: {
      // The asked host's calls, right here; a hand-built segment is made
      // in the host's own panel.
      const std::string who = host_title(app, q.host);
      ImGui::PushStyleColor(ImGuiCol_Text, palette().host(q.host));
      wrapped(std::string(tr(app, "Act as the ", "请以")) + who +
              tr(app, ": make a call, or build a segment in its panel and send it.",
                 "的身份操作：调用应用程序接口，或在它的面板中手工构造报文段并发送。"));
      ImGui::PopStyleColor();
      draw_calls(app, q.host);
      break;
    }
    case QuestionKind::Classify: f = draw_classify(app, run, q, right); break;
    case QuestionKind::Blanks: f = draw_blanks(app, run, q, right); break;
    case QuestionKind::Ladder: f = draw_ladder_choice(app, run, right); break;
  }
  if (f) {
    ls.last_given = given_text(app, run, q);
    app.lesson_feedback(*f);
  }
}

// Which question of the lesson this is (1-based), and how many it has.
std::pair<int, int> question_position(const LessonRun& run) {
  const std::vector<LessonStep>& steps = run.lesson().steps;
  int k = 0;
  for (std::size_t i = 0; i < steps.size() && i <= run.step_index(); ++i)
    k += steps[i].kind == LessonStep::Kind::Ask ? 1 : 0;
  return {k, run.lesson().question_count()};
}

// The question a right answer was given to (the run has moved past it).
const Question* answered_question(const App& app) {
  if (!app.ls.run) return nullptr;
  for (const LessonStep& st : app.ls.run->lesson().steps)
    if (st.kind == LessonStep::Kind::Ask && st.question.id == app.ls.answered_question) return &st.question;
  return nullptr;
}

// A right answer's verdict stays under the question it answers, above the
// narration that follows.
void draw_answered(App& app, const LessonRun& run) {
  if (!app.ls.feedback || !app.ls.feedback->correct) return;
  if (const Question* q = answered_question(app)) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    wrapped(run.fill(q->prompt.get(app.lang), app.lang));
    ImGui::PopStyleColor();
  }
  draw_feedback(app, false);
  ImGui::Separator();
}

// The end: score, time, the next lesson, another try.
void draw_lesson_end(App& app, LessonRun& run) {
  LessonState& ls = app.ls;
  const LessonScore sc = run.score();
  // The end of the lesson starts at the top of the panel.
  static std::string scrolled_for;
  const std::string this_run = run.lesson().id + "#" + std::to_string(run.seed());
  if (scrolled_for != this_run) {
    scrolled_for = this_run;
    ImGui::SetScrollY(0);
    platform_request_redraw_for(4);
  }
  ImGui::PushStyleColor(ImGuiCol_Text, GOOD);
  ImGui::Text("%s %.1f / %d", tr(app, "Lesson complete. Score:", "本课完成。得分："), sc.points, sc.questions);
  ImGui::PopStyleColor();
  hook_item("lesson.complete");
  ImGui::Text("%s %.0f s", tr(app, "Time taken:", "用时："), app.lesson_elapsed_s);
  if (app.locked) return;  // assessment mode: one attempt, no new numbers
  const double now = ImGui::GetTime() * 1000.0;
  if (ls.current && *ls.current + 1 < ls.lessons.size()) {
    const std::string next = std::string(tr(app, "Next lesson: ", "下一课：")) +
                             ls.lessons[*ls.current + 1].title.get(app.lang) + "###nextlesson";
    if (ImGui::Button(next.c_str()))
      app.open_lesson(*ls.current + 1, seed_from_entropy(static_cast<double>(app.seed) * 0.618 + now), now);
    hook_item("lesson.next");
  }
  if (ImGui::Button(label(app, "Try again with new numbers", "换一组序号再练一次", "again").c_str()))
    app.open_lesson(*ls.current, seed_from_entropy(static_cast<double>(app.seed) * 0.4142 + now), now);
  hook_item("lesson.again");
  ImGui::SameLine();
  if (ImGui::Button(label(app, "Lessons", "课程列表", "menu2").c_str())) ImGui::OpenPopup("lesson_menu");
  hook_item("lesson.menu2");
  // For a teacher: this run's ladder on paper with blanks, and its key
  // (offered only at the end: the key answers the lesson's questions).
  if (ImGui::Button(label(app, "Export paper", "导出试卷", "paper").c_str())) app.want_export = Export::Paper;
  hook_item("lesson.paper");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(tooltip_wrap());
    ImGui::TextUnformatted(tr(app, "This run's ladder with seq, ack and states blank (SVG), and its answer key (text)",
                              "本次运行的时序图，seq、ack 和状态留空（SVG），以及答案（文本）"));
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void draw_lesson_body(App& app, float right) {
  LessonState& ls = app.ls;
  LessonRun& run = *ls.run;
  draw_answered(app, run);
  if (const Text* n = run.narration()) {
    wrapped(run.fill(n->get(app.lang), app.lang));
    hook_item("lesson.narration");
  }
  if (run.finished()) {
    ImGui::Separator();
    draw_lesson_end(app, run);
    return;
  }
  const LessonStep* step = run.current();
  if (!step) return;
  if (step->kind == LessonStep::Kind::Ask) {
    ImGui::Separator();
    draw_question(app, run, step->question, right);
    if (ls.feedback && !ls.feedback->correct) draw_feedback(app);
  } else {
    if (ImGui::Button(label(app, "Continue", "继续", "continue").c_str())) app.lesson_advance();
    hook_item("lesson.continue");
    // After a right answer the next control comes into view.
    static std::string scrolled_for;
    if (ls.feedback && scrolled_for != feedback_key(ls)) {
      scrolled_for = feedback_key(ls);
      scroll_into_view();
    }
  }
}

void draw_exam_body(App& app, float right) {
  LessonState& ls = app.ls;
  const std::size_t n = ls.exam.size();
  if (ls.exam_pos >= n) {
    int correct = 0;
    for (const ExamItem& e : ls.exam) correct += e.correct ? 1 : 0;
    ImGui::PushStyleColor(ImGuiCol_Text, GOOD);
    ImGui::Text("%s %d / %zu", tr(app, "Exam finished. Score:", "考试结束。得分："), correct, n);
    ImGui::PopStyleColor();
    hook_item("exam.score");
    ImGui::TextDisabled("%s", tr(app, "Review of each mistake:", "错题回顾："));
    for (std::size_t i = 0; i < n; ++i) {
      const ExamItem& e = ls.exam[i];
      if (e.correct) continue;
      const LessonStep& st = ls.lessons[e.lesson].steps[e.pristine.step_index()];
      ImGui::Separator();
      ImGui::Text("%zu.", i + 1);
      ImGui::SameLine();
      wrapped(e.pristine.fill(st.question.prompt.get(app.lang), app.lang));
      ImGui::PushStyleColor(ImGuiCol_Text, BAD);
      wrapped(std::string(tr(app, "Your answer: ", "你的答案：")) + e.given);
      ImGui::PopStyleColor();
      wrapped(std::string(tr(app, "Right answer: ", "正确答案：")) + e.pristine.answer_text(app.lang));
      wrapped(e.feedback.message.get(app.lang));
      const std::string go = std::string(tr(app, "Open the lesson: ", "打开对应课程：")) +
                             ls.lessons[e.lesson].title.get(app.lang) + "###review" + std::to_string(i);
      if (flow_button(go, ("exam.lesson." + std::to_string(i)).c_str(), right, true)) {
        app.open_lesson(e.lesson, seed_from_entropy(ImGui::GetTime() * 1000.0 + static_cast<double>(i)),
                        ImGui::GetTime() * 1000.0);
        return;
      }
    }
    ImGui::Separator();
    if (ImGui::Button(label(app, "Take another exam", "再考一次", "retake").c_str()))
      app.start_exam(seed_from_entropy(ImGui::GetTime() * 1000.0 + static_cast<double>(app.seed)), n);
    hook_item("exam.retake");
    return;
  }
  ExamItem& item = ls.exam[ls.exam_pos];
  ImGui::Text("%s %zu / %zu", tr(app, "Question", "题目"), ls.exam_pos + 1, n);
  ImGui::SameLine();
  ImGui::TextDisabled("(%s)", ls.lessons[item.lesson].title.get(app.lang).c_str());
  const LessonStep& st = ls.lessons[item.lesson].steps[item.pristine.step_index()];
  if (!item.answered && ls.feedback) {
    // The exam takes the first answer, right or wrong (an act answer
    // arrives through the host panels, the others from draw_question).
    item.answered = true;
    item.correct = ls.feedback->correct;
    item.feedback = *ls.feedback;
    // An act is answered in a host's panel: what it did is the message.
    item.given = st.question.kind == QuestionKind::Act ? ls.feedback->message.get(app.lang) : ls.last_given;
  }
  if (!item.answered) {
    draw_question(app, item.run, st.question, right);
    return;
  }
  // The question stays on screen above its verdict.
  wrapped(item.pristine.fill(st.question.prompt.get(app.lang), app.lang));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  wrapped(std::string(tr(app, "Your answer: ", "你的答案：")) + item.given);
  ImGui::PopStyleColor();
  draw_feedback(app);
  if (ImGui::Button(label(app, "Next question", "下一题", "examnext").c_str())) {
    ++ls.exam_pos;
    ls.feedback.reset();
    if (ls.exam_pos < n) {
      app.sim = ls.exam[ls.exam_pos].run.sim();
      ls.picked.clear();
      ls.number = 0;
      ls.order.clear();
      for (std::size_t i = 0; i < ls.exam[ls.exam_pos].run.order_items().size(); ++i) ls.order.push_back(static_cast<int>(i));
      app.refresh_builders();
    }
  }
  hook_item("exam.next");
}

// Exit asks first; a lesson left half-way keeps its place.
void draw_leave_confirm(App& app) {
  if (!ImGui::BeginPopup("leave?")) return;
  ImGui::PushTextWrapPos(tooltip_wrap());
  ImGui::TextUnformatted(app.mode == Mode::Exam
                             ? tr(app, "Leave the exam? Its answers are lost.", "退出考试？已作答的题目不会保存。")
                             : tr(app, "Leave the lesson? Open it again from Lessons to go on where you are.",
                                  "退出本课？之后从课程列表再次打开，会从当前位置继续。"));
  ImGui::PopTextWrapPos();
  if (ImGui::Button(label(app, "Leave", "退出", "leaveyes").c_str())) {
    app.leave_lesson();
    ImGui::CloseCurrentPopup();
  }
  hook_item("lesson.exit.confirm");
  ImGui::SameLine();
  if (ImGui::Button(label(app, "Stay", "留下", "leaveno").c_str())) ImGui::CloseCurrentPopup();
  hook_item("lesson.exit.cancel");
  ImGui::EndPopup();
}

}  // namespace

// The learner's answer as text, taken when it is given (a right answer
// clears the inputs for the next question).
std::string given_text(const App& app, const LessonRun& run, const Question& q) {
  const LessonState& ls = app.ls;
  std::string out;
  switch (q.kind) {
    case QuestionKind::State:
      return ls.picked.empty() ? std::string() : state_name(static_cast<State>(ls.picked[0]));
    case QuestionKind::Number: return std::to_string(ls.number);
    case QuestionKind::Choose:
      for (int p : ls.picked)
        out += (out.empty() ? "" : "; ") + run.fill(q.choices[static_cast<std::size_t>(p)].text.get(app.lang), app.lang);
      return out;
    case QuestionKind::Order: {
      const std::vector<Text> items = run.order_items();
      for (int i : ls.order)
        if (i >= 0 && static_cast<std::size_t>(i) < items.size())
          out += (out.empty() ? "" : " \u2192 ") + run.fill(items[static_cast<std::size_t>(i)].get(app.lang), app.lang);
      return out;
    }
    case QuestionKind::Act: return std::string();
    case QuestionKind::Classify:
    case QuestionKind::Blanks:
    case QuestionKind::Ladder: return construct_given_text(app, run, q);
  }
  return out;
}

void draw_lesson_menu(App& app, double now_ms) {
  if (app.locked) return;  // assessment mode: no way out of the lesson
  if (!ImGui::BeginPopup("lesson_menu")) return;
  LessonState& ls = app.ls;
  ImGui::TextDisabled("%s", tr(app, "Lessons", "课程"));
  for (std::size_t i = 0; i < ls.lessons.size(); ++i) {
    const Lesson& l = ls.lessons[i];
    const auto it = ls.progress.find(l.id + "@" + std::to_string(l.version));
    char status[48] = "";
    if (it != ls.progress.end() && it->second.done)
      std::snprintf(status, sizeof status, "  \u2713 %.1f/%d", it->second.best, it->second.questions);
    const std::string row = std::to_string(i + 1) + ". " + l.title.get(app.lang) + status + "###ml" + std::to_string(i);
    if (ImGui::Selectable(row.c_str())) {
      app.open_lesson(i, seed_from_entropy(static_cast<double>(app.seed) * 0.31 + now_ms), now_ms);
      ImGui::CloseCurrentPopup();
    }
    hook_item(("menu.lesson." + l.id).c_str());
  }
  ImGui::Separator();
  if (ImGui::Selectable(label(app, "Exam: 10 random questions", "考试模式：随机 10 题", "mexam").c_str())) {
    app.start_exam(seed_from_entropy(static_cast<double>(app.seed) * 0.27 + now_ms), 10);
    ImGui::CloseCurrentPopup();
  }
  hook_item("menu.exam");
  ImGui::Checkbox(label(app, "Textbook numbers (client x = 100, server y = 300)", "教材式序号（客户端 x = 100，服务器 y = 300）",
                         "mtextbook").c_str(),
                  &ls.textbook);
  hook_item("menu.textbook");
  if (ImGui::Selectable(label(app, "Free play (sandbox)", "自由练习（沙盒）", "msandbox").c_str())) {
    app.leave_lesson();
    ImGui::CloseCurrentPopup();
  }
  hook_item("menu.sandbox");
  if (ImGui::Selectable(label(app, "Open a lesson file...", "打开课程文件...", "mopen").c_str())) {
    app.want_open_file = true;
    ImGui::CloseCurrentPopup();
  }
  hook_item("menu.open");
  if (ImGui::Selectable(label(app, "Reset progress", "清除学习进度", "mreset").c_str())) {
    ls.progress.clear();
    ls.progress_changed.clear();  // saved as is: the stored progress is emptied
    app.progress_dirty = true;
    ImGui::CloseCurrentPopup();
  }
  hook_item("menu.reset_progress");
  ImGui::EndPopup();
}

void draw_lesson(App& app, ImVec2 pos, ImVec2 size) {
  LessonState& ls = app.ls;
  ImGui::SetCursorScreenPos(pos);
  hook_rect("panel.lesson", pos, ImVec2(pos.x + size.x, pos.y + size.y));
  ImGui::BeginChild("lesson", size, true);
  const float right = pos.x + size.x - ImGui::GetStyle().WindowPadding.x - ImGui::GetStyle().ScrollbarSize;
  // Header: which lesson, the seed, the score, the menu.
  if (app.mode == Mode::Lesson && ls.run) {
    const Lesson& l = ls.run->lesson();
    ImGui::PushStyleColor(ImGuiCol_Text, palette().client);
    wrapped(l.title.get(app.lang));
    ImGui::PopStyleColor();
    const LessonScore sc = ls.run->score();
    const std::pair<int, int> at = question_position(*ls.run);
    if (at.first > 0)
      ImGui::TextDisabled(tr(app, "Question %d of %d   score %.1f   seed %llu", "第 %d 题，共 %d 题   得分 %.1f   种子 %llu"),
                          at.first, at.second, sc.points, static_cast<unsigned long long>(ls.run->seed()));
    else
      ImGui::TextDisabled(tr(app, "%d questions   seed %llu", "共 %d 题   种子 %llu"), at.second,
                          static_cast<unsigned long long>(ls.run->seed()));
    hook_item("lesson.position");
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().client);
    ImGui::TextUnformatted(tr(app, "Exam", "考试"));
    ImGui::PopStyleColor();
  }
  // Beside the header when they fit, else on a row of their own; none in
  // assessment mode (no menu, no exit).
  if (!app.locked) {
    if (flow_button(label(app, "Lessons", "课程", "lmenu"), "lesson.menu", right, false)) ImGui::OpenPopup("lesson_menu");
    if (flow_button(label(app, "Exit", "退出", "lexit"), "lesson.exit", right, false)) ImGui::OpenPopup("leave?");
  }
  if (app.access.presenting) {
    bool& folded = app.access.card_collapsed;
    if (flow_button(folded ? label(app, "Show the card", "展开", "fold") : label(app, "Fold the card", "收起", "fold"),
                    "lesson.fold", right, false))
      folded = !folded;
  }
  draw_leave_confirm(app);
  ImGui::Separator();
  if (app.mode == Mode::Lesson && ls.run) draw_lesson_body(app, right);
  else if (app.mode == Mode::Exam) draw_exam_body(app, right);
  draw_lesson_menu(app, ImGui::GetTime() * 1000.0);
  g_content_h = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  ImGui::EndChild();
}

float lesson_content_height() { return g_content_h; }

}  // namespace tcplab
