// Running a socket scenario: each step drives the World, then its `expect`
// is compared with what the step did (engine/SOCKET-SCENARIOS.md).
#include <map>
#include <utility>

#include "socket_scenario.h"
#include "socket_scenario_step.h"

namespace tcplab {

namespace {

struct Runner {
  const SocketScenario& s;
  World w;
  std::map<std::pair<int, std::string>, int> fds;
  std::map<std::pair<int, int>, std::string> accept_as;  // (host, listener fd) -> name
  std::size_t mark = 0;
  CallResult last;
  bool was_call = false;
  std::string why;

  explicit Runner(const SocketScenario& sc) : s(sc), w(sc.world) {
    for (const HostConfig& h : sc.hosts) w.add_host(h);
  }

  bool fail(const std::string& m) {
    if (why.empty()) why = m;
    return false;
  }

  int fd_of(int h, const std::string& name) {
    auto it = fds.find({h, name});
    return it == fds.end() ? -1 : it->second;
  }

  void run_call(const SockStep& st) {
    const int fd = st.call == SockCall::Socket ? -1 : fd_of(st.host, st.fd);
    // An unknown name becomes a descriptor no socket has: the call says EBADF.
    const int f = st.call == SockCall::Socket ? -1 : (fd < 0 ? 1000 : fd);
    switch (st.call) {
      case SockCall::Socket: last = w.socket(st.host); break;
      case SockCall::Bind: last = w.bind(st.host, f, st.port); break;
      case SockCall::Listen: last = w.listen(st.host, f, st.backlog); break;
      case SockCall::Accept:
        if (!st.as.empty()) accept_as[{st.host, f}] = st.as;
        last = w.accept(st.host, f);
        break;
      case SockCall::Connect: last = w.connect(st.host, f, st.to); break;
      case SockCall::Send: last = w.send(st.host, f, st.bytes); break;
      case SockCall::Recv: last = w.recv(st.host, f, st.bytes); break;
      case SockCall::Shutdown: last = w.shutdown(st.host, f, st.how); break;
      case SockCall::Close: last = w.close(st.host, f); break;
      case SockCall::SetSockOpt: last = w.setsockopt(st.host, f, st.opt, st.value, st.value2); break;
    }
    if (st.call == SockCall::Socket && !st.as.empty()) fds[{st.host, st.as}] = static_cast<int>(last.value);
  }

  void run_step(const SockStep& st) {
    was_call = st.kind == SockStepKind::Call;
    switch (st.kind) {
      case SockStepKind::Call: run_call(st); break;
      case SockStepKind::Advance: w.advance_by(st.advance_ms); break;
      case SockStepKind::Event:
        if (st.event == "crash") w.crash(st.host);
        else if (st.event == "reboot") w.reboot(st.host);
        else if (st.event == "exit") w.process_exit(st.host);
        else w.set_link(st.host, st.event == "link_up");
        break;
      case SockStepKind::Flood: w.start_flood(st.to, st.per_second, st.count); break;
      case SockStepKind::Drop: w.add_drop_rule(st.rule); break;
      case SockStepKind::Raw: w.send_raw(st.from, st.to, st.seg); break;
    }
    // Accepted descriptors get their names when accept returns.
    for (std::size_t i = mark; i < w.trace().size(); ++i) {
      const SockEvent& e = w.trace()[i];
      if (e.kind != SockEventKind::Returns || e.call != SockCall::Accept || e.err != Errno::Ok) continue;
      auto it = accept_as.find({e.host, e.fd});
      if (it != accept_as.end()) fds[{e.host, it->second}] = static_cast<int>(e.value);
    }
  }

  // "server:l" -> host and fd.
  bool host_fd(const std::string& key, int& h, int& fd) {
    const std::size_t colon = key.find(':');
    if (colon == std::string::npos) return fail("expected \"host:fd\", got \"" + key + "\"");
    h = host_index(s.hosts, key.substr(0, colon));
    if (h < 0) return fail("no host named \"" + key.substr(0, colon) + "\"");
    fd = fd_of(h, key.substr(colon + 1));
    if (fd < 0) return fail("no descriptor named \"" + key + "\"");
    return true;
  }

  bool value_matches(const JsonValue& want, std::int64_t value, Errno err) {
    if (want.is_string()) return err != Errno::Ok && want.string == errno_name(err);
    return want.is_integer && err == Errno::Ok && want.integer == value;
  }

