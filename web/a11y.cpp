// Keyboard use of the lesson (see a11y.h): shortcuts, focus jumps, the help
// overlay and the toolbar's accessibility buttons.
//
// [SECTION] Text size
// [SECTION] Focus jumps
// [SECTION] Shortcuts
// [SECTION] Toolbar buttons
// [SECTION] Help overlay
#include "a11y.h"

#include <SDL.h>
#include <emscripten.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "platform.h"
#include "ui.h"

namespace tcplab {

// [SECTION] Text size

float clamp_text_scale(float scale) {
  if (!(scale > 0.0f)) return 1.0f;
  float best = TEXT_SCALES[0];
  for (float s : TEXT_SCALES)
    if (std::fabs(s - scale) < std::fabs(best - scale)) best = s;
  return best;
}

void step_text_scale(App& app, int direction) {
  int at = 0;
  for (int i = 0; i < TEXT_SCALE_COUNT; ++i)
    if (std::fabs(TEXT_SCALES[i] - app.access.text_scale) < 0.01f) at = i;
  at += direction;
  if (at < 0) at = 0;
  if (at >= TEXT_SCALE_COUNT) at = TEXT_SCALE_COUNT - 1;
  if (TEXT_SCALES[at] == app.access.text_scale) return;
  app.access.text_scale = TEXT_SCALES[at];
  app.access.text_scale_changed = true;
}

// [SECTION] Focus jumps

namespace {
std::string g_focus_name;      // widget to focus when drawn
bool g_focus_activate = false;
int g_focus_frames_left = 0;   // give up if it is not drawn soon
std::string g_focused;         // hook name of the widget with the keyboard focus (tests)
std::string g_focused_before;  // the same, last frame

// The hooked widgets of a frame in drawing order: the Tab order.
struct Stop {
  std::string name;
  ImGuiWindow* window;
  bool disabled;
};
std::vector<Stop> g_stops, g_stops_before;
}  // namespace

void request_focus(const char* name, bool activate) {
  g_focus_name = name;
  g_focus_activate = activate;
  g_focus_frames_left = 30;
  platform_request_redraw_for(6);
}

void a11y_begin_frame() {
  g_focused_before = g_focused;
  g_focused.clear();
  g_stops_before.swap(g_stops);
  g_stops.clear();
  if (g_focus_frames_left > 0 && --g_focus_frames_left == 0) g_focus_name.clear();
}

void a11y_on_hook(const char* name) {
  ImGuiContext& g = *GImGui;
  const ImGuiID id = ImGui::GetItemID();
  if (id == 0) return;
  if (!g_focus_name.empty() && g_focus_name == name) {
    ImGuiWindow* w = ImGui::GetCurrentWindow();
    ImGui::FocusWindow(w);
    ImGui::SetFocusID(id, w);
    g.NavDisableHighlight = false;
    g.NavDisableMouseHover = true;
    const ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    // Scroll every window on the way so the widget shows (the panel, and the
    // page's column on narrow screens).
    for (ImGuiWindow* s = w; s; s = s->ParentWindow) ImGui::ScrollToBringRectIntoView(s, r);
    if (g_focus_activate) ImGui::ActivateItem(id);
    g_focus_name.clear();
    platform_request_redraw_for(6);
  }
  if (g.NavId == id && !g.NavDisableHighlight) g_focused = name;
  g_stops.push_back(Stop{name, ImGui::GetCurrentWindow(), (g.LastItemData.InFlags & ImGuiItemFlags_Disabled) != 0});
}

namespace {

// The first control of the lesson panel for the current step.
void focus_lesson(App& app) {
  const Question* q = app.active_question();
  if (app.mode == Mode::Exam && app.ls.exam_pos < app.ls.exam.size() && app.ls.exam[app.ls.exam_pos].answered) {
    request_focus("exam.next");
    return;
  }
  if (!q) {
    if (app.mode == Mode::Lesson && app.ls.run && app.ls.run->finished()) request_focus("lesson.again");
    else request_focus("lesson.continue");
    return;
  }
  switch (q->kind) {
    case QuestionKind::State: request_focus((std::string("lesson.state.") + state_name(State::Closed)).c_str()); break;
    case QuestionKind::Number: request_focus("lesson.number", true); break;
    case QuestionKind::Choose: request_focus("lesson.choice.0"); break;
    case QuestionKind::Order: request_focus("lesson.order.down.0"); break;
    case QuestionKind::Act: request_focus(q->host == 0 ? "A.listen" : "B.listen"); break;
    case QuestionKind::Classify: request_focus("lesson.class.0.0"); break;
    case QuestionKind::Blanks: request_focus("lesson.blank.0", true); break;
    case QuestionKind::Ladder: request_focus("lesson.ladder.0"); break;
  }
}

// Tab and Shift+Tab: the next or previous hooked widget in drawing order
// (toolbar, client, server, lesson or log), within a popup or the help
// while one is open. Past the last (or before the first) the keyboard leaves
// the canvas for the rest of the page, so it is never trapped.
void tab_focus(int dir) {
  ImGuiContext& g = *GImGui;
  const std::vector<Stop>& stops = g_stops_before;
  ImGuiWindow* nav = g.NavWindow;
  const bool modal = nav && ((nav->Flags & ImGuiWindowFlags_Popup) || nav->ID == ImHashStr("###help"));
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < stops.size(); ++i) {
    if (stops[i].disabled) continue;
    if (modal && stops[i].window != nav) continue;
    if (!modal && (stops[i].window->Flags & ImGuiWindowFlags_Popup)) continue;
    order.push_back(i);
  }
  if (order.empty()) return;
  int at = -1;
  for (std::size_t k = 0; k < order.size(); ++k)
    if (stops[order[k]].name == g_focused_before) at = static_cast<int>(k);
  int next = at < 0 ? (dir > 0 ? 0 : static_cast<int>(order.size()) - 1) : at + dir;
  if (next < 0 || next >= static_cast<int>(order.size())) {
    if (modal) {
      next = next < 0 ? static_cast<int>(order.size()) - 1 : 0;
    } else {
      EM_ASM({ var c = document.getElementById('canvas'); if (c) c.blur(); });
      return;
    }
  }
  request_focus(stops[order[static_cast<std::size_t>(next)]].name.c_str());
}

// [SECTION] Shortcuts

// Picks choice `i` of a choose question, as a click on it would.
void pick_choice(App& app, int i) {
  const Question* q = app.active_question();
  if (q && q->kind == QuestionKind::Ladder && app.active_run() && i >= 0 &&
      i < static_cast<int>(app.active_run()->ladder_options().size())) {
    app.ls.picked.assign(1, i);  // keys 1-4 pick a ladder
    return;
  }
  if (!q || q->kind != QuestionKind::Choose || i < 0 || i >= static_cast<int>(q->choices.size())) return;
  std::vector<int>& picked = app.ls.picked;
  if (!q->multiple) {
    picked.assign(1, i);
    return;
  }
  for (std::size_t k = 0; k < picked.size(); ++k)
    if (picked[k] == i) {
      picked.erase(picked.begin() + static_cast<std::ptrdiff_t>(k));
      return;
    }
  picked.push_back(i);
}

// Every item of a classify question has a class (the Check button is
// enabled only then; Enter follows it).
bool classify_complete(const std::vector<int>& picked, std::size_t items) {
  return picked.size() == items && std::find(picked.begin(), picked.end(), -1) == picked.end();
}

// Enter in a lesson: Continue after a narration, Check a choice, an order,
// a ladder or a classification.
void lesson_enter(App& app) {
  LessonRun* run = app.active_run();
  if (!run || run->finished()) return;
  const Question* q = app.active_question();
  if (!q) {
    if (app.mode == Mode::Lesson) app.lesson_advance();
    return;
  }
  if (app.mode == Mode::Exam && app.ls.exam[app.ls.exam_pos].answered) return;
  // The answer as text first, as a click on Check takes it: the exam's
  // review and the screen reader say what was answered.
  const std::string given = given_text(app, *run, *q);
  std::optional<Feedback> f;
  if (q->kind == QuestionKind::Choose && !app.ls.picked.empty()) f = run->answer_choices(app.ls.picked);
  else if (q->kind == QuestionKind::Order) f = run->answer_order(app.ls.order);
  else if (q->kind == QuestionKind::Ladder && !app.ls.picked.empty()) f = run->answer_ladder(app.ls.picked[0]);
  else if (q->kind == QuestionKind::Classify && classify_complete(app.ls.picked, q->sort_items.size()))
    f = run->answer_classify(app.ls.picked);
  if (!f) return;
  app.ls.last_given = given;
  app.lesson_feedback(*f);
}

// Drops the segment that would arrive first (as a click on it would).
void drop_next(App& app) {
  const InFlight* first = nullptr;
  for (int dir = 0; dir < 2; ++dir)
    for (const InFlight& f : app.sim.network().in_flight(dir))
      if (!first || f.deliver_at < first->deliver_at) first = &f;
  if (!first) return;
  Command c;
  c.kind = CommandKind::Drop;
  c.seg_id = first->id;
  app.push(c);
}

}  // namespace

