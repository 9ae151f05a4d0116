// The lessons compiled into the page (generated from lessons/*.json).
#pragma once

namespace tcplab {

struct BuiltinLesson {
  const char* name;  // "lessons/01-handshake.json"
  const char* json;
};
extern const BuiltinLesson BUILTIN_LESSONS[];
extern const int BUILTIN_LESSON_COUNT;
// The socket lessons (lessons/sockets/*.json, web/embed_socket_lessons.cmake).
extern const BuiltinLesson SOCKET_LESSONS[];
extern const int SOCKET_LESSON_COUNT;

}  // namespace tcplab
