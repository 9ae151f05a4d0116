// The socket lab's picture: a column per host (the clients left, the server
// right), each with its lane of socket calls on the outer side of its time
// line; the segments between the lines; the server's listening socket with
// its SYN queue and accept queue as slots of the backlog; the attacker's
// spoofed SYNs as counts. Time runs down, long waits compressed.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "platform.h"
#include "socket_picture.h"
#include "socket_ui.h"
#include "ui.h"

namespace tcplab {
namespace {

using Column = SockColumn;

float text_w(const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; }

float lane_width(const App& app, const LanePicture& p, int h) {
  // A host's head sits over its lane (the server's from its line to the
  // edge, a client's from the edge to its line).
  float w = std::max(socket_head_width(app, p, h), ImGui::GetFontSize() * 5.0f);
  for (const LaneCall& c : p.calls)
    if (c.host == h) w = std::max({w, text_w(c.text), text_w(c.returned)});
  for (const LaneState& s : p.states)
    if (s.host == h) w = std::max(w, text_w(state_name(s.state)));
  for (const LaneNote& n : p.notes)
    if (n.host == h) w = std::max(w, text_w(tr(app, "ACK dropped: queue full", "ACK 被丢弃：队列满")));
  return w + ImGui::GetFontSize() * 0.9f;
}

// Clients left to right, the server last; every client when they fit,
// else the one the controls act on (a connection picker over the server).
std::vector<Column> columns(const App& app, const SocketLab& lab, const LanePicture& p, float x0, float w) {
  const float gap_min = ImGui::GetFontSize() * 7.5f;
  std::vector<int> order;
  for (int h = 1; h <= lab.clients(); ++h) order.push_back(h);
  float need = lane_width(app, p, LAB_SERVER);
  for (int h : order) need += lane_width(app, p, h) + gap_min;
  if (need > w && order.size() > 1) {
    const int pick = lab.selected != LAB_SERVER ? lab.selected : lab.clients();
    order.assign(1, pick);
  }
  order.push_back(LAB_SERVER);
  float lanes = 0;
  for (int h : order) lanes += lane_width(app, p, h);
  const float gap = std::max(gap_min * 0.5f, (w - lanes) / static_cast<float>(order.size() - 1));
  std::vector<Column> cols;
  float x = x0;
  for (int h : order) {
    Column c;
    c.host = h;
    const float lw = lane_width(app, p, h);
    if (h == LAB_SERVER) {  // its lane on the right, the outer side
      c.line = x0 + w - lw;
      c.lane0 = c.line + ImGui::GetFontSize() * 0.6f;  // room for the bar of a blocked call
      c.lane1 = x0 + w;
    } else {
      c.lane0 = x;
      c.lane1 = x + lw - ImGui::GetFontSize() * 0.6f;
      c.line = x + lw;
      x = c.line + gap;
    }
    cols.push_back(c);
  }
  return cols;
}

// The font scale at which the shown columns' lanes leave 4.5 em between the
// last client's line and the server's (1 when they do at full size).
float picture_scale(const App& app, const SocketLab& lab, const LanePicture& p, float w) {
  ImGui::SetWindowFontScale(1.0f);
  const std::vector<Column> cols = columns(app, lab, p, 0, w);
  float lanes = 0;
  for (const Column& c : cols) lanes += lane_width(app, p, c.host);
  const float gaps = ImGui::GetFontSize() * 4.5f * static_cast<float>(cols.size() - 1);
  if (lanes + gaps <= w) return 1.0f;
  return std::clamp(w / (lanes + gaps), 0.65f, 1.0f);
}

const Column* column_of(const std::vector<Column>& cols, int h) {
  for (const Column& c : cols)
    if (c.host == h) return &c;
  return nullptr;
}

// Screen y of every row: a row under the one before, further for the time
// between them (a wait of one latency is two lines; longer waits stop
// growing at three), and below the last label of the same host's lane.
std::vector<float> row_ys(const SocketLab& lab, const LanePicture& p, float top) {
  const float lh = ImGui::GetTextLineHeightWithSpacing();
  std::vector<int> label_host(p.rows.size(), -1);
  for (const LaneCall& c : p.calls) {
    label_host[static_cast<std::size_t>(c.row)] = c.host;
    if (c.end_row >= 0) label_host[static_cast<std::size_t>(c.end_row)] = c.host;
  }
  for (const LaneState& s : p.states) label_host[static_cast<std::size_t>(s.row)] = s.host;
  for (const LaneNote& n : p.notes) label_host[static_cast<std::size_t>(n.row)] = n.host;
  std::vector<float> ys(p.rows.size(), top);
  std::vector<float> free_y(lab.world.hosts().size(), top);
  float y = top;
  // One latency (a segment's crossing, the World's own) is two lines.
  Duration latency = lab.settings.latency_ms;
  if (!p.arrows.empty()) latency = p.arrows.front().deliver_at - p.arrows.front().sent_at;
  const float per_ms = 2.0f * lh / static_cast<float>(std::max<Duration>(1, latency));
  for (std::size_t i = 0; i < p.rows.size(); ++i) {
    y += std::min(static_cast<float>(p.rows[i].gap_ms) * per_ms, 3.0f * lh);
    const int h = label_host[i];
    if (h >= 0 && static_cast<std::size_t>(h) < free_y.size()) {
      y = std::max(y, free_y[static_cast<std::size_t>(h)]);
      free_y[static_cast<std::size_t>(h)] = y + lh;
    }
    ys[i] = y;
  }
  return ys;
}

std::string segment_text(const App& app, const LaneArrow& a) {
  std::string s = flags_text(static_cast<std::uint8_t>(a.seg.flags & ~FLAG_PSH));
  if (a.seg.len > 0) s += " " + std::to_string(a.seg.len);
  if (a.cookie) s += tr(app, " cookie", " cookie");
  return s;
}

void arrow_tooltip(const App& app, const LaneArrow& a) {
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + tooltip_wrap());
  text_wrappedf("%s  SEQ=%u ACK=%u len=%u", flags_text(a.seg.flags).c_str(), a.seg.seq, a.seg.ack, a.seg.len);
  if (a.cookie)
    text_wrapped(sock_reason_text(SockReason::CookieSent, app.lang == Lang::Zh));
  if (a.lost) text_wrapped(tr(app, "lost on the way", "在途中丢失"));
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void draw_arrows(const App& app, const LanePicture& p, const std::vector<Column>& cols, const std::vector<float>& ys,
                 Instant now) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = make_ink(palette());
  const float fs = ImGui::GetFontSize();
  for (const LaneArrow& a : p.arrows) {
    const Column* f = column_of(cols, a.from);
    const Column* t = column_of(cols, a.to);
    if (!f || !t) continue;
    const ImU32 col = a.from == LAB_SERVER ? ink.host[1] : ink.host[0];
    const ImVec2 from(f->line, ys[static_cast<std::size_t>(a.row)]);
    ImVec2 to(t->line, a.end_row >= 0 ? ys[static_cast<std::size_t>(a.end_row)] : ys.back());
    if (a.end_row < 0) {  // in flight: as far across as its time
      const float k = std::clamp(static_cast<float>(now - a.sent_at) /
                                     static_cast<float>(std::max<Instant>(1, a.deliver_at - a.sent_at)), 0.0f, 1.0f);
      to.x = from.x + (to.x - from.x) * k;
    }
    if (a.lost) to = ImVec2(from.x + (to.x - from.x) * 0.45f, from.y + (to.y - from.y) * 0.45f);
    dl->AddLine(from, to, col, 1.6f);
    if (a.lost) {
      const float r = fs * 0.3f;
      dl->AddLine(ImVec2(to.x - r, to.y - r), ImVec2(to.x + r, to.y + r), ink.host[1] == col ? col : ink.text, 2.0f);
      dl->AddLine(ImVec2(to.x - r, to.y + r), ImVec2(to.x + r, to.y - r), ink.host[1] == col ? col : ink.text, 2.0f);
    } else {
      arrow_head(dl, from, to, fs * 0.45f, col);
    }
    const std::string s = segment_text(app, a);
    const ImVec2 sz = ImGui::CalcTextSize(s.c_str());
    const ImVec2 mid((from.x + to.x) * 0.5f - sz.x * 0.5f, (from.y + to.y) * 0.5f - sz.y * 0.5f);
    dl->AddRectFilled(mid, ImVec2(mid.x + sz.x, mid.y + sz.y), with_alpha(ink.bg, 0.85f));
    dl->AddText(mid, col, s.c_str());
    if (ImGui::IsMouseHoveringRect(mid, ImVec2(mid.x + sz.x, mid.y + sz.y))) arrow_tooltip(app, a);
  }
}

void lane_text(const App& app, ImVec2 at, const Column& c, const std::string& s, ImU32 col, SockReason why) {
  const float w = text_w(s);
  // Flush to the outer edge's side of the line: clients right-aligned
  // against their line, the server left-aligned after it.
  const float x = c.host == LAB_SERVER ? c.lane0 : c.lane1 - w;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddText(ImVec2(x, at.y), col, s.c_str());
  if (why != SockReason::None && ImGui::IsMouseHoveringRect(ImVec2(x, at.y), ImVec2(x + w, at.y + ImGui::GetFontSize()))) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + tooltip_wrap());
    text_wrapped(sock_reason_text(why, app.lang == Lang::Zh));
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void draw_lanes(const App& app, const LanePicture& p, const std::vector<Column>& cols, const std::vector<float>& ys) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Ink ink = make_ink(palette());
  const ImU32 err = palette().lost;
  const float fs = ImGui::GetFontSize();
  for (const LaneCall& c : p.calls) {
    const Column* col = column_of(cols, c.host);
    if (!col) continue;
    const float y0 = ys[static_cast<std::size_t>(c.row)] - fs * 0.5f;
    lane_text(app, ImVec2(0, y0), *col, c.text, c.error && !c.blocked ? err : ink.text, c.reason);
    if (!c.blocked) continue;
    // The bar while the call blocks, on the lane's side of the line.
    const float y1 = c.end_row >= 0 ? ys[static_cast<std::size_t>(c.end_row)] : ys.back();
    const float bx = col->host == LAB_SERVER ? col->line + fs * 0.15f : col->line - fs * 0.45f;
    dl->AddRectFilled(ImVec2(bx, y0 + fs), ImVec2(bx + fs * 0.3f, std::max(y0 + fs * 1.2f, y1 - fs * 0.5f)),
                      with_alpha(ink.host[col->host == LAB_SERVER ? 1 : 0], 0.45f));
    if (c.done) lane_text(app, ImVec2(0, y1 - fs * 0.5f), *col, c.returned, c.error ? err : ink.text, c.reason);
  }
  for (const LaneNote& n : p.notes) {
    const Column* col = column_of(cols, n.host);
    if (!col) continue;
    const bool ack = n.reason == SockReason::ListenerOverflowDropAck || n.reason == SockReason::CookieAcceptQueueFull;
    const char* t = ack ? tr(app, "ACK dropped: queue full", "ACK 被丢弃：队列满") : tr(app, "SYN dropped: queue full", "SYN 被丢弃：队列满");
    lane_text(app, ImVec2(0, ys[static_cast<std::size_t>(n.row)] - fs * 0.5f), *col, t, err, n.reason);
  }
  // No state name while a lesson's question waits for its answer.
  const bool conceal = app.lab.conceal_states();
  for (const LaneState& s : p.states) {
    const Column* col = column_of(cols, s.host);
    if (!col) continue;
    lane_text(app, ImVec2(0, ys[static_cast<std::size_t>(s.row)] - fs * 0.5f), *col, conceal ? "?" : state_name(s.state),
              ink.dim, SockReason::None);
  }
}

