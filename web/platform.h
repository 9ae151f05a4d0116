// The browser platform layer: SDL2 window on the page's #canvas, a WebGL2
// context, Dear ImGui, the main loop, canvas sizing, high-DPI fonts and idle
// frames. The app above it only declares widgets between
// platform_begin_frame() and platform_end_frame().
//
//   int main() {
//     if (!tcplab::platform_init("tcplab")) return 1;
//     tcplab::platform_run([] {
//       if (!tcplab::platform_begin_frame()) return;  // idle: nothing changed
//       ImGui::Begin("tcplab"); ... ImGui::End();
//       tcplab::platform_end_frame();
//     });
//   }
//
// Sizing: the canvas is sized by the page's CSS; the platform reads its CSS
// size and the devicePixelRatio before the first frame and whenever the page
// says they may have changed (tcplab_wake, called by shell.js), and when
// either changed sets the drawing buffer to css * dpr and rebuilds the fonts
// at the new ratio.
//
// Idle: with platform_set_idle(true) a frame is drawn only when something can
// have changed: an input or window event, a size or ratio change, or a
// platform_request_redraw(); then a few more frames so ImGui can settle
// (hover, release). Otherwise platform_begin_frame() returns false and the
// previous picture stays on screen.
#pragma once

struct ImFontAtlas;
struct ImVec2;

namespace tcplab {

// Adds the app's fonts to `atlas`, rasterised at `pixel_ratio` times their
// CSS size (io.FontGlobalScale is set to 1 / pixel_ratio by the platform).
// Called at start-up and again whenever the ratio changes (browser zoom,
// moving to another screen). The default adds ImGui's built-in font at 13 px.
using FontBuilder = void (*)(ImFontAtlas& atlas, float pixel_ratio);

// Creates the SDL window on #canvas, the WebGL2 (GLES 3.0) context and the
// ImGui context. Returns false after reporting the error to the page.
bool platform_init(const char* title);

// Replaces the font builder; the atlas is rebuilt before the next frame.
void platform_set_font_builder(FontBuilder builder);

// Hands the loop to the browser (one call of `frame` per animation frame).
// Does not return.
[[noreturn]] void platform_run(void (*frame)());

// Polls events and sizes. Returns true when this frame is to be drawn (the
// ImGui frame has begun: declare widgets, then call platform_end_frame()),
// false when idle and nothing changed (declare nothing).
bool platform_begin_frame();

// A Tab press of this frame that ImGui did not get (no text field was being
// typed into): +1 Tab, -1 Shift+Tab, 0 none. The app moves the focus.
int platform_take_tab();

// Renders the ImGui frame begun by platform_begin_frame().
void platform_end_frame();

// Draw the next frames even when idle (after the app's state changed by
// itself, e.g. a simulation timer fired).
void platform_request_redraw();

// Draw at least the next `frames` frames (e.g. while a scroll settles).
void platform_request_redraw_for(int frames);

// true: draw only when something changed (see above); false: every frame.
void platform_set_idle(bool idle);

// Test hook: false skips putting frames on the canvas. The layout still
// runs and the text probe still records, so a test that measures only text
// (tests/browser/tests/screen.mjs) need not pay a software GPU for every
// frame; it turns painting on again for its screenshots.
void platform_set_painting(bool on);
bool platform_painting();

// Background behind the ImGui windows (linear 0..1).
void platform_set_clear_color(float r, float g, float b);

// The devicePixelRatio the fonts are rasterised at.
float platform_pixel_ratio();
// The canvas's size in CSS pixels (what the layout and the text size follow),
// as last measured.
ImVec2 platform_view_size();
// The main pointer is a finger (a phone or a tablet).
bool platform_coarse_pointer();

// Frames drawn so far (also exported to JS as _tcplab_rendered_frames).
unsigned platform_rendered_frames();

// Shows `message` in the page's error overlay (and on the console).
void platform_report_error(const char* message);

}  // namespace tcplab
