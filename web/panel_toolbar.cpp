// The toolbar: time (play, pause, next event, speed), the network (latency,
// loss), MSL, undo and history, reset with a new seed, options, language.
#include <cinttypes>
#include <cstdio>
#include <string>

#include "a11y.h"
#include "ui.h"

namespace tcplab {
namespace {

// Starts the next item on the same row if `width` still fits, else on a new
// row, so the toolbar wraps on narrow screens instead of being cut off.
void flow(float width, float x_start, float x_end) {
  ImGui::SameLine();
  if (ImGui::GetCursorScreenPos().x + width > x_end) {
    ImGui::NewLine();
    ImGui::SetCursorScreenPos(ImVec2(x_start, ImGui::GetCursorScreenPos().y));
  }
}

float button_width(const char* text) {
  return ImGui::CalcTextSize(text, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

}  // namespace

float draw_toolbar(App& app, ImVec2 pos, ImVec2 size) {
  ImGui::SetCursorScreenPos(pos);
  ImGui::BeginChild("toolbar", size, false, ImGuiWindowFlags_NoScrollbar);
  const float x0 = ImGui::GetCursorScreenPos().x;
  const float x1 = pos.x + size.x;
  Settings& s = app.settings;
  bool settings_changed = false;

  const std::string lessons = label(app, "Lessons", "课程", "lessons");
  if (!app.locked) {  // assessment mode: no lesson menu
  if (ImGui::Button(lessons.c_str())) ImGui::OpenPopup("lesson_menu");
  hook_item("toolbar.lessons");
  draw_lesson_menu(app, ImGui::GetTime() * 1000.0);
  ImGui::SameLine();
  }

  const std::string play = app.playing ? label(app, "Pause", "暂停", "play") : label(app, "Play", "播放", "play");
  if (ImGui::Button(play.c_str())) app.playing = !app.playing;
  hook_item("toolbar.play");

  // Time, network and history controls belong to free play; in a lesson
  // the steps move the conversation.
  const float slider_w = ImGui::GetFontSize() * 7.5f;
  if (app.mode == Mode::Sandbox) {
  const std::string next = label(app, "Next event", "下一事件", "next");
  flow(button_width(next.c_str()), x0, x1);
  ImGui::BeginDisabled(!app.busy());
  if (ImGui::Button(next.c_str())) app.push(Command{CommandKind::Step, 0, Call::OpenPassive, 0, {}, 0, 0, 0});
  ImGui::EndDisabled();
  hook_item("toolbar.next");

  static const double SPEEDS[] = {0.25, 0.5, 1.0, 2.0, 4.0};
  static const char* SPEED_NAMES[] = {"0.25x", "0.5x", "1x", "2x", "4x"};
  int speed_index = 2;
  for (int i = 0; i < 5; ++i)
    if (app.speed == SPEEDS[i]) speed_index = i;
  flow(slider_w * 0.8f + ImGui::CalcTextSize(tr(app, "speed", "速度")).x, x0, x1);
  ImGui::SetNextItemWidth(slider_w * 0.6f);
  if (ImGui::Combo(label(app, "speed", "速度", "speed").c_str(), &speed_index, SPEED_NAMES, 5))
    app.speed = SPEEDS[speed_index];
  hook_item("toolbar.speed");

  flow(slider_w + ImGui::CalcTextSize(tr(app, "latency", "时延")).x + 8, x0, x1);
  ImGui::SetNextItemWidth(slider_w);
  settings_changed |= ImGui::SliderInt(label(app, "latency", "时延", "latency").c_str(), &s.latency_ms, 20, 3000,
                                       "%d ms");
  hook_item("toolbar.latency");

  flow(slider_w * 0.8f + ImGui::CalcTextSize(tr(app, "loss", "丢包率")).x + 8, x0, x1);
  ImGui::SetNextItemWidth(slider_w * 0.8f);
  settings_changed |= ImGui::SliderInt(label(app, "loss", "丢包率", "loss").c_str(), &s.loss_percent, 0, 50, "%d%%");
  hook_item("toolbar.loss");

  flow(slider_w + ImGui::CalcTextSize("MSL").x + 8, x0, x1);
  ImGui::SetNextItemWidth(slider_w);
  int msl_s = s.msl_ms / 1000;
  if (ImGui::SliderInt(label(app, "MSL", "MSL", "msl").c_str(), &msl_s, 1, 120, "%d s")) {
    s.msl_ms = msl_s * 1000;
    settings_changed = true;
  }
  hook_item("toolbar.msl");

  const std::string undo = label(app, "Undo", "撤销", "undo");
  flow(button_width(undo.c_str()), x0, x1);
  ImGui::BeginDisabled(app.history.empty());
  if (ImGui::Button(undo.c_str()))
    app.push(Command{CommandKind::Undo, 0, Call::OpenPassive, 0, {}, 0, static_cast<int>(app.history.size()) - 1, 0});
  ImGui::EndDisabled();
  hook_item("toolbar.undo");

  const std::string hist = label(app, "History...", "历史...", "history");
  flow(button_width(hist.c_str()), x0, x1);
  ImGui::BeginDisabled(app.history.empty());
  if (ImGui::Button(hist.c_str())) ImGui::OpenPopup("history_popup");
  ImGui::EndDisabled();
  hook_item("toolbar.history");
  if (ImGui::BeginPopup("history_popup")) {
    ImGui::TextDisabled("%s", tr(app, "Go back to just before:", "回到这一步之前："));
    for (int i = static_cast<int>(app.history.size()) - 1; i >= 0; --i) {
      const UndoPoint& u = app.history[static_cast<std::size_t>(i)];
      char row[160];
      std::snprintf(row, sizeof row, "t=%.3f s  %s##h%d", static_cast<double>(u.sim.now()) / 1000.0,
                    u.label.c_str(), i);
      if (ImGui::Selectable(row)) app.push(Command{CommandKind::Undo, 0, Call::OpenPassive, 0, {}, 0, i, 0});
    }
    ImGui::EndPopup();
  }

  const std::string reset = label(app, "New run (new ISNs)", "重新开始（新的初始序号）", "reset");
  flow(button_width(reset.c_str()), x0, x1);
  if (ImGui::Button(reset.c_str())) {
    const std::uint64_t next_seed = seed_from_entropy(static_cast<double>(app.seed) * 0.61803398875 + ImGui::GetTime());
    app.push(Command{CommandKind::Reset, 0, Call::OpenPassive, 0, {}, 0, 0, next_seed});
  }
  hook_item("toolbar.reset");

  char seed_text[48];
  std::snprintf(seed_text, sizeof seed_text, "%s %" PRIu64, tr(app, "seed", "种子"), app.seed);
  flow(ImGui::CalcTextSize(seed_text).x, x0, x1);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(seed_text);
  hook_item("toolbar.seed");

  // The socket lab (web/socket_layout.cpp): servers, queues, many clients.
  const std::string sockets = label(app, "Sockets...", "套接字...", "sockets");
  flow(button_width(sockets.c_str()), x0, x1);
  if (ImGui::Button(sockets.c_str())) app.lab.open = true;
  hook_item("toolbar.sockets");

  // A link that replays this run (web/embed.cpp builds it after the frame).
  const std::string share = label(app, "Share this run...", "分享这个过程...", "share");
  flow(button_width(share.c_str()), x0, x1);
  if (ImGui::Button(share.c_str())) app.want_share = true;
  hook_item("toolbar.share");

  }

  const std::string opts = label(app, "Options...", "选项...", "options");
  flow(button_width(opts.c_str()), x0, x1);
  if (ImGui::Button(opts.c_str())) ImGui::OpenPopup("options_popup");
  hook_item("toolbar.options");
  if (ImGui::BeginPopup("options_popup")) {
    settings_changed |= ImGui::Checkbox(tr(app, "RFC 5961 protections (challenge ACK)", "RFC 5961 防护（挑战 ACK）"),
                                        &s.rfc5961);
    settings_changed |= ImGui::Checkbox(tr(app, "Delayed ACK", "延迟确认"), &s.delayed_ack);
    settings_changed |= ImGui::Checkbox(
        tr(app, "Server closes as soon as the FIN arrives (three-segment close)", "服务器收到 FIN 后立即关闭（三报文挥手）"),
        &s.close_on_fin);
    ImGui::SetNextItemWidth(slider_w);
    settings_changed |= ImGui::SliderInt(tr(app, "first retransmission timeout", "初始重传超时"), &s.rto_ms, 200, 5000,
                                         "%d ms");
    ImGui::SetNextItemWidth(slider_w);
    settings_changed |= ImGui::SliderInt(tr(app, "retries before giving up", "放弃前的重传次数"), &s.max_retransmits, 1,
                                         10);
    ImGui::EndPopup();
  }

  const std::string capture = label(app, "Capture...", "抓包...", "capture");
  flow(button_width(capture.c_str()), x0, x1);
  if (ImGui::Button(capture.c_str())) ImGui::OpenPopup("capture_popup");
  hook_item("toolbar.capture");
  draw_capture_menu(app);

  draw_a11y_toolbar(app, x0, x1);  // transcript, text size, keyboard help

  const char* lang_text = app.lang == Lang::Zh ? "English###lang" : app.zh_font_ready ? "中文###lang" : "Chinese###lang";
  flow(button_width(lang_text), x0, x1);
  if (ImGui::Button(lang_text)) app.lang_request = app.lang == Lang::Zh ? static_cast<int>(Lang::En) : static_cast<int>(Lang::Zh);
  hook_item("toolbar.lang");

  if (settings_changed) app.push(Command{CommandKind::Settings, 0, Call::OpenPassive, 0, {}, 0, 0, 0});
  const float used = ImGui::GetItemRectMax().y - pos.y + ImGui::GetStyle().ItemSpacing.y;
  ImGui::EndChild();
  return used;
}

}  // namespace tcplab
