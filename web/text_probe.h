// Test hook: the text runs drawn in the last frame (web/text_probe.cpp).
#pragma once
#include <string>

namespace tcplab {

// Call once per frame after rendering: the runs drawn become "the last frame".
void text_probe_end_frame();
// JSON [{"text", "rect": [x, y, w, h], "clip": [x0, y0, x1, y1], "window",
// "scrolls"}, ...] in CSS pixels. The first call turns the recorder on, so
// it returns the runs of frames drawn after it.
std::string text_probe_json();

}  // namespace tcplab
