#include "welcome.h"

#include <emscripten.h>

#include <algorithm>

#include "ui.h"

extern "C" {
int tcplab_js_storage_get(const char* key, char* buf, int size);
void tcplab_js_storage_set(const char* key, const char* value);
}

namespace tcplab {
namespace {

constexpr const char* WELCOMED_KEY = "tcplab.welcomed.v1";

// A plain visit: no query (a course link or a shared run has one) and the
// top window (a course page's frame decides for itself).
EM_JS(int, js_plain_visit, (), { return (window.location.search.length <= 1 && window.top === window) ? 1 : 0; });

bool g_open = false;

void close_welcome() {
  g_open = false;
  tcplab_js_storage_set(WELCOMED_KEY, "1");
}

// The areas of the screen, each in one sentence.
void draw_tour(const App& app) {
  struct Area {
    const char *en, *zh;
  };
  static const Area AREAS[] = {
      {"Left and right: the two hosts, client A and server B, with their states and the calls you can make.",
       "左右两侧：两台主机，客户端 A 和服务器 B，显示各自的状态和可以调用的操作。"},
      {"In the middle: the ladder diagram, every segment from top to bottom in time.",
       "中间：时序图，所有报文段按时间从上到下排列。"},
      {"Bottom right: the state diagram of RFC 9293, with where each host is now.",
       "右下：RFC 9293 的状态转换图，标出每台主机当前所处的状态。"},
      {"Bottom left: the lesson. Read, answer, continue; every wrong answer is explained.",
       "左下：课程。阅读、作答、继续；每个错误答案都有解释。"},
  };
  for (const Area& a : AREAS) {
    ImGui::Bullet();
    text_wrapped(tr(app, a.en, a.zh));
  }
}

bool big_button(const std::string& text, const char* hook) {
  const bool clicked = ImGui::Button(text.c_str(), ImVec2(-1, ImGui::GetFrameHeight() * 1.4f));
  hook_item(hook);
  return clicked;
}

}  // namespace

void welcome_init(App& app) {
  char buf[8];
  (void)app;
  g_open = js_plain_visit() != 0 && tcplab_js_storage_get(WELCOMED_KEY, buf, sizeof buf) <= 0;
}

void draw_welcome(App& app, double now_ms) {
  if (!g_open) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float fs = ImGui::GetFontSize();
  const float w = std::min(fs * 36.0f, vp->Size.x - 24.0f);
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(w, 0));
  ImGui::SetNextWindowSizeConstraints(ImVec2(w, 0), ImVec2(w, vp->Size.y - 24.0f));
  ImGui::Begin("###welcome", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_AlwaysAutoResize);
  hook_rect("welcome", ImGui::GetWindowPos(),
            ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
  ImGui::PushStyleColor(ImGuiCol_Text, palette().client);
  if (font_large()) ImGui::PushFont(font_large());
  text_wrapped(tr(app, "How TCP opens and closes a connection", "TCP 如何建立和释放连接"));
  if (font_large()) ImGui::PopFont();
  ImGui::PopStyleColor();
  text_wrapped(tr(app, "You play both ends of a connection: the three-way handshake, the four-way close and every "
                       "state on the way, as RFC 9293 defines them.",
                  "你将同时扮演连接的两端：三报文握手、四报文挥手，以及 RFC 9293 定义的每一个状态。"));
  ImGui::Separator();
  draw_tour(app);
  ImGui::Separator();
  if (big_button(label(app, "Start lesson 1: the three-way handshake", "开始第 1 课：三报文握手", "wlesson"),
                 "welcome.lesson") && !app.ls.lessons.empty()) {
    app.open_lesson(0, seed_from_entropy(now_ms * 0.7071), now_ms);
    close_welcome();
  }
  if (big_button(label(app, "Exam practice: 10 questions", "考试练习：10 道题", "wexam"), "welcome.exam") &&
      !app.ls.lessons.empty()) {
    app.start_exam(seed_from_entropy(now_ms * 0.5772), 10);
    close_welcome();
  }
  if (big_button(label(app, "Free play: both hosts are yours", "自由练习：两台主机都由你操作", "wfree"),
                 "welcome.sandbox"))
    close_welcome();
  // The other language, named in the one on screen (its glyphs may not be
  // loaded yet).
  if (ImGui::Button(app.lang == Lang::Zh ? "English###wlang" : "Chinese###wlang"))
    app.lang_request = static_cast<int>(app.lang == Lang::Zh ? Lang::En : Lang::Zh);
  hook_item("welcome.lang");
  ImGui::End();
}

}  // namespace tcplab
