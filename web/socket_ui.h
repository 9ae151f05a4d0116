// The socket lab's panels (web/panel_sockets.cpp, panel_socket_heads.cpp,
// panel_socket_controls.cpp) and their layout (socket_layout.cpp).
#pragma once
#include <vector>

#include "socket_picture.h"
#include "ui.h"

namespace tcplab {

// Where a shown host's time line and call lane are, in screen x.
struct SockColumn {
  int host = 0;
  float line = 0, lane0 = 0, lane1 = 0;
};

// "server", "client 2" in the current language.
std::string lab_host_name(const App& app, int host);

// The picture: lanes, segments, queues (in a child of `size` at `pos`).
void draw_sockets(App& app, ImVec2 pos, ImVec2 size);
// Above each column: the host, its sockets; the server's queues as slots
// and the attacker's counts. Returns the height used.
float draw_socket_heads(App& app, const LanePicture& p, const std::vector<SockColumn>& cols, ImVec2 at);
// The width the head of `host`'s column needs.
float socket_head_width(const App& app, const LanePicture& p, int host);
// The calls of the chosen host, host events, profile, cookies, clients,
// the flood and the clock.
void draw_socket_controls(App& app, ImVec2 pos, ImVec2 size);
// The calls of `host` as buttons hooked "<prefix><call>" (the controls, and
// the lesson card of an act question).
void draw_socket_calls(App& app, int host, const char* prefix, float x0, float x1);
// A socket lesson's card: narration, question, feedback (panel_socket_lesson.cpp).
void draw_socket_lesson(App& app, ImVec2 pos, ImVec2 size);
// The height the card's content needed last frame.
float socket_lesson_height();
// The lab bar's lesson list (a popup "sock_lessons").
void draw_socket_lesson_menu(App& app);
// The height the controls' content needed last frame.
float socket_controls_height();
// Every event of the lab as a sentence in the current language.
void draw_socket_log(App& app, ImVec2 pos, ImVec2 size);
// The page while the lab is open: its own bar, the picture, the controls
// and the log, wide or in one scrolling column.
void layout_sockets(App& app, float x0, float y0, float w, float h, bool narrow);

}  // namespace tcplab