// Long waits compressed: their length written in the gap.
void draw_gaps(const LanePicture& p, const std::vector<float>& ys, float x) {
  const Ink ink = make_ink(palette());
  for (std::size_t i = 1; i < p.rows.size(); ++i) {
    if (p.rows[i].gap_ms < 2000) continue;
    char buf[32];
    std::snprintf(buf, sizeof buf, "+%.1f s", static_cast<double>(p.rows[i].gap_ms) / 1000.0);
    const float y = (ys[i - 1] + ys[i]) * 0.5f - ImGui::GetFontSize() * 0.5f;
    ImGui::GetWindowDrawList()->AddText(ImVec2(x, y), ink.dim, buf);
  }
}

}  // namespace

void draw_sockets(App& app, ImVec2 pos, ImVec2 size) {
  SocketLab& lab = app.lab;
  const LanePicture p = read_picture(lab.world);
  ImGui::SetCursorScreenPos(pos);
  ImGui::BeginChild("sockets", size, true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const ImVec2 inner = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  // The time line scrolls: its scrollbar takes room on the right. On a
  // narrow screen the lanes would cover each other: the picture's text
  // shrinks (to 65% at most) until the lines keep a gap for the segments.
  const float scale = picture_scale(app, lab, p, w - ImGui::GetStyle().ScrollbarSize);
  ImGui::SetWindowFontScale(scale);
  const std::vector<Column> cols = columns(app, lab, p, inner.x, w - ImGui::GetStyle().ScrollbarSize);
  const float head_h = draw_socket_heads(app, p, cols, inner);
  const float body_h = ImGui::GetContentRegionAvail().y - head_h;
  ImGui::SetCursorScreenPos(ImVec2(inner.x, inner.y + head_h));
  ImGui::BeginChild("sock_timeline", ImVec2(w, std::max(body_h, ImGui::GetFontSize() * 4)), false);
  ImGui::SetWindowFontScale(scale);
  const float top = ImGui::GetCursorScreenPos().y + ImGui::GetFontSize();
  const std::vector<float> ys = row_ys(lab, p, top);
  const float bottom = ys.empty() ? top : ys.back() + ImGui::GetFontSize() * 2;
  const Ink ink = make_ink(palette());
  for (const Column& c : cols) {
    ImGui::GetWindowDrawList()->AddLine(ImVec2(c.line, top - ImGui::GetFontSize()), ImVec2(c.line, bottom),
                                        c.host == LAB_SERVER ? ink.host[1] : ink.host[0], 2.0f);
    char name[24];
    std::snprintf(name, sizeof name, "sockets.lane.%d", c.host);
    hook_rect(name, ImVec2(c.lane0, top), ImVec2(c.lane1, bottom));
  }
  draw_gaps(p, ys, cols.empty() ? inner.x : (cols[0].line + cols.back().line) * 0.5f);
  draw_arrows(app, p, cols, ys, lab.world.now());
  draw_lanes(app, p, cols, ys);
  ImGui::Dummy(ImVec2(1, bottom - ImGui::GetCursorScreenPos().y));
  // Follow the newest row when rows are added. ImGui clamps a scroll to the
  // content size of the frame before, so it is asked for three frames.
  // The picture's height changes too when the lesson card beside it grows.
  static std::size_t seen_rows = 0;
  static float seen_h = 0;
  static int follow = 0;
  const float view_h = ImGui::GetWindowHeight();
  if (p.rows.size() != seen_rows || std::fabs(view_h - seen_h) > 0.5f) {
    seen_rows = p.rows.size();
    seen_h = view_h;
    follow = 3;
  }
  if (follow > 0) {
    --follow;
    ImGui::SetScrollHereY(1.0f);
    platform_request_redraw();
  }
  ImGui::EndChild();
  ImGui::EndChild();
  hook_rect("sockets", pos, ImVec2(pos.x + size.x, pos.y + size.y));
}

}  // namespace tcplab
