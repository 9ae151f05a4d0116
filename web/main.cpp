// The web lesson: the one place real time enters. Each animation frame the
// elapsed real time is clamped and handed to the App, the panels are drawn
// from the App's state, and the commands they pushed are applied after
// drawing.
#include <emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "a11y.h"
#include "announce.h"
#include "app.h"
#include "embed.h"
#include "json.h"
#include "ladder.h"
#include "lesson_export.h"
#include "pcap.h"
#include "imgui.h"
#include "layout.h"
#include "lesson_bundle.h"
#include "platform.h"
#include "welcome.h"
#include "present.h"
#include "text_probe.h"
#include "ui.h"

extern const unsigned char UI_FONT[];
extern const unsigned UI_FONT_SIZE;

namespace tcplab {
namespace {

App g_app;
double g_last_ms = 0;
ImFont* g_font_large = nullptr;

extern "C" {
void tcplab_js_fetch_font(const char* url, int which);
double tcplab_js_now_ms();
int tcplab_js_storage_get(const char* key, char* buf, int size);
void tcplab_js_storage_set(const char* key, const char* value);
void tcplab_js_pick_lesson_file();
void tcplab_js_fetch_lesson(const char* url);
double tcplab_js_random();
void tcplab_js_download(const char* name, const char* mime, const void* data, int size);
void tcplab_js_pick_capture_file();
void tcplab_js_install_drop();
}
double js_now_ms() { return tcplab_js_now_ms(); }
double js_random() { return tcplab_js_random(); }

constexpr float BASE_FONT_PX = 15.f;

// The Chinese font, fetched on first use (dist/zh-font.ttf); its bytes stay
// alive for the atlas.
enum class ZhFont { None, Loading, Ready, Failed };
ZhFont g_zh_font = ZhFont::None;
const unsigned char* g_zh_data = nullptr;
int g_zh_size = 0;
// The fallback font for an author's lesson with rarer characters: fetched
// on demand; only the glyphs in g_extra_chars are rasterised from it.
ZhFont g_zh_large = ZhFont::None;
const unsigned char* g_zh_large_data = nullptr;
int g_zh_large_size = 0;
std::vector<ImWchar> g_extra_chars;   // CJK characters of loaded author lessons
std::vector<ImWchar> g_extra_ranges;  // glyph ranges built from them (kept alive for the atlas)
bool g_extra_checked = true;

bool g_lessons_loaded = false;

// The built-in lessons are fetched (web/lesson_bundle.h), parsed and checked
// after the first frame, so the page appears at once and its first download
// carries no lesson text.
void load_builtin_lessons() {
  if (g_lessons_loaded) return;
  lesson_bundle_request();
  if (!lesson_bundle_settled()) return;
  g_lessons_loaded = true;
  // The language asked for may still wait for its font.
  const bool zh = g_app.lang == Lang::Zh || g_app.lang_request == static_cast<int>(Lang::Zh);
  if (!lesson_bundle_error().empty()) g_app.ls.errors.push_back(zh ? lesson_bundle_error_zh() : lesson_bundle_error());
  for (const BuiltinLesson& l : builtin_lessons()) g_app.add_lesson_text(l.json, l.name);
  std::stable_sort(g_app.ls.lessons.begin(), g_app.ls.lessons.end(),
                   [](const Lesson& a, const Lesson& b) { return a.order < b.order; });
  // Progress, ?mode, ?lesson and ?lessonUrl (web/embed.cpp).
  embed_open_requested(g_app, ImGui::GetTime() * 1000.0);
}

// The finished lesson's run as a paper exam, the same paper as `tcplab-lesson
// export FILE --seed N --svg OUT --blank seq,ack,state` writes (one
// implementation: lessons/lesson_export.h): seq, ack and states blank, the
// flags and each host's ISN given; then its answer key.
void export_paper_files(const std::string& base) {
  if (!g_app.ls.run) return;
  PaperBlanks blanks;
  blanks.seq = blanks.ack = blanks.state = true;
  const Paper p = export_paper(g_app.ls.run->lesson(), g_app.ls.run->seed(), blanks, g_app.lang);
  if (!p.ok) {
    g_app.cap.errors.push_back(base + "-paper.svg: " + p.error);
    return;
  }
  tcplab_js_download((base + "-paper.svg").c_str(), "image/svg+xml", p.svg.data(), static_cast<int>(p.svg.size()));
  tcplab_js_download((base + "-paper.key.txt").c_str(), "text/plain;charset=utf-8", p.key_text.data(),
                     static_cast<int>(p.key_text.size()));
}

// Hands the current run to the browser as a download: a pcap of every
// segment, or the ladder diagram as text or SVG.
void export_run() {
  const Export what = g_app.want_export;
  g_app.want_export = Export::None;
  const std::string base = g_app.export_basename();
  switch (what) {
    case Export::None:
      return;
    case Export::Pcap: {
      // A hand-built segment of 4 GiB would abort the page in operator new.
      const std::string why = pcap_export_problem(g_app.sim.trace());
      if (!why.empty()) {
        g_app.cap.errors.push_back(base + ".pcap: " + why);
        return;
      }
      const std::vector<std::uint8_t> bytes = trace_to_pcap(g_app.sim.trace());
      tcplab_js_download((base + ".pcap").c_str(), "application/vnd.tcpdump.pcap", bytes.data(),
                         static_cast<int>(bytes.size()));
      return;
    }
    case Export::LadderText: {
      const std::string text = render_ladder(g_app.sim.trace());
      tcplab_js_download((base + ".txt").c_str(), "text/plain;charset=utf-8", text.data(),
                         static_cast<int>(text.size()));
      return;
    }
    case Export::LadderSvg: {
      const std::string svg = render_ladder_svg(g_app.sim.trace());
      tcplab_js_download((base + ".svg").c_str(), "image/svg+xml", svg.data(), static_cast<int>(svg.size()));
      return;
    }
    case Export::Paper: export_paper_files(base); return;
  }
}

// A run that went over its budget stopped there: said once, over the app.
void report_budget() {
  static bool said = false;
  const BudgetField over = g_app.sim.over_budget();
  if (over == BudgetField::None) {
    said = false;
    return;
  }
  if (said) return;
  said = true;
  g_app.playing = false;
  g_app.ls.errors.push_back("This run stopped: " + budget_message(over, g_app.sim.config().budget) +
                            " / 这次运行已停止：超出了运行上限（" + budget_field_name(over) + "）。");
}

// What the frame loop does after the panels: storage, file picker, timing.
void after_frame() {
  report_budget();
  if (g_app.want_open_file) {
    g_app.want_open_file = false;
    tcplab_js_pick_lesson_file();
  }
  if (g_app.want_open_capture) {
    g_app.want_open_capture = false;
    tcplab_js_pick_capture_file();
  }
  if (g_app.want_export != Export::None) export_run();
  if (g_app.lesson_just_completed) {
    g_app.lesson_just_completed = false;
    g_app.lesson_elapsed_s = (ImGui::GetTime() * 1000.0 - g_app.ls.started_ms) / 1000.0;
  }
}

// Problems with lesson files: listed over the app until dismissed.
void draw_lesson_errors() {
  draw_problem_list(g_app, tr(g_app, "Problems with a lesson file###lesson_errors", "课程文件有问题###lesson_errors"),
                    tr(g_app, "This lesson could not be opened; the rest of tcplab works as before.",
                       "无法打开这个课程；tcplab 的其他功能不受影响。"),
                    g_app.ls.errors, "errors.dismiss");
}

// Switches language, fetching the Chinese glyphs first if needed.
void handle_language_request() {
  if (g_app.lang_request < 0) return;
  const Lang want = static_cast<Lang>(g_app.lang_request);
  if (want == Lang::En) {
    g_app.lang = Lang::En;
    g_app.lang_request = -1;
  } else if (g_zh_font == ZhFont::Ready) {
    g_app.lang = Lang::Zh;
    g_app.lang_request = -1;
  } else if (g_zh_font == ZhFont::None) {
    g_zh_font = ZhFont::Loading;
    tcplab_js_fetch_font("zh-font.ttf", 0);
  } else if (g_zh_font == ZhFont::Failed) {
    g_app.lang_request = -1;
    platform_report_error("The Chinese font (zh-font.ttf) could not be loaded: the lesson stays in English.");
  }
}

void build_fonts(ImFontAtlas& atlas, float ratio);

void merge_zh(ImFontAtlas& atlas, float px) {
  ImFontConfig cfg;
  cfg.MergeMode = true;
  cfg.FontDataOwnedByAtlas = false;
  cfg.OversampleH = 1;
  cfg.OversampleV = 1;
  atlas.AddFontFromMemoryTTF(const_cast<unsigned char*>(g_zh_data), g_zh_size, px, &cfg,
                             atlas.GetGlyphRangesChineseFull());
  // Glyphs the subset lacks, from the fallback font (a merged font never
  // replaces a glyph already there).
  if (g_zh_large_data && !g_extra_ranges.empty())
    atlas.AddFontFromMemoryTTF(const_cast<unsigned char*>(g_zh_large_data), g_zh_large_size, px, &cfg,
                               g_extra_ranges.data());
}

// After an author's lesson arrives (and the Chinese subset is in): are all
// its characters drawable? If not, fetch the fallback font.
void check_extra_glyphs() {
  if (g_extra_checked || g_zh_font != ZhFont::Ready || g_app.lang != Lang::Zh) return;
  ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  if (!font) return;
  g_extra_checked = true;
  ImFontGlyphRangesBuilder b;
  bool missing = false;
  for (ImWchar c : g_extra_chars)
    if (!font->FindGlyphNoFallback(c)) {
      b.AddChar(c);
      missing = true;
    }
  if (!missing) return;
  ImVector<ImWchar> r;
  b.BuildRanges(&r);
  g_extra_ranges.assign(r.begin(), r.end());
  if (g_zh_large == ZhFont::Ready) {
    platform_set_font_builder(build_fonts);
  } else if (g_zh_large == ZhFont::None) {
    g_zh_large = ZhFont::Loading;
    tcplab_js_fetch_font("zh-font-large.ttf", 1);
  }
}

// Collects the CJK characters of an author's lesson (UTF-8).
void note_lesson_chars(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    unsigned cp = 0;
    int n = 1;
    if (c >= 0xE0 && c < 0xF0 && i + 2 < text.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
      n = 3;
    } else if (c >= 0xC0 && c < 0xE0) {
      n = 2;
    } else if (c >= 0xF0) {
      n = 4;
    }
    if (cp >= 0x2E80 && cp <= 0xFFEF) g_extra_chars.push_back(static_cast<ImWchar>(cp));
    i += static_cast<std::size_t>(n);
  }
  g_extra_checked = false;
}

void build_fonts(ImFontAtlas& atlas, float ratio) {
  static const ImWchar RANGES[] = {0x0020, 0x007E, 0x00B7, 0x00B7, 0x00D7, 0x00D7, 0x2013, 0x2026,
                                   0x2190, 0x2193, 0x2212, 0x2212, 0x25A0, 0x25CF, 0x2713, 0x2717, 0};
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // the bytes live in the wasm's data
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  void* data = const_cast<unsigned char*>(UI_FONT);
  const int size = static_cast<int>(UI_FONT_SIZE);
  const float px = BASE_FONT_PX * g_app.access.ui_scale();  // the screen's and the learner's text size
  atlas.AddFontFromMemoryTTF(data, size, px * ratio, &cfg, RANGES);
  if (g_zh_data) merge_zh(atlas, px * ratio);
  g_font_large = atlas.AddFontFromMemoryTTF(data, size, px * 1.75f * ratio, &cfg, RANGES);
  if (g_zh_data) merge_zh(atlas, px * 1.75f * ratio);
}

// [a11y] Text size: the learner's choice (toolbar A-/A+, keys + and -,
// ?textSize=1.5) scales the fonts and the style's paddings; kept in the
// browser's storage under its own key.
constexpr const char* TEXT_SIZE_KEY = "tcplab.textSize.v1";
ImGuiStyle g_base_style;

// The keyboard focus must be seen: a dark, thick enough frame on the light
// theme (3:1 against the panels at least).
void apply_a11y_style(ImGuiStyle& st) {
  st.Colors[ImGuiCol_NavHighlight] = ImGui::ColorConvertU32ToFloat4(Palette::rgb(colours::NAV_FOCUS));
  st.TouchExtraPadding = ImVec2(0, 0);
}

void load_text_size() {
  float scale = 1.0f;
  char buf[32];
  if (tcplab_js_storage_get(TEXT_SIZE_KEY, buf, sizeof buf) > 0) scale = static_cast<float>(std::atof(buf));
  g_app.access.text_scale = clamp_text_scale(scale);
}

void apply_text_size(bool store) {
  ImGuiStyle& st = ImGui::GetStyle();
  st = g_base_style;
  st.ScaleAllSizes(g_app.access.ui_scale());
  // A finger needs 44 CSS px: frames (buttons, fields) grow to that height.
  if (platform_coarse_pointer()) {
    const float px = BASE_FONT_PX * g_app.access.ui_scale();
    st.FramePadding.y = std::max(st.FramePadding.y, (44.0f - px) * 0.5f);
    st.ItemSpacing.y = std::max(st.ItemSpacing.y, 6.0f);
  }
  platform_set_font_builder(build_fonts);
  forget_toolbar_height();
  if (store) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(g_app.access.text_scale));
    tcplab_js_storage_set(TEXT_SIZE_KEY, buf);
  }
}

