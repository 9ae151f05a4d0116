// ImGui's draw data on WebGL2.
//
// ImGui's OpenGL3 backend is written for a context shared with an engine:
// each frame it reads back some twenty pieces of GL state to restore them
// afterwards (WebGL getParameter calls), makes and deletes a vertex array,
// and uploads every window's vertices and indices separately: about 105
// WebGL calls a frame, each a call from wasm into JavaScript. With the CPU
// throttled 4x they were about a quarter of the frame. The page owns its
// context and draws nothing else into it, so this renderer sets its state
// without reading any back, keeps one vertex array, uploads the frame's
// vertices and indices in one call each (indices widened to 32 bits, so the
// windows' lists share one buffer), and joins neighbouring draws with the
// same clip and texture: about 40 calls. The pixels are the backend's: the
// same shader, blending and scissors. The backend still makes the font
// texture (io.Fonts->TexID).
//
// One of the backend's reads stays, moved to the start of the frame:
// reading the scissor box back waits until the GPU process has drawn the
// last frame. With a software GPU (SwiftShader: Chromium without a usable
// GPU, and the tests' headless browser) that drawing runs on the same CPU
// cores as the page, and building the next frame meanwhile made both slower
// (with the CPU throttled 4x on 2 cores the frame took up to twice as long
// without the wait; the backend read it mid-frame, after the layout). So
// the frame is built on an idle CPU. With a hardware GPU the read costs a
// round trip to the GPU process, as the backend's did. (tests/browser/
// bench.mjs counts time in getParameter as GPU wait, not as frame CPU.)
#include "gl_draw.h"

#include <GLES3/gl3.h>

#include <cstdint>
#include <cstdio>
#include <vector>

#include "imgui.h"

namespace tcplab {
namespace {

const char* const VERTEX_SHADER =
    "#version 300 es\n"
    "precision highp float;\n"
    "layout (location = 0) in vec2 pos;\n"
    "layout (location = 1) in vec2 uv;\n"
    "layout (location = 2) in vec4 colour;\n"
    "uniform mat4 projection;\n"
    "out vec2 frag_uv;\n"
    "out vec4 frag_colour;\n"
    "void main() {\n"
    "  frag_uv = uv;\n"
    "  frag_colour = colour;\n"
    "  gl_Position = projection * vec4(pos, 0.0, 1.0);\n"
    "}\n";

const char* const FRAGMENT_SHADER =
    "#version 300 es\n"
    "precision mediump float;\n"
    "uniform sampler2D atlas;\n"
    "in vec2 frag_uv;\n"
    "in vec4 frag_colour;\n"
    "layout (location = 0) out vec4 out_colour;\n"
    "void main() { out_colour = frag_colour * texture(atlas, frag_uv); }\n";

struct GlState {
  GLuint program = 0;
  GLint projection = -1;
  GLint atlas = -1;
  GLuint vao = 0;
  GLuint vbo = 0;
  GLuint ibo = 0;
  GLsizeiptr vbo_size = 0;  // bytes the buffers hold (they only grow)
  GLsizeiptr ibo_size = 0;
  std::vector<ImDrawVert> vertices;  // this frame's, all lists (kept: no allocation per frame)
  std::vector<std::uint32_t> indices;
};
GlState gl;

GLuint compile(GLenum kind, const char* source) {
  const GLuint shader = glCreateShader(kind);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[512] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    std::fprintf(stderr, "tcplab: shader: %s\n", log);
  }
  return shader;
}

bool make_program() {
  const GLuint vs = compile(GL_VERTEX_SHADER, VERTEX_SHADER);
  const GLuint fs = compile(GL_FRAGMENT_SHADER, FRAGMENT_SHADER);
  gl.program = glCreateProgram();
  glAttachShader(gl.program, vs);
  glAttachShader(gl.program, fs);
  glLinkProgram(gl.program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(gl.program, GL_LINK_STATUS, &ok);
  if (!ok) return false;
  gl.projection = glGetUniformLocation(gl.program, "projection");
  gl.atlas = glGetUniformLocation(gl.program, "atlas");
  return true;
}

// The vertex array remembers the buffers and the vertex layout (ImDrawVert).
void make_vertex_array() {
  glGenVertexArrays(1, &gl.vao);
  glGenBuffers(1, &gl.vbo);
  glGenBuffers(1, &gl.ibo);
  glBindVertexArray(gl.vao);
  glBindBuffer(GL_ARRAY_BUFFER, gl.vbo);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, gl.ibo);
  const GLsizei stride = sizeof(ImDrawVert);
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(IM_OFFSETOF(ImDrawVert, pos)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(IM_OFFSETOF(ImDrawVert, uv)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(IM_OFFSETOF(ImDrawVert, col)));
  glBindVertexArray(0);
}

// Set every frame, not read back: nothing else draws into the context, and
// a dozen calls cost less than remembering what a font rebuild touched.
void set_state(const ImDrawData& d, int fb_w, int fb_h) {
  glViewport(0, 0, fb_w, fb_h);
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  const float l = d.DisplayPos.x, r = d.DisplayPos.x + d.DisplaySize.x;
  const float t = d.DisplayPos.y, b = d.DisplayPos.y + d.DisplaySize.y;
  const float ortho[16] = {2.0f / (r - l),    0.0f, 0.0f, 0.0f, 0.0f, 2.0f / (t - b), 0.0f, 0.0f, 0.0f, 0.0f, -1.0f,
                           0.0f, (r + l) / (l - r), (t + b) / (b - t), 0.0f, 1.0f};
  glUseProgram(gl.program);
  glUniform1i(gl.atlas, 0);
  glUniformMatrix4fv(gl.projection, 1, GL_FALSE, ortho);
  glBindVertexArray(gl.vao);
}

// All lists into one vertex and one index array; an index points into the
// shared vertices (its list's start plus the command's offset).
void gather(const ImDrawData& d) {
  gl.vertices.clear();
  gl.indices.clear();
  for (int n = 0; n < d.CmdListsCount; ++n) {
    const ImDrawList& list = *d.CmdLists[n];
    const std::uint32_t base = static_cast<std::uint32_t>(gl.vertices.size());
    gl.vertices.insert(gl.vertices.end(), list.VtxBuffer.begin(), list.VtxBuffer.end());
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
      const std::uint32_t offset = base + cmd.VtxOffset;
      for (unsigned i = 0; i < cmd.ElemCount; ++i) gl.indices.push_back(offset + idx[i]);
    }
  }
}

// Into `buffer` (bound to `target`), grown by half again when too small so
// a growing frame does not reallocate it each time.
template <typename T>
void upload(GLenum target, GLsizeiptr& capacity, const std::vector<T>& data) {
  const GLsizeiptr bytes = static_cast<GLsizeiptr>(data.size() * sizeof(T));
  if (bytes > capacity) {
    capacity = bytes + bytes / 2;
    glBufferData(target, capacity, nullptr, GL_STREAM_DRAW);
  }
  if (bytes > 0) glBufferSubData(target, 0, bytes, data.data());
}

// A run of indices drawn with one clip rectangle (in framebuffer pixels,
// GL's y up) and one texture.
struct Draw {
  GLint clip[4] = {0, 0, -1, -1};
  ImTextureID texture = nullptr;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

void flush(const Draw& draw, Draw& current) {
  if (draw.count == 0) return;
  if (draw.clip[0] != current.clip[0] || draw.clip[1] != current.clip[1] || draw.clip[2] != current.clip[2] ||
      draw.clip[3] != current.clip[3]) {
    glScissor(draw.clip[0], draw.clip[1], draw.clip[2], draw.clip[3]);
    for (int i = 0; i < 4; ++i) current.clip[i] = draw.clip[i];
  }
  if (draw.texture != current.texture) {
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::intptr_t>(draw.texture)));
    current.texture = draw.texture;
  }
  glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(draw.count), GL_UNSIGNED_INT,
                 reinterpret_cast<void*>(static_cast<std::uintptr_t>(draw.first) * sizeof(std::uint32_t)));
}

