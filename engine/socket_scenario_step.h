// One step of a socket scenario, parsed (shared by the loader, which checks
// every step before anything runs, and the runner).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "json.h"
#include "sockets.h"

namespace tcplab {

enum class SockStepKind : std::uint8_t { Call, Advance, Event, Flood, Drop, Raw };

struct SockStep {
  SockStepKind kind = SockStepKind::Call;
  int host = -1;
  SockCall call = SockCall::Socket;
  std::string fd, as;        // descriptor names: "fd" used, "as" given to the result
  Port port = 0;             // bind
  SockAddr to;               // connect, flood, raw
  int backlog = 0;
  std::uint32_t bytes = 0;   // send; recv's max
  ShutHow how = ShutHow::Wr;
  SockOpt opt = SockOpt::ReuseAddr;
  int value = 0, value2 = 0;
  Duration advance_ms = 0;
  std::string event;         // crash, reboot, exit, link_down, link_up
  std::uint32_t per_second = 0, count = 0;
  DropRule rule;
  SockAddr from;             // raw
  Segment seg;               // raw
  const JsonValue* expect = nullptr;
};

bool parse_addr(std::string_view text, Addr& out);
bool parse_sockaddr(std::string_view text, SockAddr& out);  // "10.0.0.1:80"
int host_index(const std::vector<HostConfig>& hosts, std::string_view name);
bool parse_flags(JsonReader& rd, const JsonValue& v, const std::string& path, std::uint8_t& out);
bool parse_sock_step(JsonReader& rd, const JsonValue& v, const std::string& path,
                     const std::vector<HostConfig>& hosts, SockStep& out);

}  // namespace tcplab
