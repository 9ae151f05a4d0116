// The browser platform layer (see platform.h): SDL2 + WebGL2 + Dear ImGui on
// the page's #canvas.
//
// [SECTION] State
// [SECTION] Page glue (JS)
// [SECTION] Mouse cursor
// [SECTION] Fonts and sizing
// [SECTION] Public API
#include "platform.h"

#include <GLES3/gl3.h>
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <vector>

#include "gl_draw.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"

namespace tcplab {
namespace {

// SDL 2.26's web backend hard-codes this selector: the page must use it.
constexpr const char* CANVAS = "#canvas";
// Frames still drawn after the last change, so ImGui can settle (hover and
// active states take a frame to follow the mouse, a click takes two).
constexpr int SETTLE_FRAMES = 3;
// Stand-in for a zero DeltaTime: ImGui asserts DeltaTime > 0, and coarse
// timers (headless browsers) can report two frames at the same instant.
constexpr float MIN_DELTA_TIME = 1.0f / 1000.0f;

// [SECTION] State

void default_fonts(ImFontAtlas& atlas, float pixel_ratio) {
  ImFontConfig config;
  config.SizePixels = 13.0f * pixel_ratio;
  atlas.AddFontDefault(&config);
}

struct Platform {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  FontBuilder font_builder = default_fonts;
  float pixel_ratio = 0.0f;    // the ratio the fonts are rasterised at
  bool fonts_dirty = true;     // rebuild the atlas before the next frame
  bool device_ready = false;   // the GL backend has made its objects
  bool idle = false;
  int frames_to_draw = SETTLE_FRAMES;
  bool in_frame = false;
  bool painting = true;
  // The canvas is measured (a DOM read, a layout if one is pending) only
  // when its size may have changed: until the first frame, then when the
  // page says so (tcplab_wake: shell.js watches the size and the ratio).
  bool size_stale = true;
  double css_w = 0.0;
  double css_h = 0.0;
  unsigned rendered_frames = 0;
  // The mouse cursor the page shows (ImGuiMouseCursor; -2: none set yet).
  SDL_Cursor* cursors[ImGuiMouseCursor_COUNT] = {};
  int cursor = -2;
  float clear[3] = {0.94f, 0.94f, 0.94f};
};

Platform g;

// [SECTION] Page glue (JS)

// shell.js defines these on Module; a page without them still works.
EM_JS(void, js_report_error, (const char* message), {
  var text = UTF8ToString(message);
  if (Module['tcplabError']) Module['tcplabError'](text); else console.error(text);
});
EM_JS(void, js_first_frame, (), {
  if (Module['tcplabReady']) Module['tcplabReady']();
});
// SDL sets an inline CSS size on the canvas when no stylesheet sized it at
// window creation; drop it so the page's CSS (100% of the container) rules.
// A finger, not a mouse, is the main pointer: touch targets grow to 44 px.
EM_JS(int, js_coarse_pointer, (), { return window.matchMedia && window.matchMedia('(pointer: coarse)').matches ? 1 : 0; });

EM_JS(void, js_release_canvas_css_size, (), {
  var canvas = Module['canvas'] || document.getElementById('canvas');
  if (canvas) { canvas.style.width = ""; canvas.style.height = ""; }
});

// [SECTION] Mouse cursor

// ImGui's SDL backend sets the cursor every frame, a call into the page
// each time (ImGuiConfigFlags_NoMouseCursorChange turns that off); the
// platform sets the same SDL cursors only when ImGui's choice changes.
void make_cursors() {
  static const SDL_SystemCursor SYSTEM[ImGuiMouseCursor_COUNT] = {
      SDL_SYSTEM_CURSOR_ARROW,  SDL_SYSTEM_CURSOR_IBEAM,    SDL_SYSTEM_CURSOR_SIZEALL,
      SDL_SYSTEM_CURSOR_SIZENS, SDL_SYSTEM_CURSOR_SIZEWE,   SDL_SYSTEM_CURSOR_SIZENESW,
      SDL_SYSTEM_CURSOR_SIZENWSE, SDL_SYSTEM_CURSOR_HAND, SDL_SYSTEM_CURSOR_NO};
  for (int i = 0; i < ImGuiMouseCursor_COUNT; ++i) g.cursors[i] = SDL_CreateSystemCursor(SYSTEM[i]);
  ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
}

void update_cursor() {
  const ImGuiIO& io = ImGui::GetIO();
  const int want = io.MouseDrawCursor ? ImGuiMouseCursor_None : ImGui::GetMouseCursor();
  if (want == g.cursor) return;
  g.cursor = want;
  if (want < 0 || want >= ImGuiMouseCursor_COUNT) {
    SDL_ShowCursor(SDL_DISABLE);
    return;
  }
  SDL_SetCursor(g.cursors[want] ? g.cursors[want] : g.cursors[ImGuiMouseCursor_Arrow]);
  SDL_ShowCursor(SDL_ENABLE);
}

// [SECTION] Fonts and sizing

void rebuild_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  g.font_builder(*io.Fonts, g.pixel_ratio);
  if (io.Fonts->Fonts.empty()) default_fonts(*io.Fonts, g.pixel_ratio);
  io.Fonts->Build();
  io.FontGlobalScale = 1.0f / g.pixel_ratio;
  // Before the first frame the backend uploads the atlas itself.
  if (g.device_ready) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  g.fonts_dirty = false;
}

// The canvas's CSS size, the devicePixelRatio and the drawing buffer's
// size, in one call into the page (out: 5 doubles).
EM_JS(void, js_canvas_metrics, (double* out), {
  var canvas = Module['canvas'] || document.getElementById('canvas');
  var r = canvas.getBoundingClientRect();
  var ratio = typeof devicePixelRatio == 'number' && devicePixelRatio || 1.0;
  HEAPF64.set([r.width, r.height, ratio, canvas.width, canvas.height], out >> 3);
});

// Follows the canvas's CSS size and the devicePixelRatio: the drawing buffer
// becomes css * dpr (through SDL, so its window size and mouse scaling
// agree). Returns true when anything changed.
bool sync_canvas_size() {
  if (!g.size_stale) return false;
  if (g.rendered_frames > 0) g.size_stale = false;
  double m[5] = {};
  js_canvas_metrics(m);
  bool changed = false;
  const float ratio = static_cast<float>(m[2]);
  if (ratio > 0.0f && ratio != g.pixel_ratio) {
    g.pixel_ratio = ratio;
    g.fonts_dirty = true;
    changed = true;
  }
  const int w = static_cast<int>(std::lround(m[0]));
  const int h = static_cast<int>(std::lround(m[1]));
  if (w <= 0 || h <= 0) return changed;  // hidden (display: none): keep as is
  g.css_w = m[0];
  g.css_h = m[1];
  int win_w = 0;
  int win_h = 0;
  SDL_GetWindowSize(g.window, &win_w, &win_h);
  // SDL truncates window size * ratio; compare the same way.
  const int want_w = static_cast<int>(w * g.pixel_ratio);
  const int want_h = static_cast<int>(h * g.pixel_ratio);
  if (win_w != w || win_h != h || static_cast<int>(m[3]) != want_w || static_cast<int>(m[4]) != want_h) {
    SDL_SetWindowSize(g.window, w, h);  // also re-reads the ratio, sets the buffer
    changed = true;
  }
  return changed;
}

}  // namespace

