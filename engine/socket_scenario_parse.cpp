// Loading socket scenario files: the setup (hosts) and a check of every
// step with the same parser the runner uses, so a malformed step is reported
// before anything runs, naming the file, the scenario and the field.
#include <cstdlib>

#include "socket_scenario.h"
#include "socket_scenario_step.h"

namespace tcplab {

bool parse_addr(std::string_view text, Addr& out) {
  Addr a = 0;
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    unsigned v = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 4) v = v * 10 + unsigned(text[i++] - '0'), ++digits;
    if (v > 255) return false;
    a = (a << 8) | v;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  if (i != text.size()) return false;
  out = a;
  return true;
}

bool parse_sockaddr(std::string_view text, SockAddr& out) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || !parse_addr(text.substr(0, colon), out.addr)) return false;
  const std::string_view p = text.substr(colon + 1);
  if (p.empty() || p.size() > 5) return false;
  unsigned v = 0;
  for (char ch : p) {
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + unsigned(ch - '0');
  }
  if (v > 65535) return false;
  out.port = static_cast<Port>(v);
  return true;
}

bool is_socket_scenario_text(std::string_view text) {
  JsonValue v;
  JsonError err;
  if (!parse_json(text, v, err)) return false;
  const JsonValue* first = v.is_array() ? (v.size() > 0 ? &v.items[0] : nullptr) : &v;
  if (first == nullptr || !first->is_object()) return false;
  const JsonValue* setup = first->find("setup");
  return setup != nullptr && setup->is_object() && setup->find("hosts") != nullptr;
}

