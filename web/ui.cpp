#include "ui.h"

#include "a11y.h"
#include "imgui_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <unordered_map>
#include <vector>

namespace tcplab {

const Palette& palette() {
  static const Palette p;
  return p;
}

Ink make_ink(const Palette& pal) {
  Ink k;
  k.text = pal.text;
  k.dim = pal.dim;
  k.grid = pal.grid;
  k.bg = ImGui::GetColorU32(ImGuiCol_WindowBg) | IM_COL32_A_MASK;
  for (int h = 0; h < 2; ++h) k.host[h] = pal.host(h);
  return k;
}

ImU32 with_alpha(ImU32 c, float a) {
  ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  v.w *= a;
  return ImGui::ColorConvertFloat4ToU32(v);
}

float dist_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float qx = a.x + dx * t - p.x, qy = a.y + dy * t - p.y;
  return std::sqrt(qx * qx + qy * qy);
}

void arrow_head(ImDrawList* dl, ImVec2 from, ImVec2 tip, float size, ImU32 col) {
  const float dx = tip.x - from.x, dy = tip.y - from.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len < 1e-3f) return;
  const float ux = dx / len, uy = dy / len;
  const ImVec2 base(tip.x - ux * size, tip.y - uy * size);
  const float w = size * 0.5f;
  dl->AddTriangleFilled(tip, ImVec2(base.x - uy * w, base.y + ux * w), ImVec2(base.x + uy * w, base.y - ux * w), col);
}

float tooltip_wrap() {
  const float fs = ImGui::GetFontSize();
  return std::min(fs * 28.0f, ImGui::GetMainViewport()->Size.x - fs * 2.0f);
}

namespace {
struct HookRect {
  std::string name;
  ImVec2 min, max;
};
std::vector<HookRect>& hooks() {
  static std::vector<HookRect> h;
  return h;
}
}  // namespace

void hooks_begin_frame() {
  hooks().clear();
  a11y_begin_frame();
}

void hook_rect(const char* name, ImVec2 min, ImVec2 max) {
  hooks().push_back(HookRect{name, min, max});
}

void hook_item(const char* name) {
  hook_rect(name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  a11y_on_hook(name);  // keyboard focus jumps land on hooked widgets
}

std::string hooks_json() {
  std::string out = "{";
  char buf[96];
  bool first = true;
  for (const HookRect& h : hooks()) {
    if (!first) out += ',';
    first = false;
    out += '"';
    for (char c : h.name) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    std::snprintf(buf, sizeof buf, "\":[%.1f,%.1f,%.1f,%.1f]", h.min.x, h.min.y, h.max.x - h.min.x,
                  h.max.y - h.min.y);
    out += buf;
  }
  return out + "}";
}

std::string label(const App& app, const char* en, const char* zh, const char* id) {
  return std::string(tr(app, en, zh)) + "###" + id;
}

const char* host_title(const App& app, int host) {
  static const char* EN[2] = {"Client", "Server"};
  static const char* ZH[2] = {"客户端", "服务器"};
  return app.lang == Lang::Zh ? ZH[host & 1] : EN[host & 1];
}

void draw_problem_list(App& app, const char* title, const char* intro, std::vector<std::string>& problems,
                       const char* dismiss_hook) {
  if (problems.empty()) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(vp->Size.x * 0.8f, 0));
  ImGui::Begin(title, nullptr, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
  text_wrapped(intro);
  const std::size_t shown = problems.size() < 12 ? problems.size() : 12;
  for (std::size_t i = 0; i < shown; ++i) {
    ImGui::Bullet();
    text_wrapped(problems[i].c_str());
  }
  if (problems.size() > shown) ImGui::TextDisabled("... %zu more", problems.size() - shown);
  const std::string dismiss = label(app, "Dismiss", "关闭", dismiss_hook);
  if (ImGui::Button(dismiss.c_str())) problems.clear();
  hook_item(dismiss_hook);
  ImGui::End();
}

namespace {

// Decodes one UTF-8 code point at `p` (malformed bytes stand for
// themselves) and returns its length.
int decode_utf8(const char* p, const char* end, unsigned& cp) {
  const auto b = [&](int k) { return static_cast<unsigned>(static_cast<unsigned char>(p[k])); };
  const unsigned c = b(0);
  if (c >= 0xE0 && c < 0xF0 && end - p >= 3) {
    cp = ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    return 3;
  }
  if (c >= 0xC0 && c < 0xE0 && end - p >= 2) {
    cp = ((c & 0x1Fu) << 6) | (b(1) & 0x3Fu);
    return 2;
  }
  if (c >= 0xF0 && end - p >= 4) {
    cp = ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
    return 4;
  }
  cp = c;
  return 1;
}

bool is_cjk(unsigned cp) { return cp >= 0x2E80 && cp <= 0xFFEF; }

// Marks that must not start a line (closing punctuation, in both widths).
bool no_line_start(unsigned cp) {
  static const unsigned MARKS[] = {0xFF0C, 0x3002, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, 0x3001, 0xFF09, 0x201D, 0x2019,
                                   0x300B, 0x3011, 0x2026, 0x300D, 0x300F, ',', '.', ':', ';', '?', '!', ')', ']'};
  for (unsigned m : MARKS)
    if (cp == m) return true;
  return false;
}

// Marks that must not end a line (opening punctuation).
bool no_line_end(unsigned cp) {
  static const unsigned MARKS[] = {0xFF08, 0x201C, 0x2018, 0x300A, 0x3010, 0x300C, 0x300E, '(', '['};
  for (unsigned m : MARKS)
    if (cp == m) return true;
  return false;
}

}  // namespace

std::string wrap_text(const char* text, float width) {
  ImFont* font = ImGui::GetFont();
  if (!font || width <= 0) return text;
  const char* end = text + std::strlen(text);
  const float scale = ImGui::GetFontSize() / font->FontSize;
  const auto advance = [&](unsigned cp) {
    return font->GetCharAdvance(static_cast<ImWchar>(cp <= 0xFFFF ? cp : '?')) * scale;
  };
  // Width of [from, to).
  const auto measure = [&](const char* from, const char* to) {
    float w = 0;
    for (const char* q = from; q < to;) {
      unsigned c = 0;
      q += decode_utf8(q, end, c);
      w += advance(c);
    }
    return w;
  };
  std::string out;
  const char* line = text;    // start of the current line
  const char* brk = nullptr;  // the last place the line may end, if any
  float line_w = 0;
  unsigned prev = 0;
  for (const char* p = text; p < end;) {
    unsigned cp = 0;
    const int n = decode_utf8(p, end, cp);
    if (cp == '\n') {
      out.append(line, p + 1);
      p += n;
      line = p;
      brk = nullptr;
      line_w = 0;
      prev = 0;
      continue;
    }
    if (p > line && (prev == ' ' || ((is_cjk(prev) || is_cjk(cp)) && !no_line_start(cp) && !no_line_end(prev))))
      brk = p;
    const float cw = advance(cp);
    if (line_w + cw > width && p > line) {
      // End the line at the last break (or here, when a run has none).
      const char* cut = brk ? brk : p;
      const char* last = cut;
      while (last > line && last[-1] == ' ') --last;
      out.append(line, last);
      out += '\n';
      line = cut;
      while (line < p && *line == ' ') ++line;
      brk = nullptr;
      line_w = measure(line, p);
    }
    line_w += cw;
    prev = cp;
    p += n;
  }
  out.append(line, end);
  return out;
}

namespace {

// A paragraph broken into lines, and the size of the result.
struct Wrapped {
  std::string text;   // the paragraph as given
  float width = 0;    // the width it was broken for
  const ImFont* font = nullptr;
  float font_size = 0;
  std::string lines;  // wrap_text's result
  ImVec2 size;        // of `lines`, as ImGui::TextUnformatted lays it out
  int used = 0;       // the frame it was last shown in
};

// Paragraphs shown in recent frames, by a hash of what they are broken by.
// Most text stays the same from frame to frame (the log, the hosts'
// labels), and breaking it again each frame was the bulk of the text work.
struct WrapCache {
  std::unordered_map<std::uint64_t, Wrapped> entries;
  int swept = 0;  // the frame of the last sweep
};
WrapCache& wrap_cache() {
  static WrapCache c;
  return c;
}

// Entries not shown for this many frames are dropped (a sweep each time).
constexpr int WRAP_KEEP_FRAMES = 120;

std::uint64_t wrap_key(const char* text, std::size_t n, float width, const ImFont* font, float size) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits
  const auto mix = [&h](const void* p, std::size_t len) {
    const unsigned char* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < len; ++i) h = (h ^ b[i]) * 1099511628211ull;
  };
  mix(text, n);
  mix(&width, sizeof width);
  mix(&font, sizeof font);
  mix(&size, sizeof size);
  return h;
}