// The scissor of a command, as ImGui's backend projects it; false when empty.
bool project_clip(const ImDrawData& d, const ImDrawCmd& cmd, int fb_h, GLint out[4]) {
  const ImVec2 off = d.DisplayPos, scale = d.FramebufferScale;
  const float x0 = (cmd.ClipRect.x - off.x) * scale.x, y0 = (cmd.ClipRect.y - off.y) * scale.y;
  const float x1 = (cmd.ClipRect.z - off.x) * scale.x, y1 = (cmd.ClipRect.w - off.y) * scale.y;
  if (x1 <= x0 || y1 <= y0) return false;
  out[0] = static_cast<GLint>(x0);
  out[1] = static_cast<GLint>(fb_h - y1);
  out[2] = static_cast<GLint>(x1 - x0);
  out[3] = static_cast<GLint>(y1 - y0);
  return true;
}

void draw_lists(const ImDrawData& d, int fb_w, int fb_h) {
  Draw current;  // the scissor and texture last set
  Draw pending;  // commands joined so far, not yet drawn
  std::uint32_t first = 0;
  for (int n = 0; n < d.CmdListsCount; ++n) {
    const ImDrawList& list = *d.CmdLists[n];
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      const std::uint32_t start = first;
      first += cmd.ElemCount;
      if (cmd.UserCallback) {
        flush(pending, current);
        pending.count = 0;
        if (cmd.UserCallback == ImDrawCallback_ResetRenderState) {
          set_state(d, fb_w, fb_h);
          current = Draw{};
        } else {
          cmd.UserCallback(&list, &cmd);
        }
        continue;
      }
      Draw draw;
      if (!project_clip(d, cmd, fb_h, draw.clip)) continue;
      draw.texture = cmd.GetTexID();
      draw.first = start;
      draw.count = cmd.ElemCount;
      const bool joins = pending.count > 0 && pending.first + pending.count == start &&
                         pending.texture == draw.texture && pending.clip[0] == draw.clip[0] &&
                         pending.clip[1] == draw.clip[1] && pending.clip[2] == draw.clip[2] &&
                         pending.clip[3] == draw.clip[3];
      if (joins) {
        pending.count += draw.count;
      } else {
        flush(pending, current);
        pending = draw;
      }
    }
  }
  flush(pending, current);
}

}  // namespace

void gl_wait_for_last_frame() {
  GLint box[4];
  glGetIntegerv(GL_SCISSOR_BOX, box);
}

bool gl_draw_init() {
  if (!make_program()) {
    std::fprintf(stderr, "tcplab: the ImGui shader did not link\n");
    return false;
  }
  make_vertex_array();
  // 32-bit indices: a list past 65536 vertices needs no vertex offset of GL.
  ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  return true;
}

void gl_draw(const ImDrawData& d, int fb_w, int fb_h) {
  if (fb_w <= 0 || fb_h <= 0 || d.CmdListsCount == 0) return;
  set_state(d, fb_w, fb_h);
  gather(d);
  glBindBuffer(GL_ARRAY_BUFFER, gl.vbo);
  upload(GL_ARRAY_BUFFER, gl.vbo_size, gl.vertices);
  upload(GL_ELEMENT_ARRAY_BUFFER, gl.ibo_size, gl.indices);  // the vertex array's index buffer
  draw_lists(d, fb_w, fb_h);
  glDisable(GL_SCISSOR_TEST);
}

}  // namespace tcplab
