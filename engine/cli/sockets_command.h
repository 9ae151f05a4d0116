// tcplab-sim sockets [--trace] [--pcap OUT.pcap] FILE...: runs socket scenario files
// (engine/SOCKET-SCENARIOS.md). Kept apart from main.cpp, which it joins by
// one include and one dispatch line; header-only so the build is unchanged.
//
// Prints "PASS <id>" or "FAIL <id> step <k>: ..." per scenario (with
// --trace, every event of the run first, one sentence each), then
// "N passed, N failed". --pcap writes each run's packets (world_to_pcap):
// OUT.pcap for one scenario, OUT-<id>.pcap for several. Exit 0 all passed, 1 some failed, 2 a file was
// malformed or unreadable.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "socket_pcap.h"
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

inline std::string sockets_pcap_name(const std::string& out, bool several, const std::string& id) {
  if (!several) return out;
  const std::size_t dot = out.rfind('.');
  const std::size_t slash = out.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return out + "-" + id;
  return out.substr(0, dot) + "-" + id + out.substr(dot);
}

inline bool sockets_write_pcap(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

inline int command_sockets(const std::vector<std::string>& args) {
  bool trace = false;
  std::string pcap_out;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--trace") trace = true;
    else if (a == "--pcap" && i + 1 < args.size()) pcap_out = args[++i];
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
  const bool several = files.size() > 1;
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
      const tcplab::SocketScenarioRun run = tcplab::run_socket_scenario(s, !trace && pcap_out.empty());
      if (!pcap_out.empty()) {
        const std::string name = sockets_pcap_name(pcap_out, several || file.scenarios.size() > 1, s.id);
        if (!sockets_write_pcap(name, tcplab::world_to_pcap(run.world))) {
          sockets_put(stderr, name + ": cannot write the capture\n");
          malformed = true;
        }
      }
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
