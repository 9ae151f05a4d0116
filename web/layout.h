// Where the panels go (web/layout.cpp): wide, compact lesson, or column.
#pragma once
#include "app.h"

namespace tcplab {

// The page's window and every panel in it, for the current viewport.
void layout_and_draw(App& app);
// Narrow screens (phones, portrait tablets, large text on a small window)
// scroll one column instead of shrinking the panels.
bool narrow_layout(const App& app, float w, float h);
// The toolbar's height last frame (it wraps on narrow screens); forgotten
// when the text size changes.
float toolbar_height();
void forget_toolbar_height();

}  // namespace tcplab
