// tcplab-bench-sockets: how fast the sockets layer runs a server.
//
//  1. Connections per second through a listener (backlog 16) with N clients
//     (default 8): each client connects, sends 100 octets and closes, then
//     connects again; the server accepts, reads to the FIN and closes. Trace
//     on. Counted: completed connections (the server read 0), per second of
//     wall time, and the virtual time they took.
//  2. A flood of 10,000 spoofed SYNs (10,000 per second) at a listener with
//     backlog 128, tcp_syncookies 0 and 1, trace on; one real client connects
//     in the middle. Printed: wall time, SYN,ACKs and cookies sent, the SYN
//     queue at its fullest, and whether the client got in.
//  3. Memory: sizeof of a connection (the endpoint inside it) and the trace
//     bytes one connection's lifecycle adds.
//
// Real time is read here, never in the engine.
// Usage: tcplab-bench-sockets [--connections N] [--clients N]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "sockets.h"

namespace {

using namespace tcplab;
constexpr Addr SRV = 0x0A000001;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct ServerRun {
  int completed = 0;
  Instant virtual_ms = 0;
  std::size_t events = 0;
  std::size_t connections = 0;
};

ServerRun run_server(int total, int n_clients) {
  WorldConfig wc;
  wc.latency_ms = 5;
  World w(wc);
  HostConfig s;
  s.addr = SRV;
  const int server = w.add_host(s);
  std::vector<int> clients, cfd;
  for (int i = 0; i < n_clients; ++i) {
    HostConfig c;
    c.addr = SRV + 1 + static_cast<Addr>(i);
    clients.push_back(w.add_host(c));
    cfd.push_back(-1);
  }
  const int lfd = static_cast<int>(w.socket(server).value);
  w.bind(server, lfd, 80);
  w.listen(server, lfd, 16);
  ServerRun out;
  int started = 0;
  std::vector<int> reading;
  auto start_client = [&](int i) {
    if (started >= total) return;
    ++started;
    const int h = clients[static_cast<std::size_t>(i)];
    cfd[static_cast<std::size_t>(i)] = static_cast<int>(w.socket(h).value);
    w.connect(h, cfd[static_cast<std::size_t>(i)], SockAddr{SRV, 80});
  };
  auto drain = [&](int fd, CallResult r) {
    while (!r.blocked) {
      if (r.value <= 0) {
        ++out.completed;
        w.close(server, fd);
        return;
      }
      r = w.recv(server, fd, 65536);
    }
  };
  auto accept_all = [&](CallResult r) {
    while (!r.blocked) {
      const int fd = static_cast<int>(r.value);
      reading.push_back(fd);
      drain(fd, w.recv(server, fd, 65536));
      r = w.accept(server, lfd);
    }
  };
  for (int i = 0; i < n_clients; ++i) start_client(i);
  accept_all(w.accept(server, lfd));
  while (out.completed < total && w.step_next()) {
    CallResult r;
    if (w.take_result(server, lfd, r)) accept_all(r);
    for (std::size_t k = 0; k < reading.size();) {
      if (w.take_result(server, reading[k], r)) {
        const int fd = reading[k];
        reading.erase(reading.begin() + static_cast<std::ptrdiff_t>(k));
        if (r.value > 0) reading.push_back(fd);
        drain(fd, r);
        if (r.value > 0 && w.pending(server, fd)) continue;
        continue;
      }
      ++k;
    }
    for (int i = 0; i < n_clients; ++i) {
      const int h = clients[static_cast<std::size_t>(i)];
      if (cfd[static_cast<std::size_t>(i)] < 0 || !w.take_result(h, cfd[static_cast<std::size_t>(i)], r)) continue;
      if (r.err == Errno::Ok) w.send(h, cfd[static_cast<std::size_t>(i)], 100);
      w.close(h, cfd[static_cast<std::size_t>(i)]);
      start_client(i);
    }
  }
  out.virtual_ms = w.now();
  out.events = w.trace().size();
  out.connections = w.connections().size();
  return out;
}

struct FloodRun {
  std::size_t synacks = 0, cookies = 0, max_synq = 0;
  bool client_in = false;
  Instant client_wait = 0;  // from connect to ESTABLISHED
  std::size_t events = 0;
};

FloodRun run_flood(SynCookies mode, std::uint32_t count) {
  WorldConfig wc;
  wc.latency_ms = 5;
  World w(wc);
  HostConfig s;
  s.addr = SRV;
  s.syncookies = mode;
  const int server = w.add_host(s);
  HostConfig c;
  c.addr = SRV + 1;
  const int client = w.add_host(c);
  const int lfd = static_cast<int>(w.socket(server).value);
  w.bind(server, lfd, 80);
  w.listen(server, lfd, 128);
  w.start_flood(SockAddr{SRV, 80}, 10000, count);
  FloodRun out;
  int cfd = -1;
  while (w.step_next()) {
    out.max_synq = std::max(out.max_synq, w.socket_of(server, lfd)->syn_queue.size());
    if (cfd < 0 && w.now() >= 500) {
      cfd = static_cast<int>(w.socket(client).value);
      w.connect(client, cfd, SockAddr{SRV, 80});
    }
    if (cfd >= 0 && !out.client_in && w.state_of(client, cfd) == State::Established) {
      out.client_in = true;
      out.client_wait = w.now() - 500;
    }
    if (w.now() > 200000) break;
  }
  for (const SockEvent& e : w.trace()) {
    if (e.kind == SockEventKind::Sent && e.host == server && e.pkt.seg.flags == (FLAG_SYN | FLAG_ACK)) ++out.synacks;
    if (e.kind == SockEventKind::Note && e.reason == SockReason::CookieSent) ++out.cookies;
  }
  out.events = w.trace().size();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int total = 2000, n_clients = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--connections") == 0) total = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--clients") == 0) n_clients = std::atoi(argv[i + 1]);
  }
  auto t0 = std::chrono::steady_clock::now();
  const ServerRun sr = run_server(total, n_clients);
  const double secs = seconds_since(t0);
  std::printf("server: %d connections, %d clients, backlog 16: %.3f s wall, %.0f connections/s, "
              "%lld ms virtual, %zu trace events (%.1f per connection)\n",
              sr.completed, n_clients, secs, sr.completed / secs, static_cast<long long>(sr.virtual_ms), sr.events,
              static_cast<double>(sr.events) / sr.completed);
  for (SynCookies mode : {SynCookies::Off, SynCookies::WhenFull}) {
    t0 = std::chrono::steady_clock::now();
    const FloodRun fr = run_flood(mode, 10000);
    std::printf("flood: 10000 spoofed SYNs, tcp_syncookies %d: %.3f s wall, %zu SYN,ACKs (%zu cookies), "
                "SYN queue at most %zu, a client connecting at 0.5 s %s after %lld ms, %zu trace events\n",
                mode == SynCookies::Off ? 0 : 1, seconds_since(t0), fr.synacks, fr.cookies, fr.max_synq,
                fr.client_in ? "got in" : "shut out", static_cast<long long>(fr.client_wait), fr.events);
  }
  std::printf("memory: sizeof(Connection) %zu bytes (Endpoint %zu), SockEvent %zu bytes, Socket %zu bytes\n",
              sizeof(Connection), sizeof(Endpoint), sizeof(SockEvent), sizeof(Socket));
  return sr.completed == total ? 0 : 1;
}
