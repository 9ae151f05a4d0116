#include "ui.h"

#include "a11y.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
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
  ImGui::TextWrapped("%s", intro);
  const std::size_t shown = problems.size() < 12 ? problems.size() : 12;
  for (std::size_t i = 0; i < shown; ++i) {
    ImGui::Bullet();
    ImGui::TextWrapped("%s", problems[i].c_str());
  }
  if (problems.size() > shown) ImGui::TextDisabled("... %zu more", problems.size() - shown);
  const std::string dismiss = label(app, "Dismiss", "关闭", dismiss_hook);
  if (ImGui::Button(dismiss.c_str())) problems.clear();
  hook_item(dismiss_hook);
  ImGui::End();
}

}  // namespace tcplab
