// The world of hosts: construction, file descriptors, connections and the
// trace. Calls are in socket_calls.cpp, the listener in listener.cpp, the
// network in socket_net.cpp, timers and host events in socket_timers.cpp.
#include <algorithm>

#include "sockets.h"

namespace tcplab {

World::World(const WorldConfig& config) : config_(config), rng_(config.seed) {}

int World::add_host(const HostConfig& config) {
  Host h;
  h.config = config;
  h.params = stack_params(config.profile);
  if (config.fin_timeout_ms > 0) h.params.fin_timeout_ms = config.fin_timeout_ms;
  if (config.syn_retries >= 0 && config.profile == StackProfile::Linux)
    h.params.syn_retries = linux_syn_retransmissions(config.syn_retries, h.params.syn_linear_timeouts,
                                                     h.params.rto_initial_ms, h.params.rto_max_ms);
  h.cookie_secret = rng_.next();
  h.isn_secret = rng_.next();
  // Linux picks ephemeral ports by a keyed hash in ip_local_port_range
  // (32768-60999); a seeded start keeps runs reproducible.
  h.next_ephemeral = static_cast<Port>(32768 + rng_.below(20000));
  hosts_.push_back(h);
  return static_cast<int>(hosts_.size()) - 1;
}

int World::host_by_addr(Addr a) const {
  for (std::size_t i = 0; i < hosts_.size(); ++i)
    if (hosts_[i].config.addr == a) return static_cast<int>(i);
  return -1;
}

Socket* World::sock(int h, int fd) {
  if (h < 0 || h >= static_cast<int>(hosts_.size())) return nullptr;
  auto& fds = hosts_[static_cast<std::size_t>(h)].fds;
  const int i = fd - FIRST_FD;
  if (i < 0 || i >= static_cast<int>(fds.size())) return nullptr;
  Socket& s = fds[static_cast<std::size_t>(i)];
  return s.kind == SockKind::Closed ? nullptr : &s;
}

const Socket* World::socket_of(int h, int fd) const { return const_cast<World*>(this)->sock(h, fd); }

const Connection* World::connection_of(int h, int fd) const {
  const Socket* s = socket_of(h, fd);
  if (s == nullptr || s->conn < 0) return nullptr;
  return &conns_[static_cast<std::size_t>(s->conn)];
}

State World::state_of(int h, int fd) const {
  const Socket* s = socket_of(h, fd);
  if (s == nullptr) return State::Closed;
  if (s->kind == SockKind::Listening) return State::Listen;
  const Connection* c = connection_of(h, fd);
  return c == nullptr ? State::Closed : c->ep.state();
}

bool World::result(int h, int fd, CallResult& out) const {
  const Socket* s = socket_of(h, fd);
  if (s == nullptr || !s->has_result) return false;
  out = s->result;
  return true;
}

bool World::take_result(int h, int fd, CallResult& out) {
  Socket* s = sock(h, fd);
  if (s == nullptr || !s->has_result) return false;
  out = s->result;
  s->has_result = false;
  return true;
}

bool World::pending(int h, int fd) const {
  const Socket* s = socket_of(h, fd);
  return s != nullptr && s->has_pending;
}

// POSIX: the lowest free descriptor.
int World::new_fd(int h) {
  auto& fds = hosts_[static_cast<std::size_t>(h)].fds;
  for (std::size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].kind == SockKind::Closed) {
      fds[i] = Socket{};
      fds[i].fd = static_cast<int>(i) + FIRST_FD;
      return fds[i].fd;
    }
  }
  Socket s;
  s.fd = static_cast<int>(fds.size()) + FIRST_FD;
  fds.push_back(s);
  return s.fd;
}

// A scenario's fixed ISNs first; then RFC 9293 3.4.1 / RFC 6528:
// ISN = M + F(4-tuple, secret), M a clock, F a keyed hash (splitmix64 here,
// SipHash in Linux), so a new incarnation of a 4-tuple starts above the old.
std::vector<Seq> World::next_iss(int h, SockAddr local, SockAddr remote) {
  Host& host = hosts_[static_cast<std::size_t>(h)];
  if (host.iss_used < host.config.iss.size()) return {host.config.iss[host.iss_used++]};
  Rng f(host.isn_secret ^ (static_cast<std::uint64_t>(local.addr) << 32 | remote.addr) ^
        (static_cast<std::uint64_t>(local.port) << 16 | remote.port) * 0x9E3779B97F4A7C15ull);
  return {static_cast<Seq>(f.next_u32() + static_cast<std::uint64_t>(now_) * host.params.isn_per_ms)};
}

Port World::ephemeral_port(int h) {
  Host& host = hosts_[static_cast<std::size_t>(h)];
  for (int tries = 0; tries < 28232; ++tries) {
    Port p = host.next_ephemeral;
    host.next_ephemeral = static_cast<Port>(p >= 60999 ? 32768 : p + 1);
    Socket probe;
    if (!bind_conflict(h, p, probe)) return p;
  }
  return 0;
}

