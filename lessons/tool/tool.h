// The pieces of tcplab-lesson (lessons/tool/) that its commands share.
#pragma once
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "lesson.h"

namespace tcplab_tool {

void put(std::FILE* f, const std::string& s);
void out(const std::string& s);
int usage_error(const std::string& message);
// Reads a file of at most 16 MiB: "" on success, else why not.
std::string read_file(const std::string& path, std::string& text);
// Reads and loads (parse + validate) a lesson file; prints its problems on stderr.
std::optional<tcplab::Lesson> load_file(const std::string& path);

int command_regrade(const std::vector<std::string>& args);
int command_export(const std::vector<std::string>& args);

// Socket lessons (lessons/tool/sockets.cpp): "kind": "sockets" files.
bool is_socket_lesson_file(const std::string& path);
int validate_socket_file(const std::string& path);
int play_socket_file(const std::string& path, bool wrong);

}  // namespace tcplab_tool
