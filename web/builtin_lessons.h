// The lessons compiled into the page (generated from lessons/*.json).
#pragma once

namespace tcplab {

struct BuiltinLesson {
  const char* name;  // "lessons/01-handshake.json"
  const char* json;
};
extern const BuiltinLesson BUILTIN_LESSONS[];
extern const int BUILTIN_LESSON_COUNT;

}  // namespace tcplab
