#include "present.h"

#include <SDL.h>

#include "imgui.h"

namespace tcplab {
namespace {

bool pressed(SDL_Scancode k) { return ImGui::IsKeyPressed(k, true); }

// Forward: what Continue does; a question waits for its answer.
void forward(App& app) {
  if (app.mode != Mode::Lesson || !app.ls.run || !app.ls.run->awaiting_continue()) return;
  app.lesson_advance();
}

// Back: the run as it was one step before (answers given since are undone
// with it: the presenter replays the lesson, nothing is graded twice).
void back(App& app) {
  LessonState& ls = app.ls;
  if (app.mode != Mode::Lesson || ls.back.empty()) return;
  ls.run.emplace(std::move(ls.back.back()));
  ls.back.pop_back();
  ls.feedback.reset();
  app.sim = ls.run->sim();
  app.refresh_builders();
}

}  // namespace

void handle_presenter_keys(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
  for (int k = 0; k < io.InputQueueCharacters.Size; ++k) {
    const unsigned c = io.InputQueueCharacters[k];
    if (c == 'v' || c == 'V') {
      app.access.presenting = !app.access.presenting;
      app.access.text_scale_changed = true;  // the fonts follow
    }
  }
  if (!app.access.presenting) return;
  if (pressed(SDL_SCANCODE_PAGEDOWN) || pressed(SDL_SCANCODE_RIGHT) || pressed(SDL_SCANCODE_DOWN) ||
      pressed(SDL_SCANCODE_SPACE))
    forward(app);
  if (pressed(SDL_SCANCODE_PAGEUP) || pressed(SDL_SCANCODE_LEFT) || pressed(SDL_SCANCODE_UP)) back(app);
}

}  // namespace tcplab
