// The ladder (sequence) diagram: virtual time runs down the page, the
// client's line on the left, the server's on the right, one arrow per segment
// from the sender's line at its send time to the receiver's line at its
// arrival time. State changes, user calls and timer expiries are written
// beside the host's line when they happen. Segments still in flight move,
// and a click drops one.
//
// Index of this file:
// [SECTION] Layout: a y position for every trace event, cached on the trace
// [SECTION] Drawing helpers
// [SECTION] draw_ladder
//
// The time axis is compressed so the picture stays readable: y grows with
// virtual time, but every event keeps a minimum distance from the ones
// before it in its lane (the labels between the lines, the notes beside each
// line), and an idle gap longer than IDLE_MS shrinks to a fixed gap with a
// "... 8.0 s ..." marker. The layout depends only on the trace (which only
// grows) and a few metrics, so it is built incrementally and rebuilt only
// when the trace was replaced (undo, reset) or the metrics changed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "conceal.h"
#include "ui.h"

namespace tcplab {
namespace {

// ---------------------------------------------------------------------------
// [SECTION] Layout: a y position for every trace event, cached on the trace
// ---------------------------------------------------------------------------

constexpr std::size_t NONE = static_cast<std::size_t>(-1);
constexpr Instant IDLE_MS = 1500;  // longer gaps between events are compressed

enum class Fate : std::uint8_t { InFlight, Delivered, Lost, Dropped };

struct Arrow {
  std::uint32_t seg_id = 0;
  std::uint8_t from = 0;    // the sending host (for injected: the other one)
  bool injected = false;    // arrived from outside the channel
  bool duplicate = false;   // the network's second copy
  bool rejected = false;    // the receiver refused it
  Fate fate = Fate::InFlight;
  Instant t0 = 0, t1 = 0;   // sent, and arrived / was lost / was dropped
  float y0 = 0, y1 = 0;     // layout y of t0 and t1
  float frac = 0.5f;        // dropped: how far along it got
  std::size_t end_ev = NONE, verdict_ev = NONE;
  std::string label;        // wrapped: '\n' between lines
  int lines = 1;
  float label_w = 0;
};

enum class NoteKind : std::uint8_t { State, Call, Timer };

struct Note {
  NoteKind kind = NoteKind::State;
  std::uint8_t host = 0;
  State state = State::Closed;  // NoteKind::State
  float y = 0;
  std::size_t ev = NONE;         // NONE: the initial CLOSED
  std::string text;              // calls and timers
  std::string short_text;        // the same for narrow columns
};

// Arrows drawn that start above the view and cross it (see draw_ladder).
constexpr std::ptrdiff_t MAX_CROSSING = 200;

struct Gap {
  float y = 0;
  std::string text;
};

struct Layout {
  // What the layout was built from (the run's trace, or a replay's made
  // relative: another object, so toggling rebuilds).
  const Trace* source = nullptr;
  std::size_t events = 0;
  Event last{};
  float lh = 0, wrap_w = 0, k = 0;
  Instant latency = 0;
  Lang lang = Lang::En;
  Concealed hide;  // a question's field shows "?" in its segment's label

  std::vector<Arrow> arrows;   // in trace order: y0 grows
  std::vector<Note> notes;     // in trace order: y grows
  std::vector<Gap> gaps;
  std::vector<std::int32_t> arrow_of_seg;  // network id -> index in arrows
  float max_span = 0;          // the tallest arrow

  // The cursor: where the next event goes.
  bool started = false;
  Instant last_t = 0;
  float last_y = 0;
  float top = 0;
  float mid_bottom = 0;         // the labels between the lines end here
  float side_bottom[2] = {0, 0};  // the notes beside each line end here
  float arr_last[2] = {-1e9f, -1e9f};  // the last arrowhead on each line
  std::size_t injected_ev = NONE;
  std::int32_t injected_arrow = -1;
};

// What the learner saw the network promise for each segment (id -> planned
// arrival), so a dropped segment's cross sits where it was when dropped.
std::vector<Instant>& planned_arrival() {
  static std::vector<Instant> v;
  return v;
}

bool same_event(const Event& a, const Event& b) {
  return a.time == b.time && a.kind == b.kind && a.host == b.host && a.from == b.from && a.to == b.to &&
         a.reason == b.reason && a.seg_id == b.seg_id && a.seg.flags == b.seg.flags &&
         a.seg.seq == b.seg.seq && a.seg.ack == b.seg.ack && a.seg.len == b.seg.len;
}

// Greedy word wrap of a segment label ("SYN,ACK seq=5000 ack=1001") into
// lines no wider than `width`.
void wrap_label(Arrow& a, const std::string& text, float width) {
  a.label.clear();
  a.lines = 1;
  a.label_w = 0;
  std::string line;
  std::size_t i = 0;
  auto flush = [&]() {
    const float w = ImGui::CalcTextSize(line.c_str()).x;
    a.label_w = std::max(a.label_w, w);
    if (!a.label.empty()) {
      a.label += '\n';
      ++a.lines;
    }
    a.label += line;
    line.clear();
  };
  while (i < text.size()) {
    std::size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    const std::string word = text.substr(i, j - i);
    i = j + 1;
    if (word.empty()) continue;
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && ImGui::CalcTextSize(candidate.c_str()).x > width) {
      flush();
      line = word;
    } else {
      line = candidate;
    }
  }
  if (!line.empty() || a.label.empty()) flush();
}

float idle_gap(const Layout& L) { return L.lh * 3.0f; }

// The y of time t, following the last event placed; a long idle gap is
// compressed to a fixed height.
float time_y_at(const Layout& L, Instant t, bool* compressed = nullptr) {
  if (compressed) *compressed = false;
  if (!L.started) return L.top;
  const Instant dt = std::max<Instant>(0, t - L.last_t);
  const Instant idle = std::max<Instant>(IDLE_MS, L.latency * 5 / 2);
  if (dt <= idle) return L.last_y + static_cast<float>(dt) * L.k;
  if (compressed) *compressed = true;
  return L.last_y + idle_gap(L);
}

// The same, for an event being placed: a compressed gap gets a
// "... 8.0 s ..." marker.
float time_y(Layout& L, Instant t) {
  bool compressed = false;
  const float y = time_y_at(L, t, &compressed);
  if (compressed) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "... %.1f s ...", static_cast<double>(t - L.last_t) / 1000.0);
    const float my = L.last_y + idle_gap(L) * 0.5f;
    L.gaps.push_back(Gap{my, buf});
    L.mid_bottom = std::max(L.mid_bottom, my + L.lh * 0.5f);
  }
  return y;
}

