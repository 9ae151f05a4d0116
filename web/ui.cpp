#include "ui.h"

#include <cstdio>
#include <vector>

namespace tcplab {

const Palette& palette() {
  static const Palette p;
  return p;
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

void hooks_begin_frame() { hooks().clear(); }

void hook_rect(const char* name, ImVec2 min, ImVec2 max) {
  hooks().push_back(HookRect{name, min, max});
}

void hook_item(const char* name) { hook_rect(name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()); }

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

}  // namespace tcplab
