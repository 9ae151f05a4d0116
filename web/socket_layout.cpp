// The page while the socket lab is open: its own bar (back to the two
// hosts, the clock, the language), the picture, the controls and the log;
// side by side on wide screens, one scrolling column on narrow ones.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "platform.h"
#include "socket_ui.h"

namespace tcplab {
namespace {

constexpr float GAP = 6.f;

bool bar_button(const std::string& text, float x0, float x1, const char* hook, bool first = false) {
  const float bw = ImGui::CalcTextSize(text.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
  if (!first) {
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + bw > x1) {
      ImGui::NewLine();
      ImGui::SetCursorScreenPos(ImVec2(x0, ImGui::GetCursorScreenPos().y));
    }
  }
  const bool hit = ImGui::Button(text.c_str());
  hook_item(hook);
  return hit;
}

// Returns the y below the bar.
float lab_bar(App& app, float x0, float y, float w) {
  SocketLab& lab = app.lab;
  ImGui::SetCursorScreenPos(ImVec2(x0, y));
  ImGui::BeginGroup();
  const float x1 = x0 + w;
  if (bar_button(label(app, "< Two hosts", "< 两台主机", "sock_back"), x0, x1, "sock.back", true)) lab.open = false;
  if (bar_button(label(app, "Socket lessons...", "套接字课程...", "sock_lessons"), x0, x1, "sock.lessons"))
    ImGui::OpenPopup("sock_lessons");
  draw_socket_lesson_menu(app);
  if (lab.in_lesson()) {  // a lesson's steps move its clock
    ImGui::EndGroup();
    return ImGui::GetItemRectMax().y + GAP;
  }
  if (bar_button(lab.playing ? label(app, "Pause", "暂停", "sock_play") : label(app, "Play", "播放", "sock_play"), x0, x1,
                 "sock.play"))
    lab.playing = !lab.playing;
  // Waits longer than a few seconds (TIME-WAIT, keepalive, a crashed
  // peer's silence) are crossed at a click, their length said.
  const Instant due = lab.next_due();
  char next[64];
  if (due == NEVER) std::snprintf(next, sizeof next, "%s###sock_next", tr(app, "Next event", "下一事件"));
  else
    std::snprintf(next, sizeof next, "%s (+%.1f s)###sock_next", tr(app, "Next event", "下一事件"),
                  static_cast<double>(due - lab.world.now()) / 1000.0);
  ImGui::BeginDisabled(due == NEVER);
  if (bar_button(next, x0, x1, "sock.next"))
    lab.push(LabCommand{LabCmdKind::Step, 0, SockCall::Socket, -1, 0, 0, HostEventKind::Exit});
  ImGui::EndDisabled();
  char clock[32];
  std::snprintf(clock, sizeof clock, "t = %.3f s", static_cast<double>(lab.world.now()) / 1000.0);
  const float cw = ImGui::CalcTextSize(clock).x;
  ImGui::SameLine();
  if (ImGui::GetCursorScreenPos().x + cw > x1) {
    ImGui::NewLine();
    ImGui::SetCursorScreenPos(ImVec2(x0, ImGui::GetCursorScreenPos().y));
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(clock);
  const char* lang_text = app.lang == Lang::Zh ? "English###lang" : app.zh_font_ready ? "中文###lang" : "Chinese###lang";
  if (bar_button(lang_text, x0, x1, "toolbar.lang"))
    app.lang_request = app.lang == Lang::Zh ? static_cast<int>(Lang::En) : static_cast<int>(Lang::Zh);
  ImGui::EndGroup();
  return ImGui::GetItemRectMax().y + GAP;
}

}  // namespace

void draw_socket_log(App& app, ImVec2 pos, ImVec2 size) {
  // Rebuilt only when the trace or the language changes.
  static std::size_t seen = static_cast<std::size_t>(-1);
  static Lang seen_lang = Lang::En;
  static std::vector<std::string> lines;
  const std::vector<SockEvent>& trace = app.lab.world.trace();
  const bool zh = app.lang == Lang::Zh;
  if (trace.size() != seen || app.lang != seen_lang) {
    lines.clear();
    for (const SockEvent& e : trace) {
      if (e.pkt.spoofed || (e.kind == SockEventKind::Tcp && e.tcp.kind != EventKind::StateChanged)) continue;
      lines.push_back(describe_sock_event(e, zh));
    }
    // The newest 300: a flood writes thousands.
    if (lines.size() > 300) lines.erase(lines.begin(), lines.end() - 300);
    seen = trace.size();
    seen_lang = app.lang;
  }
  ImGui::SetCursorScreenPos(pos);
  ImGui::BeginChild("sock_log", size, true);
  ImGui::TextDisabled("%s", tr(app, "What happened, and why", "发生了什么，为什么"));
  ImGui::Separator();
  for (const std::string& l : lines) text_wrapped(l);
  // The newest line in view (asked for three frames: see panel_sockets.cpp).
  static std::size_t seen_lines = 0;
  static int follow = 0;
  if (trace.size() != seen_lines) {
    seen_lines = trace.size();
    follow = 3;
  }
  if (follow > 0) {
    --follow;
    ImGui::SetScrollHereY(1.0f);
    platform_request_redraw();
  }
  ImGui::EndChild();
  hook_rect("sock.log", pos, ImVec2(pos.x + size.x, pos.y + size.y));
}

// In a lesson: the picture and the card together on the first screen.
void layout_lesson(App& app, float x0, float top, float w, float bottom, bool narrow) {
  const float fh = ImGui::GetFrameHeightWithSpacing();
  if (!narrow) {
    const float card_w = std::clamp(w * 0.36f, fh * 16.0f, w * 0.5f);
    draw_sockets(app, ImVec2(x0, top), ImVec2(w - card_w - GAP, bottom - top));
    draw_socket_lesson(app, ImVec2(x0 + w - card_w, top), ImVec2(card_w, bottom - top));
    return;
  }
  const float left = bottom - top;
  const float card_h = std::clamp(socket_lesson_height() + 2.0f, fh * 4.0f, left * 0.62f);
  draw_sockets(app, ImVec2(x0, top), ImVec2(w, left - card_h - GAP));
  draw_socket_lesson(app, ImVec2(x0, bottom - card_h), ImVec2(w, card_h));
}

void layout_sockets(App& app, float x0, float y0, float w, float h, bool narrow) {
  const float top = lab_bar(app, x0, y0, w);
  const float fh = ImGui::GetFrameHeightWithSpacing();
  if (app.lab.in_lesson()) {
    layout_lesson(app, x0, top, w, y0 + h, narrow);
    return;
  }
  if (!narrow) {
    const float side_w = std::clamp(w * 0.34f, fh * 14.0f, w * 0.45f);
    const float pic_w = w - side_w - GAP;
    const float main_h = y0 + h - top;
    draw_sockets(app, ImVec2(x0, top), ImVec2(pic_w, main_h));
    const float ctl_h = std::min(main_h * 0.7f, std::max(fh * 8.0f, socket_controls_height() + 2.0f));
    draw_socket_controls(app, ImVec2(x0 + pic_w + GAP, top), ImVec2(side_w, ctl_h));
    draw_socket_log(app, ImVec2(x0 + pic_w + GAP, top + ctl_h + GAP), ImVec2(side_w, main_h - ctl_h - GAP));
    return;
  }
  // One column, the page scrolls: picture, controls, log.
  const float pic_h = std::max(fh * 12.0f, (y0 + h - top) * 0.62f);
  draw_sockets(app, ImVec2(x0, top), ImVec2(w, pic_h));
  float y = top + pic_h + GAP;
  const float ctl_h = std::max(fh * 8.0f, socket_controls_height() + 2.0f);
  draw_socket_controls(app, ImVec2(x0, y), ImVec2(w, ctl_h));
  y += ctl_h + GAP;
  const float log_h = std::max(fh * 8.0f, h * 0.45f);
  draw_socket_log(app, ImVec2(x0, y), ImVec2(w, log_h));
  ImGui::SetCursorScreenPos(ImVec2(x0, y + log_h));
  ImGui::Dummy(ImVec2(1, 6));
}

}  // namespace tcplab