// [SECTION] Public API

bool platform_init(const char* title) {
  // Keyboard events only while the canvas has focus; otherwise SDL takes Tab
  // and the arrow keys from the whole page (a keyboard trap).
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, CANVAS);
  // No SDL_POLLSENTINEL: pushing it (and reading the clock for its time
  // stamp) cost each frame a few calls into the page, and nothing here
  // waits for the end of a poll.
  SDL_SetHint(SDL_HINT_POLL_SENTINEL, "0");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    char message[256];
    std::snprintf(message, sizeof message, "SDL_Init failed: %s", SDL_GetError());
    platform_report_error(message);
    return false;
  }
  // WebGL2 = OpenGL ES 3.0. ImGui needs no depth or stencil buffer.
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

  double css_w = 0.0;
  double css_h = 0.0;
  emscripten_get_element_css_size(CANVAS, &css_w, &css_h);
  const int w = css_w >= 1.0 ? static_cast<int>(std::lround(css_w)) : 1024;
  const int h = css_h >= 1.0 ? static_cast<int>(std::lround(css_h)) : 640;
  const Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
  g.window = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h, flags);
  if (g.window == nullptr) {
    char message[256];
    std::snprintf(message, sizeof message, "Could not create the window: %s", SDL_GetError());
    platform_report_error(message);
    return false;
  }
  js_release_canvas_css_size();
  g.gl = SDL_GL_CreateContext(g.window);
  if (g.gl == nullptr) {
    char message[256];
    std::snprintf(message, sizeof message, "Could not create a WebGL2 context: %s", SDL_GetError());
    platform_report_error(message);
    return false;
  }
  SDL_GL_MakeCurrent(g.window, g.gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no file system: the app keeps its own settings
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui::StyleColorsLight();
  ImGui_ImplSDL2_InitForOpenGL(g.window, g.gl);
  // The backend makes the font texture; gl_draw.cpp draws.
  ImGui_ImplOpenGL3_Init("#version 300 es");
  if (!gl_draw_init()) {
    platform_report_error("WebGL2 could not compile the drawing shader.");
    return false;
  }
  make_cursors();

  sync_canvas_size();
  rebuild_fonts();
  return true;
}

