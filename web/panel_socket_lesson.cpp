// A socket lesson's card: the lesson's title and step, the narration with
// Continue, the question (choices, or the asked host's calls for an act),
// the feedback after an answer, the score at the end.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "platform.h"
#include "socket_ui.h"

namespace tcplab {
namespace {

float g_content_h = 0;

LabCommand cmd(LabCmdKind k, int arg = 0) {
  LabCommand c;
  c.kind = k;
  c.arg = arg;
  return c;
}

bool wide_button(const std::string& text, const char* hook) {
  const bool hit = ImGui::Button(text.c_str());
  hook_item(hook);
  return hit;
}

void choices(App& app, const SockQuestion& q) {
  for (std::size_t i = 0; i < q.choices.size(); ++i) {
    char hook[32];
    std::snprintf(hook, sizeof hook, "sockl.choice.%zu", i);
    // A long choice wraps inside its button's width.
    const std::string text = wrap_text(q.choices[i].text.get(app.lang).c_str(),
                                       ImGui::GetContentRegionAvail().x - ImGui::GetStyle().FramePadding.x * 2);
    if (wide_button(text + "###" + hook, hook)) app.lab.push(cmd(LabCmdKind::Choose, static_cast<int>(i)));
  }
}

void feedback(App& app, const Feedback& f) {
  ImGui::Separator();
  ImGui::PushStyleColor(ImGuiCol_Text, f.correct ? ImVec4(0.0f, 0.45f, 0.15f, 1.0f) : ImGui::ColorConvertU32ToFloat4(palette().lost));
  text_wrapped(f.correct ? tr(app, "Right.", "正确。") : tr(app, "Not quite.", "不对。"));
  ImGui::PopStyleColor();
  text_wrapped(f.message.get(app.lang));
}

void question(App& app, const SockQuestion& q, const std::optional<Feedback>& f) {
  text_wrapped(q.prompt.get(app.lang));
  if (q.kind == SockQuestion::Kind::Choose) {
    choices(app, q);
  } else {
    ImGui::TextDisabled("%s %s:", tr(app, "Calls of the", "调用方："), lab_host_name(app, q.host).c_str());
    const float x0 = ImGui::GetCursorScreenPos().x;
    draw_socket_calls(app, q.host, "sockl.call.", x0, x0 + ImGui::GetContentRegionAvail().x);
  }
  if (f && !f->correct) {
    feedback(app, *f);
    if (f->hint_offered && !q.hint.en.empty()) text_wrapped(std::string(tr(app, "Hint: ", "提示：")) + q.hint.get(app.lang));
  }
}

void finished(App& app, const SocketLessonRun& run) {
  const LessonScore s = run.score();
  char line[96];
  std::snprintf(line, sizeof line, tr(app, "Lesson complete: %g of %d points.", "课程完成：得分 %g / %d。"), s.points,
                s.questions);
  text_wrapped(line);
  hook_item("sockl.done");
}

}  // namespace

float socket_lesson_height() { return g_content_h; }

void draw_socket_lesson(App& app, ImVec2 pos, ImVec2 size) {
  SocketLab& lab = app.lab;
  if (!lab.run) return;
  const SocketLessonRun& run = *lab.run;
  ImGui::SetCursorScreenPos(pos);
  ImGui::BeginChild("sock_lesson", size, true);
  text_wrapped(run.lesson().title.get(app.lang));
  ImGui::TextDisabled("%zu/%zu", std::min(run.step_index() + 1, run.lesson().steps.size()), run.lesson().steps.size());
  ImGui::SameLine();
  if (ImGui::SmallButton(label(app, "Exit", "退出", "sockl_exit").c_str())) lab.push(cmd(LabCmdKind::LeaveLesson));
  hook_item("sockl.exit");
  ImGui::Separator();
  const std::optional<Feedback>& f = lab.feedback;
  if (f && f->correct) {
    feedback(app, *f);  // the run has moved on; Continue shows what comes next
    if (wide_button(label(app, "Continue", "继续", "sockl_continue"), "sockl.continue")) lab.push(cmd(LabCmdKind::Continue));
  } else if (run.finished()) {
    finished(app, run);
  } else if (const SockQuestion* q = run.question()) {
    question(app, *q, f);
  } else {
    if (const Text* n = run.narration()) text_wrapped(n->get(app.lang));
    if (wide_button(label(app, "Continue", "继续", "sockl_continue"), "sockl.continue")) lab.push(cmd(LabCmdKind::Continue));
  }
  const float h = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  if (std::fabs(h - g_content_h) > 0.5f) platform_request_redraw();
  g_content_h = h;
  ImGui::EndChild();
  hook_rect("sockl.card", pos, ImVec2(pos.x + size.x, pos.y + size.y));
}

void draw_socket_lesson_menu(App& app) {
  SocketLab& lab = app.lab;
  if (!ImGui::BeginPopup("sock_lessons")) return;
  lab_load_lessons(lab);
  for (std::size_t i = 0; i < lab.lessons.size(); ++i) {
    const SocketLesson& l = lab.lessons[i];
    char row[256];
    std::snprintf(row, sizeof row, "%d. %s###sockl%zu", l.order, l.title.get(app.lang).c_str(), i);
    if (ImGui::Selectable(row)) lab.push(cmd(LabCmdKind::OpenLesson, static_cast<int>(i)));
    const std::string hook = "sock.lesson." + l.id;
    hook_item(hook.c_str());
  }
  for (const std::string& e : lab.lesson_errors) text_wrapped(e);
  ImGui::EndPopup();
}

}  // namespace tcplab