  bool check_returns(const JsonValue& x) {
    if (!was_call) return fail("returns: the step is not a call");
    if (last.blocked) return fail("returns: the call blocked");
    if (!value_matches(x, last.value, last.err))
      return fail("returns: expected " + json_write(x) + ", got " +
                  (last.err == Errno::Ok ? std::to_string(last.value) : std::string(errno_name(last.err))));
    return true;
  }

  bool check_returned(const JsonValue& list) {
    if (!list.is_array()) return fail("returned: expected an array");
    for (const JsonValue& r : list.items) {
      const JsonValue* h = r.find("host");
      const JsonValue* f = r.find("fd");
      const JsonValue* v = r.find("value");
      if (h == nullptr || f == nullptr || v == nullptr || !h->is_string() || !f->is_string())
        return fail("returned: each needs host, fd and value (a number or an errno)");
      int hi = -1, fd = -1;
      if (!host_fd(h->string + ":" + f->string, hi, fd)) return false;
      bool found = false;
      for (std::size_t i = mark; i < w.trace().size() && !found; ++i) {
        const SockEvent& e = w.trace()[i];
        found = e.kind == SockEventKind::Returns && e.host == hi && e.fd == fd && value_matches(*v, e.value, e.err);
      }
      if (!found) return fail("returned: no return of " + json_write(*v) + " on " + h->string + ":" + f->string);
    }
    return true;
  }

  bool check_states(const JsonValue& obj) {
    if (!obj.is_object()) return fail("states: expected an object");
    for (std::size_t i = 0; i < obj.keys.size(); ++i) {
      int h = -1, fd = -1;
      if (!host_fd(obj.keys[i], h, fd)) return false;
      const auto want = obj.items[i].is_string() ? parse_state(obj.items[i].string) : std::nullopt;
      if (!want) return fail("states: " + obj.keys[i] + ": expected a state name");
      const State got = w.state_of(h, fd);
      if (got != want->state)
        return fail("states: " + obj.keys[i] + " expected " + state_name(want->state) + ", got " + state_name(got));
    }
    return true;
  }

  std::vector<const SockEvent*> sent_since() const {
    std::vector<const SockEvent*> out;
    for (std::size_t i = mark; i < w.trace().size(); ++i)
      if (w.trace()[i].kind == SockEventKind::Sent) out.push_back(&w.trace()[i]);
    return out;
  }

  bool segment_matches(const JsonValue& x, const SockEvent& e, std::string& err) {
    JsonReader rd;
    std::uint8_t flags = 0;
    const JsonValue* fl = x.find("flags");
    if (fl == nullptr || !parse_flags(rd, *fl, "flags", flags)) return err = "flags missing or malformed", false;
    if (const JsonValue* from = x.find("from")) {
      const int h = from->is_string() ? host_index(s.hosts, from->string) : -2;
      if (h == -2 || (h < 0 && from->string != "attacker")) return err = "from: unknown host", false;
      if (e.host != h) return false;
    }
    if ((e.pkt.seg.flags & ~FLAG_PSH) != (flags & ~FLAG_PSH)) return false;
    if (const JsonValue* q = x.find("seq"); q != nullptr && q->is_integer && Seq(q->integer) != e.pkt.seg.seq) return false;
    if (const JsonValue* a = x.find("ack"); a != nullptr && a->is_integer && Seq(a->integer) != e.pkt.seg.ack) return false;
    std::int64_t len = 0;
    if (const JsonValue* l = x.find("len"); l != nullptr && l->is_integer) len = l->integer;
    return static_cast<std::int64_t>(e.pkt.seg.len) == len;
  }

  bool check_emitted(const JsonValue& list) {
    if (!list.is_array()) return fail("emitted: expected an array");
    const auto sent = sent_since();
    std::string got;
    for (const SockEvent* e : sent) got += "\n    " + describe_sock_event(*e, false);
    if (sent.size() != list.size())
      return fail("emitted: expected " + std::to_string(list.size()) + " segments, got " + std::to_string(sent.size()) + got);
    for (std::size_t i = 0; i < sent.size(); ++i) {
      std::string err;
      if (!segment_matches(list.items[i], *sent[i], err))
        return fail("emitted[" + std::to_string(i) + "]: " + (err.empty() ? "expected " + json_write(list.items[i]) : err) + got);
    }
    return true;
  }