void platform_set_font_builder(FontBuilder builder) {
  g.font_builder = builder != nullptr ? builder : default_fonts;
  g.fonts_dirty = true;
  platform_request_redraw();
}

namespace {
void (*g_frame)() = nullptr;
bool g_paused = false;

// Wakes a paused loop: input arrived, the app or the page asked for frames.
void wake_loop() {
  if (!g_paused) return;
  g_paused = false;
  emscripten_resume_main_loop();
}

// Every SDL event (mouse, keys, touch, window) wakes the loop.
int on_sdl_event(void*, SDL_Event*) {
  wake_loop();
  return 1;
}

// One iteration: the app's frame, then, when idle with nothing left to draw,
// the loop stops asking for animation frames at all (no CPU while idle).
void run_frame() {
  g_frame();
  if (g.idle && g.frames_to_draw <= 0 && !g_paused) {
    g_paused = true;
    emscripten_pause_main_loop();
  }
}
}  // namespace

void platform_run(void (*frame)()) {
  // 0 fps: the browser's requestAnimationFrame; simulate_infinite_loop: main()
  // does not return (the runtime unwinds instead).
  g_frame = frame;
  SDL_AddEventWatch(on_sdl_event, nullptr);
  emscripten_set_main_loop(run_frame, 0, 1);
  __builtin_unreachable();
}