void commit(Layout& L, float y, Instant t) {
  L.started = true;
  L.last_y = std::max(L.last_y, y);
  L.last_t = std::max(L.last_t, t);
}

std::int32_t arrow_index(const Layout& L, std::uint32_t seg_id) {
  if (seg_id == 0 || seg_id >= L.arrow_of_seg.size()) return -1;
  return L.arrow_of_seg[seg_id];
}

const char* timer_text(const Event& e, bool narrow) {
  switch (e.timer) {
    case TimerKind::Retransmit:
      if (e.reason == Reason::TimerRetransmitGiveUp) return narrow ? "give up" : "RTO: give up";
      return "RTO";
    case TimerKind::TimeWait:
      return "2MSL";
    case TimerKind::DelayedAck:
      return narrow ? "ACK" : "ACK timer";
  }
  return "timer";
}

// The application call beside its host: the RFC's call names, with the
// textbook's words for the two OPENs in Chinese (被动打开 / 主动打开).
std::string call_text(const Event& e, bool narrow, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (e.call) {
    case Call::OpenPassive: return narrow ? "OPEN" : zh ? "被动打开" : "passive OPEN";
    case Call::OpenActive: return narrow ? "OPEN" : zh ? "主动打开" : "active OPEN";
    case Call::Send: return "SEND " + std::to_string(e.arg);
    case Call::Close: return "CLOSE";
    case Call::Abort: return "ABORT";
  }
  return "call";
}

void add_note(Layout& L, Note n, Instant t) {
  const float pad = L.lh * 0.25f;
  float y = time_y(L, t);
  y = std::max(y, L.side_bottom[n.host] + L.lh * 0.5f + pad * 0.5f);
  n.y = y;
  L.side_bottom[n.host] = y + L.lh * 0.5f;
  commit(L, y, t);
  L.notes.push_back(std::move(n));
}

void add_arrow(Layout& L, Arrow a, const Event& e, std::size_t i) {
  const float pad = L.lh * 0.3f;
  std::string text = concealed_label(L.hide, e.seg_id, e.seg);
  if (a.duplicate) text += L.lang == Lang::Zh ? " (重复)" : " (duplicate)";
  if (a.injected) text += L.lang == Lang::Zh ? " (从外部注入)" : " (from outside)";
  wrap_label(a, text, L.wrap_w);
  float y = time_y(L, e.time);
  const float label_h = static_cast<float>(a.lines) * L.lh;
  // Its label sits above its start: below the previous label, and below any
  // arrowhead that just reached this host (a reply starts under the segment
  // it answers).
  y = std::max(y, L.mid_bottom + label_h + pad);
  if (!a.injected) y = std::max(y, L.arr_last[a.from] + label_h + pad);
  a.y0 = y;
  a.t0 = e.time;
  commit(L, y, e.time);
  L.mid_bottom = y + pad * 0.5f;
  if (a.injected) {
    // From outside the channel: a short arrow from the middle to the host.
    const int to = e.host & 1;
    a.y1 = std::max(y + L.lh * 1.2f, L.arr_last[to] + L.lh * 0.75f);
    a.t1 = e.time;
    a.fate = Fate::Delivered;
    a.end_ev = i;
    L.arr_last[to] = a.y1;
    commit(L, a.y1, e.time);
    L.injected_ev = i;
    L.injected_arrow = static_cast<std::int32_t>(L.arrows.size());
    L.max_span = std::max(L.max_span, a.y1 - a.y0);
  }
  if (a.seg_id != 0) {
    if (L.arrow_of_seg.size() <= a.seg_id) L.arrow_of_seg.resize(a.seg_id + 1, -1);
    L.arrow_of_seg[a.seg_id] = static_cast<std::int32_t>(L.arrows.size());
  }
  L.arrows.push_back(std::move(a));
}

