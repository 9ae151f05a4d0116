// The colours of the web lesson as plain numbers (no ImGui), so a unit test
// can check every text/background pair against WCAG 2.1 AA: 4.5:1 for text,
// 3:1 for large text and for the graphics a learner must see (lines, the
// keyboard focus frame). ui.h builds the ImGui palette from these.
#pragma once
#include <cmath>
#include <cstdint>

namespace tcplab {

struct Rgb {
  std::uint8_t r, g, b;
};

namespace colours {
// The hosts (also told apart by side, by the [C]/(S) tags and the C/S
// letters on the state diagram, never by colour alone).
constexpr Rgb CLIENT{0, 95, 204};     // #005FCC
constexpr Rgb SERVER{178, 80, 0};     // #B25000
constexpr Rgb LOST{200, 30, 30};      // #C81E1E: lost, dropped, rejected
constexpr Rgb TEXT{20, 20, 20};
constexpr Rgb DIM{95, 95, 95};        // secondary text
constexpr Rgb TEXT_DISABLED{94, 94, 94};
constexpr Rgb GRID{175, 175, 175};    // decoration only (box outlines, rules)
constexpr Rgb GOOD{13, 115, 31};      // a right answer
constexpr Rgb BAD{199, 31, 31};       // a wrong answer
constexpr Rgb NAV_FOCUS{26, 95, 180}; // the keyboard focus frame
constexpr Rgb WHITE{255, 255, 255};
// ImGui's light theme (StyleColorsLight), which the page uses.
constexpr Rgb WINDOW_BG{240, 240, 240};
constexpr Rgb FRAME_BG{255, 255, 255};
constexpr Rgb BUTTON{66, 150, 250};   // drawn at 40 % over the window
constexpr float BUTTON_ALPHA = 0.40f;
constexpr Rgb BUTTON_HOVERED{66, 150, 250};
constexpr Rgb BUTTON_ACTIVE{15, 135, 250};
constexpr float HEADER_ALPHA = 0.31f; // collapsing headers, selected rows
// Tints drawn under dark text: timer bars (0x55 of the host's colour), the
// state diagram's current box (22 %).
constexpr float TIMER_TINT = 0x55 / 255.0f;
constexpr float BOX_TINT = 0.22f;
}  // namespace colours

// `fg` drawn at opacity `a` over `bg`.
inline Rgb blend(Rgb fg, Rgb bg, float a) {
  auto mix = [a](std::uint8_t f, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround(static_cast<float>(f) * a + static_cast<float>(b) * (1.0f - a)));
  };
  return Rgb{mix(fg.r, bg.r), mix(fg.g, bg.g), mix(fg.b, bg.b)};
}

// WCAG 2.1 relative luminance and contrast ratio.
inline double relative_luminance(Rgb c) {
  auto lin = [](std::uint8_t v) {
    const double s = v / 255.0;
    return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}
inline double contrast_ratio(Rgb a, Rgb b) {
  const double la = relative_luminance(a), lb = relative_luminance(b);
  return (std::fmax(la, lb) + 0.05) / (std::fmin(la, lb) + 0.05);
}

}  // namespace tcplab