void sweep_wrap_cache(WrapCache& c, int frame) {
  if (frame - c.swept < WRAP_KEEP_FRAMES) return;
  c.swept = frame;
  for (auto it = c.entries.begin(); it != c.entries.end();)
    it = frame - it->second.used > WRAP_KEEP_FRAMES ? c.entries.erase(it) : std::next(it);
}

// `text` broken for `width` in the current font: from the cache, or broken
// now and kept.
const Wrapped& wrapped(const char* text, float width) {
  WrapCache& c = wrap_cache();
  const int frame = ImGui::GetFrameCount();
  sweep_wrap_cache(c, frame);
  const ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize();
  const std::size_t n = std::strlen(text);
  Wrapped& w = c.entries[wrap_key(text, n, width, font, size)];
  const bool same = w.width == width && w.font == font && w.font_size == size && w.text.size() == n &&
                    std::memcmp(w.text.data(), text, n) == 0;
  if (!same) {
    w.text.assign(text, n);
    w.width = width;
    w.font = font;
    w.font_size = size;
    w.lines = wrap_text(text, width);
    w.size = ImGui::CalcTextSize(w.lines.c_str(), w.lines.c_str() + w.lines.size(), false, -1.0f);
  }
  w.used = frame;
  return w;
}

}  // namespace

// One line breaker for both languages: ImGui's own wrapping would measure
// English the same way, but a single path keeps the two from drifting.
// Out of view (a long log scrolled away) only the room is taken: the item
// TextUnformatted would have laid out (on a line of its own its text sits at
// the cursor, and both lay out an item of the text's size), without
// measuring or drawing the text.
void text_wrapped(const char* text) {
  const Wrapped& w = wrapped(text, ImGui::GetContentRegionAvail().x);
  const bool own_line = ImGui::GetCurrentWindowRead()->DC.CurrLineTextBaseOffset == 0.0f;
  if (own_line && !ImGui::IsRectVisible(w.size)) {
    ImGui::Dummy(w.size);
    return;
  }
  ImGui::TextUnformatted(w.lines.c_str(), w.lines.c_str() + w.lines.size());
}

void text_wrapped(const std::string& text) { text_wrapped(text.c_str()); }

void text_wrappedf(const char* fmt, ...) {
  char buf[1024];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  text_wrapped(buf);
}

}  // namespace tcplab