void place_event(Layout& L, const Trace& trace, std::size_t i) {
  const Event& e = trace[i];
  const int h = e.host & 1;
  switch (e.kind) {
    case EventKind::Sent:
    case EventKind::Duplicated: {
      Arrow a;
      a.seg_id = e.seg_id;
      a.from = static_cast<std::uint8_t>(h);
      a.duplicate = e.kind == EventKind::Duplicated;
      add_arrow(L, std::move(a), e, i);
      break;
    }
    case EventKind::Injected: {
      Arrow a;
      a.from = static_cast<std::uint8_t>(h ^ 1);
      a.injected = true;
      add_arrow(L, std::move(a), e, i);
      break;
    }
    case EventKind::Delivered:
    case EventKind::Lost:
    case EventKind::Dropped: {
      const std::int32_t ai = arrow_index(L, e.seg_id);
      if (ai < 0) break;
      Arrow& a = L.arrows[static_cast<std::size_t>(ai)];
      float y = time_y(L, e.time);
      y = std::max(y, a.y0 + (e.kind == EventKind::Dropped ? L.lh * 0.6f : L.lh));
      if (e.kind == EventKind::Delivered) y = std::max(y, L.arr_last[h] + L.lh * 0.75f);
      a.y1 = y;
      a.t1 = e.time;
      a.end_ev = i;
      if (e.kind == EventKind::Delivered) {
        a.fate = Fate::Delivered;
        L.arr_last[h] = y;
      } else if (e.kind == EventKind::Lost) {
        a.fate = Fate::Lost;
      } else {
        a.fate = Fate::Dropped;
        // How far it had travelled: from the arrival the network had planned
        // (seen while it was in flight), else from the nominal latency.
        const std::vector<Instant>& plan = planned_arrival();
        Instant planned = e.seg_id < plan.size() ? plan[e.seg_id] : 0;
        if (planned <= a.t0 || planned == NEVER) planned = a.t0 + std::max<Instant>(1, L.latency);
        const float f = static_cast<float>(e.time - a.t0) / static_cast<float>(planned - a.t0);
        a.frac = std::clamp(f, 0.12f, 0.88f);
      }
      commit(L, y, e.time);
      L.max_span = std::max(L.max_span, y - a.y0);
      break;
    }
    case EventKind::Accepted:
    case EventKind::Rejected: {
      std::int32_t ai = arrow_index(L, e.seg_id);
      if (ai < 0 && e.seg_id == 0 && L.injected_ev != NONE && L.injected_ev + 1 == i) ai = L.injected_arrow;
      if (ai < 0) break;
      Arrow& a = L.arrows[static_cast<std::size_t>(ai)];
      if (a.verdict_ev != NONE) break;
      a.verdict_ev = i;
      a.rejected = e.kind == EventKind::Rejected;
      break;
    }
    case EventKind::StateChanged: {
      Note n;
      n.kind = NoteKind::State;
      n.host = static_cast<std::uint8_t>(h);
      n.state = e.to;
      n.ev = i;
      add_note(L, std::move(n), e.time);
      break;
    }
    case EventKind::Call: {
      Note n;
      n.kind = NoteKind::Call;
      n.host = static_cast<std::uint8_t>(h);
      n.ev = i;
      n.text = call_text(e, false, L.lang);
      n.short_text = call_text(e, true, L.lang);
      add_note(L, std::move(n), e.time);
      break;
    }
    case EventKind::TimerFired: {
      Note n;
      n.kind = NoteKind::Timer;
      n.host = static_cast<std::uint8_t>(h);
      n.ev = i;
      n.text = timer_text(e, false);
      n.short_text = timer_text(e, true);
      add_note(L, std::move(n), e.time);
      break;
    }
    case EventKind::CallError:
    case EventKind::Signal:
      // The log tells these; the ladder shows what went on the wire.
      break;
  }
}

void reset_layout(Layout& L, float lh, float wrap_w, float k, Instant latency, float top, Lang lang,
                  const Concealed& hide) {
  L = Layout{};
  L.lang = lang;
  L.hide = hide;
  L.lh = lh;
  L.wrap_w = wrap_w;
  L.k = k;
  L.latency = latency;
  L.top = top;
  L.mid_bottom = top - lh;
  // Both hosts start in CLOSED.
  for (int h = 0; h < 2; ++h) {
    Note n;
    n.host = static_cast<std::uint8_t>(h);
    n.y = top;
    L.side_bottom[h] = top + lh * 0.5f;
    L.notes.push_back(n);
  }
}

// Brings the cached layout up to date with the trace.
void update_layout(Layout& L, const Trace& trace, float lh, float wrap_w, float k, Instant latency,
                   float top, Lang lang, const Concealed& hide) {
  const bool metrics_same = L.lh == lh && L.wrap_w == wrap_w && L.k == k && L.latency == latency &&
                            L.top == top && L.lang == lang && L.hide == hide;
  const bool extends = metrics_same && L.source == &trace && trace.size() >= L.events &&
                       (L.events == 0 || same_event(trace[L.events - 1], L.last));
  if (!extends || L.lh == 0) {
    reset_layout(L, lh, wrap_w, k, latency, top, lang, hide);
  }
  L.source = &trace;
  for (std::size_t i = L.events; i < trace.size(); ++i) place_event(L, trace, i);
  L.events = trace.size();
  if (!trace.empty()) L.last = trace.back();
}

// ---------------------------------------------------------------------------
// [SECTION] Drawing helpers
// ---------------------------------------------------------------------------


ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); }


bool in_rect(ImVec2 p, ImVec2 mn, ImVec2 mx) { return p.x >= mn.x && p.x <= mx.x && p.y >= mn.y && p.y <= mx.y; }


void cross(ImDrawList* dl, ImVec2 c, float r, ImU32 col) {
  dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), col, 2.5f);
  dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), col, 2.5f);
}

