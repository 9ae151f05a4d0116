// The built-in lessons arrive after the first frame (web/lesson_bundle.h):
// library.js fetches lessons.json and hands its text to
// tcplab_lesson_bundle_loaded.
#include "lesson_bundle.h"

#include <emscripten.h>

#include <cstdlib>

#include "json.h"
#include "platform.h"

extern "C" void tcplab_js_fetch_lesson_bundle(const char* url);

namespace tcplab {
namespace {

struct Bundle {
  bool asked = false;
  bool settled = false;
  std::string error;
  std::string error_zh;
  std::vector<BuiltinLesson> lessons;
  std::vector<BuiltinLesson> sockets;
};

Bundle g_bundle;

bool read_list(const JsonValue* list, const char* key, std::vector<BuiltinLesson>& out, std::string& error) {
  if (!list || !list->is_array()) {
    error = std::string("\"") + key + "\" is not a list";
    return false;
  }
  for (const JsonValue& pair : list->items) {
    if (!pair.is_array() || pair.size() != 2 || !pair.items[0].is_string() || !pair.items[1].is_string()) {
      error = std::string("an entry of \"") + key + "\" is not [name, text]";
      return false;
    }
    out.push_back({pair.items[0].string, pair.items[1].string});
  }
  return true;
}

// The reasons library.js gives, and read_lesson_bundle's, in Chinese.
std::string reason_zh(const std::string& en) {
  if (en.rfind("HTTP", 0) == 0) return "服务器回答 " + en;
  if (en == "the network failed") return "网络请求失败";
  if (en == "the download broke off") return "下载中断";
  return "不是有效的课程包（" + en + "）";
}

}  // namespace

bool read_lesson_bundle(const std::string& text, std::vector<BuiltinLesson>& lessons,
                        std::vector<BuiltinLesson>& sockets, std::string& error) {
  JsonValue root;
  JsonError e;
  if (!parse_json(text, root, e)) {
    error = "not JSON (line " + std::to_string(e.line) + ": " + e.message + ")";
    return false;
  }
  if (!root.is_object()) {
    error = "not a JSON object";
    return false;
  }
  return read_list(root.find("lessons"), "lessons", lessons, error) &&
         read_list(root.find("sockets"), "sockets", sockets, error);
}

void lesson_bundle_request() {
  if (g_bundle.asked) return;
  g_bundle.asked = true;
  tcplab_js_fetch_lesson_bundle("lessons.json");
}

bool lesson_bundle_settled() { return g_bundle.settled; }
const std::string& lesson_bundle_error() { return g_bundle.error; }
const std::string& lesson_bundle_error_zh() { return g_bundle.error_zh; }
const std::vector<BuiltinLesson>& builtin_lessons() { return g_bundle.lessons; }
const std::vector<BuiltinLesson>& socket_lessons() { return g_bundle.sockets; }

}  // namespace tcplab

extern "C" {
// Called by library.js with lessons.json's text, or with a null text and
// why it could not be fetched; both were allocated with malloc.
EMSCRIPTEN_KEEPALIVE void tcplab_lesson_bundle_loaded(char* text, char* reason) {
  using namespace tcplab;
  Bundle& b = g_bundle;
  if (b.settled) {
    std::free(text);
    std::free(reason);
    return;
  }
  b.settled = true;
  std::string why = reason ? reason : "";
  if (text && !read_lesson_bundle(text, b.lessons, b.sockets, why)) {
    b.lessons.clear();
    b.sockets.clear();
  }
  if (!why.empty()) {
    b.error = "lessons.json: " + why + ". The built-in lessons are missing; the sandbox and lesson files still work.";
    b.error_zh = "lessons.json：" + reason_zh(why) + "。内置课程缺失；沙盒和课程文件仍可使用。";
  }
  std::free(text);
  std::free(reason);
  platform_request_redraw();
}
}
