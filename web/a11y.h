// Keyboard, text size and the keyboard help of the web lesson: shortcuts for
// the main actions, jumps of the keyboard focus to a panel's first control,
// the help overlay listing them, and the toolbar's ?, A-, A+ and Transcript
// buttons.
#pragma once
#include "app.h"

namespace tcplab {

// The text sizes offered (multipliers of the base font size).
constexpr float TEXT_SCALES[] = {1.0f, 1.15f, 1.3f, 1.5f, 1.75f, 2.0f};
constexpr int TEXT_SCALE_COUNT = static_cast<int>(sizeof TEXT_SCALES / sizeof TEXT_SCALES[0]);
// The nearest offered size to `scale` (a stored or typed value), clamped.
float clamp_text_scale(float scale);
// One step bigger (+1) or smaller (-1).
void step_text_scale(App& app, int direction);

// Reads the keyboard for this frame (between NewFrame and the panels):
// shortcuts act only while no text field is being typed into.
void handle_shortcuts(App& app);

// The toolbar's accessibility buttons (inside the toolbar, which passes its
// row's left and right edge so they flow onto a new row when needed).
void draw_a11y_toolbar(App& app, float x_start, float x_end);

// The help overlay with every shortcut (open: app.access.help_open).
void draw_help(App& app);

// Gives the keyboard focus to the widget hooked as `name` when it is drawn
// next (ui.cpp hook_item calls a11y_on_hook for every hooked widget);
// `activate` also starts typing into a text field.
void request_focus(const char* name, bool activate = false);
void a11y_on_hook(const char* name);
void a11y_begin_frame();

}  // namespace tcplab
