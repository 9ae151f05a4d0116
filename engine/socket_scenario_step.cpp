// Parsing one step of a socket scenario (engine/SOCKET-SCENARIOS.md).
#include "socket_scenario_step.h"

namespace tcplab {

int host_index(const std::vector<HostConfig>& hosts, std::string_view name) {
  for (std::size_t i = 0; i < hosts.size(); ++i)
    if (hosts[i].name == name) return static_cast<int>(i);
  return -1;
}

bool parse_flags(JsonReader& rd, const JsonValue& v, const std::string& path, std::uint8_t& out) {
  if (!rd.expect_array(v, path)) return false;
  out = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::string f;
    const std::string ip = JsonReader::index_path(path, i);
    if (!rd.get_string(v.items[i], ip, f)) return false;
    if (f == "SYN") out |= FLAG_SYN;
    else if (f == "ACK") out |= FLAG_ACK;
    else if (f == "FIN") out |= FLAG_FIN;
    else if (f == "RST") out |= FLAG_RST;
    else if (f == "PSH") out |= FLAG_PSH;
    else return rd.fail(ip, "expected SYN, ACK, FIN, RST or PSH, got \"" + f + "\"");
  }
  return true;
}

namespace {

bool get_host(JsonReader& rd, const JsonValue& v, const std::string& path, const char* key,
              const std::vector<HostConfig>& hosts, int& out, bool required) {
  const JsonValue* h = rd.member(v, path, key, required);
  if (h == nullptr) return !required;
  std::string name;
  const std::string kp = JsonReader::key_path(path, key);
  if (!rd.get_string(*h, kp, name)) return false;
  out = host_index(hosts, name);
  if (out < 0) return rd.fail(kp, "no host named \"" + name + "\" in setup.hosts");
  return true;
}

bool get_sockaddr(JsonReader& rd, const JsonValue& v, const std::string& path, const char* key, SockAddr& out) {
  const JsonValue* a = rd.member(v, path, key, true);
  std::string s;
  const std::string kp = JsonReader::key_path(path, key);
  if (a == nullptr || !rd.get_string(*a, kp, s)) return false;
  if (!parse_sockaddr(s, out)) return rd.fail(kp, "expected \"a.b.c.d:port\", got \"" + s + "\"");
  return true;
}

bool get_u(JsonReader& rd, const JsonValue& v, const std::string& path, const char* key, std::int64_t lo,
           std::int64_t hi, std::int64_t& out, bool required) {
  const JsonValue* x = rd.member(v, path, key, required);
  if (x == nullptr) return !required;
  return rd.get_int(*x, JsonReader::key_path(path, key), lo, hi, out);
}

bool parse_call_name(std::string_view s, SockCall& c) {
  static const SockCall all[] = {SockCall::Socket, SockCall::Bind,     SockCall::Listen, SockCall::Accept,
                                 SockCall::Connect, SockCall::Send,    SockCall::Recv,   SockCall::Shutdown,
                                 SockCall::Close,  SockCall::SetSockOpt};
  for (SockCall x : all)
    if (s == sock_call_name(x)) return c = x, true;
  return false;
}

bool parse_opt(std::string_view s, SockOpt& o) {
  static const SockOpt all[] = {SockOpt::ReuseAddr, SockOpt::Linger,    SockOpt::KeepAlive,
                                SockOpt::KeepIdle,  SockOpt::KeepIntvl, SockOpt::KeepCnt};
  for (SockOpt x : all)
    if (s == sock_opt_name(x)) return o = x, true;
  return false;
}

bool parse_call(JsonReader& rd, const JsonValue& v, const std::string& path, SockStep& out) {
  std::string name;
  const std::string cp = JsonReader::key_path(path, "call");
  if (!rd.get_string(*v.find("call"), cp, name)) return false;
  if (!parse_call_name(name, out.call)) return rd.fail(cp, "unknown call \"" + name + "\"");
  if (const JsonValue* as = rd.member(v, path, "as", false)) rd.get_string(*as, JsonReader::key_path(path, "as"), out.as);
  if (out.call != SockCall::Socket) {
    const JsonValue* fd = rd.member(v, path, "fd", true);
    if (fd == nullptr || !rd.get_string(*fd, JsonReader::key_path(path, "fd"), out.fd)) return false;
  }
  std::int64_t n = 0;
  switch (out.call) {
    case SockCall::Bind:
      if (get_u(rd, v, path, "port", 0, 65535, n, true)) out.port = static_cast<Port>(n);
      break;
    case SockCall::Listen:
      if (get_u(rd, v, path, "backlog", 0, 65535, n, true)) out.backlog = static_cast<int>(n);
      break;
    case SockCall::Connect: get_sockaddr(rd, v, path, "to", out.to); break;
    case SockCall::Send:
      if (get_u(rd, v, path, "bytes", 1, 1 << 30, n, true)) out.bytes = static_cast<std::uint32_t>(n);
      break;
    case SockCall::Recv:
      out.bytes = 65536;
      if (get_u(rd, v, path, "max", 1, 1 << 30, n, false) && rd.ok() && v.find("max")) out.bytes = static_cast<std::uint32_t>(n);
      break;
    case SockCall::Shutdown: {
      std::string how;
      const JsonValue* h = rd.member(v, path, "how", true);
      if (h == nullptr || !rd.get_string(*h, JsonReader::key_path(path, "how"), how)) break;
      if (how == "SHUT_RD") out.how = ShutHow::Rd;
      else if (how == "SHUT_WR") out.how = ShutHow::Wr;
      else if (how == "SHUT_RDWR") out.how = ShutHow::RdWr;
      else rd.fail(JsonReader::key_path(path, "how"), "expected SHUT_RD, SHUT_WR or SHUT_RDWR");
      break;
    }
    case SockCall::SetSockOpt: {
      std::string o;
      const JsonValue* x = rd.member(v, path, "option", true);
      if (x == nullptr || !rd.get_string(*x, JsonReader::key_path(path, "option"), o)) break;
      if (!parse_opt(o, out.opt)) rd.fail(JsonReader::key_path(path, "option"), "unknown option \"" + o + "\"");
      if (get_u(rd, v, path, "value", 0, 1 << 30, n, true)) out.value = static_cast<int>(n);
      if (get_u(rd, v, path, "value2", 0, 1 << 30, n, false) && v.find("value2")) out.value2 = static_cast<int>(n);
      break;
    }
    case SockCall::Socket: case SockCall::Accept: case SockCall::Close:
      break;
  }
  return rd.ok();
}

}  // namespace

