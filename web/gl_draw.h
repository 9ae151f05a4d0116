// ImGui's draw data on the page's WebGL2 context, in few calls into the
// page (see gl_draw.cpp for why not ImGui's OpenGL3 backend's own).
#pragma once

struct ImDrawData;

namespace tcplab {

// Compiles the shader and makes the vertex array and buffers. Returns false
// when WebGL refused (the reason is on the console).
bool gl_draw_init();

// Waits until the GPU has drawn the last frame (see gl_draw.cpp). Call
// before building the next one.
void gl_wait_for_last_frame();

// Draws `data` onto the `fb_w` x `fb_h` drawing buffer, over what is there.
// Leaves the scissor test off, so a glClear before the next call clears all.
void gl_draw(const ImDrawData& data, int fb_w, int fb_h);

}  // namespace tcplab
