// The built-in lessons, fetched after the first frame from lessons.json
// (written by web/bundle_lessons.py), so the first download carries none of
// their text.
#pragma once
#include <string>
#include <vector>

namespace tcplab {

struct BuiltinLesson {
  std::string name;  // "lessons/01-handshake.json"
  std::string json;
};

// Asks for lessons.json once; later calls do nothing.
void lesson_bundle_request();
// The fetch has ended, with the lessons or with lesson_bundle_error().
bool lesson_bundle_settled();
// Why the lessons could not be had ("" when they arrived), in English and
// Chinese.
const std::string& lesson_bundle_error();
const std::string& lesson_bundle_error_zh();
// The two-host lessons (lessons/*.json) and the socket lessons
// (lessons/sockets/*.json); empty until the bundle has arrived.
const std::vector<BuiltinLesson>& builtin_lessons();
const std::vector<BuiltinLesson>& socket_lessons();

// Reads a bundle's text into the two lists; false with `error` set when it
// is not one.
bool read_lesson_bundle(const std::string& text, std::vector<BuiltinLesson>& lessons,
                        std::vector<BuiltinLesson>& sockets, std::string& error);

}  // namespace tcplab