bool parse_sock_step(JsonReader& rd, const JsonValue& v, const std::string& path,
                     const std::vector<HostConfig>& hosts, SockStep& out) {
  if (!rd.expect_object(v, path)) return false;
  out.expect = v.find("expect");
  if (out.expect != nullptr && !rd.expect_object(*out.expect, JsonReader::key_path(path, "expect"))) return false;
  std::int64_t n = 0;
  if (v.find("call") != nullptr) {
    out.kind = SockStepKind::Call;
    if (!get_host(rd, v, path, "host", hosts, out.host, true)) return false;
    return parse_call(rd, v, path, out);
  }
  if (v.find("advance_ms") != nullptr) {
    out.kind = SockStepKind::Advance;
    if (get_u(rd, v, path, "advance_ms", 0, 86400000, n, true)) out.advance_ms = n;
    return rd.ok();
  }
  if (const JsonValue* e = v.find("event")) {
    out.kind = SockStepKind::Event;
    if (!get_host(rd, v, path, "host", hosts, out.host, true)) return false;
    const std::string ep = JsonReader::key_path(path, "event");
    if (!rd.get_string(*e, ep, out.event)) return false;
    if (out.event != "crash" && out.event != "reboot" && out.event != "exit" && out.event != "link_down" &&
        out.event != "link_up")
      return rd.fail(ep, "expected crash, reboot, exit, link_down or link_up, got \"" + out.event + "\"");
    return true;
  }
  if (v.find("flood") != nullptr) {
    out.kind = SockStepKind::Flood;
    get_sockaddr(rd, v, path, "flood", out.to);
    if (get_u(rd, v, path, "per_second", 1, 1000000, n, true)) out.per_second = static_cast<std::uint32_t>(n);
    if (get_u(rd, v, path, "count", 1, 1000000, n, true)) out.count = static_cast<std::uint32_t>(n);
    return rd.ok();
  }
  if (const JsonValue* d = v.find("drop")) {
    out.kind = SockStepKind::Drop;
    const std::string dp = JsonReader::key_path(path, "drop");
    if (!rd.expect_object(*d, dp)) return false;
    if (!get_host(rd, *d, dp, "from", hosts, out.rule.from, false)) return false;
    if (!get_host(rd, *d, dp, "to", hosts, out.rule.to, false)) return false;
    if (const JsonValue* f = rd.member(*d, dp, "flags", false)) parse_flags(rd, *f, JsonReader::key_path(dp, "flags"), out.rule.flags);
    out.rule.count = 1;
    if (get_u(rd, *d, dp, "count", 1, 1000000, n, false) && d->find("count")) out.rule.count = static_cast<int>(n);
    return rd.ok();
  }
  if (const JsonValue* r = v.find("raw")) {
    out.kind = SockStepKind::Raw;
    const std::string rp = JsonReader::key_path(path, "raw");
    if (!rd.expect_object(*r, rp)) return false;
    get_sockaddr(rd, *r, rp, "from", out.from);
    get_sockaddr(rd, *r, rp, "to", out.to);
    if (const JsonValue* f = rd.member(*r, rp, "flags", true)) parse_flags(rd, *f, JsonReader::key_path(rp, "flags"), out.seg.flags);
    if (get_u(rd, *r, rp, "seq", 0, 0xFFFFFFFFll, n, true)) out.seg.seq = static_cast<Seq>(n);
    if (get_u(rd, *r, rp, "ack", 0, 0xFFFFFFFFll, n, false) && r->find("ack")) out.seg.ack = static_cast<Seq>(n);
    if (get_u(rd, *r, rp, "len", 0, 1 << 30, n, false) && r->find("len")) out.seg.len = static_cast<std::uint32_t>(n);
    return rd.ok();
  }
  return rd.fail(path, "expected a step: call, advance_ms, event, flood, drop or raw");
}

}  // namespace tcplab
