// The size/speed floor: one ImGui window with one button through the same
// platform layer and link flags as the app. A benchmark compares the app
// against this, so it must stay this small.
#include "imgui.h"
#include "platform.h"

namespace {

void frame() {
  if (!tcplab::platform_begin_frame()) return;
  ImGui::Begin("floor");
  ImGui::Button("Button");
  ImGui::End();
  tcplab::platform_end_frame();
}

}  // namespace

int main() {
  if (!tcplab::platform_init("floor")) return 1;
  tcplab::platform_run(frame);
}
