// Test hook of the socket lab: a read-only view of its World and of the
// picture drawn from it, so the browser tests can check what the lane and
// the queues show against the engine (the tests act by clicking).
#include <emscripten.h>

#include <string>

#include "app.h"
#include "json.h"
#include "socket_picture.h"

namespace tcplab {
const App& page_app();  // web/main.cpp
namespace {

bool g_conceal = false;  // a lesson's question is open: no state names

std::string fds_json(const World& w, int h) {
  std::string s = "[";
  for (const Socket& x : w.host(h).fds) {
    if (x.kind == SockKind::Closed) continue;
    if (s.size() > 1) s += ",";
    s += "{\"fd\":" + std::to_string(x.fd) + ",\"state\":" + json_quote(g_conceal ? "?" : state_name(w.state_of(h, x.fd))) +
         ",\"syn\":" + std::to_string(x.syn_queue.size()) + ",\"accept\":" + std::to_string(x.accept_queue.size()) +
         ",\"backlog\":" + std::to_string(x.backlog) + ",\"blocked\":" + (x.has_pending ? "true" : "false") + "}";
  }
  return s + "]";
}

std::string hosts_json(const World& w) {
  std::string s = "[";
  for (std::size_t h = 0; h < w.hosts().size(); ++h) {
    const Host& x = w.hosts()[h];
    if (h) s += ",";
    s += "{\"name\":" + json_quote(x.config.name) + ",\"up\":" + (x.up ? "true" : "false") +
         ",\"link\":" + (x.link_up ? "true" : "false") + ",\"fds\":" + fds_json(w, static_cast<int>(h)) + "}";
  }
  return s + "]";
}

std::string picture_json(const LanePicture& p) {
  std::string s = "\"calls\":[";
  for (std::size_t i = 0; i < p.calls.size(); ++i) {
    const LaneCall& c = p.calls[i];
    if (i) s += ",";
    s += "{\"host\":" + std::to_string(c.host) + ",\"text\":" + json_quote(c.text) +
         ",\"returned\":" + json_quote(c.returned) + ",\"blocked\":" + (c.blocked ? "true" : "false") +
         ",\"done\":" + (c.done ? "true" : "false") + ",\"reason\":" + json_quote(sock_reason_key(c.reason)) + ",\"row\":" + std::to_string(c.row) +
         ",\"end_row\":" + std::to_string(c.end_row) + "}";
  }
  s += "],\"arrows\":[";
  for (std::size_t i = 0; i < p.arrows.size(); ++i) {
    const LaneArrow& a = p.arrows[i];
    if (i) s += ",";
    s += "{\"from\":" + std::to_string(a.from) + ",\"to\":" + std::to_string(a.to) +
         ",\"flags\":" + json_quote(flags_text(a.seg.flags)) + ",\"len\":" + std::to_string(a.seg.len) +
         ",\"cookie\":" + (a.cookie ? "true" : "false") + ",\"lost\":" + (a.lost ? "true" : "false") +
         ",\"arrived\":" + (a.arrived ? "true" : "false") + ",\"row\":" + std::to_string(a.row) +
         ",\"end_row\":" + std::to_string(a.end_row) + "}";
  }
  s += "],\"states\":[";
  for (std::size_t i = 0; i < p.states.size(); ++i) {
    if (i) s += ",";
    s += "{\"host\":" + std::to_string(p.states[i].host) + ",\"state\":" + json_quote(g_conceal ? "?" : state_name(p.states[i].state)) + "}";
  }
  s += "],\"spoofed\":" + std::to_string(p.spoofed_syns) + ",\"cookies\":" + std::to_string(p.cookies_sent);
  return s;
}

}  // namespace
}  // namespace tcplab

extern "C" {
EMSCRIPTEN_KEEPALIVE const char* tcplab_test_sockets() {
  static std::string s;
  const tcplab::SocketLab& lab = tcplab::page_app().lab;
  tcplab::g_conceal = lab.conceal_states();
  std::string lesson = "null";
  if (lab.run) {
    const tcplab::SockQuestion* q = lab.run->question();
    lesson = "{\"id\":" + tcplab::json_quote(lab.run->lesson().id) + ",\"step\":" + std::to_string(lab.run->step_index()) +
             ",\"finished\":" + (lab.run->finished() ? "true" : "false") +
             ",\"question\":" + (q ? tcplab::json_quote(q->id) : "null") +
             ",\"kind\":" + (q ? (q->kind == tcplab::SockQuestion::Kind::Act ? "\"act\"" : "\"choose\"") : "null") +
             ",\"choices\":" + std::to_string(q ? q->choices.size() : 0) +
             ",\"verdicts\":" + std::to_string(lab.verdicts) +
             ",\"feedback\":" + (lab.feedback ? (lab.feedback->correct ? "\"right\"" : "\"wrong\"") : "null") +
             ",\"points\":" + std::to_string(lab.run->score().points) + ",\"questions\":" + std::to_string(lab.run->score().questions) + "}";
  }
  s = "{\"open\":" + std::string(lab.open ? "true" : "false") + ",\"now\":" + std::to_string(lab.world.now()) +
      ",\"selected\":" + std::to_string(lab.selected) + ",\"lesson\":" + lesson + ",\"hosts\":" + tcplab::hosts_json(lab.world) + "," +
      tcplab::picture_json(tcplab::read_picture(lab.world)) + "}";
  return s.c_str();
}
}
