// Where the panels go. Three layouts, chosen by the window's size:
//  - wide: hosts either side of the ladder, the story (lesson, log or
//    replay) and the state diagram below;
//  - compact lesson (phones, small frames, during a lesson or the exam):
//    the first screen holds a one-line state strip, the ladder and the
//    lesson card, so the story and the picture are read together; the host
//    panels and the diagram follow below;
//  - column (narrow screens out of a lesson): every panel under the other.
// The page's window scrolls in the last two.
#include "layout.h"

#include <algorithm>
#include <cmath>

#include "platform.h"
#include "socket_ui.h"
#include "ui.h"

namespace tcplab {
namespace {

constexpr float PAD = 6.f, GAP = 6.f;
float g_toolbar_h = 0;

bool in_lesson(const App& app) { return app.mode == Mode::Lesson || app.mode == Mode::Exam; }

// The toolbar at `pos`; returns the y below it. A toolbar that wrapped to
// another height is laid out again next frame.
float toolbar(App& app, float x0, float y, float w) {
  if (g_toolbar_h <= 0) g_toolbar_h = ImGui::GetFrameHeightWithSpacing();
  const float used = draw_toolbar(app, ImVec2(x0, y), ImVec2(w, g_toolbar_h));
  if (std::fabs(used - g_toolbar_h) > 0.5f) {
    g_toolbar_h = used;
    platform_request_redraw();
  }
  return y + g_toolbar_h + GAP * 0.5f;
}

// The panel that tells what is going on: the lesson or exam, the replay's
// segments, or the log of the free run.
void draw_story(App& app, ImVec2 pos, ImVec2 size) {
  switch (app.mode) {
    case Mode::Sandbox: draw_log(app, pos, size); return;
    case Mode::Lesson:
    case Mode::Exam: draw_lesson(app, pos, size); return;
    case Mode::Replay: draw_replay(app, pos, size); return;
  }
}

// Both hosts side by side when each gets a readable width, else stacked.
float hosts(App& app, float x0, float y, float w, float host_h) {
  const float min_host_w = ImGui::GetFontSize() * 15.0f;
  if (w >= 2 * min_host_w + GAP) {
    const float hw = (w - GAP) * 0.5f;
    draw_host(app, HOST_A, ImVec2(x0, y), ImVec2(hw, host_h));
    draw_host(app, HOST_B, ImVec2(x0 + hw + GAP, y), ImVec2(hw, host_h));
    return y + host_h + GAP;
  }
  draw_host(app, HOST_A, ImVec2(x0, y), ImVec2(w, host_h));
  y += host_h + GAP;
  draw_host(app, HOST_B, ImVec2(x0, y), ImVec2(w, host_h));
  return y + host_h + GAP;
}

// The column's end, so the page's window scrolls to it.
void column_end(float x0, float y) {
  ImGui::SetCursorScreenPos(ImVec2(x0, y));
  ImGui::Dummy(ImVec2(1, 6));
}

// Phones and small frames in a lesson: strip, ladder and card fill the
// first screen; the card is as tall as its content, up to 68% of it.
void layout_compact_lesson(App& app, float x0, float y0, float w, float h) {
  float y = toolbar(app, x0, y0, w);
  const float fh = ImGui::GetFrameHeightWithSpacing();
  const float strip_h = draw_state_strip(app, ImVec2(x0, y), w);
  y += strip_h + GAP * 0.5f;
  const float screen_left = y0 + h - y;
  const float card_h = std::clamp(lesson_content_height() + 2.0f, fh * 4.0f, screen_left * 0.68f);
  const float ladder_h = std::max(fh * 4.0f, screen_left - card_h - GAP);
  draw_ladder(app, ImVec2(x0, y), ImVec2(w, ladder_h));
  y += ladder_h + GAP;
  // Below the first screen: the hosts and the diagram. Drawn before the
  // card, so the calls the card repeats for an act question are the ones
  // the tests (and the keyboard's jumps) find.
  const float below = y + card_h + GAP;
  const float after_hosts = hosts(app, x0, below, w, fh * 11.0f);
  const float diagram_h = std::max(fh * 12.0f, std::min(w * 1.1f, h * 0.8f));
  draw_state_diagram(app, ImVec2(x0, after_hosts), ImVec2(w, diagram_h));
  draw_lesson(app, ImVec2(x0, y), ImVec2(w, card_h));
  column_end(x0, after_hosts + diagram_h);
}

// Narrow screens out of a lesson: toolbar, hosts, ladder, story, diagram.
void layout_column(App& app, float x0, float y0, float w, float h) {
  float y = toolbar(app, x0, y0, w);
  const float fh = ImGui::GetFrameHeightWithSpacing();
  y = hosts(app, x0, y, w, fh * 11.0f);
  const float ladder_h = std::max(fh * 10.0f, h * 0.6f);
  draw_ladder(app, ImVec2(x0, y), ImVec2(w, ladder_h));
  y += ladder_h + GAP;
  const float log_h = std::max(fh * 8.0f, h * 0.45f);
  draw_story(app, ImVec2(x0, y), ImVec2(w, log_h));
  y += log_h + GAP;
  const float diagram_h = std::max(fh * 12.0f, std::min(w * 1.1f, h * 0.8f));
  draw_state_diagram(app, ImVec2(x0, y), ImVec2(w, diagram_h));
  column_end(x0, y + diagram_h);
}

// Wide screens: everything on one screen, sizes following the text size.
void layout_wide(App& app, float x0, float y0, float w, float h) {
  const float top = toolbar(app, x0, y0, w);
  const float k = ImGui::GetFontSize() / 15.0f;
  const bool lesson = app.mode != Mode::Sandbox;
  float bottom_h = h * (lesson ? 0.42f : 0.33f);
  bottom_h = std::clamp(bottom_h, (lesson ? 240.f : 200.f) * k, (lesson ? 460.f : 340.f) * k);
  bottom_h = std::min(bottom_h, h * 0.55f);
  // A presenter shows the picture: the ladder takes the room, and the card
  // may fold to its header.
  if (app.access.presenting) {
    const float fh = ImGui::GetFrameHeightWithSpacing();
    bottom_h = app.access.card_collapsed && lesson ? fh * 3.2f : std::min(bottom_h, h * 0.34f);
  }
  const float main_h = (y0 + h) - top - bottom_h - GAP;
  const float host_w = std::min(std::clamp(w * (app.access.presenting ? 0.2f : 0.25f), 250 * k, 380 * k), w * 0.34f);
  const float ladder_w = w - 2 * host_w - 2 * GAP;
  draw_host(app, HOST_A, ImVec2(x0, top), ImVec2(host_w, main_h));
  draw_ladder(app, ImVec2(x0 + host_w + GAP, top), ImVec2(ladder_w, main_h));
  draw_host(app, HOST_B, ImVec2(x0 + w - host_w, top), ImVec2(host_w, main_h));
  const float by = top + main_h + GAP;
  const float log_w = w * 0.56f;
  draw_story(app, ImVec2(x0, by), ImVec2(log_w, bottom_h));
  draw_state_diagram(app, ImVec2(x0 + log_w + GAP, by), ImVec2(w - log_w - GAP, bottom_h));
}

}  // namespace

bool narrow_layout(const App& app, float w, float h) {
  const float k = ImGui::GetFontSize() / 15.0f;
  (void)app;
  return w < 760.0f * k || h < 430.0f * k || (h > w && w < 900.0f);
}

void layout_and_draw(App& app) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const bool scrolls = narrow_layout(app, vp->Size.x, vp->Size.y);
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(PAD, PAD));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  ImGui::Begin("tcplab", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus |
                   (scrolls ? ImGuiWindowFlags_None : ImGuiWindowFlags_NoScrollWithMouse));
  ImGui::PopStyleVar(2);
  const float x0 = vp->Pos.x + PAD, y0 = vp->Pos.y + PAD;
  const float w = vp->Size.x - 2 * PAD, h = vp->Size.y - 2 * PAD;
  if (app.lab.open) layout_sockets(app, x0, scrolls ? y0 - ImGui::GetScrollY() : y0, w, h, scrolls);
  else if (!scrolls) layout_wide(app, x0, y0, w, h);
  else if (in_lesson(app)) layout_compact_lesson(app, x0, y0 - ImGui::GetScrollY(), w, h);
  else layout_column(app, x0, y0 - ImGui::GetScrollY(), w, h);
  ImGui::End();
}

float toolbar_height() { return g_toolbar_h; }
void forget_toolbar_height() { g_toolbar_h = 0; }

}  // namespace tcplab
