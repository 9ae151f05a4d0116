// The log: every trace entry as a sentence, in the current language.
#include <cstdio>
#include <string>
#include <vector>

#include "conceal.h"
#include "ui.h"

namespace tcplab {
namespace {

struct LogLine {
  std::string text;
  ImU32 colour;
};

// Sentences are rebuilt only when the trace, the language or the filter
// changes, not every frame.
struct LogCache {
  std::size_t trace_size = 0;
  Instant trace_end = -1;
  Lang lang = Lang::En;
  bool details = false;
  std::vector<LogLine> lines;
};

constexpr std::size_t MAX_LINES = 400;

}  // namespace

void draw_log(App& app, ImVec2 pos, ImVec2 size) {
  const Palette& pal = palette();
  static LogCache cache;
  static bool details = false;
  ImGui::SetCursorScreenPos(pos);
  ImGui::BeginChild("log", size, true);
  ImGui::TextDisabled("%s", tr(app, "What happened, and why", "发生了什么，为什么"));
  ImGui::SameLine();
  ImGui::Checkbox(label(app, "every step", "显示全部细节", "details").c_str(), &details);
  ImGui::Separator();

  const Trace& t = app.sim.trace();
  const Instant end = t.empty() ? -1 : t.back().time;
  if (cache.trace_size != t.size() || cache.trace_end != end || cache.lang != app.lang ||
      cache.details != details) {
    cache.trace_size = t.size();
    cache.trace_end = end;
    cache.lang = app.lang;
    cache.details = details;
    cache.lines.clear();
    for (const Event& e : t) {
      // Without details, the verdict on a segment stands for its delivery.
      if (!details && (e.kind == EventKind::Delivered || e.kind == EventKind::Signal)) continue;
      char when[32];
      std::snprintf(when, sizeof when, "%.3f s  ", static_cast<double>(e.time) / 1000.0);
      const bool bad = e.kind == EventKind::Rejected || e.kind == EventKind::Lost ||
                       e.kind == EventKind::Dropped || e.kind == EventKind::CallError;
      cache.lines.push_back(LogLine{when + describe_event(e, app.lang), bad ? pal.rejected : pal.host(e.host)});
    }
    if (cache.lines.size() > MAX_LINES)
      cache.lines.erase(cache.lines.begin(),
                        cache.lines.begin() + static_cast<std::ptrdiff_t>(cache.lines.size() - MAX_LINES));
  }

  ImGui::BeginChild("log_lines", ImVec2(0, 0), false);
  if (concealed(app).ladder) {  // the log would tell the ladder the question asks for
    text_wrapped(tr(app, "The log is hidden while the question asks about the ladder.", "提问期间隐藏事件日志。"));
    ImGui::EndChild();
    ImGui::EndChild();
    return;
  }
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2;
  if (cache.lines.empty())
    text_wrapped(tr(app, "Nothing yet. Press Listen on the server, then Connect on the client.",
                                "还没有事件。先在服务器上点“监听”，再在客户端上点“连接”。"));
  for (const LogLine& l : cache.lines) {
    ImGui::PushStyleColor(ImGuiCol_Text, l.colour);
    text_wrapped(l.text.c_str());
    ImGui::PopStyleColor();
  }
  if (at_bottom) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  ImGui::EndChild();
}

}  // namespace tcplab
