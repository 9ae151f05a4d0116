// Above each column of the socket lab: the host and its sockets; for the
// server, the listening socket's SYN queue and accept queue drawn as slots
// of the backlog, filling as handshakes arrive and emptying as accept()
// takes connections; the attacker as a count and a rate.
#include <algorithm>
#include <cstdio>
#include <string>

#include "socket_ui.h"

namespace tcplab {

std::string lab_host_name(const App& app, int host) {
  if (host == LAB_SERVER) return tr(app, "server", "服务器");
  return std::string(tr(app, "client ", "客户端 ")) + std::to_string(host);
}

namespace {

// How many fit in a queue: Linux takes backlog + 1 (sk_acceptq_is_full
// compares with '>'), RFC 9293 says nothing, so the backlog itself.
int queue_capacity(const World& w, const Socket& l) {
  return l.backlog + (w.host(LAB_SERVER).params.accept_queue_plus_one ? 1 : 0);
}

// "SYN queue ■■□" at `at`; returns its right edge.
float slots(const char* name, int used, int cap, ImVec2 at, ImU32 col, const char* hook) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = make_ink(palette());
  dl->AddText(at, ink.text, name);
  const float fs = ImGui::GetFontSize();
  float x = at.x + ImGui::CalcTextSize(name).x + fs * 0.4f;
  const float s = fs * 0.8f;
  const float x_start = x;
  for (int i = 0; i < cap; ++i) {
    const ImVec2 a(x, at.y + fs * 0.1f), b(x + s, at.y + fs * 0.1f + s);
    if (i < used) dl->AddRectFilled(a, b, col);
    dl->AddRect(a, b, ink.text);
    x += s + fs * 0.2f;
  }
  if (used > cap) {  // never in the engine; said rather than hidden
    char more[16];
    std::snprintf(more, sizeof more, "+%d", used - cap);
    dl->AddText(ImVec2(x, at.y), ink.text, more);
    x += ImGui::CalcTextSize(more).x;
  }
  hook_rect(hook, ImVec2(x_start, at.y), ImVec2(std::max(x, x_start + 1), at.y + fs));
  return x;
}

std::string host_status(const App& app, const Host& h) {
  if (!h.up) return tr(app, " (down)", "（宕机）");
  if (!h.link_up) return tr(app, " (unplugged)", "（网线已拔）");
  return "";
}

// The client's sockets: "fd 3 ESTABLISHED".
void client_head(const App& app, const SocketLab& lab, int h, ImVec2 at, float lh) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = make_ink(palette());
  int shown = 0;
  for (const Socket& s : lab.world.host(h).fds) {
    if (s.kind == SockKind::Closed || shown == 2) continue;
    const std::string t = "fd " + std::to_string(s.fd) + " " +
                          (lab.conceal_states() ? "?" : state_name(lab.world.state_of(h, s.fd)));
    dl->AddText(ImVec2(at.x, at.y + lh * static_cast<float>(shown)), ink.dim, t.c_str());
    ++shown;
  }
  if (shown == 0) dl->AddText(at, ink.dim, tr(app, "no socket", "没有套接字"));
}

void server_head(const App& app, const SocketLab& lab, const LanePicture& p, ImVec2 at, float lh) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = make_ink(palette());
  const int lfd = lab_listener(lab.world);
  const Socket* l = lfd >= 0 ? lab.world.socket_of(LAB_SERVER, lfd) : nullptr;
  if (!l) {
    dl->AddText(at, ink.dim, tr(app, "not listening", "未监听"));
  } else {
    const int cap = queue_capacity(lab.world, *l);
    slots(tr(app, "SYN queue", "半连接队列"), static_cast<int>(l->syn_queue.size()), cap, at, ink.host[1],
          "sockets.synq");
    slots(tr(app, "accept queue", "全连接队列"), static_cast<int>(l->accept_queue.size()), cap,
          ImVec2(at.x, at.y + lh), ink.host[1], "sockets.acceptq");
  }
  if (p.spoofed_syns == 0) return;
  // The attacker, compact: how many spoofed SYNs, at what rate, and how
  // many cookies answered them.
  char t[96];
  std::snprintf(t, sizeof t, tr(app, "flood: %d SYNs, %d/s", "洪泛：%d 个 SYN，%d/秒"), p.spoofed_syns, p.flood_rate);
  dl->AddText(ImVec2(at.x, at.y + 2 * lh), palette().lost, t);
  hook_rect("sockets.flood", ImVec2(at.x, at.y + 2 * lh), ImVec2(at.x + ImGui::CalcTextSize(t).x, at.y + 3 * lh));
  if (p.cookies_sent > 0) {
    std::snprintf(t, sizeof t, tr(app, "%d SYN cookies sent", "已发 %d 个 SYN cookie"), p.cookies_sent);
    dl->AddText(ImVec2(at.x, at.y + 3 * lh), ink.dim, t);
  }
}

}  // namespace

float socket_head_width(const App& app, const LanePicture& p, int host) {
  const Host& h = app.lab.world.host(host);
  const float fs = ImGui::GetFontSize();
  float w = ImGui::CalcTextSize((lab_host_name(app, host) + " " + addr_text(h.config.addr) + host_status(app, h)).c_str()).x;
  if (host != LAB_SERVER) return std::max(w, ImGui::CalcTextSize("fd 3 SYN-RECEIVED").x);
  // The queues: a name and up to backlog + 1 slots.
  const int lfd = lab_listener(app.lab.world);
  const Socket* l = lfd >= 0 ? app.lab.world.socket_of(LAB_SERVER, lfd) : nullptr;
  const int cap = l ? queue_capacity(app.lab.world, *l) : 0;
  for (const char* q : {tr(app, "SYN queue", "半连接队列"), tr(app, "accept queue", "全连接队列")})
    w = std::max(w, ImGui::CalcTextSize(q).x + fs * 0.4f + static_cast<float>(cap) * fs);
  if (p.spoofed_syns > 0) {
    char t[96];
    std::snprintf(t, sizeof t, tr(app, "flood: %d SYNs, %d/s", "洪泛：%d 个 SYN，%d/秒"), p.spoofed_syns, p.flood_rate);
    w = std::max(w, ImGui::CalcTextSize(t).x);
  }
  return w + fs * 0.4f;
}

float draw_socket_heads(App& app, const LanePicture& p, const std::vector<SockColumn>& cols, ImVec2 at) {
  const float lh = ImGui::GetTextLineHeightWithSpacing();
  const float fs = ImGui::GetFontSize();
  const Ink ink = make_ink(palette());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (const SockColumn& c : cols) {
    const bool server = c.host == LAB_SERVER;
    // The head sits over the column: the server's from its line to the
    // right edge, a client's from its lane's left edge.
    const float x = server ? c.line - fs * 0.2f : c.lane0;
    const Host& h = app.lab.world.host(c.host);
    const std::string name = lab_host_name(app, c.host) + " " + addr_text(h.config.addr) + host_status(app, h);
    dl->AddText(ImVec2(x, at.y), server ? ink.host[1] : ink.host[0], name.c_str());
    if (server) server_head(app, app.lab, p, ImVec2(x, at.y + lh), lh);
    else client_head(app, app.lab, c.host, ImVec2(x, at.y + lh), lh);
  }
  return lh * 5.2f;
}

}  // namespace tcplab