  bool check_emitted_count(const JsonValue& list) {
    if (!list.is_array()) return fail("emitted_count: expected an array");
    const auto sent = sent_since();
    for (const JsonValue& x : list.items) {
      const JsonValue* c = x.find("count");
      if (c == nullptr || !c->is_integer) return fail("emitted_count: each needs count");
      std::int64_t n = 0;
      for (const SockEvent* e : sent) {
        std::string err;
        n += segment_matches(x, *e, err) ? 1 : 0;
        if (!err.empty()) return fail("emitted_count: " + err);
      }
      if (n != c->integer)
        return fail("emitted_count: " + json_write(x) + ": got " + std::to_string(n));
    }
    return true;
  }

  bool check_notes(const JsonValue& list) {
    if (!list.is_array()) return fail("notes: expected an array of reason keys");
    for (const JsonValue& k : list.items) {
      const auto r = k.is_string() ? sock_reason_from_key(k.string) : std::nullopt;
      if (!r) return fail("notes: unknown reason key " + json_write(k));
      bool found = false;
      for (std::size_t i = mark; i < w.trace().size() && !found; ++i)
        found = w.trace()[i].kind == SockEventKind::Note && w.trace()[i].reason == *r;
      if (!found) return fail("notes: " + k.string + " did not happen in this step");
    }
    return true;
  }

  bool check_queues(const JsonValue& obj) {
    if (!obj.is_object()) return fail("queues: expected an object");
    for (std::size_t i = 0; i < obj.keys.size(); ++i) {
      int h = -1, fd = -1;
      if (!host_fd(obj.keys[i], h, fd)) return false;
      const Socket* l = w.socket_of(h, fd);
      const JsonValue& q = obj.items[i];
      const JsonValue* syn = q.find("syn");
      const JsonValue* acc = q.find("accept");
      if (syn != nullptr && (!syn->is_integer || syn->integer != static_cast<std::int64_t>(l->syn_queue.size())))
        return fail("queues: " + obj.keys[i] + " syn queue has " + std::to_string(l->syn_queue.size()));
      if (acc != nullptr && (!acc->is_integer || acc->integer != static_cast<std::int64_t>(l->accept_queue.size())))
        return fail("queues: " + obj.keys[i] + " accept queue has " + std::to_string(l->accept_queue.size()));
    }
    return true;
  }

  bool check(const JsonValue& ex) {
    for (std::size_t i = 0; i < ex.keys.size(); ++i) {
      const std::string& k = ex.keys[i];
      const JsonValue& v = ex.items[i];
      bool ok = true;
      if (k == "returns") ok = check_returns(v);
      else if (k == "blocks") ok = (v.is_bool() && was_call && last.blocked == v.boolean) || fail("blocks: expected " + json_write(v));
      else if (k == "returned") ok = check_returned(v);
      else if (k == "states") ok = check_states(v);
      else if (k == "emitted") ok = check_emitted(v);
      else if (k == "emitted_count") ok = check_emitted_count(v);
      else if (k == "notes") ok = check_notes(v);
      else if (k == "queues") ok = check_queues(v);
      else ok = fail("unknown expectation \"" + k + "\"");
      if (!ok) return false;
    }
    return true;
  }
};

}  // namespace

SocketScenarioRun run_socket_scenario(const SocketScenario& s, bool stop_at_failure) {
  Runner r(s);
  SocketScenarioRun out;
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    JsonReader rd;
    SockStep st;
    parse_sock_step(rd, s.steps.items[i], "steps", s.hosts, st);
    r.mark = r.w.trace().size();
    r.run_step(st);
    for (std::size_t k = r.mark; k < r.w.trace().size(); ++k)
      out.log.push_back(describe_sock_event(r.w.trace()[k], false));
    if (st.expect != nullptr && out.passed && !r.check(*st.expect)) {
      out.passed = false;
      out.failed_step = i;
      out.failure = r.why;
      if (stop_at_failure) break;
    }
  }
  out.world = r.w;
  return out;
}

std::string socket_run_report(const SocketScenario& s, const SocketScenarioRun& r) {
  if (r.passed) return "PASS " + s.id;
  return "FAIL " + s.id + " step " + std::to_string(r.failed_step) + ": " + r.failure;
}

}  // namespace tcplab