void World::configure_endpoint(int h, Endpoint& ep, bool syn_sent) const {
  const Host& host = hosts_[static_cast<std::size_t>(h)];
  EndpointConfig& c = ep.config();
  c.rfc5961 = true;
  c.delayed_ack = false;
  c.close_on_fin = false;
  c.rto_initial_ms = host.params.rto_initial_ms;
  c.rto_max_ms = host.params.rto_max_ms;
  c.max_retransmits = syn_sent ? host.params.syn_retries : host.params.synack_retries;
  c.msl_ms = host.params.time_wait_ms / 2;
  c.rcv_wnd = host.config.rcv_wnd;
  c.send_within_window = true;
  // Linux tcp_invalid_ratelimit: at most one ACK per 500 ms for out-of-window segments.
  c.oow_ack_interval_ms = host.config.profile == StackProfile::Linux ? 500 : 0;
}

int World::new_connection(int h, SockAddr local, SockAddr remote, std::vector<Seq> iss) {
  Connection c;
  c.id = static_cast<int>(conns_.size());
  c.host = h;
  c.local = local;
  c.remote = remote;
  EndpointConfig cfg;
  c.ep = Endpoint(static_cast<std::uint8_t>(h), cfg, std::move(iss), rng_.next());
  configure_endpoint(h, c.ep, true);
  c.last_heard = now_;
  conns_.push_back(std::move(c));
  by_tuple_[{h, local.port, remote.addr, remote.port}] = conns_.back().id;
  return conns_.back().id;
}

// Linux inet_bind_conflict: another socket or connection on the port
// conflicts unless both have SO_REUSEADDR and the other does not listen.
bool World::bind_conflict(int h, Port port, const Socket& s) const {
  const Host& host = hosts_[static_cast<std::size_t>(h)];
  for (const Socket& o : host.fds) {
    if (o.kind == SockKind::Closed || !o.bound || o.local.port != port || &o == &s) continue;
    if (!(s.opt.reuse_addr && o.opt.reuse_addr && o.kind != SockKind::Listening)) return true;
  }
  for (const auto& kv : by_tuple_) {
    const Connection& c = conns_[static_cast<std::size_t>(kv.second)];
    if (c.host != h || c.local.port != port || c.fd >= 0) continue;  // owned ones were checked above
    if (!(s.opt.reuse_addr && c.opt.reuse_addr)) return true;
  }
  return false;
}

//-----------------------------------------------------------------------------
// Tracing
//-----------------------------------------------------------------------------

SockEvent World::event(SockEventKind k, int h, int fd, SockReason r) const {
  SockEvent e;
  e.time = now_;
  e.kind = k;
  e.host = h;
  e.fd = fd;
  e.reason = r;
  return e;
}

void World::note(int h, int fd, int conn, SockReason r) {
  SockEvent e = event(SockEventKind::Note, h, fd, r);
  e.conn = conn;
  trace_.push_back(e);
}

std::size_t World::made(int h, int fd, SockCall c, std::int64_t arg) {
  if (!config_.keep_trace) trace_.clear();
  SockEvent e = event(SockEventKind::CallMade, h, fd);
  e.call = c;
  e.arg = arg;
  call_arg_ = arg;
  trace_.push_back(e);
  return trace_.size() - 1;
}

CallResult World::returns(int h, int fd, SockCall c, std::int64_t value, Errno err, SockReason r) {
  SockEvent e = event(SockEventKind::Returns, h, fd, r);
  e.call = c;
  e.arg = call_arg_;
  e.value = err == Errno::Ok ? value : -1;
  e.err = err;
  if (Socket* s = sock(h, fd)) e.conn = s->conn;
  trace_.push_back(e);
  CallResult res;
  res.value = e.value;
  res.err = err;
  res.reason = r;
  return res;
}

CallResult World::blocks(int h, int fd, SockCall c, std::int64_t arg, SockReason r, Instant until) {
  Socket* s = sock(h, fd);
  s->has_pending = true;
  s->has_result = false;
  s->pending = PendingCall{c, now_, arg, until};
  SockEvent e = event(SockEventKind::Blocks, h, fd, r);
  e.conn = s->conn;
  e.call = c;
  e.arg = arg;
  trace_.push_back(e);
  CallResult res;
  res.blocked = true;
  res.reason = r;
  return res;
}

// The endpoint's events join the trace tagged with their connection; the
// segments it sent go onto the network between the connection's addresses.
void World::absorb(int conn, Trace& tmp) {
  Connection& c = conns_[static_cast<std::size_t>(conn)];
  const int h = c.host;
  const SockAddr local = c.local, remote = c.remote;
  for (const Event& ev : tmp) {
    SockEvent e = event(SockEventKind::Tcp, h, conns_[static_cast<std::size_t>(conn)].fd);
    e.conn = conn;
    e.tcp = ev;
    trace_.push_back(e);
    if (ev.kind == EventKind::Sent) transmit(h, local, remote, ev.seg);
    on_tcp_event(conn, ev);
  }
  tmp.clear();
  after_connection_change(conn);
}

}  // namespace tcplab
