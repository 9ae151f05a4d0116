// The web lesson's colours against WCAG 2.1 AA (web/palette.h): every text
// colour on every background it is drawn on has 4.5:1 (3:1 for large text
// and for graphics the learner must see: the focus frame, the hosts' lines).
#include <doctest/doctest.h>

#include <string>

#include "../../web/palette.h"

using namespace tcplab;
using namespace tcplab::colours;

namespace {

void check_pair(const char* what, Rgb fg, Rgb bg, double need) {
  const double r = contrast_ratio(fg, bg);
  INFO(what << ": " << r << ":1, needs " << need << ":1");
  CHECK(r >= need);
}

}  // namespace

TEST_CASE("contrast ratio follows WCAG 2.1") {
  CHECK(contrast_ratio(Rgb{0, 0, 0}, Rgb{255, 255, 255}) == doctest::Approx(21.0));
  CHECK(contrast_ratio(WHITE, WHITE) == doctest::Approx(1.0));
  // #767676 on white is the classic 4.54:1.
  CHECK(contrast_ratio(Rgb{118, 118, 118}, WHITE) == doctest::Approx(4.54).epsilon(0.01));
  // And a failing pair is caught: ImGui's default disabled grey on its window.
  CHECK(contrast_ratio(Rgb{153, 153, 153}, WINDOW_BG) < 4.5);
}

TEST_CASE("text colours keep 4.5:1 on the panels, the fields and the popups") {
  const Rgb backgrounds[] = {WINDOW_BG, FRAME_BG, WHITE};
  const struct {
    const char* name;
    Rgb c;
  } texts[] = {{"text", TEXT},   {"client", CLIENT},         {"server", SERVER}, {"lost/rejected", LOST},
               {"dim", DIM},     {"disabled", TEXT_DISABLED}, {"right", GOOD},     {"wrong", BAD}};
  for (const Rgb bg : backgrounds)
    for (const auto& t : texts) check_pair(t.name, t.c, bg, 4.5);
}

TEST_CASE("button and header labels keep 4.5:1 in every button state") {
  check_pair("button", TEXT, blend(BUTTON, WINDOW_BG, BUTTON_ALPHA), 4.5);
  check_pair("button hovered", TEXT, BUTTON_HOVERED, 4.5);
  check_pair("button pressed / picked answer", TEXT, BUTTON_ACTIVE, 4.5);
  check_pair("header", TEXT, blend(BUTTON, WINDOW_BG, HEADER_ALPHA), 4.5);
}

TEST_CASE("text on the tints: timer bars and the state diagram's current box") {
  for (const Rgb host : {CLIENT, SERVER, LOST, DIM}) {
    check_pair("timer bar text", TEXT, blend(host, FRAME_BG, TIMER_TINT), 4.5);
    check_pair("state box text", TEXT, blend(host, WHITE, BOX_TINT), 4.5);
    check_pair("state box text on the window", TEXT, blend(host, WINDOW_BG, BOX_TINT), 4.5);
  }
  // The C and S tags: white letters on the host's colour.
  check_pair("C tag", WHITE, CLIENT, 4.5);
  check_pair("S tag", WHITE, SERVER, 4.5);
}

TEST_CASE("graphics the learner must see keep 3:1") {
  check_pair("keyboard focus frame", NAV_FOCUS, WINDOW_BG, 3.0);
  check_pair("keyboard focus frame on a button", NAV_FOCUS, blend(BUTTON, WINDOW_BG, BUTTON_ALPHA), 3.0);
  // The ladder's lines are drawn at 75 % of the host's colour.
  check_pair("client line", blend(CLIENT, WINDOW_BG, 0.75f), WINDOW_BG, 3.0);
  check_pair("server line", blend(SERVER, WINDOW_BG, 0.75f), WINDOW_BG, 3.0);
  check_pair("lost cross", LOST, WINDOW_BG, 3.0);
}
