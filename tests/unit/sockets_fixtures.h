// Fixtures for the sockets layer: a server at 10.0.0.1 and clients at
// 10.0.0.2, ..., 50 ms apart one way; a listener on port 80; helpers that
// read the World's trace (what was sent, what was noted, when a call returned).
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fixtures.h"
#include "sockets.h"

namespace tcplab {

inline doctest::String toString(Errno e) { return errno_name(e); }

constexpr Addr SERVER_ADDR = 0x0A000001;
constexpr Port HTTP = 80;

inline Addr client_addr(int i) { return SERVER_ADDR + 1 + static_cast<Addr>(i); }

struct Lab {
  World w;
  int server = 0;
  std::vector<int> clients;
};

inline Lab make_lab(int n_clients = 1, StackProfile p = StackProfile::Linux, SynCookies cookies = SynCookies::WhenFull,
                    std::uint64_t seed = 1) {
  WorldConfig wc;
  wc.seed = seed;
  wc.latency_ms = 50;
  Lab lab{World(wc), 0, {}};
  HostConfig s;
  s.name = "server";
  s.addr = SERVER_ADDR;
  s.profile = p;
  s.syncookies = cookies;
  lab.server = lab.w.add_host(s);
  for (int i = 0; i < n_clients; ++i) {
    HostConfig c;
    c.name = "client" + std::to_string(i);
    c.addr = client_addr(i);
    c.profile = p;
    lab.clients.push_back(lab.w.add_host(c));
  }
  return lab;
}

// socket + bind(80) + listen(backlog) on the server; returns the fd.
inline int listen_on(Lab& lab, int backlog, bool reuse = false) {
  const int fd = static_cast<int>(lab.w.socket(lab.server).value);
  if (reuse) lab.w.setsockopt(lab.server, fd, SockOpt::ReuseAddr, 1);
  REQUIRE(lab.w.bind(lab.server, fd, HTTP).err == Errno::Ok);
  REQUIRE(lab.w.listen(lab.server, fd, backlog).err == Errno::Ok);
  return fd;
}

// A client socket connecting to the server's port 80 (blocks); returns the fd.
inline int connect_from(Lab& lab, int client, Port port = HTTP) {
  const int h = lab.clients[static_cast<std::size_t>(client)];
  const int fd = static_cast<int>(lab.w.socket(h).value);
  CHECK(lab.w.connect(h, fd, SockAddr{SERVER_ADDR, port}).blocked);
  return fd;
}

struct Pair {
  Lab lab;
  int lfd = -1;   // the server's listener
  int sfd = -1;   // the server's accepted socket
  int cfd = -1;   // the client's socket
};

// One connection, accepted, ESTABLISHED on both sides, nothing in flight.
inline Pair established_pair(StackProfile p = StackProfile::Linux) {
  Pair x{make_lab(1, p), -1, -1, -1};
  x.lfd = listen_on(x.lab, 8);
  x.cfd = connect_from(x.lab, 0);
  x.lab.w.advance_by(200);
  CallResult r = x.lab.w.accept(x.lab.server, x.lfd);
  REQUIRE(r.err == Errno::Ok);
  REQUIRE_FALSE(r.blocked);
  x.sfd = static_cast<int>(r.value);
  REQUIRE(x.lab.w.state_of(x.lab.server, x.sfd) == State::Established);
  REQUIRE(x.lab.w.state_of(x.lab.clients[0], x.cfd) == State::Established);
  return x;
}

inline std::size_t mark(const World& w) { return w.trace().size(); }

// Segments put on the wire by host h (-1: the attacker) since `from`.
inline std::vector<Segment> sent_by(const World& w, int h, std::size_t from = 0) {
  std::vector<Segment> out;
  for (std::size_t i = from; i < w.trace().size(); ++i) {
    const SockEvent& e = w.trace()[i];
    if (e.kind == SockEventKind::Sent && e.host == h) out.push_back(e.pkt.seg);
  }
  return out;
}

inline int count_flags(const std::vector<Segment>& segs, std::uint8_t flags) {
  int n = 0;
  for (const Segment& s : segs) n += s.flags == flags ? 1 : 0;
  return n;
}

inline int count_notes(const World& w, SockReason r, std::size_t from = 0) {
  int n = 0;
  for (std::size_t i = from; i < w.trace().size(); ++i)
    n += w.trace()[i].kind == SockEventKind::Note && w.trace()[i].reason == r ? 1 : 0;
  return n;
}

// The Returns event of host h's fd for call c since `from` (nullptr if none).
inline const SockEvent* returned(const World& w, int h, int fd, SockCall c, std::size_t from = 0) {
  for (std::size_t i = from; i < w.trace().size(); ++i) {
    const SockEvent& e = w.trace()[i];
    if (e.kind == SockEventKind::Returns && e.host == h && e.fd == fd && e.call == c) return &e;
  }
  return nullptr;
}

inline const Socket& listener(const World& w, int h, int fd) {
  const Socket* s = w.socket_of(h, fd);
  REQUIRE(s != nullptr);
  return *s;
}

}  // namespace tcplab
