// tcplab-sim sockets [--trace] FILE...: runs socket scenario files
// (engine/SOCKET-SCENARIOS.md). Kept apart from main.cpp, which it joins by
// one include and one dispatch line; header-only so the build is unchanged.
//
// Prints "PASS <id>" or "FAIL <id> step <k>: ..." per scenario (with
// --trace, every event of the run first, one sentence each), then
// "N passed, N failed". Exit 0 all passed, 1 some failed, 2 a file was
// malformed or unreadable.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "socket_scenario.h"

namespace tcplab_cli {

inline bool sockets_read_file(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  out.clear();
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool ok = !std::ferror(f);
  std::fclose(f);
  return ok;
}

inline void sockets_put(std::FILE* f, const std::string& s) { std::fwrite(s.data(), 1, s.size(), f); }

inline int command_sockets(const std::vector<std::string>& args) {
  bool trace = false;
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (a == "--trace") trace = true;
    else if (a.size() > 1 && a[0] == '-') {
      sockets_put(stderr, "tcplab-sim: unknown option for sockets: " + a + "\n");
      return 2;
    } else files.push_back(a);
  }
  if (files.empty()) {
    sockets_put(stderr, "tcplab-sim: sockets needs at least one scenario file\n");
    return 2;
  }
  bool malformed = false;
  int passed = 0, failed = 0;
  for (const std::string& path : files) {
    std::string text;
    if (!sockets_read_file(path, text)) {
      sockets_put(stderr, path + ": cannot read the file\n");
      malformed = true;
      continue;
    }
    const tcplab::SocketScenarioFile file = tcplab::load_socket_scenarios(text, path);
    for (const std::string& e : file.errors) sockets_put(stderr, e + "\n");
    malformed = malformed || !file.ok();
    for (const tcplab::SocketScenario& s : file.scenarios) {
      const tcplab::SocketScenarioRun run = tcplab::run_socket_scenario(s, !trace);
      if (trace)
        for (const std::string& line : run.log) sockets_put(stdout, line + "\n");
      sockets_put(stdout, tcplab::socket_run_report(s, run) + "\n");
      (run.passed ? passed : failed) += 1;
    }
  }
  sockets_put(stdout, std::to_string(passed) + " passed, " + std::to_string(failed) + " failed\n");
  if (malformed) return 2;
  return failed > 0 ? 1 : 0;
}

}  // namespace tcplab_cli