// A small clock: the timer glyph.
void clock_glyph(ImDrawList* dl, ImVec2 c, float r, ImU32 col) {
  dl->AddCircle(c, r, col, 16, 1.5f);
  dl->AddLine(c, ImVec2(c.x, c.y - r * 0.65f), col, 1.5f);
  dl->AddLine(c, ImVec2(c.x + r * 0.5f, c.y), col, 1.5f);
}

// The part of a-b inside the rectangle [lo, hi], as fractions [t0, t1] of
// it (Liang-Barsky); false when none of it is.
bool clip_segment(ImVec2 a, ImVec2 b, ImVec2 lo, ImVec2 hi, float& t0, float& t1) {
  t0 = 0.0f;
  t1 = 1.0f;
  const float p[4] = {-(b.x - a.x), b.x - a.x, -(b.y - a.y), b.y - a.y};
  const float q[4] = {a.x - lo.x, hi.x - a.x, a.y - lo.y, hi.y - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0.0f) {
      if (q[i] < 0.0f) return false;
      continue;
    }
    const float r = q[i] / p[i];
    if (p[i] < 0.0f) t0 = std::max(t0, r);
    else t1 = std::min(t1, r);
  }
  return t0 < t1;
}

// Dashes only where they can be seen: a segment far out of the view (a
// share link with thousands in flight) costs no vertices.
void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len < 1e-3f || !(dash > 0.0f)) return;
  const ImVec2 m(thickness + 1.0f, thickness + 1.0f);
  const ImVec2 lo = dl->GetClipRectMin(), hi = dl->GetClipRectMax();
  float t0 = 0, t1 = 1;
  if (!clip_segment(a, b, ImVec2(lo.x - m.x, lo.y - m.y), ImVec2(hi.x + m.x, hi.y + m.y), t0, t1)) return;
  const float period = dash * 2;
  const float end = t1 * len;
  for (float s = std::floor(t0 * len / period) * period; s < end; s += period) {
    const float e = std::min(len, s + dash);
    dl->AddLine(lerp(a, b, s / len), lerp(a, b, e / len), col, thickness);
  }
}

// The RFC 9293 state names, or the short forms of its Figure 5 when the
// columns beside the lines are narrow.
const char* short_state(State s) {
  switch (s) {
    case State::Closed: return "CLOSED";
    case State::Listen: return "LISTEN";
    case State::SynSent: return "SYN-SENT";
    case State::SynReceived: return "SYN-RCVD";
    case State::Established: return "ESTAB";
    case State::FinWait1: return "FIN-WAIT-1";
    case State::FinWait2: return "FIN-WAIT-2";
    case State::CloseWait: return "CLOSE-WAIT";
    case State::Closing: return "CLOSING";
    case State::LastAck: return "LAST-ACK";
    case State::TimeWait: return "TIME-WAIT";
  }
  return "?";
}

std::string seconds(Instant t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(t) / 1000.0);
  return buf;
}

// One segment still in flight, as drawn this frame.
struct Moving {
  std::int32_t arrow = -1;
  std::uint32_t id = 0;
  float target_y = 0;  // layout y where it will arrive
  float progress = 0;  // 0..1 of the way
};

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] draw_ladder
// ---------------------------------------------------------------------------