void handle_shortcuts(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  Access& a = app.access;
  if (const int tab = platform_take_tab()) tab_focus(tab);
  if (ImGui::IsKeyPressed(SDL_SCANCODE_F1, false)) a.help_open = !a.help_open;
  if (a.help_open && ImGui::IsKeyPressed(SDL_SCANCODE_ESCAPE, false)) a.help_open = false;
  // Typing into a field, dragging a slider, or a key chord: no shortcuts.
  if (io.WantTextInput || ImGui::IsAnyItemActive() || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
  // Characters, not key codes: they follow the learner's keyboard layout.
  for (int k = 0; k < io.InputQueueCharacters.Size; ++k) {
    const unsigned c = io.InputQueueCharacters[k];
    switch (c) {
      case '?': case 'h': case 'H': a.help_open = !a.help_open; break;
      case 'p': case 'P': app.playing = !app.playing; break;
      case 'n': case 'N':
        if (app.mode == Mode::Sandbox && app.busy()) app.push(Command{CommandKind::Step, 0, Call::OpenPassive, 0, {}, 0, 0, 0});
        break;
      case 'u': case 'U':
        if (app.mode == Mode::Sandbox && !app.history.empty())
          app.push(Command{CommandKind::Undo, 0, Call::OpenPassive, 0, {}, 0, static_cast<int>(app.history.size()) - 1, 0});
        break;
      case 'd': case 'D': drop_next(app); break;
      case 'l': case 'L': a.open_lessons_menu = true; break;
      case 't': case 'T': a.transcript_request = true; break;
      case 'c': case 'C': request_focus("A.listen"); break;
      case 's': case 'S': request_focus("B.listen"); break;
      case 'q': case 'Q': if (app.mode != Mode::Sandbox) focus_lesson(app); break;
      case '+': case '=': step_text_scale(app, +1); break;
      case '-': step_text_scale(app, -1); break;
      case '0':
        if (a.text_scale != 1.0f) {
          a.text_scale = 1.0f;
          a.text_scale_changed = true;
        }
        break;
      default:
        if (c >= '1' && c <= '9') pick_choice(app, static_cast<int>(c - '1'));
        break;
    }
  }
  if (ImGui::IsKeyPressed(SDL_SCANCODE_RETURN, false) || ImGui::IsKeyPressed(SDL_SCANCODE_KP_ENTER, false)) {
    // Enter on a focused number field starts typing into it instead.
    const Question* q = app.active_question();
    if (!(q && q->kind == QuestionKind::Number)) lesson_enter(app);
  }
}

// [SECTION] Toolbar buttons

namespace {
void flow_to(float width, float x_start, float x_end) {
  ImGui::SameLine();
  if (ImGui::GetCursorScreenPos().x + width > x_end) {
    ImGui::NewLine();
    ImGui::SetCursorScreenPos(ImVec2(x_start, ImGui::GetCursorScreenPos().y));
  }
}
bool tool_button(const std::string& text, const char* hook, const char* tip, float x_start, float x_end) {
  const float w = ImGui::CalcTextSize(text.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
  flow_to(w, x_start, x_end);
  const bool pressed = ImGui::Button(text.c_str());
  hook_item(hook);
  if (tip && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  return pressed;
}
}  // namespace

void draw_a11y_toolbar(App& app, float x_start, float x_end) {
  Access& a = app.access;
  if (a.open_lessons_menu) {
    a.open_lessons_menu = false;
    ImGui::OpenPopup("lesson_menu");  // the toolbar's menu (same window)
  }
  if (tool_button(label(app, "Transcript", "文字记录", "transcript"), "toolbar.transcript",
                  tr(app, "The whole session as text, to read or copy (T)", "整个过程的文字记录，可阅读或复制 (T)"),
                  x_start, x_end))
    a.transcript_request = true;
  ImGui::BeginDisabled(a.text_scale <= TEXT_SCALES[0]);
  if (tool_button("A-###textsmaller", "toolbar.text_smaller", tr(app, "Smaller text (-)", "缩小文字 (-)"), x_start, x_end))
    step_text_scale(app, -1);
  ImGui::EndDisabled();
  ImGui::BeginDisabled(a.text_scale >= TEXT_SCALES[TEXT_SCALE_COUNT - 1]);
  if (tool_button("A+###textbigger", "toolbar.text_bigger", tr(app, "Larger text (+)", "放大文字 (+)"), x_start, x_end))
    step_text_scale(app, +1);
  ImGui::EndDisabled();
  if (tool_button(" ? ###help", "toolbar.help", tr(app, "Keyboard shortcuts (F1 or ?)", "键盘快捷键 (F1 或 ?)"), x_start,
                  x_end))
    a.help_open = !a.help_open;
}

// [SECTION] Help overlay

void draw_help(App& app) {
  Access& a = app.access;
  if (!a.help_open) return;
  struct Row {
    const char* keys;
    const char* en;
    const char* zh;
  };
  static const Row ROWS[] = {
      {"Tab / Shift+Tab", "next / previous control in a panel", "面板内的下一个 / 上一个控件"},
      {"\u2190 \u2191 \u2192 \u2193", "move between controls and panels", "在控件和面板之间移动"},
      {"Space", "press the focused button, enter the focused panel", "按下获得焦点的按钮，进入获得焦点的面板"},
      {"Esc", "leave a panel, close a menu or this help", "离开面板，关闭菜单或本帮助"},
      {"C / S", "go to the client's / server's controls", "跳到客户端 / 服务器的控件"},
      {"Q", "go to the lesson's question or Continue", "跳到课程的问题或“继续”"},
      {"1 ... 9", "pick an answer of a multiple-choice question", "选择题：选择第几个答案"},
      {"Enter", "Continue, or Check the picked answer", "继续，或提交所选答案"},
      {"P", "play / pause the clock", "播放 / 暂停时钟"},
      {"N", "next event (free play)", "下一事件（自由练习）"},
      {"D", "drop the next segment in flight (free play)", "丢弃下一个在途报文段（自由练习）"},
      {"U", "undo (free play)", "撤销（自由练习）"},
      {"L", "lesson menu", "课程菜单"},
      {"T", "transcript of the session (text, can be copied)", "本次过程的文字记录（可复制）"},
      {"+ / - / 0", "larger / smaller / normal text", "放大 / 缩小 / 恢复文字"},
      {"V", "presenter mode: larger text, the ladder enlarged", "演示模式：更大的文字，放大的时序图"},
      {"PageDown / PageUp", "presenter mode: next / previous step (a clicker's keys; also Space and the arrows)",
       "演示模式：下一步 / 上一步（翻页笔的按键；空格和方向键也可以）"},
      {"F1 or ?", "this help", "本帮助"},
  };
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float fs = ImGui::GetFontSize();
  const float w = std::fmin(vp->Size.x - 2 * fs * 0.5f, fs * 40.0f);
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(w, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(vp->Size.x, vp->Size.y - fs));
  static bool was_open = false;
  if (!was_open) ImGui::SetNextWindowFocus();
  bool open = true;
  ImGui::Begin(tr(app, "Keyboard shortcuts###help", "键盘快捷键###help"), &open,
               ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
  hook_rect("help", ImGui::GetWindowPos(),
            ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
  text_wrapped(tr(app,
                              "Click the drawing or press Tab to bring the keyboard into it. Shortcuts work whenever "
                              "no number is being typed.",
                              "点击画面或按 Tab 键让键盘进入画面。没有在输入数字时，快捷键随时可用。"));
  ImGui::Separator();
  const float key_w = std::fmin(fs * 9.0f, w * 0.35f);
  for (const Row& r : ROWS) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().client);
    ImGui::TextUnformatted(r.keys);
    ImGui::PopStyleColor();
    ImGui::SameLine(key_w);
    text_wrapped(tr(app, r.en, r.zh));
  }
  ImGui::Separator();
  text_wrapped(tr(app,
                              "Touch: tap buttons and answers (numbers on the keypad under the question); tap a "
                              "segment in flight to drop it; drag a panel to scroll it.",
                              "触屏：轻点按钮和答案（数字用题目下方的数字键）；轻点在途的报文段即可丢弃它；拖动面板可滚动。"));
  if (ImGui::Button(label(app, "Close", "关闭", "helpclose").c_str())) open = false;
  hook_item("help.close");
  ImGui::End();
  was_open = open;
  if (!open) a.help_open = false;
}

}  // namespace tcplab

// Test hook: the hooked widget that has the keyboard focus ("" when none).
extern "C" EMSCRIPTEN_KEEPALIVE const char* tcplab_test_focus() {
  static std::string s;
  s = tcplab::g_focused;
  return s.c_str();
}
