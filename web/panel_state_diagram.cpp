// The RFC 9293 state diagram (Figure 5 of section 3.3.2) as a graph: the
// state boxes where the figure puts them, the arcs between them with their
// "event / action" labels, each host's current state highlighted in its
// colour with a "C"/"S" tag, and each host's most recent transition drawn
// thicker in its colour.
//
// Index of this file:
// [SECTION] The figure: boxes and arcs
// [SECTION] Geometry: scaling the figure to the panel
// [SECTION] Drawing helpers
// [SECTION] draw_state_diagram
//
// Every arc is an orthogonal polyline between two boxes, written as in the
// RFC's ASCII figure. Labels are placed beside one segment of their arc and
// are left out (shown on hover instead) when they would overlap a box,
// another arc or another label, so small panels keep only the boxes and the
// arrows readable. Transitions the figure does not draw (a reset, ABORT, a
// FIN that also acknowledges ours) appear as a dashed arc while they are a
// host's most recent one.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <string>
#include <vector>

#include "conceal.h"
#include "ui.h"

namespace tcplab {
namespace {

// ---------------------------------------------------------------------------
// [SECTION] The figure: boxes and arcs
// ---------------------------------------------------------------------------

// The boxes of Figure 5: CLOSED appears twice (the start at the top, the end
// at the bottom right).
enum Box : int {
  B_CLOSED,
  B_LISTEN,
  B_SYN_RCVD,
  B_SYN_SENT,
  B_ESTAB,
  B_FIN_WAIT_1,
  B_CLOSE_WAIT,
  B_FIN_WAIT_2,
  B_CLOSING,
  B_LAST_ACK,
  B_TIME_WAIT,
  B_CLOSED_END,
  BOX_COUNT
};

struct BoxDef {
  State state;
  int col, row;           // grid: 3 columns, 7 rows
  const char* short_name; // the figure's abbreviation
  const char* hook;       // test hook name
};

const BoxDef BOXES[BOX_COUNT] = {
    {State::Closed, 1, 0, "CLOSED", "diagram.CLOSED"},
    {State::Listen, 1, 1, "LISTEN", "diagram.LISTEN"},
    {State::SynReceived, 0, 2, "SYN-RCVD", "diagram.SYN-RECEIVED"},
    {State::SynSent, 2, 2, "SYN-SENT", "diagram.SYN-SENT"},
    {State::Established, 1, 3, "ESTAB", "diagram.ESTABLISHED"},
    {State::FinWait1, 0, 4, "FIN-WAIT-1", "diagram.FIN-WAIT-1"},
    {State::CloseWait, 2, 4, "CLOSE-WAIT", "diagram.CLOSE-WAIT"},
    {State::FinWait2, 0, 5, "FIN-WAIT-2", "diagram.FIN-WAIT-2"},
    {State::Closing, 1, 5, "CLOSING", "diagram.CLOSING"},
    {State::LastAck, 2, 5, "LAST-ACK", "diagram.LAST-ACK"},
    {State::TimeWait, 1, 6, "TIME-WAIT", "diagram.TIME-WAIT"},
    {State::Closed, 2, 6, "CLOSED", "diagram.CLOSED.end"},
};
constexpr int ROWS = 7;

// A point of an arc, relative to a box: x = cx + dx * box width (or the
// box's left/right edge), y = cy + dy * box height (or its top/bottom edge).
enum class Ax : std::uint8_t { Center, Left, Right };
enum class Ay : std::uint8_t { Center, Top, Bottom };
struct Pt {
  int xbox;
  Ax ax;
  float dx;
  int ybox;
  Ay ay;
  float dy;
};

// Where an arc's label goes: beside segment `seg` (0 = first), on `side`.
enum class Side : std::uint8_t { Left, Right, Above, Below };

struct ArcDef {
  int from, to;  // boxes
  std::vector<Pt> pts;
  const char* label;  // short: "rcv SYN / snd SYN,ACK"
  const char* full;   // the figure's full text (tooltip)
  int seg;
  Side side;
};

Pt at(int box, Ax ax, float dx, Ay ay, float dy) { return Pt{box, ax, dx, box, ay, dy}; }
Pt mix(int xbox, Ax ax, float dx, int ybox, Ay ay, float dy) { return Pt{xbox, ax, dx, ybox, ay, dy}; }

// The arcs' short labels in the textbook's Chinese words (谢希仁: 被动打开,
// 主动打开); the event before " / ", the action after it, as in English.
const char* arc_label(const char* en, Lang lang) {
  if (lang != Lang::Zh) return en;
  static const char* const ZH[][2] = {
      {"passive OPEN", "被动打开"},
      {"CLOSE", "关闭"},
      {"active OPEN / snd SYN", "主动打开 / 发 SYN"},
      {"rcv SYN / snd SYN,ACK", "收 SYN / 发 SYN,ACK"},
      {"SEND / snd SYN", "发送数据 / 发 SYN"},
      {"rcv RST", "收 RST"},
      {"rcv ACK of SYN", "收到 SYN 的确认"},
      {"rcv SYN,ACK / snd ACK", "收 SYN,ACK / 发 ACK"},
      {"CLOSE / snd FIN", "关闭 / 发 FIN"},
      {"rcv FIN / snd ACK", "收 FIN / 发 ACK"},
      {"rcv ACK of FIN", "收到 FIN 的确认"},
      {"timeout 2MSL", "2MSL 超时"},
  };
  for (const auto& row : ZH)
    if (std::strcmp(row[0], en) == 0) return row[1];
  return en;
}

const std::vector<ArcDef>& arcs() {
  static const std::vector<ArcDef> a = {
      // 0
      {B_CLOSED, B_LISTEN,
       {at(B_CLOSED, Ax::Center, -0.25f, Ay::Bottom, 0), at(B_LISTEN, Ax::Center, -0.25f, Ay::Top, 0)},
       "passive OPEN", "passive OPEN / create TCB", 0, Side::Left},
      // 1
      {B_LISTEN, B_CLOSED,
       {at(B_LISTEN, Ax::Center, 0.25f, Ay::Top, 0), at(B_CLOSED, Ax::Center, 0.25f, Ay::Bottom, 0)},
       "CLOSE", "CLOSE / delete TCB", 0, Side::Right},
      // 2
      {B_CLOSED, B_SYN_SENT,
       {at(B_CLOSED, Ax::Right, 0, Ay::Center, -0.22f), mix(B_SYN_SENT, Ax::Center, 0.3f, B_CLOSED, Ay::Center, -0.22f),
        at(B_SYN_SENT, Ax::Center, 0.3f, Ay::Top, 0)},
       "active OPEN / snd SYN", "active OPEN / create TCB, snd SYN", 0, Side::Above},
      // 3
      {B_LISTEN, B_SYN_RCVD,
       {at(B_LISTEN, Ax::Left, 0, Ay::Center, 0.22f), mix(B_SYN_RCVD, Ax::Center, 0.3f, B_LISTEN, Ay::Center, 0.22f),
        at(B_SYN_RCVD, Ax::Center, 0.3f, Ay::Top, 0)},
       "rcv SYN / snd SYN,ACK", "rcv SYN / snd SYN,ACK", 0, Side::Below},
      // 4
      {B_LISTEN, B_SYN_SENT,
       {at(B_LISTEN, Ax::Right, 0, Ay::Center, 0.22f), mix(B_SYN_SENT, Ax::Center, -0.3f, B_LISTEN, Ay::Center, 0.22f),
        at(B_SYN_SENT, Ax::Center, -0.3f, Ay::Top, 0)},
       "SEND / snd SYN", "SEND / snd SYN", 0, Side::Below},
      // 5
      {B_SYN_SENT, B_SYN_RCVD,
       {at(B_SYN_SENT, Ax::Left, 0, Ay::Center, -0.2f), at(B_SYN_RCVD, Ax::Right, 0, Ay::Center, -0.2f)},
       "rcv SYN / snd SYN,ACK", "rcv SYN / snd SYN,ACK (simultaneous open)", 0, Side::Above},
      // 6
      {B_SYN_SENT, B_CLOSED,
       {at(B_SYN_SENT, Ax::Center, 0.0f, Ay::Top, 0), mix(B_SYN_SENT, Ax::Center, 0.0f, B_CLOSED, Ay::Center, 0.22f),
        at(B_CLOSED, Ax::Right, 0, Ay::Center, 0.22f)},
       "CLOSE", "CLOSE / delete TCB", 1, Side::Below},
      // 7
      {B_SYN_RCVD, B_LISTEN,
       {at(B_SYN_RCVD, Ax::Center, -0.15f, Ay::Top, 0), mix(B_SYN_RCVD, Ax::Center, -0.15f, B_LISTEN, Ay::Center, -0.22f),
        at(B_LISTEN, Ax::Left, 0, Ay::Center, -0.22f)},
       "rcv RST", "rcv RST (came from LISTEN)", 1, Side::Above},
      // 8
      {B_SYN_RCVD, B_ESTAB,
       {at(B_SYN_RCVD, Ax::Right, 0, Ay::Center, 0.22f), mix(B_ESTAB, Ax::Center, -0.3f, B_SYN_RCVD, Ay::Center, 0.22f),
        at(B_ESTAB, Ax::Center, -0.3f, Ay::Top, 0)},
       "rcv ACK of SYN", "rcv ACK of SYN / x", 1, Side::Left},
      // 9
      {B_SYN_SENT, B_ESTAB,
       {at(B_SYN_SENT, Ax::Left, 0, Ay::Center, 0.22f), mix(B_ESTAB, Ax::Center, 0.3f, B_SYN_SENT, Ay::Center, 0.22f),
        at(B_ESTAB, Ax::Center, 0.3f, Ay::Top, 0)},
       "rcv SYN,ACK / snd ACK", "rcv SYN,ACK / snd ACK", 1, Side::Right},
      // 10
      {B_SYN_RCVD, B_FIN_WAIT_1,
       {at(B_SYN_RCVD, Ax::Center, 0.0f, Ay::Bottom, 0), at(B_FIN_WAIT_1, Ax::Center, 0.0f, Ay::Top, 0)},
       "CLOSE / snd FIN", "CLOSE / snd FIN", 0, Side::Right},
      // 11
      {B_ESTAB, B_FIN_WAIT_1,
       {at(B_ESTAB, Ax::Center, -0.3f, Ay::Bottom, 0), mix(B_ESTAB, Ax::Center, -0.3f, B_FIN_WAIT_1, Ay::Center, -0.22f),
        at(B_FIN_WAIT_1, Ax::Right, 0, Ay::Center, -0.22f)},
       "CLOSE / snd FIN", "CLOSE / snd FIN", 1, Side::Above},
      // 12
      {B_ESTAB, B_CLOSE_WAIT,
       {at(B_ESTAB, Ax::Center, 0.3f, Ay::Bottom, 0), mix(B_ESTAB, Ax::Center, 0.3f, B_CLOSE_WAIT, Ay::Center, -0.22f),
        at(B_CLOSE_WAIT, Ax::Left, 0, Ay::Center, -0.22f)},
       "rcv FIN / snd ACK", "rcv FIN / snd ACK", 1, Side::Above},
      // 13
      {B_FIN_WAIT_1, B_FIN_WAIT_2,
       {at(B_FIN_WAIT_1, Ax::Center, 0.0f, Ay::Bottom, 0), at(B_FIN_WAIT_2, Ax::Center, 0.0f, Ay::Top, 0)},
       "rcv ACK of FIN", "rcv ACK of FIN / x", 0, Side::Right},
      // 14
      {B_FIN_WAIT_1, B_CLOSING,
       {at(B_FIN_WAIT_1, Ax::Right, 0, Ay::Center, 0.22f), mix(B_CLOSING, Ax::Center, 0.0f, B_FIN_WAIT_1, Ay::Center, 0.22f),
        at(B_CLOSING, Ax::Center, 0.0f, Ay::Top, 0)},
       "rcv FIN / snd ACK", "rcv FIN / snd ACK", 1, Side::Right},
      // 15
      {B_CLOSE_WAIT, B_LAST_ACK,
       {at(B_CLOSE_WAIT, Ax::Center, 0.0f, Ay::Bottom, 0), at(B_LAST_ACK, Ax::Center, 0.0f, Ay::Top, 0)},
       "CLOSE / snd FIN", "CLOSE / snd FIN", 0, Side::Left},
      // 16
      {B_FIN_WAIT_2, B_TIME_WAIT,
       {at(B_FIN_WAIT_2, Ax::Center, 0.0f, Ay::Bottom, 0), mix(B_FIN_WAIT_2, Ax::Center, 0.0f, B_TIME_WAIT, Ay::Center, 0.0f),
        at(B_TIME_WAIT, Ax::Left, 0, Ay::Center, 0.0f)},
       "rcv FIN / snd ACK", "rcv FIN / snd ACK", 1, Side::Above},
      // 17
      {B_CLOSING, B_TIME_WAIT,
       {at(B_CLOSING, Ax::Center, 0.0f, Ay::Bottom, 0), at(B_TIME_WAIT, Ax::Center, 0.0f, Ay::Top, 0)},
       "rcv ACK of FIN", "rcv ACK of FIN / x", 0, Side::Right},
      // 18
      {B_LAST_ACK, B_CLOSED_END,
       {at(B_LAST_ACK, Ax::Center, 0.0f, Ay::Bottom, 0), at(B_CLOSED_END, Ax::Center, 0.0f, Ay::Top, 0)},
       "rcv ACK of FIN", "rcv ACK of FIN / x", 0, Side::Left},
      // 19
      {B_TIME_WAIT, B_CLOSED_END,
       {at(B_TIME_WAIT, Ax::Right, 0, Ay::Center, 0.0f), at(B_CLOSED_END, Ax::Left, 0, Ay::Center, 0.0f)},
       "timeout 2MSL", "Timeout=2MSL / delete TCB", 0, Side::Above},
  };
  return a;
}

// The arc of Figure 5 that a transition followed, or -1 when the figure has
// none for it (then a dashed arc is drawn).
int arc_of(State from, State to, Reason why) {
  switch (from) {
    case State::Closed:
      if (to == State::Listen) return 0;
      if (to == State::SynSent) return 2;
      return -1;
    case State::Listen:
      if (to == State::Closed && (why == Reason::CloseListen || why == Reason::AbortQuiet)) return 1;
      if (to == State::SynReceived) return 3;
      if (to == State::SynSent) return 4;
      return -1;
    case State::SynSent:
      if (to == State::SynReceived) return 5;
      if (to == State::Closed && (why == Reason::CloseSynSent || why == Reason::AbortQuiet)) return 6;
      if (to == State::Established) return 9;
      return -1;
    case State::SynReceived:
      if (to == State::Listen) return 7;
      if (to == State::Established) return 8;
      if (to == State::FinWait1) return 10;
      return -1;
    case State::Established:
      if (to == State::FinWait1) return 11;
      if (to == State::CloseWait) return 12;
      return -1;
    case State::FinWait1:
      if (to == State::FinWait2) return 13;
      if (to == State::Closing) return 14;
      return -1;
    case State::FinWait2:
      return to == State::TimeWait ? 16 : -1;
    case State::CloseWait:
      return to == State::LastAck ? 15 : -1;
    case State::Closing:
      return to == State::TimeWait ? 17 : -1;
    case State::LastAck:
      return to == State::Closed && why == Reason::AckLastAckFinAcked ? 18 : -1;
    case State::TimeWait:
      return to == State::Closed && why == Reason::TimerTimeWaitExpire ? 19 : -1;
  }
  return -1;
}

int box_of(State s, int last_arc) {
  switch (s) {
    case State::Closed: return (last_arc == 18 || last_arc == 19) ? B_CLOSED_END : B_CLOSED;
    case State::Listen: return B_LISTEN;
    case State::SynSent: return B_SYN_SENT;
    case State::SynReceived: return B_SYN_RCVD;
    case State::Established: return B_ESTAB;
    case State::FinWait1: return B_FIN_WAIT_1;
    case State::FinWait2: return B_FIN_WAIT_2;
    case State::CloseWait: return B_CLOSE_WAIT;
    case State::Closing: return B_CLOSING;
    case State::LastAck: return B_LAST_ACK;
    case State::TimeWait: return B_TIME_WAIT;
  }
  return B_CLOSED;
}

// ---------------------------------------------------------------------------
// [SECTION] Geometry: scaling the figure to the panel
// ---------------------------------------------------------------------------

struct Rect {
  ImVec2 min, max;
  float cx() const { return (min.x + max.x) * 0.5f; }
  float cy() const { return (min.y + max.y) * 0.5f; }
  float w() const { return max.x - min.x; }
  float h() const { return max.y - min.y; }
  bool overlaps(const Rect& o) const {
    return min.x < o.max.x && o.min.x < max.x && min.y < o.max.y && o.min.y < max.y;
  }
};

ImVec2 resolve(const Pt& p, const Rect* boxes) {
  const Rect& bx = boxes[p.xbox];
  const Rect& by = boxes[p.ybox];
  float x = bx.cx() + p.dx * bx.w();
  if (p.ax == Ax::Left) x = bx.min.x;
  if (p.ax == Ax::Right) x = bx.max.x;
  float y = by.cy() + p.dy * by.h();
  if (p.ay == Ay::Top) y = by.min.y;
  if (p.ay == Ay::Bottom) y = by.max.y;
  return ImVec2(std::round(x) + 0.5f, std::round(y) + 0.5f);
}

// Does the axis-aligned segment a-b pass through r?
bool segment_hits(ImVec2 a, ImVec2 b, const Rect& r) {
  const Rect s{ImVec2(std::min(a.x, b.x) - 0.5f, std::min(a.y, b.y) - 0.5f),
               ImVec2(std::max(a.x, b.x) + 0.5f, std::max(a.y, b.y) + 0.5f)};
  return s.overlaps(r);
}


// Where the line from the centre of r towards p leaves r.
ImVec2 edge_towards(const Rect& r, ImVec2 p) {
  const float dx = p.x - r.cx(), dy = p.y - r.cy();
  if (std::fabs(dx) < 1e-3f && std::fabs(dy) < 1e-3f) return ImVec2(r.cx(), r.cy());
  const float sx = std::fabs(dx) > 1e-3f ? (r.w() * 0.5f) / std::fabs(dx) : 1e9f;
  const float sy = std::fabs(dy) > 1e-3f ? (r.h() * 0.5f) / std::fabs(dy) : 1e9f;
  const float s = std::min(sx, sy);
  return ImVec2(r.cx() + dx * s, r.cy() + dy * s);
}

// ---------------------------------------------------------------------------
// [SECTION] Drawing helpers
// ---------------------------------------------------------------------------



void polyline(ImDrawList* dl, const std::vector<ImVec2>& p, ImU32 col, float thickness, float head) {
  if (p.size() < 2) return;
  // Stop the last segment at the arrowhead's base so a thick line does not
  // poke through its tip.
  std::vector<ImVec2> q = p;
  const ImVec2 a = q[q.size() - 2], b = q.back();
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len > head) q.back() = ImVec2(b.x - dx / len * head * 0.8f, b.y - dy / len * head * 0.8f);
  dl->AddPolyline(q.data(), static_cast<int>(q.size()), col, 0, thickness);
  arrow_head(dl, a, b, head, col);
}

ImVec2 bezier(ImVec2 p0, ImVec2 c1, ImVec2 c2, ImVec2 p3, float t) {
  const float u = 1.0f - t;
  const float a = u * u * u, b = 3.0f * u * u * t, c = 3.0f * u * t * t, d = t * t * t;
  return ImVec2(a * p0.x + b * c1.x + c * c2.x + d * p3.x, a * p0.y + b * c1.y + c * c2.y + d * p3.y);
}

void dashed_polyline(ImDrawList* dl, const std::vector<ImVec2>& p, ImU32 col, float thickness, float dash) {
  // Dashes continue across the vertices: `phase` is how far into the
  // current dash-gap period the walk is.
  float phase = 0;
  for (std::size_t i = 0; i + 1 < p.size(); ++i) {
    const ImVec2 a = p[i], b = p[i + 1];
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    float s = 0;
    while (s < len) {
      const bool on = phase < dash;
      const float step = std::min(len - s, on ? dash - phase : 2.0f * dash - phase);
      if (on)
        dl->AddLine(ImVec2(a.x + dx * s / len, a.y + dy * s / len),
                    ImVec2(a.x + dx * (s + step) / len, a.y + dy * (s + step) / len), col, thickness);
      s += step;
      phase += step;
      if (phase >= 2.0f * dash) phase = 0;
    }
  }
}

// A short name for a transition the figure does not draw.
const char* extra_label(Reason r) {
  switch (r) {
    case Reason::AbortQuiet:
    case Reason::AbortSendRst:
      return "ABORT";
    case Reason::SynSentRstReset:
    case Reason::RstSynReceivedRefused:
    case Reason::RstReset:
    case Reason::RstClose:
      return "rcv RST";
    case Reason::SynInWindowSendRst:
      return "rcv SYN / snd RST";
    case Reason::TimerRetransmitGiveUp:
      return "RTO: give up";
    case Reason::FinTimeWait:
      return "rcv FIN,ACK / snd ACK";
    case Reason::CloseOnFin:
      return "CLOSE / snd FIN";
    default:
      return nullptr;
  }
}

// The most recent state change of each host, by scanning back from the end
// of the trace (cached on the trace's size).
struct LastChange {
  std::size_t size = static_cast<std::size_t>(-1);
  Instant last_time = -1;
  bool found[2] = {false, false};
  Event ev[2];
};

const LastChange& last_changes(const Trace& t) {
  static LastChange c;
  const Instant lt = t.empty() ? -1 : t.back().time;
  if (c.size == t.size() && c.last_time == lt) return c;
  c = LastChange{};
  c.size = t.size();
  c.last_time = lt;
  for (std::size_t i = t.size(); i-- > 0 && !(c.found[0] && c.found[1]);) {
    const Event& e = t[i];
    if (e.kind != EventKind::StateChanged) continue;
    const int h = e.host & 1;
    if (c.found[h]) continue;
    c.found[h] = true;
    c.ev[h] = e;
  }
  return c;
}

// The path of a transition the figure does not draw: a straight line when
// it passes no other box, else a curve bulging to the host's side (the
// client's to the left, the server's to the right), else to the other side.
std::vector<ImVec2> extra_route(const Rect* boxes, int from, int to, int host, float bw, const Rect& area) {
  const Rect& rf = boxes[from];
  const Rect& rt = boxes[to];
  const ImVec2 cf(rf.cx(), rf.cy()), ct(rt.cx(), rt.cy());
  const float dx = ct.x - cf.x, dy = ct.y - cf.y;
  const float len = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
  ImVec2 n(-dy / len, dx / len);  // a normal; point it to the host's side
  const float side = host == 0 ? -1.0f : 1.0f;
  if (std::fabs(n.x) > 0.2f ? (n.x * side < 0) : (n.y * side < 0)) n = ImVec2(-n.x, -n.y);
  std::vector<ImVec2> best;
  int best_hits = 1 << 30;
  const float bulges[7] = {0.0f, bw * 0.6f, bw * 0.9f, bw * 1.2f, -bw * 0.6f, -bw * 0.9f, -bw * 1.2f};
  for (float d : bulges) {
    const ImVec2 c1(cf.x + dx * 0.25f + n.x * d, cf.y + dy * 0.25f + n.y * d);
    const ImVec2 c2(cf.x + dx * 0.75f + n.x * d, cf.y + dy * 0.75f + n.y * d);
    const ImVec2 p0 = edge_towards(rf, d == 0.0f ? ct : c1);
    const ImVec2 p3 = edge_towards(rt, d == 0.0f ? cf : c2);
    std::vector<ImVec2> pts;
    const int steps = d == 0.0f ? 1 : 24;
    for (int i = 0; i <= steps; ++i) {
      const float t = static_cast<float>(i) / static_cast<float>(steps);
      pts.push_back(d == 0.0f ? ImVec2(p0.x + (p3.x - p0.x) * t, p0.y + (p3.y - p0.y) * t) : bezier(p0, c1, c2, p3, t));
    }
    int hits = 0;
    for (int b = 0; b < BOX_COUNT; ++b) {
      if (b == from || b == to) continue;
      const Rect grown{ImVec2(boxes[b].min.x - 2, boxes[b].min.y - 2), ImVec2(boxes[b].max.x + 2, boxes[b].max.y + 2)};
      bool hit = false;
      for (std::size_t i = 0; !hit && i + 1 < pts.size(); ++i) {
        // Sample each piece finely enough to catch a box corner.
        for (int k = 0; !hit && k <= 8; ++k) {
          const float t = static_cast<float>(k) / 8.0f;
          const ImVec2 q(pts[i].x + (pts[i + 1].x - pts[i].x) * t, pts[i].y + (pts[i + 1].y - pts[i].y) * t);
          hit = q.x > grown.min.x && q.x < grown.max.x && q.y > grown.min.y && q.y < grown.max.y;
        }
      }
      if (hit) ++hits;
    }
    // Leaving the panel is worse than crossing a box.
    for (const ImVec2& q : pts)
      if (q.x < area.min.x || q.x > area.max.x || q.y < area.min.y || q.y > area.max.y) {
        hits += 100;
        break;
      }
    if (hits < best_hits) {
      best_hits = hits;
      best = std::move(pts);
    }
    if (hits == 0) break;
  }
  return best;
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] draw_state_diagram
// ---------------------------------------------------------------------------

void draw_state_diagram(App& app, ImVec2 pos, ImVec2 size) {
  const Palette& pal = palette();
  const Ink ink = make_ink(pal);
  ImGui::SetCursorScreenPos(pos);
  hook_rect("diagram", pos, ImVec2(pos.x + size.x, pos.y + size.y));
  // A narrow inner margin: the figure needs every pixel of height.
  const float inner = std::max(3.0f, ImGui::GetFontSize() * 0.25f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(inner, inner));
  const bool open =
      ImGui::BeginChild("state_diagram", size, true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar();
  if (!open) {
    ImGui::EndChild();
    return;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();

  const float lh = ImGui::GetTextLineHeight();
  const ImVec2 c0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float W = std::max(avail.x, 1.0f), H = std::max(avail.y, 1.0f);

  // Box size: the longest name, room for the "C"/"S" tags at both ends.
  const float tag_w = ImGui::CalcTextSize("C").x + 6.0f;
  const float pad_x = std::max(3.0f, lh * 0.3f);
  float name_w = ImGui::CalcTextSize("SYN-RECEIVED").x;
  bool short_names = false;
  if (3.0f * (name_w + 2.0f * (tag_w + pad_x)) + 2.0f * lh * 2.0f > W) {
    short_names = true;
    name_w = ImGui::CalcTextSize("FIN-WAIT-1").x;
  }
  const float bw = std::min(name_w + 2.0f * (tag_w + pad_x), W / 3.0f - 2.0f);
  // Box height: the text plus a margin that shrinks to 2 px when the panel
  // is short, to leave room for the arcs between the rows.
  const float bh = std::round(lh + std::clamp((H / ROWS - lh) * 0.3f, 2.0f, lh * 0.5f));
  // Labels at the text size when the panel has room, smaller when it has
  // not (large text, a projector's A+), never dropped for size alone.
  const float label_px = std::min(lh, std::min(W / 34.0f, H / 17.0f) * 1.15f);
  const bool labels = label_px >= 9.0f;
  const float margin_top = labels ? label_px * 1.3f : 2.0f;

  // Column centres: the outer columns at the edges, the middle one centred.
  const float cols[3] = {c0.x + bw * 0.5f + 1.0f, c0.x + W * 0.5f, c0.x + W - bw * 0.5f - 1.0f};
  const float row_step = (H - margin_top - bh - 2.0f) / static_cast<float>(ROWS - 1);
  Rect boxes[BOX_COUNT];
  for (int b = 0; b < BOX_COUNT; ++b) {
    const float cx = cols[BOXES[b].col];
    const float cy = c0.y + margin_top + bh * 0.5f + row_step * static_cast<float>(BOXES[b].row);
    boxes[b] = Rect{ImVec2(std::round(cx - bw * 0.5f), std::round(cy - bh * 0.5f)),
                    ImVec2(std::round(cx + bw * 0.5f), std::round(cy + bh * 0.5f))};
  }

  const std::vector<ArcDef>& A = arcs();
  std::vector<std::vector<ImVec2>> paths(A.size());
  for (std::size_t i = 0; i < A.size(); ++i)
    for (const Pt& p : A[i].pts) paths[i].push_back(resolve(p, boxes));

  // Where each host is and how it got there.
  const LastChange& lc = last_changes(app.sim.trace());
  int last_arc[2] = {-1, -1};
  int cur_box[2];
  // A host whose state a question asks for: no box and no arc of its own
  // until the answer (-2 matches no box, nor "no box hovered").
  const Concealed hide = concealed(app);
  bool found[2];
  for (int h = 0; h < 2; ++h) {
    found[h] = lc.found[h] && !hide.state[h];
    if (found[h]) last_arc[h] = arc_of(lc.ev[h].from, lc.ev[h].to, lc.ev[h].reason);
    cur_box[h] = hide.state[h] ? -2 : box_of(app.sim.endpoint(h).state(), last_arc[h]);
  }

  const float head = std::clamp(std::min(lh * 0.55f, (row_step - bh) * 0.35f), 4.0f, 9.0f);
  const ImU32 arc_col = ink.dim;
  const ImU32 bg = ink.bg;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool hover_ok = ImGui::IsWindowHovered();

  // Hover: the nearest arc within a few pixels, or a box.
  int hover_arc = -1, hover_box = -1;
  if (hover_ok) {
    for (int b = 0; b < BOX_COUNT; ++b)
      if (mouse.x >= boxes[b].min.x && mouse.x <= boxes[b].max.x && mouse.y >= boxes[b].min.y &&
          mouse.y <= boxes[b].max.y)
        hover_box = b;
    float best = 5.0f;
    if (hover_box < 0)
      for (std::size_t i = 0; i < A.size(); ++i)
        for (std::size_t s = 0; s + 1 < paths[i].size(); ++s) {
          const float d = dist_to_segment(mouse, paths[i][s], paths[i][s + 1]);
          if (d < best) {
            best = d;
            hover_arc = static_cast<int>(i);
          }
        }
  }

  // The arcs of the figure.
  for (std::size_t i = 0; i < A.size(); ++i)
    polyline(dl, paths[i], static_cast<int>(i) == hover_arc ? ink.text : arc_col, 1.2f, head);

  std::vector<ImVec2> extra_path[2];
  // Each host's last transition, thick, in its colour (the client's under
  // the server's when they are the same arc). Transitions the figure does
  // not draw get a dashed straight arc between the boxes.
  for (int h = 0; h < 2; ++h) {
    if (!found[h]) continue;
    const float thick = h == 0 ? 4.5f : 2.5f;
    if (last_arc[h] >= 0) {
      polyline(dl, paths[static_cast<std::size_t>(last_arc[h])], ink.host[h], thick, head * 1.25f);
    } else {
      const int bf = box_of(lc.ev[h].from, -1);
      const int bt = cur_box[h];
      if (bf == bt) continue;
      extra_path[h] = extra_route(boxes, bf, bt, h, bw, Rect{c0, ImVec2(c0.x + W, c0.y + H)});
      dashed_polyline(dl, extra_path[h], ink.host[h], thick, lh * 0.4f);
      const std::size_t n = extra_path[h].size();
      arrow_head(dl, extra_path[h][n - 2], extra_path[h][n - 1], head * 1.4f, ink.host[h]);
      if (hover_ok && hover_box < 0)
        for (std::size_t i = 0; i + 1 < n; ++i)
          if (dist_to_segment(mouse, extra_path[h][i], extra_path[h][i + 1]) < 5.0f) hover_arc = 1000 + h;
    }
  }

  // A wrong answer in a lesson marks the arc it is about: the right path,
  // in the colour of a right answer (red would read as "this is wrong").
  if (app.ls.feedback && !app.ls.feedback->correct && app.ls.feedback->arc) {
    const Arc& a = *app.ls.feedback->arc;
    const int ai = arc_of(a.from, a.to, Reason::None);
    std::vector<ImVec2> marked;
    if (ai >= 0) {
      marked = paths[static_cast<std::size_t>(ai)];
      polyline(dl, marked, Palette::rgb(colours::GOOD), 5.0f, head * 1.4f);
    } else {
      const int bf = box_of(a.from, -1), bt = box_of(a.to, -1);
      if (bf != bt) {
        marked = extra_route(boxes, bf, bt, a.host, bw, Rect{c0, ImVec2(c0.x + W, c0.y + H)});
        dashed_polyline(dl, marked, Palette::rgb(colours::GOOD), 5.0f, lh * 0.4f);
        arrow_head(dl, marked[marked.size() - 2], marked.back(), head * 1.4f, Palette::rgb(colours::GOOD));
      }
    }
    if (!marked.empty()) {
      ImVec2 lo = marked[0], hi = marked[0];
      for (const ImVec2& p : marked) {
        lo = ImVec2(std::min(lo.x, p.x), std::min(lo.y, p.y));
        hi = ImVec2(std::max(hi.x, p.x), std::max(hi.y, p.y));
      }
      hook_rect("diagram.marked_arc", lo, hi);
    }
  }

  // Arc labels where they fit: not over a box, another arc or another label.
  std::vector<Rect> placed;
  // First the labels of the dashed arcs (a host's current transition).
  struct ExtraLabel {
    ImVec2 pos;
    const char* text;
    int host;
  };
  std::vector<ExtraLabel> extra_labels;
  for (int h = 0; h < 2 && labels; ++h) {
    if (extra_path[h].empty()) continue;
    const char* text = extra_label(lc.ev[h].reason);
    if (!text) continue;
    const ImVec2 mid = extra_path[h][extra_path[h].size() / 2];
    const ImVec2 ts = ImGui::CalcTextSize(text);
    const ImVec2 tl(mid.x - ts.x * 0.5f, mid.y - ts.y * 0.5f);
    const Rect r{ImVec2(tl.x - 2.0f, tl.y - 1.0f), ImVec2(tl.x + ts.x + 2.0f, tl.y + ts.y + 1.0f)};
    bool ok = r.min.x >= c0.x && r.max.x <= c0.x + W && r.min.y >= c0.y && r.max.y <= c0.y + H;
    for (int bx = 0; ok && bx < BOX_COUNT; ++bx) ok = !r.overlaps(boxes[bx]);
    for (const Rect& o : placed)
      if (ok) ok = !r.overlaps(o);
    if (!ok) continue;
    placed.push_back(r);
    extra_labels.push_back(ExtraLabel{tl, text, h});
  }
  if (labels) {
    for (std::size_t i = 0; i < A.size(); ++i) {
      const ArcDef& arc = A[i];
      const std::vector<ImVec2>& p = paths[i];
      const ImVec2 a = p[static_cast<std::size_t>(arc.seg)], b = p[static_cast<std::size_t>(arc.seg) + 1];
      const ImVec2 mid((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f);
      // Try one line, then "event" over "action".
      std::string one = arc_label(arc.label, app.lang);
      std::string two = one;
      const std::size_t slash = two.find(" / ");
      if (slash != std::string::npos) two = two.substr(0, slash) + "\n" + two.substr(slash + 3);
      for (const std::string& text : {one, two}) {
        const ImVec2 ts = ImGui::GetFont()->CalcTextSizeA(label_px, FLT_MAX, 0.0f, text.c_str());
        const float gap = 3.0f;
        ImVec2 tl;
        switch (arc.side) {
          case Side::Left: tl = ImVec2(mid.x - gap - ts.x - 2.0f, mid.y - ts.y * 0.5f); break;
          case Side::Right: tl = ImVec2(mid.x + gap + 2.0f, mid.y - ts.y * 0.5f); break;
          case Side::Above: tl = ImVec2(mid.x - ts.x * 0.5f, mid.y - gap - ts.y); break;
          case Side::Below: tl = ImVec2(mid.x - ts.x * 0.5f, mid.y + gap); break;
        }
        const Rect r{ImVec2(tl.x - 1.0f, tl.y), ImVec2(tl.x + ts.x + 1.0f, tl.y + ts.y)};
        bool ok = r.min.x >= c0.x && r.max.x <= c0.x + W && r.min.y >= c0.y && r.max.y <= c0.y + H;
        for (int bx = 0; ok && bx < BOX_COUNT; ++bx) ok = !r.overlaps(boxes[bx]);
        for (std::size_t j = 0; ok && j < A.size(); ++j)
          for (std::size_t s = 0; ok && s + 1 < paths[j].size(); ++s) ok = !segment_hits(paths[j][s], paths[j][s + 1], r);
        for (const Rect& o : placed)
          if (ok) ok = !r.overlaps(o);
        if (!ok) continue;
        placed.push_back(r);
        const bool hot = static_cast<int>(i) == hover_arc || static_cast<int>(i) == last_arc[0] ||
                         static_cast<int>(i) == last_arc[1];
        dl->AddRectFilled(r.min, r.max, with_alpha(bg, 0.85f));
        dl->AddText(ImGui::GetFont(), label_px, tl, hot ? ink.text : ink.dim, text.c_str());
        break;
      }
    }
  }

  for (const ExtraLabel& e : extra_labels) {
    const ImVec2 ts = ImGui::CalcTextSize(e.text);
    dl->AddRectFilled(ImVec2(e.pos.x - 2.0f, e.pos.y - 1.0f), ImVec2(e.pos.x + ts.x + 2.0f, e.pos.y + ts.y + 1.0f), bg, 2.0f);
    dl->AddRect(ImVec2(e.pos.x - 2.0f, e.pos.y - 1.0f), ImVec2(e.pos.x + ts.x + 2.0f, e.pos.y + ts.y + 1.0f),
                ink.host[e.host], 2.0f);
    dl->AddText(e.pos, ink.text, e.text);
  }

  // The boxes: the current state of each host filled in its colour, with a
  // "C" or "S" tag so the colour is not the only cue.
  const float rounding = std::min(4.0f, bh * 0.25f);
  for (int b = 0; b < BOX_COUNT; ++b) {
    const Rect& r = boxes[b];
    const bool here[2] = {cur_box[0] == b, cur_box[1] == b};
    dl->AddRectFilled(r.min, r.max, bg, rounding);
    if (here[0] && here[1]) {
      const float mx = r.cx();
      dl->AddRectFilled(r.min, ImVec2(mx, r.max.y), with_alpha(pal.client, 0.22f), rounding, ImDrawFlags_RoundCornersLeft);
      dl->AddRectFilled(ImVec2(mx, r.min.y), r.max, with_alpha(pal.server, 0.22f), rounding, ImDrawFlags_RoundCornersRight);
    } else {
      for (int h = 0; h < 2; ++h)
        if (here[h]) dl->AddRectFilled(r.min, r.max, with_alpha(pal.host(h), 0.22f), rounding);
    }
    if (here[0] && here[1]) {
      dl->AddRect(r.min, r.max, ink.host[0], rounding, 0, 2.5f);
      dl->AddRect(ImVec2(r.min.x + 2.5f, r.min.y + 2.5f), ImVec2(r.max.x - 2.5f, r.max.y - 2.5f), ink.host[1], rounding, 0, 2.0f);
    } else if (here[0] || here[1]) {
      dl->AddRect(r.min, r.max, ink.host[here[0] ? 0 : 1], rounding, 0, 2.5f);
    } else {
      dl->AddRect(r.min, r.max, b == hover_box ? ink.text : ink.grid, rounding, 0, 1.0f);
    }
    const char* name = short_names ? BOXES[b].short_name : state_name(BOXES[b].state);
    const ImVec2 ts = ImGui::CalcTextSize(name);
    dl->AddText(ImVec2(std::round(r.cx() - ts.x * 0.5f), std::round(r.cy() - ts.y * 0.5f)), ink.text, name);
    // Tags: "C" at the left end, "S" at the right end.
    for (int h = 0; h < 2; ++h) {
      if (!here[h]) continue;
      const char* tag = h == 0 ? "C" : "S";
      const ImVec2 gs = ImGui::CalcTextSize(tag);
      const float tw = gs.x + 4.0f, th = std::min(gs.y + 2.0f, r.h() - 4.0f);
      const float tx = h == 0 ? r.min.x + 3.0f : r.max.x - 3.0f - tw;
      const float ty = r.cy() - th * 0.5f;
      dl->AddRectFilled(ImVec2(tx, ty), ImVec2(tx + tw, ty + th), pal.host(h), 2.0f);
      // White on a dark host colour, black on a light one.
      const ImVec4 hc = ImGui::ColorConvertU32ToFloat4(pal.host(h));
      const bool dark = 0.2126f * hc.x + 0.7152f * hc.y + 0.0722f * hc.z < 0.45f;
      dl->AddText(ImVec2(tx + 2.0f, r.cy() - gs.y * 0.5f), dark ? IM_COL32_WHITE : IM_COL32(20, 20, 20, 255), tag);
    }
    hook_rect(BOXES[b].hook, r.min, r.max);
  }

  // Tooltips.
  if (hover_box >= 0) {
    const State s = BOXES[hover_box].state;
    std::string tip = state_with_alias(s);
    for (int h = 0; h < 2; ++h)
      if (cur_box[h] == hover_box)
        tip += std::string("\n") + host_title(app, h) + tr(app, " is here", " 在此状态");
    ImGui::SetTooltip("%s", tip.c_str());
  } else if (hover_arc >= 1000) {
    const int h = hover_arc - 1000;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(tooltip_wrap());
    ImGui::TextUnformatted(describe_event(lc.ev[h], app.lang).c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  } else if (hover_arc >= 0) {
    const ArcDef& arc = A[static_cast<std::size_t>(hover_arc)];
    std::string tip = std::string(state_name(BOXES[arc.from].state)) + " -> " + state_name(BOXES[arc.to].state) +
                      "\n" + arc.full;
    for (int h = 0; h < 2; ++h)
      if (last_arc[h] == hover_arc)
        tip += std::string("\n") + host_title(app, h) + tr(app, ": last transition", "：最近一次状态转换");
    ImGui::SetTooltip("%s", tip.c_str());
  }

  ImGui::EndChild();
}

}  // namespace tcplab