void draw_ladder(App& app, ImVec2 pos, ImVec2 size) {
  static Layout L;
  const Palette& pal = palette();
  const Ink ink = make_ink(pal);
  const Simulation& sim = app.sim;
  const Trace& trace = app.ladder_trace();

  ImGui::SetCursorScreenPos(pos);
  hook_rect("ladder", pos, ImVec2(pos.x + size.x, pos.y + size.y));
  if (!ImGui::BeginChild("ladder", size, true, ImGuiWindowFlags_AlwaysVerticalScrollbar)) {
    ImGui::EndChild();
    return;
  }

  if (concealed(app).ladder) {  // the question asks for this ladder
    text_wrapped(tr(app, "The ladder is hidden while the question asks about it.", "提问期间隐藏时序图。"));
    ImGui::EndChild();
    return;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float lh = ImGui::GetTextLineHeight();
  const float m = std::max(4.0f, lh * 0.5f);
  const ImVec2 origin = ImGui::GetCursorScreenPos();  // layout (0, 0), scrolled
  const float avail = std::max(1.0f, ImGui::GetContentRegionAvail().x);
  const ImVec2 clip_min = dl->GetClipRectMin();
  const ImVec2 clip_max = dl->GetClipRectMax();
  const ImVec2 win_pos = ImGui::GetWindowPos();
  const float header_h = lh + 2.0f * ImGui::GetStyle().FramePadding.y + 2.0f;
  const float header_bottom = std::max(clip_min.y, win_pos.y) + header_h;

  // Columns beside the lines for the notes; the RFC's short names when narrow.
  const float glyph_w = lh;
  const float full_col = std::max({ImGui::CalcTextSize("SYN-RECEIVED").x, ImGui::CalcTextSize("passive OPEN").x,
                                   ImGui::CalcTextSize("RTO: give up").x + glyph_w});
  // The widest short name (CLOSE-WAIT in most fonts, not FIN-WAIT-1).
  float short_col = 0;
  for (int k = 0; k < STATE_COUNT; ++k)
    short_col = std::max(short_col, ImGui::CalcTextSize(short_state(static_cast<State>(k))).x);
  const bool narrow = avail - 2.0f * (full_col + m) < lh * 14.0f;
  const float col_w = narrow ? short_col : full_col;
  const float xA = origin.x + col_w + m;
  const float xB = std::max(xA + lh * 4.0f, origin.x + avail - col_w - m);
  const float xs[2] = {xA, xB};
  const float wrap_w = std::floor(std::max(lh * 4.0f, xB - xA - 2.0f * m - lh));

  const Instant latency = std::max(1, app.settings.latency_ms);
  const float k = lh * 2.6f / static_cast<float>(std::clamp<Instant>(latency, 100, 1000));
  const float top = header_h + lh * 1.2f;
  const Concealed hide = concealed(app);
  update_layout(L, trace, lh, wrap_w, k, latency, top, app.lang, hide);

  // Segments in flight: where each will arrive and how far it has got.
  std::vector<Moving> moving;
  {
    std::vector<const InFlight*> fl;
    for (int dir = 0; dir < 2; ++dir)
      for (const InFlight& f : sim.network().in_flight(dir)) fl.push_back(&f);
    std::sort(fl.begin(), fl.end(), [](const InFlight* a, const InFlight* b) {
      return a->deliver_at != b->deliver_at ? a->deliver_at < b->deliver_at : a->id < b->id;
    });
    std::vector<Instant>& plan = planned_arrival();
    float last_head[2] = {L.arr_last[0], L.arr_last[1]};
    for (const InFlight* f : fl) {
      const std::int32_t ai = arrow_index(L, f->id);
      if (ai < 0) continue;
      const Arrow& a = L.arrows[static_cast<std::size_t>(ai)];
      if (a.fate != Fate::InFlight) continue;
      if (plan.size() <= f->id) plan.resize(f->id + 1, 0);
      plan[f->id] = f->deliver_at;
      const int to = f->from ^ 1;
      const Instant arrive = f->deliver_at == NEVER ? sim.now() + latency : f->deliver_at;
      float y = time_y_at(L, arrive);
      y = std::max({y, a.y0 + lh, last_head[to] + lh * 0.75f});
      last_head[to] = y;
      Moving mv;
      mv.arrow = ai;
      mv.id = f->id;
      mv.target_y = y;
      if (f->deliver_at == NEVER) {
        mv.progress = 0.5f;
      } else if (f->deliver_at <= f->sent_at) {
        mv.progress = 1.0f;
      } else {
        mv.progress = std::clamp(static_cast<float>(sim.now() - f->sent_at) /
                                     static_cast<float>(f->deliver_at - f->sent_at),
                                 0.0f, 1.0f);
      }
      moving.push_back(mv);
    }
  }

  float content_h = L.last_y + lh * 2.0f;
  for (const Moving& mv : moving) content_h = std::max(content_h, mv.target_y + lh * 2.0f);

  // Visible part of the layout.
  const float vis_top = header_bottom - origin.y - lh;
  const float vis_bottom = clip_max.y - origin.y + lh;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool hover_ok = ImGui::IsWindowHovered() && mouse.y >= header_bottom && mouse.y <= clip_max.y &&
                        mouse.x >= clip_min.x && mouse.x <= clip_max.x;
  const ImU32 bg = ink.bg;
  const ImU32 label_bg = with_alpha(bg, 0.88f);
  const float ah = std::max(5.0f, lh * 0.55f);

  // The two lines.
  const float line_top = std::max(header_bottom, origin.y + top - lh);
  for (int h = 0; h < 2; ++h)
    dl->AddLine(ImVec2(xs[h], line_top), ImVec2(xs[h], clip_max.y), with_alpha(ink.host[h], 0.75f), 2.0f);

  // Compressed idle gaps: a break in both lines and the time that passed.
  for (const Gap& g : L.gaps) {
    if (g.y < vis_top || g.y > vis_bottom) continue;
    const float y = origin.y + g.y;
    for (int h = 0; h < 2; ++h) {
      const float x = xs[h];
      dl->AddRectFilled(ImVec2(x - lh * 0.4f, y - lh * 0.3f), ImVec2(x + lh * 0.4f, y + lh * 0.3f), bg);
      dl->AddLine(ImVec2(x - lh * 0.4f, y - lh * 0.05f), ImVec2(x + lh * 0.4f, y - lh * 0.35f), ink.dim, 1.5f);
      dl->AddLine(ImVec2(x - lh * 0.4f, y + lh * 0.35f), ImVec2(x + lh * 0.4f, y + lh * 0.05f), ink.dim, 1.5f);
    }
    const ImVec2 ts = ImGui::CalcTextSize(g.text.c_str());
    dl->AddText(ImVec2((xA + xB - ts.x) * 0.5f, y - ts.y * 0.5f), ink.dim, g.text.c_str());
  }

  // Hover candidates, resolved after drawing (the nearest wins).
  enum class HoverKind { None, Arrow, Moving, Note };
  HoverKind hover_kind = HoverKind::None;
  std::size_t hover_index = 0;
  float hover_dist = 1e9f;
  auto offer = [&](HoverKind kind, std::size_t index, float d) {
    if (d < hover_dist) {
      hover_kind = kind;
      hover_index = index;
      hover_dist = d;
    }
  };

  auto label_pos = [&](const Arrow& a, ImVec2 p0) {
    const float lbl_h = static_cast<float>(a.lines) * lh;
    float x;
    if (a.injected) x = p0.x - a.label_w * 0.5f;
    else x = a.from == 0 ? xA + m : xB - m - a.label_w;
    return ImVec2(x, p0.y - lbl_h - lh * 0.2f);
  };
  auto start_of = [&](const Arrow& a) {
    if (a.injected) return ImVec2((xA + xB) * 0.5f, origin.y + a.y0);
    return ImVec2(xs[a.from], origin.y + a.y0);
  };

  // Arrows in the visible band (they are ordered by y0; none is taller
  // than max_span, counting those in flight).
  float span = L.max_span;
  for (const Moving& mv : moving) span = std::max(span, mv.target_y - L.arrows[static_cast<std::size_t>(mv.arrow)].y0);
  const auto above = [](const Arrow& a, float y) { return a.y0 < y; };
  auto first = std::lower_bound(L.arrows.begin(), L.arrows.end(), vis_top - span, above);
  // Of the arrows that start above the view and cross it, only the nearest
  // MAX_CROSSING: a capture whose segments all stay in flight to its end
  // (one direction captured) would otherwise lay out every segment's line
  // and label each frame (issue 18: work in what is seen, not in the input).
  const auto in_view = std::lower_bound(first, L.arrows.end(), vis_top, above);
  if (in_view - first > MAX_CROSSING) first = in_view - MAX_CROSSING;
  std::vector<std::size_t> drawn;
  for (auto it = first; it != L.arrows.end() && it->y0 - lh * 4.0f <= vis_bottom; ++it) {
    const std::size_t idx = static_cast<std::size_t>(it - L.arrows.begin());
    const Arrow& a = *it;
    if (a.fate == Fate::InFlight) continue;  // drawn below, with the moving ones
    drawn.push_back(idx);
    const int to = a.from ^ 1;
    const ImU32 col = ink.host[a.injected ? to : a.from];
    const ImVec2 p0 = start_of(a);
    const ImVec2 p1(xs[to], origin.y + a.y1);
    switch (a.fate) {
      case Fate::Delivered: {
        if (a.injected) {
          dashed_line(dl, p0, p1, col, 1.8f, lh * 0.35f);
          dl->AddCircle(p0, lh * 0.22f, col, 12, 1.5f);
        } else {
          dl->AddLine(p0, p1, col, 1.8f);
        }
        arrow_head(dl, p0, p1, ah, col);
        if (a.rejected) {
          const float r = lh * 0.45f;
          const ImVec2 c(p1.x + (to == 0 ? r * 0.2f : -r * 0.2f), p1.y);
          dl->AddCircle(c, r, pal.rejected, 20, 2.5f);
          dl->AddLine(ImVec2(c.x - r * 0.7f, c.y + r * 0.7f), ImVec2(c.x + r * 0.7f, c.y - r * 0.7f), pal.rejected, 2.5f);
          if (hover_ok) {
            const float d = std::hypot(mouse.x - c.x, mouse.y - c.y);
            if (d <= r + 6.0f) offer(HoverKind::Arrow, idx, d * 0.5f);
          }
        }
        if (hover_ok) offer(HoverKind::Arrow, idx, dist_to_segment(mouse, p0, p1) + 1.0f);
        break;
      }
      case Fate::Lost:
      case Fate::Dropped: {
        const ImVec2 end = a.fate == Fate::Lost ? lerp(p0, p1, 0.5f)
                                                : ImVec2(p0.x + (p1.x - p0.x) * a.frac, origin.y + a.y1);
        dl->AddLine(p0, end, col, 1.8f);
        cross(dl, end, lh * 0.38f, pal.lost);
        if (hover_ok) {
          offer(HoverKind::Arrow, idx, dist_to_segment(mouse, p0, end) + 1.0f);
          offer(HoverKind::Arrow, idx, std::hypot(mouse.x - end.x, mouse.y - end.y) - lh * 0.4f);
        }
        break;
      }
      case Fate::InFlight:
        break;
    }
  }

  // Segments in flight: the arrow grows towards the receiver; a faint dotted
  // line shows the rest of the way. A click drops one.
  struct HitBox {
    ImVec2 min, max;
  };
  std::vector<HitBox> moving_box(moving.size());
  for (std::size_t mi = 0; mi < moving.size(); ++mi) {
    const Moving& mv = moving[mi];
    const Arrow& a = L.arrows[static_cast<std::size_t>(mv.arrow)];
    const int to = a.from ^ 1;
    const ImVec2 p0 = start_of(a);
    const ImVec2 p1(xs[to], origin.y + mv.target_y);
    const ImVec2 tip = lerp(p0, p1, mv.progress);
    const ImU32 col = ink.host[a.from];
    dashed_line(dl, tip, p1, with_alpha(col, 0.35f), 1.0f, lh * 0.2f);
    // The clickable area: the label, at least 24 px tall and 2 lines wide,
    // and a band along the arrow (checked separately).
    const ImVec2 lp = label_pos(a, p0);
    const float lbl_h = static_cast<float>(a.lines) * lh;
    const float grow_y = std::max(0.0f, (24.0f - lbl_h) * 0.5f) + 2.0f;
    HitBox hb{ImVec2(lp.x - 4.0f, lp.y - grow_y), ImVec2(lp.x + std::max(a.label_w, lh * 3.0f) + 4.0f, p0.y + grow_y * 0.5f + 2.0f)};
    moving_box[mi] = hb;
    if (hover_ok) {
      const float band = std::max(12.0f, lh * 0.9f);
      const float d = dist_to_segment(mouse, p0, tip);
      if (in_rect(mouse, hb.min, hb.max)) offer(HoverKind::Moving, mi, 0.0f);
      else if (d <= band) offer(HoverKind::Moving, mi, d * 0.5f);
      else if (std::hypot(mouse.x - tip.x, mouse.y - tip.y) <= band + 4.0f) offer(HoverKind::Moving, mi, 1.0f);
    }
    dl->AddLine(p0, tip, col, 2.5f);
    if (std::hypot(tip.x - p0.x, tip.y - p0.y) > ah) arrow_head(dl, p0, tip, ah * 1.15f, col);
    else dl->AddCircleFilled(tip, ah * 0.45f, col);
    // The hook covers the label; clipped to what is visible.
    const ImVec2 hmin(std::max(hb.min.x, clip_min.x), std::max(hb.min.y, header_bottom));
    const ImVec2 hmax(std::min(hb.max.x, clip_max.x), std::min(hb.max.y, clip_max.y));
    if (hmin.x < hmax.x && hmin.y < hmax.y) {
      const std::string name = "ladder.seg." + std::to_string(mv.id);
      hook_rect(name.c_str(), hmin, hmax);
    }
  }

  // Labels, over the arrows so lines never cross the text.
  auto draw_label = [&](const Arrow& a, bool highlight, bool in_flight) {
    const ImVec2 p0 = start_of(a);
    const ImVec2 lp = label_pos(a, p0);
    const float lbl_h = static_cast<float>(a.lines) * lh;
    const ImVec2 mn(lp.x - 3.0f, lp.y - 1.0f), mx(lp.x + a.label_w + 3.0f, lp.y + lbl_h + 1.0f);
    const ImU32 col = ink.host[a.injected ? a.from ^ 1 : a.from];
    dl->AddRectFilled(mn, mx, highlight ? with_alpha(col, 0.35f) : label_bg, 3.0f);
    if (in_flight) dl->AddRect(mn, mx, with_alpha(col, highlight ? 1.0f : 0.6f), 3.0f, 0, 1.0f);
    dl->AddText(lp, ink.text, a.label.c_str());
  };
  if (hover_ok) {
    for (std::size_t idx : drawn) {
      const Arrow& a = L.arrows[idx];
      const ImVec2 lp = label_pos(a, start_of(a));
      if (in_rect(mouse, lp, ImVec2(lp.x + a.label_w, lp.y + static_cast<float>(a.lines) * lh)))
        offer(HoverKind::Arrow, idx, 0.5f);
    }
  }
  const float near = std::max(6.0f, lh * 0.5f);
  for (std::size_t idx : drawn) {
    // The segment a number question asks about stands out too.
    const bool asked = L.hide.seg_id != 0 && L.arrows[idx].seg_id == L.hide.seg_id;
    draw_label(L.arrows[idx], asked || (hover_kind == HoverKind::Arrow && hover_index == idx && hover_dist <= near),
               false);
  }
  for (std::size_t mi = 0; mi < moving.size(); ++mi)
    draw_label(L.arrows[static_cast<std::size_t>(moving[mi].arrow)], hover_kind == HoverKind::Moving && hover_index == mi, true);

  // Notes beside the lines: states in the host's colour, calls dimmed,
  // timers with a clock.
  const auto first_note = std::lower_bound(L.notes.begin(), L.notes.end(), vis_top - lh,
                                           [](const Note& n, float y) { return n.y < y; });
  // A host whose state a question asks for: its newest state is a "?".
  std::size_t newest[2] = {NONE, NONE};
  for (std::size_t i = 0; i < L.notes.size(); ++i)
    if (L.notes[i].kind == NoteKind::State && L.hide.state[L.notes[i].host & 1]) newest[L.notes[i].host & 1] = i;
  for (auto it = first_note; it != L.notes.end() && it->y <= vis_bottom; ++it) {
    const Note& n = *it;
    const int h = n.host & 1;
    const float y = origin.y + n.y;
    std::string text;
    ImU32 col = ink.host[h];
    float extra = 0;
    const bool hidden = newest[h] == static_cast<std::size_t>(it - L.notes.begin());
    switch (n.kind) {
      case NoteKind::State: text = hidden ? "?" : narrow ? short_state(n.state) : state_name(n.state); break;
      case NoteKind::Call: text = narrow ? n.short_text : n.text; col = ink.dim; break;
      case NoteKind::Timer: text = narrow ? n.short_text : n.text; col = ink.text; extra = glyph_w; break;
    }
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    const float w = ts.x + extra;
    const float x = h == 0 ? xA - m - w : xB + m;
    if (n.kind == NoteKind::State) {
      dl->AddCircleFilled(ImVec2(xs[h], y), lh * 0.22f, ink.host[h]);
      dl->AddLine(ImVec2(h == 0 ? xA - m * 0.8f : xB + 2.0f, y), ImVec2(h == 0 ? xA - 2.0f : xB + m * 0.8f, y),
                  with_alpha(ink.host[h], 0.7f), 1.0f);
    }
    if (n.kind == NoteKind::Timer) clock_glyph(dl, ImVec2(x + glyph_w * 0.45f, y), lh * 0.36f, ink.host[h]);
    dl->AddText(ImVec2(x + extra, y - ts.y * 0.5f), col, text.c_str());
    if (hover_ok && !hidden && n.ev != NONE && in_rect(mouse, ImVec2(x - 2.0f, y - lh * 0.6f), ImVec2(x + w + 2.0f, y + lh * 0.6f)))
      offer(HoverKind::Note, static_cast<std::size_t>(it - L.notes.begin()), 0.5f);
  }

  if (trace.empty()) {
    const char* hint = tr(app, "Segments and state changes appear here as they happen.",
                          "报文段和状态变化会在发生时显示在这里。");
    const std::string lines = wrap_text(hint, xB - xA - 2.0f * m);
    hint = lines.c_str();
    const ImVec2 ts = ImGui::CalcTextSize(hint, nullptr, false, xB - xA - 2.0f * m);
    ImGui::SetCursorScreenPos(ImVec2((xA + xB - ts.x) * 0.5f, origin.y + top + lh * 2.0f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + xB - xA - 2.0f * m);
    ImGui::PushStyleColor(ImGuiCol_Text, ink.dim);
    ImGui::TextUnformatted(hint);
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
  }

  // Hover: tooltips, and a click drops a segment in flight.
  if (hover_kind == HoverKind::Moving) {
    const Moving& mv = moving[hover_index];
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::SetTooltip("%s\n%s", L.arrows[static_cast<std::size_t>(mv.arrow)].label.c_str(),
                      tr(app, "click to drop", "点击丢弃这个报文段"));
    if (ImGui::IsMouseClicked(0)) {
      Command c;
      c.kind = CommandKind::Drop;
      c.seg_id = mv.id;
      app.push(c);
    }
  } else if (hover_kind == HoverKind::Arrow && hover_dist <= near) {
    const Arrow& a = L.arrows[hover_index];
    std::string tip = concealed_label(L.hide, trace[a.end_ev].seg_id, trace[a.end_ev].seg);
    if (a.injected) {
      tip += tr(app, "\narrived from outside the channel at ", "\n从信道之外到达，时间 ") + seconds(a.t0);
    } else {
      tip += tr(app, "\nsent at ", "\n发送时间 ") + seconds(a.t0);
      switch (a.fate) {
        case Fate::Delivered: tip += tr(app, ", arrived at ", "，到达时间 "); break;
        case Fate::Lost: tip += tr(app, ", lost at ", "，丢失时间 "); break;
        case Fate::Dropped: tip += tr(app, ", dropped at ", "，被丢弃时间 "); break;
        case Fate::InFlight: break;
      }
      tip += seconds(a.t1);
    }
    const std::size_t why = a.verdict_ev != NONE ? a.verdict_ev : a.end_ev;
    if (why != NONE && why < trace.size()) tip += "\n" + describe_event(trace[why], app.lang);
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(tooltip_wrap());
    ImGui::TextUnformatted(tip.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  } else if (hover_kind == HoverKind::Note) {
    const Note& n = L.notes[hover_index];
    if (n.ev < trace.size()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(tooltip_wrap());
      ImGui::TextUnformatted((seconds(trace[n.ev].time) + ": " + describe_event(trace[n.ev], app.lang)).c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }

  // The header stays at the top: host names over their lines, the clock in
  // the middle.
  {
    const float hy = std::max(clip_min.y, win_pos.y);
    dl->AddRectFilled(ImVec2(clip_min.x, hy), ImVec2(clip_max.x, header_bottom), bg);
    dl->AddLine(ImVec2(clip_min.x, header_bottom), ImVec2(clip_max.x, header_bottom), ink.grid, 1.0f);
    const float ty = hy + (header_bottom - hy - lh) * 0.5f;
    float title_end[2] = {0, 0};  // right edge of the client's, left edge of the server's
    for (int h = 0; h < 2; ++h) {
      const char* title = host_title(app, h);
      const ImVec2 ts = ImGui::CalcTextSize(title);
      float x = xs[h] - ts.x * 0.5f;
      x = std::clamp(x, clip_min.x + 2.0f, clip_max.x - ts.x - 2.0f);
      dl->AddText(ImVec2(x, ty), ink.host[h], title);
      title_end[h] = h == 0 ? x + ts.x : x;
    }
    // The virtual clock, between the titles when it fits.
    char now[48];
    std::snprintf(now, sizeof now, "t = %.3f s", static_cast<double>(sim.now()) / 1000.0);
    const ImVec2 ts = ImGui::CalcTextSize(now);
    const float nx = (xA + xB - ts.x) * 0.5f;
    if (nx > title_end[0] + lh && nx + ts.x < title_end[1] - lh) dl->AddText(ImVec2(nx, ty), ink.dim, now);
  }

  // The content's size, then follow the bottom while new events arrive,
  // unless the learner scrolled up.
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(avail, content_h));
  // Following is the learner's choice: scrolling up stops it, scrolling
  // back to the bottom (or a new run) resumes it. A panel that changed
  // height (the lesson card beside it grew) does not stop it.
  static float last_content_h = 0, last_view_h = 0;
  static bool follow = true;
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2.0f;
  const bool learner_scrolled = ImGui::IsWindowHovered() && (ImGui::GetIO().MouseWheel != 0.0f || ImGui::IsMouseDragging(0));
  if (learner_scrolled || content_h < last_content_h) follow = at_bottom || content_h < last_content_h;
  // ImGui clamps the target to the new maximum: the view lands on the bottom.
  if (follow && (content_h != last_content_h || size.y != last_view_h || !at_bottom))
    ImGui::SetScrollY(content_h + size.y);
  last_content_h = content_h;
  last_view_h = size.y;

  ImGui::EndChild();
}

}  // namespace tcplab
