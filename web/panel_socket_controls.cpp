// The socket lab's controls: pick a host, then make its calls (socket,
// bind, listen with a backlog, connect, accept, send, recv, shutdown,
// close, and the options SO_REUSEADDR, SO_LINGER {1, 0}, SO_KEEPALIVE);
// host events (the process exits, the host crashes or reboots, the cable is
// pulled); the profile and SYN cookies of a new run; another client; a SYN
// flood.
#include <cmath>
#include <cstdio>
#include <string>

#include "platform.h"
#include "socket_ui.h"

namespace tcplab {
namespace {

// Starts the next button on this row if it fits, else on a new row.
bool flow_button(const std::string& text, float x0, float x1, const char* hook, bool first = false) {
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

LabCommand call_cmd(const SocketLab& lab, SockCall c, int arg = 0, int arg2 = 0) {
  LabCommand k;
  k.kind = LabCmdKind::Call;
  k.host = lab.selected;
  k.call = c;
  k.fd = lab.fd_for(lab.selected, c);
  k.arg = arg;
  k.arg2 = arg2;
  return k;
}

void host_picker(App& app, float x0, float x1) {
  SocketLab& lab = app.lab;
  ImGui::TextDisabled("%s", tr(app, "Calls of:", "调用方："));
  for (int h = 0; h <= lab.clients(); ++h) {
    const std::string name = lab_host_name(app, h);
    char hook[24];
    std::snprintf(hook, sizeof hook, "sock.host.%d", h);
    const bool on = lab.selected == h;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (flow_button(name + "###" + hook, x0, x1, hook)) lab.selected = h;
    if (on) ImGui::PopStyleColor();
  }
  ImGui::BeginDisabled(lab.clients() >= LAB_MAX_CLIENTS);
  if (flow_button(label(app, "+ client", "+ 客户端", "sock_add"), x0, x1, "sock.add_client"))
    lab.push(LabCommand{LabCmdKind::AddClient, 0, SockCall::Socket, -1, 0, 0, HostEventKind::Exit});
  ImGui::EndDisabled();
}

// Which descriptor the calls act on.
void fd_picker(App& app) {
  SocketLab& lab = app.lab;
  const int cur = lab.fd_for(lab.selected, SockCall::Send);
  char shown[48];
  std::snprintf(shown, sizeof shown, cur < 0 ? "-" : "fd %d %s", cur, state_name(lab.world.state_of(lab.selected, cur)));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 11);
  if (ImGui::BeginCombo(label(app, "descriptor", "描述符", "sock_fd").c_str(), shown)) {
    for (const Socket& s : lab.world.host(lab.selected).fds) {
      if (s.kind == SockKind::Closed) continue;
      char row[48];
      std::snprintf(row, sizeof row, "fd %d %s", s.fd, state_name(lab.world.state_of(lab.selected, s.fd)));
      if (ImGui::Selectable(row, s.fd == cur)) lab.chosen_fd[static_cast<std::size_t>(lab.selected)] = s.fd;
    }
    ImGui::EndCombo();
  }
  hook_item("sock.fd");
}

}  // namespace

// The calls of `host` as buttons, hooked "<prefix>socket", "<prefix>accept", ...
void draw_socket_calls(App& app, int host, const char* prefix, float x0, float x1) {
  SocketLab& lab = app.lab;
  const bool server = host == LAB_SERVER;
  auto button = [&](const char* text, const char* name, bool first = false) {
    const std::string hook = std::string(prefix) + name;
    return flow_button(std::string(text) + "###" + hook, x0, x1, hook.c_str(), first);
  };
  auto cmd = [&](SockCall c, int arg = 0) {
    LabCommand k = call_cmd(lab, c, arg);
    k.host = host;
    k.fd = lab.fd_for(host, c);
    lab.push(k);
  };
  if (button("socket()", "socket", true)) cmd(SockCall::Socket);
  if (server) {
    if (button("bind(:80)", "bind")) cmd(SockCall::Bind, LAB_PORT);
    char listen[32];
    // A lesson's listen takes the lesson's backlog.
    if (lab.in_lesson()) std::snprintf(listen, sizeof listen, "listen()");
    else std::snprintf(listen, sizeof listen, "listen(%d)", lab.backlog);
    if (button(listen, "listen")) cmd(SockCall::Listen, lab.backlog);
    if (!lab.in_lesson()) {
      if (button("backlog -", "backlog.down") && lab.backlog > 0) --lab.backlog;
      if (button("backlog +", "backlog.up") && lab.backlog < 6) ++lab.backlog;
    }
    if (button("accept()", "accept")) cmd(SockCall::Accept);
  } else {
    if (button("connect(:80)", "connect")) cmd(SockCall::Connect, LAB_PORT);
  }
  if (button("send(100)", "send")) cmd(SockCall::Send, 100);
  if (button("recv()", "recv")) cmd(SockCall::Recv, 1000);
  if (button("shutdown(WR)", "shutdown")) cmd(SockCall::Shutdown, static_cast<int>(ShutHow::Wr));
  if (button("close()", "close")) cmd(SockCall::Close);
}

namespace {

void option_buttons(App& app, float x0, float x1) {
  SocketLab& lab = app.lab;
  if (flow_button("SO_REUSEADDR", x0, x1, "sock.opt.reuseaddr", true))
    lab.push(call_cmd(lab, SockCall::SetSockOpt, static_cast<int>(SockOpt::ReuseAddr), 1));
  if (flow_button("SO_LINGER {1, 0}", x0, x1, "sock.opt.linger0"))
    lab.push(call_cmd(lab, SockCall::SetSockOpt, static_cast<int>(SockOpt::Linger), 1));
  // Keepalive with short timers (idle 5 s, every 2 s, 3 probes) so its
  // probes come within the lesson, not after Linux's 2 hours.
  if (flow_button("SO_KEEPALIVE", x0, x1, "sock.opt.keepalive")) {
    lab.push(call_cmd(lab, SockCall::SetSockOpt, static_cast<int>(SockOpt::KeepAlive), 1));
    lab.push(call_cmd(lab, SockCall::SetSockOpt, static_cast<int>(SockOpt::KeepIdle), 5));
    lab.push(call_cmd(lab, SockCall::SetSockOpt, static_cast<int>(SockOpt::KeepIntvl), 2));
    lab.push(call_cmd(lab, SockCall::SetSockOpt, static_cast<int>(SockOpt::KeepCnt), 3));
  }
}

void host_events(App& app, float x0, float x1) {
  SocketLab& lab = app.lab;
  auto ev = [&](HostEventKind k) { lab.push(LabCommand{LabCmdKind::HostEvent, lab.selected, SockCall::Socket, -1, 0, 0, k}); };
  if (flow_button(label(app, "process exits", "进程退出", "sock_exit"), x0, x1, "sock.event.exit", true))
    ev(HostEventKind::Exit);
  if (flow_button(label(app, "crash", "主机崩溃", "sock_crash"), x0, x1, "sock.event.crash")) ev(HostEventKind::Crash);
  if (flow_button(label(app, "reboot", "重启", "sock_reboot"), x0, x1, "sock.event.reboot")) ev(HostEventKind::Reboot);
  const bool plugged = lab.world.host(lab.selected).link_up;
  if (flow_button(plugged ? label(app, "pull the cable", "拔网线", "sock_cable") : label(app, "plug in", "插上网线", "sock_cable"),
                  x0, x1, "sock.event.cable"))
    ev(plugged ? HostEventKind::Unplug : HostEventKind::Plug);
}

// Profile and cookies are the hosts' configuration: a change starts a new run.
void world_settings(App& app, float x0, float x1) {
  SocketLab& lab = app.lab;
  const float combo_w = ImGui::GetFontSize() * 8;
  int profile = lab.settings.profile == StackProfile::Linux ? 0 : 1;
  const char* profiles[] = {"Linux", "RFC 9293"};
  ImGui::SetNextItemWidth(combo_w);
  if (ImGui::Combo(label(app, "rules", "规则", "sock_profile").c_str(), &profile, profiles, 2)) {
    lab.settings.profile = profile == 0 ? StackProfile::Linux : StackProfile::Rfc9293;
    lab.push(LabCommand{LabCmdKind::NewWorld, 0, SockCall::Socket, -1, 0, 0, HostEventKind::Exit});
  }
  hook_item("sock.profile");
  int cookies = static_cast<int>(lab.settings.cookies);
  const char* modes_en[] = {"off", "when full", "always"};
  const char* modes_zh[] = {"关闭", "队列满时", "总是"};
  ImGui::SetNextItemWidth(combo_w);
  if (ImGui::Combo(label(app, "SYN cookies", "SYN cookie", "sock_cookies").c_str(), &cookies,
                   app.lang == Lang::Zh ? modes_zh : modes_en, 3)) {
    lab.settings.cookies = static_cast<SynCookies>(cookies);
    lab.push(LabCommand{LabCmdKind::NewWorld, 0, SockCall::Socket, -1, 0, 0, HostEventKind::Exit});
  }
  hook_item("sock.cookies");
  const bool flooding = lab.world.flooding();
  if (flow_button(flooding ? label(app, "stop the flood", "停止洪泛", "sock_flood")
                           : label(app, "SYN flood (50/s)", "SYN 洪泛（50/秒）", "sock_flood"),
                  x0, x1, "sock.flood", true))
    lab.push(LabCommand{LabCmdKind::Flood, 0, SockCall::Socket, -1, flooding ? 0 : 50, 0, HostEventKind::Exit});
  if (flow_button(label(app, "New run", "重新开始", "sock_new"), x0, x1, "sock.new"))
    lab.push(LabCommand{LabCmdKind::NewWorld, 0, SockCall::Socket, -1, 0, 0, HostEventKind::Exit});
}

}  // namespace

namespace {
float g_content_h = 0;
}

float socket_controls_height() { return g_content_h; }

void draw_socket_controls(App& app, ImVec2 pos, ImVec2 size) {
  ImGui::SetCursorScreenPos(pos);
  ImGui::BeginChild("sock_controls", size, true);
  const float x0 = ImGui::GetCursorScreenPos().x;
  const float x1 = x0 + ImGui::GetContentRegionAvail().x;
  host_picker(app, x0, x1);
  fd_picker(app);
  draw_socket_calls(app, app.lab.selected, "sock.call.", x0, x1);
  ImGui::TextDisabled("%s", tr(app, "Options (setsockopt):", "选项（setsockopt）："));
  option_buttons(app, x0, x1);
  ImGui::TextDisabled("%s", tr(app, "Host events:", "主机事件："));
  host_events(app, x0, x1);
  ImGui::Separator();
  world_settings(app, x0, x1);
  // What the content needed, so the layout gives it that much next frame.
  const float h = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  if (std::fabs(h - g_content_h) > 0.5f) platform_request_redraw();
  g_content_h = h;
  ImGui::EndChild();
  hook_rect("sock.controls", pos, ImVec2(pos.x + size.x, pos.y + size.y));
}

}  // namespace tcplab