// [a11y] The text size follows the screen: body text grows from 15 px on
// small screens to 16 px at 1366x768 and 22.5 px at 1920x1080 (a projector
// in a lecture hall), then the learner's A-/A+ scales around it.
void follow_the_screen() {
  const ImVec2 v = platform_view_size();
  if (v.x <= 0 || v.y <= 0) return;
  const float px = std::clamp(std::min(v.x / 85.4f, v.y / 48.0f), BASE_FONT_PX, 2.0f * BASE_FONT_PX);
  const float scale = px / BASE_FONT_PX;
  if (std::fabs(scale - g_app.access.view_scale) < 0.02f) return;
  g_app.access.view_scale = scale;
  apply_text_size(false);
}

// The light theme with text that keeps WCAG AA contrast (ImGui's disabled
// text grey is too pale on white).
void apply_style() {
  ImGuiStyle& st = ImGui::GetStyle();
  st.Colors[ImGuiCol_TextDisabled] = ImGui::ColorConvertU32ToFloat4(Palette::rgb(colours::TEXT_DISABLED));
  st.FrameRounding = 3.f;
  st.ChildRounding = 4.f;
  st.PopupRounding = 4.f;
  st.FrameBorderSize = 1.f;
  apply_a11y_style(st);
}

// Windows over the panels, in either layout: problems with a lesson or a
// capture file, the capture's connection picker.
void draw_over_the_app() {
  draw_lesson_errors();
  draw_connection_picker(g_app);
  draw_capture_errors(g_app);
}

