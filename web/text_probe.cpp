// Test hook: every text run drawn in the last frame, with the rectangle it
// covers and the clip rectangle it was drawn under, so the browser tests can
// measure what the learner can read (a run that crosses its clip is cut).
//
// Every piece of text ImGui draws, widget labels included, goes through
// ImDrawList::AddText. The link wraps both overloads (wasm-ld --wrap, see
// web/CMakeLists.txt): __wrap_X records the run and calls __real_X, so the
// third-party sources stay as Debian ships them. The recorder stays off
// (one branch per run) until a test first asks for the runs.
#include <cfloat>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "text_probe.h"

namespace tcplab {
namespace {

struct TextRun {
  std::string text;
  ImVec4 rect;  // x, y, w, h
  ImVec4 clip;  // x0, y0, x1, y1
  std::string window;
  bool scrolls;  // the window, or one around it, scrolls vertically (a vertical cut is allowed)
};

struct Probe {
  bool on = false;
  std::vector<TextRun> frame;  // being drawn
  std::vector<TextRun> last;   // the last frame drawn
};
Probe& probe() {
  static Probe p;
  return p;
}

void record(ImDrawList* dl, const ImFont* font, float size, const ImVec2& pos, ImU32 col, const char* b, const char* e,
            float wrap_width, const ImVec4* fine) {
  if (!probe().on || (col & IM_COL32_A_MASK) == 0 || !b) return;
  if (!e) e = b + std::strlen(b);
  if (b == e) return;
  if (!font) font = dl->_Data->Font;
  if (size == 0.0f) size = dl->_Data->FontSize;
  if (!font) return;
  const ImVec2 sz = font->CalcTextSizeA(size, FLT_MAX, wrap_width, b, e);
  ImVec4 clip = dl->_CmdHeader.ClipRect;
  if (fine) {
    clip.x = ImMax(clip.x, fine->x);
    clip.y = ImMax(clip.y, fine->y);
    clip.z = ImMin(clip.z, fine->z);
    clip.w = ImMin(clip.w, fine->w);
  }
  const ImGuiWindow* w = GImGui ? GImGui->CurrentWindow : nullptr;
  // A panel inside a page that scrolls (the narrow layouts) may be cut at
  // the screen's edge: the learner scrolls the page to read on.
  bool scrolls = false;
  for (const ImGuiWindow* p = w; p && !scrolls; p = p->ParentWindow) scrolls = p->ScrollMax.y > 0.0f;
  TextRun run{std::string(b, e), ImVec4(pos.x, pos.y, sz.x, sz.y), clip, w ? w->Name : "", scrolls};
  probe().frame.push_back(std::move(run));
}

void append_json_string(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

}  // namespace

void text_probe_end_frame() {
  Probe& p = probe();
  if (!p.on) return;
  p.last.swap(p.frame);
  p.frame.clear();
}

std::string text_probe_json() {
  Probe& p = probe();
  p.on = true;
  std::string out = "[";
  char buf[160];
  for (std::size_t i = 0; i < p.last.size(); ++i) {
    const TextRun& r = p.last[i];
    out += i ? ",{\"text\":" : "{\"text\":";
    append_json_string(out, r.text);
    std::snprintf(buf, sizeof buf, ",\"rect\":[%.1f,%.1f,%.1f,%.1f],\"clip\":[%.1f,%.1f,%.1f,%.1f],\"window\":",
                  r.rect.x, r.rect.y, r.rect.z, r.rect.w, r.clip.x, r.clip.y, r.clip.z, r.clip.w);
    out += buf;
    append_json_string(out, r.window);
    out += r.scrolls ? ",\"scrolls\":true}" : ",\"scrolls\":false}";
  }
  return out + "]";
}

}  // namespace tcplab

// The wrapped symbols: ImDrawList::AddText(const ImFont*, float, const
// ImVec2&, ImU32, const char*, const char*, float, const ImVec4*) and
// ImDrawList::AddText(const ImVec2&, ImU32, const char*, const char*), by
// their Itanium names (the member's `this` comes first).
extern "C" {
void __real__ZN10ImDrawList7AddTextEPK6ImFontfRK6ImVec2jPKcS7_fPK6ImVec4(ImDrawList*, const ImFont*, float,
                                                                          const ImVec2&, ImU32, const char*,
                                                                          const char*, float, const ImVec4*);
void __wrap__ZN10ImDrawList7AddTextEPK6ImFontfRK6ImVec2jPKcS7_fPK6ImVec4(ImDrawList* dl, const ImFont* font,
                                                                          float size, const ImVec2& pos, ImU32 col,
                                                                          const char* b, const char* e, float wrap,
                                                                          const ImVec4* fine) {
  tcplab::record(dl, font, size, pos, col, b, e, wrap, fine);
  __real__ZN10ImDrawList7AddTextEPK6ImFontfRK6ImVec2jPKcS7_fPK6ImVec4(dl, font, size, pos, col, b, e, wrap, fine);
}
void __real__ZN10ImDrawList7AddTextERK6ImVec2jPKcS5_(ImDrawList*, const ImVec2&, ImU32, const char*, const char*);
void __wrap__ZN10ImDrawList7AddTextERK6ImVec2jPKcS5_(ImDrawList* dl, const ImVec2& pos, ImU32 col, const char* b,
                                                     const char* e) {
  // Recorded here: this overload reaches the other inside imgui_draw.cpp,
  // where the wrap does not apply.
  tcplab::record(dl, nullptr, 0.0f, pos, col, b, e, 0.0f, nullptr);
  __real__ZN10ImDrawList7AddTextERK6ImVec2jPKcS5_(dl, pos, col, b, e);
}
}