namespace {

bool parse_host(JsonReader& rd, const JsonValue& v, const std::string& path, StackProfile profile, HostConfig& h) {
  if (!rd.expect_object(v, path)) return false;
  h.profile = profile;
  if (const JsonValue* n = rd.member(v, path, "name", true)) rd.get_string(*n, JsonReader::key_path(path, "name"), h.name);
  if (const JsonValue* a = rd.member(v, path, "addr", true)) {
    std::string s;
    if (rd.get_string(*a, JsonReader::key_path(path, "addr"), s) && !parse_addr(s, h.addr))
      rd.fail(JsonReader::key_path(path, "addr"), "expected an IPv4 address like \"10.0.0.1\", got \"" + s + "\"");
  }
  if (const JsonValue* c = rd.member(v, path, "syncookies", false)) {
    std::string s;
    if (rd.get_string(*c, JsonReader::key_path(path, "syncookies"), s)) {
      if (s == "off") h.syncookies = SynCookies::Off;
      else if (s == "when_full") h.syncookies = SynCookies::WhenFull;
      else if (s == "always") h.syncookies = SynCookies::Always;
      else rd.fail(JsonReader::key_path(path, "syncookies"), "expected \"off\", \"when_full\" or \"always\"");
    }
  }
  if (const JsonValue* b = rd.member(v, path, "abort_on_overflow", false))
    rd.get_bool(*b, JsonReader::key_path(path, "abort_on_overflow"), h.abort_on_overflow);
  std::int64_t n = 0;
  if (const JsonValue* m = rd.member(v, path, "somaxconn", false))
    if (rd.get_int(*m, JsonReader::key_path(path, "somaxconn"), 0, 65535, n)) h.somaxconn = static_cast<int>(n);
  if (const JsonValue* w = rd.member(v, path, "rcv_wnd", false))
    if (rd.get_int(*w, JsonReader::key_path(path, "rcv_wnd"), 1, 1 << 30, n)) h.rcv_wnd = static_cast<std::uint32_t>(n);
  if (const JsonValue* iss = rd.member(v, path, "iss", false)) {
    const std::string ip = JsonReader::key_path(path, "iss");
    if (rd.expect_array(*iss, ip))
      for (std::size_t i = 0; i < iss->size(); ++i)
        if (rd.get_int(iss->items[i], JsonReader::index_path(ip, i), 0, 0xFFFFFFFFll, n)) h.iss.push_back(static_cast<Seq>(n));
  }
  return rd.ok();
}

bool parse_one(JsonReader& rd, const JsonValue& v, const std::string& path, SocketScenario& s) {
  if (!rd.expect_object(v, path)) return false;
  if (const JsonValue* id = rd.member(v, path, "id", true)) rd.get_string(*id, JsonReader::key_path(path, "id"), s.id);
  if (const JsonValue* t = rd.member(v, path, "title", false)) rd.get_string(*t, JsonReader::key_path(path, "title"), s.title);
  StackProfile profile = StackProfile::Linux;
  if (const JsonValue* p = rd.member(v, path, "profile", false)) {
    std::string name;
    if (rd.get_string(*p, JsonReader::key_path(path, "profile"), name)) {
      if (name == "linux") profile = StackProfile::Linux;
      else if (name == "rfc9293") profile = StackProfile::Rfc9293;
      else rd.fail(JsonReader::key_path(path, "profile"), "expected \"linux\" or \"rfc9293\", got \"" + name + "\"");
    }
  }
  const JsonValue* setup = rd.member(v, path, "setup", true);
  if (setup == nullptr || !rd.expect_object(*setup, JsonReader::key_path(path, "setup"))) return false;
  const std::string sp = JsonReader::key_path(path, "setup");
  std::int64_t n = 0;
  if (const JsonValue* x = rd.member(*setup, sp, "seed", false))
    if (rd.get_int(*x, JsonReader::key_path(sp, "seed"), 0, INT64_MAX, n)) s.world.seed = static_cast<std::uint64_t>(n);
  if (const JsonValue* x = rd.member(*setup, sp, "latency_ms", false))
    if (rd.get_int(*x, JsonReader::key_path(sp, "latency_ms"), 0, 600000, n)) s.world.latency_ms = n;
  if (const JsonValue* x = rd.member(*setup, sp, "loss_ppm", false))
    if (rd.get_int(*x, JsonReader::key_path(sp, "loss_ppm"), 0, 1000000, n)) s.world.loss_ppm = static_cast<std::uint32_t>(n);
  const JsonValue* hosts = rd.member(*setup, sp, "hosts", true);
  const std::string hp = JsonReader::key_path(sp, "hosts");
  if (hosts == nullptr || !rd.expect_array(*hosts, hp)) return false;
  if (hosts->size() == 0 || hosts->size() > 16) return rd.fail(hp, "expected 1 to 16 hosts");
  for (std::size_t i = 0; i < hosts->size(); ++i) {
    HostConfig h;
    if (!parse_host(rd, hosts->items[i], JsonReader::index_path(hp, i), profile, h)) return false;
    s.hosts.push_back(h);
  }
  const JsonValue* steps = rd.member(v, path, "steps", true);
  const std::string stp = JsonReader::key_path(path, "steps");
  if (steps == nullptr || !rd.expect_array(*steps, stp)) return false;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    SockStep step;
    if (!parse_sock_step(rd, steps->items[i], JsonReader::index_path(stp, i), s.hosts, step)) return false;
  }
  s.steps = *steps;
  return rd.ok();
}

}  // namespace

SocketScenarioFile load_socket_scenarios(std::string_view text, const std::string& file_name) {
  SocketScenarioFile f;
  JsonValue v;
  JsonError err;
  if (!parse_json(text, v, err)) {
    f.errors.push_back(file_name + ":" + std::to_string(err.line) + ":" + std::to_string(err.column) + ": " + err.message);
    return f;
  }
  std::vector<const JsonValue*> items;
  if (v.is_array())
    for (const JsonValue& x : v.items) items.push_back(&x);
  else
    items.push_back(&v);
  for (std::size_t i = 0; i < items.size(); ++i) {
    JsonReader rd;
    SocketScenario s;
    s.index = i;
    if (!parse_one(rd, *items[i], v.is_array() ? "[" + std::to_string(i) + "]" : "", s)) {
      const std::string who = s.id.empty() ? "scenario " + std::to_string(i) : s.id;
      f.errors.push_back(file_name + ": " + who + ": " + rd.error());
      continue;
    }
    f.scenarios.push_back(std::move(s));
  }
  return f;
}

}  // namespace tcplab