void frame() {
  const double t = js_now_ms();
  double dt = g_last_ms > 0 ? t - g_last_ms : 0;
  g_last_ms = t;
  if (dt < 0) dt = 0;
  if (dt > 250) dt = 250;  // a background tab must not jump the lesson ahead
  handle_language_request();
  check_extra_glyphs();
  // Out of view (scrolled away, hidden page) the clock stops too.
  const bool moving = embed_visible() && (g_app.lab.open ? g_app.lab.tick(dt) : g_app.tick(dt));
  // When nothing moves the page stops redrawing until the learner acts.
  platform_set_idle(!moving);
  follow_the_screen();
  if (g_app.access.text_scale_changed) {
    g_app.access.text_scale_changed = false;
    apply_text_size(true);
  }
  if (!platform_begin_frame()) return;
  hooks_begin_frame();
  handle_shortcuts(g_app);
  handle_presenter_keys(g_app);
  layout_and_draw(g_app);
  draw_over_the_app();
  draw_help(g_app);
  draw_welcome(g_app, ImGui::GetTime() * 1000.0);
  platform_end_frame();
  text_probe_end_frame();
  if (g_app.apply_pending()) platform_request_redraw();
  if (g_app.lab.apply_pending()) platform_request_redraw();
  announce_after_frame(g_app, t);
  after_frame();
  load_builtin_lessons();
  embed_after_frame(g_app, toolbar_height(), ImGui::GetTime() * 1000.0);
}

}  // namespace