namespace {
// A key released in the same frame it was pressed in: ImGui 1.86 reads the
// keys' state once per frame and would never see the press, so the release
// waits for the next frame (quick taps and scripted presses).
std::vector<SDL_Event> g_deferred_keys;
// Tab presses the app moves the focus with (ImGui 1.86 tabs between text
// fields only): +1 forward, -1 backward, 0 none.
int g_tab = 0;

// Touch: a finger dragged over a panel scrolls it (ImGui has no touch
// scrolling of its own); a finger that barely moves is a tap (SDL turns it
// into a mouse click).
struct TouchDrag {
  bool down = false;
  bool scrolling = false;
  float start_y = 0.0f;
  float last_y = 0.0f;
  int frames_since_up = -1;  // after a tap the pointer leaves (no hover, no stuck tooltip); -1: mouse in use
};
TouchDrag g_touch;
constexpr float TOUCH_SLOP_PX = 10.0f;

// Returns true when the event was used for touch scrolling.
bool touch_scroll(const SDL_Event& e) {
  int w = 0;
  int h = 0;
  SDL_GetWindowSize(g.window, &w, &h);
  const float y = e.tfinger.y * static_cast<float>(h);
  switch (e.type) {
    case SDL_FINGERDOWN:
      g_touch = TouchDrag{true, false, y, y, -1};
      return false;
    case SDL_FINGERMOTION: {
      if (!g_touch.down) return false;
      if (!g_touch.scrolling && std::fabs(y - g_touch.start_y) > TOUCH_SLOP_PX) g_touch.scrolling = true;
      if (!g_touch.scrolling) return false;
      // The content follows the finger: the panel under it scrolls, and what
      // it cannot take (at its end) goes to the panel around it, up to the
      // page's column.
      float left = g_touch.last_y - y;
      g_touch.last_y = y;
      ImGuiContext& ctx = *GImGui;
      for (ImGuiWindow* w = ctx.HoveredWindow; w != nullptr && left != 0.0f;
           w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr) {
        const float cur = w->ScrollTarget.y < FLT_MAX ? w->ScrollTarget.y : w->Scroll.y;
        const float next = ImClamp(cur + left, 0.0f, w->ScrollMax.y);
        if (next != cur) {
          ImGui::SetScrollY(w, next);
          left -= next - cur;
        }
      }
      return true;
    }
    case SDL_FINGERUP:
      g_touch.down = false;
      g_touch.frames_since_up = 0;
      return false;
    default:
      return false;
  }
}
}  // namespace

bool platform_begin_frame() {
  bool active = false;
  SDL_Event event;
  std::vector<SDL_Event> held = std::move(g_deferred_keys);
  g_deferred_keys.clear();
  for (SDL_Event& e : held) {
    ImGui_ImplSDL2_ProcessEvent(&e);
    active = true;
  }
  std::vector<SDL_Scancode> pressed;
  if (g_touch.frames_since_up >= 0 && ++g_touch.frames_since_up == 2) active = true;
  while (SDL_PollEvent(&event)) {
    active = true;
    // A real mouse moving takes the pointer back.
    if (event.type == SDL_MOUSEMOTION && event.motion.which != SDL_TOUCH_MOUSEID) g_touch.frames_since_up = -1;
    if ((event.type == SDL_KEYDOWN || event.type == SDL_KEYUP) && event.key.keysym.scancode == SDL_SCANCODE_TAB &&
        !ImGui::GetIO().WantTextInput) {
      if (event.type == SDL_KEYDOWN) g_tab = (event.key.keysym.mod & KMOD_SHIFT) ? -1 : +1;
      continue;
    }
    if (event.type == SDL_KEYDOWN || event.type == SDL_KEYUP) {
      const SDL_Scancode code = event.key.keysym.scancode;
      const bool held_back = std::any_of(g_deferred_keys.begin(), g_deferred_keys.end(),
                                         [code](const SDL_Event& d) { return d.key.keysym.scancode == code; });
      if (held_back || (event.type == SDL_KEYUP &&
                        std::find(pressed.begin(), pressed.end(), code) != pressed.end())) {
        g_deferred_keys.push_back(event);
        continue;
      }
      if (event.type == SDL_KEYDOWN) pressed.push_back(code);
    }
    if (event.type == SDL_FINGERDOWN || event.type == SDL_FINGERMOTION || event.type == SDL_FINGERUP) {
      touch_scroll(event);
      continue;
    }
    if (event.type == SDL_WINDOWEVENT) g.size_stale = true;
    ImGui_ImplSDL2_ProcessEvent(&event);
  }
  if (!g_deferred_keys.empty()) platform_request_redraw();
  if (sync_canvas_size()) active = true;
  if (active) platform_request_redraw();
  if (g.idle && g.frames_to_draw <= 0) return false;
  if (g.frames_to_draw > 0) --g.frames_to_draw;

  int w = 0;
  int h = 0;
  SDL_GetWindowSize(g.window, &w, &h);
  if (w <= 0 || h <= 0) return false;

  gl_wait_for_last_frame();
  if (g.fonts_dirty) rebuild_fonts();
  ImGui_ImplOpenGL3_NewFrame();
  g.device_ready = true;
  ImGui_ImplSDL2_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  // Two frames after a finger lifted (the release has been seen as a click),
  // the pointer is nowhere: a finger does not hover.
  if (g_touch.frames_since_up >= 2) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  if (!(io.DeltaTime > 0.0f)) io.DeltaTime = MIN_DELTA_TIME;
  ImGui::NewFrame();
  g.in_frame = true;
  return true;
}

