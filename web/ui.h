// Shared helpers of the ImGui panels: colours, the test hook registry and
// the panel entry points. Panels are free functions that read the App and
// push Commands; they never change the simulation themselves.
#pragma once
#include <string>
#include <vector>

#include "app.h"
#include "imgui.h"
#include "palette.h"

namespace tcplab {

// Colours of the two hosts (also told apart by position and label, never by
// colour alone) and of the diagram.
struct Palette {
  // From palette.h, whose unit test checks their contrast (WCAG AA) on the
  // light theme's backgrounds.
  static constexpr ImU32 rgb(Rgb c) { return IM_COL32(c.r, c.g, c.b, 255); }
  ImU32 client = rgb(colours::CLIENT);
  ImU32 server = rgb(colours::SERVER);
  ImU32 lost = rgb(colours::LOST);
  ImU32 rejected = rgb(colours::LOST);
  ImU32 text = rgb(colours::TEXT);
  ImU32 dim = rgb(colours::DIM);
  ImU32 grid = rgb(colours::GRID);
  ImU32 host(int h) const { return h == 0 ? client : server; }
};
const Palette& palette();

// The large font for the hosts' states (built with the others by main.cpp).
ImFont* font_large();

// The palette's colours as the drawing panels use them; `bg` is the
// window's background, so labels can mask what runs under them.
struct Ink {
  ImU32 text, dim, grid, bg;
  ImU32 host[2];
};
Ink make_ink(const Palette& pal);
ImU32 with_alpha(ImU32 c, float a);
// Distance from p to the segment a-b.
float dist_to_segment(ImVec2 p, ImVec2 a, ImVec2 b);
// A filled arrowhead at `tip`, pointing away from `from`.
void arrow_head(ImDrawList* dl, ImVec2 from, ImVec2 tip, float size, ImU32 col);

// Wrap width of a tooltip: 28 em, or less on a narrow screen (a phone).
float tooltip_wrap();

// Test hook: after drawing a widget, name it; tests ask for its rectangle
// (in CSS pixels of the canvas) and click there.
void hook_item(const char* name);
void hook_rect(const char* name, ImVec2 min, ImVec2 max);
void hooks_begin_frame();
// JSON {"name": [x, y, w, h], ...} of the widgets drawn last frame.
std::string hooks_json();

// Panels (one file each). `pos`/`size` is the area the panel may use.
// Returns the height the toolbar needed (it wraps on narrow screens).
float draw_toolbar(App& app, ImVec2 pos, ImVec2 size);
void draw_host(App& app, int host, ImVec2 pos, ImVec2 size);
// The application call buttons of `host` (its panel, and the lesson card
// of an act question).
void draw_calls(App& app, int host);
// One line per host with its name and state (the compact lesson layout);
// returns its height.
float draw_state_strip(App& app, ImVec2 pos, float width);
void draw_ladder(App& app, ImVec2 pos, ImVec2 size);
void draw_state_diagram(App& app, ImVec2 pos, ImVec2 size);
void draw_log(App& app, ImVec2 pos, ImVec2 size);
// Captures (panel_capture.cpp): the toolbar's capture popup, the connection
// picker, the replay rows in place of the log, problems with a file.
void draw_capture_menu(App& app);
void draw_connection_picker(App& app);
void draw_replay(App& app, ImVec2 pos, ImVec2 size);
void draw_capture_errors(App& app);
// Line breaking that knows Chinese (ImGui 1.86 breaks only at spaces): a
// line may break between any two Chinese characters, never before a
// closing mark (，。：；？！、）” ...) nor after an opening one (（“ ...).
// Returns `text` with '\n' where the current font at the current size
// needs a new line within `width`.
std::string wrap_text(const char* text, float width);
// ImGui::TextWrapped for text that may be Chinese (wraps at the content
// region's right edge, like TextWrapped).
void text_wrapped(const char* text);
void text_wrapped(const std::string& text);
void text_wrappedf(const char* fmt, ...) IM_FMTARGS(1);

// A window over the app listing problems (with a file) until dismissed.
void draw_problem_list(App& app, const char* title, const char* intro, std::vector<std::string>& problems,
                       const char* dismiss_hook);
// In a lesson or the exam: narration, question, feedback (panel_lesson.cpp).
void draw_lesson(App& app, ImVec2 pos, ImVec2 size);
// The height the lesson card's content needed last frame (the compact
// layout sizes the card to it).
float lesson_content_height();
// The learner's answer to `q` as text, from the inputs (the exam's review
// and the screen reader say it); taken when the answer is given.
std::string given_text(const App& app, const LessonRun& run, const Question& q);
// The lesson menu popup ("lesson_menu"), opened by the toolbar or the panel.
void draw_lesson_menu(App& app, double now_ms);

// A label in the current language with a fixed ImGui id:
// label(app, "Close", "关闭", "close") -> "Close###close".
std::string label(const App& app, const char* en, const char* zh, const char* id);
inline const char* tr(const App& app, const char* en, const char* zh) {
  return app.lang == Lang::Zh ? zh : en;
}

// Host names for the current language: "Client"/"客户端".
const char* host_title(const App& app, int host);

}  // namespace tcplab