ImFont* font_large() { return tcplab::g_font_large; }
const App& page_app() { return tcplab::g_app; }

}  // namespace tcplab

// Test hooks: read-only views for the browser tests (the tests act by
// clicking, never through these).
extern "C" {
// Called by library.js with a lesson file's name and text (text null when it
// could not be read); both were allocated with malloc.
EMSCRIPTEN_KEEPALIVE void tcplab_lesson_text_loaded(char* name, char* text) {
  using namespace tcplab;
  const std::string n = name ? name : "lesson";
  if (!text) {
    g_app.ls.errors.push_back(n + ": could not be read");
  } else {
    const std::size_t before = g_app.ls.lessons.size();
    g_app.add_lesson_text(text, n);
    note_lesson_chars(text);
    if (g_app.ls.lessons.size() > before) g_app.open_lesson(before, g_app.seed, ImGui::GetTime() * 1000.0);
  }
  std::free(name);
  std::free(text);
  platform_request_redraw();
}

// Called by library.js with a capture file's name and bytes (size -1: it
// could not be read, -2: too large); both were allocated with malloc.
EMSCRIPTEN_KEEPALIVE void tcplab_capture_loaded(char* name, unsigned char* data, int size) {
  using namespace tcplab;
  const std::string n = name ? name : "capture";
  if (size == -2)
    g_app.cap.errors.push_back(n + ": the file is larger than 64 MB; cut it down first (e.g. editcap or tshark -Y).");
  else if (size < 0 || (size > 0 && !data))
    g_app.cap.errors.push_back(n + ": could not be read");
  else
    g_app.load_capture(n, data, static_cast<std::size_t>(size));
  std::free(name);
  std::free(data);
  platform_request_redraw();
}

// Called by library.js when zh-font.ttf has arrived (data, size) or failed (0, 0).
EMSCRIPTEN_KEEPALIVE void tcplab_cjk_font_loaded(int which, unsigned char* data, int size) {
  using namespace tcplab;
  if (which == 1) {
    // The fallback font: its glyphs join the atlas, or the rare characters
    // stay as they are (a notice says so).
    if (data == nullptr || size <= 0) {
      g_zh_large = ZhFont::Failed;
      g_app.ls.errors.push_back("zh-font-large.ttf could not be loaded: some Chinese characters of this lesson cannot be shown.");
    } else {
      g_zh_large_data = data;
      g_zh_large_size = size;
      g_zh_large = ZhFont::Ready;
      platform_set_font_builder(build_fonts);
    }
  } else if (data == nullptr || size <= 0) {
    g_zh_font = ZhFont::Failed;
  } else {
    g_zh_data = data;
    g_zh_size = size;
    g_zh_font = ZhFont::Ready;
    g_app.zh_font_ready = true;
    platform_set_font_builder(build_fonts);  // rebuild the atlas with the glyphs
  }
  platform_request_redraw();
}

}

int main() {
  using namespace tcplab;
  if (!platform_init("tcplab: TCP connection management")) return 1;
  apply_style();
  g_base_style = ImGui::GetStyle();
  load_text_size();
  tcplab_js_fetch_lesson("");  // installs the lesson delivery callback
  tcplab_js_install_drop();  // files dropped on the canvas: captures and lessons
  // The URL parameters (seed, lang, settings, role, text size, a shared run...).
  embed_init(g_app, js_random());
  welcome_init(g_app);
  apply_text_size(false);
  platform_run(frame);
}