int platform_take_tab() {
  const int t = g_tab;
  g_tab = 0;
  return t;
}

void platform_end_frame() {
  if (!g.in_frame) return;
  g.in_frame = false;
  ImGui::Render();
  update_cursor();
  if (!g.painting) {
    ++g.rendered_frames;
    return;
  }
  const ImDrawData& data = *ImGui::GetDrawData();
  glClearColor(g.clear[0], g.clear[1], g.clear[2], 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  gl_draw(data, static_cast<int>(data.DisplaySize.x * data.FramebufferScale.x),
          static_cast<int>(data.DisplaySize.y * data.FramebufferScale.y));
  SDL_GL_SwapWindow(g.window);
  if (++g.rendered_frames == 1) js_first_frame();
}

void platform_request_redraw() {
  if (g.frames_to_draw < SETTLE_FRAMES) g.frames_to_draw = SETTLE_FRAMES;
  wake_loop();
}

void platform_request_redraw_for(int frames) {
  if (g.frames_to_draw < frames) g.frames_to_draw = frames;
  wake_loop();
}

void platform_set_painting(bool on) {
  g.painting = on;
  platform_request_redraw();
}

bool platform_painting() { return g.painting; }

void platform_set_idle(bool idle) {
  if (g.idle && !idle) platform_request_redraw();
  g.idle = idle;
}

void platform_set_clear_color(float red, float green, float blue) {
  g.clear[0] = red;
  g.clear[1] = green;
  g.clear[2] = blue;
  platform_request_redraw();
}

float platform_pixel_ratio() { return g.pixel_ratio; }

ImVec2 platform_view_size() { return ImVec2(static_cast<float>(g.css_w), static_cast<float>(g.css_h)); }

bool platform_coarse_pointer() { return js_coarse_pointer() != 0; }

unsigned platform_rendered_frames() { return g.rendered_frames; }

void platform_report_error(const char* message) {
  std::fprintf(stderr, "tcplab: %s\n", message);
  js_report_error(message);
}

}  // namespace tcplab

// Called by the page (shell.js) when the canvas's size or the pixel ratio
// changed: the paused loop runs again and picks the change up.
extern "C" EMSCRIPTEN_KEEPALIVE void tcplab_wake() {
  tcplab::g.size_stale = true;
  tcplab::platform_request_redraw();
}

// Can the panel under the pointer (or one around it) scroll further in the
// direction of a wheel turn `dy` (> 0: down)? shell.js lets the course page
// scroll when it cannot.
extern "C" EMSCRIPTEN_KEEPALIVE int tcplab_can_scroll(float dy) {
  const ImGuiContext* ctx = ImGui::GetCurrentContext();
  for (const ImGuiWindow* w = ctx ? ctx->HoveredWindow : nullptr; w; w = w->ParentWindow) {
    if ((w->Flags & ImGuiWindowFlags_NoScrollWithMouse) || w->ScrollMax.y <= 0.0f) continue;
    if (dy > 0 ? w->Scroll.y < w->ScrollMax.y - 0.5f : w->Scroll.y > 0.5f) return 1;
  }
  return 0;
}

// Test hook: the browser tests wait for frames through this.
extern "C" EMSCRIPTEN_KEEPALIVE unsigned tcplab_rendered_frames() {
  return tcplab::platform_rendered_frames();
}
