#include "socket_lab.h"

#include <algorithm>

namespace tcplab {
namespace {

constexpr Addr SERVER_ADDR = 0x0A000001;  // 10.0.0.1; clients 10.0.0.2, ...

HostConfig host_config(const LabSettings& s, const char* name, Addr addr) {
  HostConfig c;
  c.name = name;
  c.addr = addr;
  c.profile = s.profile;
  c.syncookies = s.cookies;
  // Short orphan and SYN timeouts so a learner sees them end (the Linux
  // defaults are 60 s and 130 s; Step still crosses the wait).
  c.fin_timeout_ms = 10000;
  c.syn_retries = 2;
  return c;
}

bool is_open(const World& w, int h, int fd) {
  const Socket* s = w.socket_of(h, fd);
  return s != nullptr && s->kind != SockKind::Closed;
}

}  // namespace

int lab_listener(const World& w) {
  for (const Socket& s : w.host(LAB_SERVER).fds)
    if (s.kind == SockKind::Listening) return s.fd;
  return -1;
}

void SocketLab::reset() {
  WorldConfig wc;
  wc.seed = 15;
  wc.latency_ms = settings.latency_ms;
  world = World(wc);
  world.add_host(host_config(settings, "server", SERVER_ADDR));
  chosen_fd.assign(1, -1);
  selected = LAB_SERVER;
  add_client();
  selected = LAB_SERVER;
}

void SocketLab::add_client() {
  if (clients() >= LAB_MAX_CLIENTS) return;
  const int n = clients() + 1;
  const std::string name = "client" + std::to_string(n);
  selected = world.add_host(host_config(settings, name.c_str(), SERVER_ADDR + static_cast<Addr>(n)));
  chosen_fd.push_back(-1);
}

// The chosen descriptor if it is still open, else the one the call needs:
// accept and listen the listener, the rest the newest open socket.
int SocketLab::fd_for(int host, SockCall call) const {
  const std::vector<Socket>& fds = world.host(host).fds;
  const int chosen = host < static_cast<int>(chosen_fd.size()) ? chosen_fd[static_cast<std::size_t>(host)] : -1;
  if (call == SockCall::Accept) {
    const Socket* s = world.socket_of(host, chosen);
    if (s && s->kind == SockKind::Listening) return chosen;
    for (const Socket& x : fds)
      if (x.kind == SockKind::Listening) return x.fd;
    return chosen;
  }
  // Data calls never go to a listener: they take the newest connection.
  const bool data = call == SockCall::Send || call == SockCall::Recv || call == SockCall::Shutdown;
  const Socket* c = world.socket_of(host, chosen);
  if (c && is_open(world, host, chosen) && !(data && c->kind == SockKind::Listening)) return chosen;
  for (auto it = fds.rbegin(); it != fds.rend(); ++it)
    if (it->kind != SockKind::Closed && !(data && it->kind == SockKind::Listening)) return it->fd;
  return chosen;
}

void SocketLab::call(const LabCommand& c) {
  World& w = world;
  const int h = c.host, fd = c.fd;
  CallResult r;
  switch (c.call) {
    case SockCall::Socket: r = w.socket(h); break;
    case SockCall::Bind: r = w.bind(h, fd, static_cast<Port>(c.arg)); break;
    case SockCall::Listen: r = w.listen(h, fd, c.arg); break;
    case SockCall::Accept: r = w.accept(h, fd); break;
    case SockCall::Connect: r = w.connect(h, fd, SockAddr{SERVER_ADDR, static_cast<Port>(c.arg)}); break;
    case SockCall::Send: r = w.send(h, fd, static_cast<std::uint32_t>(c.arg)); break;
    case SockCall::Recv: r = w.recv(h, fd, static_cast<std::uint32_t>(c.arg)); break;
    case SockCall::Shutdown: r = w.shutdown(h, fd, static_cast<ShutHow>(c.arg)); break;
    case SockCall::Close: r = w.close(h, fd); break;
    case SockCall::SetSockOpt: r = w.setsockopt(h, fd, static_cast<SockOpt>(c.arg), c.arg2, 0); break;
  }
  // A new descriptor becomes the one the next calls use.
  if (c.call == SockCall::Socket && !r.blocked && r.err == Errno::Ok)
    chosen_fd[static_cast<std::size_t>(h)] = static_cast<int>(r.value);
}

void SocketLab::host_event(const LabCommand& c) {
  switch (c.event) {
    case HostEventKind::Exit: world.process_exit(c.host); break;
    case HostEventKind::Crash: world.crash(c.host); break;
    case HostEventKind::Reboot: world.reboot(c.host); break;
    case HostEventKind::Unplug: world.set_link(c.host, false); break;
    case HostEventKind::Plug: world.set_link(c.host, true); break;
  }
}

bool SocketLab::apply_pending() {
  if (pending.empty()) return false;
  std::vector<LabCommand> todo;
  todo.swap(pending);
  for (const LabCommand& c : todo) {
    if (lab_lesson_command(*this, c)) continue;
    if (c.host < 0 || c.host >= static_cast<int>(world.hosts().size())) continue;
    switch (c.kind) {
      case LabCmdKind::Call: call(c); break;
      case LabCmdKind::HostEvent: host_event(c); break;
      case LabCmdKind::Flood:
        // An attacker's spoofed SYNs at the server's port (RFC 4987 2): at
        // most a minute of them, or until stopped.
        if (c.arg > 0) {
          world.start_flood(SockAddr{SERVER_ADDR, LAB_PORT}, static_cast<std::uint32_t>(c.arg),
                            static_cast<std::uint32_t>(c.arg) * 60u);
        } else {
          world.stop_flood();
        }
        break;
      case LabCmdKind::AddClient: add_client(); break;
      case LabCmdKind::NewWorld: reset(); break;
      case LabCmdKind::Step: world.step_next(); break;
      case LabCmdKind::OpenLesson:
      case LabCmdKind::Continue:
      case LabCmdKind::Choose:
      case LabCmdKind::LeaveLesson: break;  // lab_lesson_command took them
    }
  }
  return true;
}

bool SocketLab::tick(double real_ms) {
  if (in_lesson()) return false;  // in a lesson the steps move time
  const Instant due = world.next_deadline();
  if (!playing || due == NEVER || due - world.now() > LAB_REAL_TIME_LIMIT_MS) return false;
  const Duration d = std::max<Duration>(1, static_cast<Duration>(real_ms));
  world.advance_to(std::min(world.now() + d, due));
  return true;
}

}  // namespace tcplab
