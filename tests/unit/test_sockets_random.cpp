// Random programs against the sockets layer: any call on any descriptor of
// any host, host events, a flood, time moving, over a lossy network. Checked
// after every action: the listeners' queues within their bound and holding
// only live connections of their own host, every queued connection in the
// state its queue promises, blocked calls only on open descriptors; and at
// the end the same seed gives the same trace.
#include <algorithm>
#include <map>

#include "sockets_fixtures.h"

namespace tcplab {

namespace {

struct Explored {
  std::size_t connections = 0, established = 0, accepted = 0;
};

std::string random_run(std::uint64_t seed, int actions, bool& ok, std::string& why, Explored& x) {
  WorldConfig wc;
  wc.seed = seed;
  wc.latency_ms = 10;
  wc.loss_ppm = 100000;
  World w(wc);
  Rng r(seed * 7919 + 1);
  const int n_hosts = 4;
  for (int i = 0; i < n_hosts; ++i) {
    HostConfig h;
    h.addr = SERVER_ADDR + static_cast<Addr>(i);
    h.profile = r.below(2) ? StackProfile::Linux : StackProfile::Rfc9293;
    h.syncookies = static_cast<SynCookies>(r.below(3));
    h.abort_on_overflow = r.below(4) == 0;
    w.add_host(h);
  }
  ok = true;
  // listen() on a listener changes its backlog (Linux too) and leaves what
  // is queued: the bound is the largest backlog since it began to listen.
  std::map<std::pair<int, int>, int> widest;
  for (int a = 0; a < actions && ok; ++a) {
    const int h = static_cast<int>(r.below(n_hosts));
    const int fd = FIRST_FD + static_cast<int>(r.below(6));
    const SockAddr to{SERVER_ADDR + r.below(n_hosts + 1), static_cast<Port>(80 + r.below(2))};
    // Whole sequences half the time, so programs reach listeners and
    // connections: a listener on host 0, a connect from another host.
    if (r.below(2) == 0) {
      if (h == 0) {
        const int l = static_cast<int>(w.socket(0).value);
        w.setsockopt(0, l, SockOpt::ReuseAddr, static_cast<int>(r.below(2)));
        w.bind(0, l, static_cast<Port>(80 + r.below(2)));
        w.listen(0, l, static_cast<int>(r.below(3)));
        w.accept(0, l);
      } else {
        const int c = static_cast<int>(w.socket(h).value);
        w.connect(h, c, SockAddr{SERVER_ADDR, static_cast<Port>(80 + r.below(2))});
      }
    }
    switch (r.below(16)) {
      case 0: w.socket(h); break;
      case 1: w.bind(h, fd, static_cast<Port>(80 + r.below(2))); break;
      case 2: w.listen(h, fd, static_cast<int>(r.below(3))); break;
      case 3: w.accept(h, fd); break;
      case 4: w.connect(h, fd, to); break;
      case 5: w.send(h, fd, 1 + r.below(3000)); break;
      case 6: w.recv(h, fd, 1 + r.below(3000)); break;
      case 7: w.shutdown(h, fd, static_cast<ShutHow>(r.below(3))); break;
      case 8: w.close(h, fd); break;
      case 9: w.setsockopt(h, fd, static_cast<SockOpt>(r.below(6)), static_cast<int>(r.below(3)), static_cast<int>(r.below(2))); break;
      case 10: if (r.below(20) == 0) w.crash(h); else if (r.below(2) == 0) w.reboot(h); break;
      case 11: if (r.below(10) == 0) w.process_exit(h); break;
      case 12: w.set_link(h, r.below(4) != 0); break;
      case 13: if (r.below(20) == 0) w.start_flood(SockAddr{SERVER_ADDR, 80}, 1000, 50); break;
      default: w.advance_by(static_cast<Duration>(r.below(3000))); break;
    }
    for (int hh = 0; hh < n_hosts && ok; ++hh) {
      for (const Socket& s : w.host(hh).fds) {
        if (s.kind != SockKind::Listening) {
          widest.erase({hh, s.fd});
          continue;
        }
        int& wb = widest[{hh, s.fd}];
        wb = std::max(wb, s.backlog);
        const auto bound = static_cast<std::size_t>(wb + 1);
        if (s.syn_queue.size() > bound || s.accept_queue.size() > bound)
          ok = false, why = "a queue beyond its bound: syn " + std::to_string(s.syn_queue.size()) + " accept " +
                            std::to_string(s.accept_queue.size()) + " backlog " + std::to_string(s.backlog) + " after action " + std::to_string(a) + " at " + std::to_string(w.now());
        for (int conn : s.syn_queue) {
          const Connection& c = w.connections()[static_cast<std::size_t>(conn)];
          if (c.gone || c.host != hh || c.ep.state() != State::SynReceived) ok = false, why = "SYN queue holds a connection not SYN-RECEIVED";
        }
        for (int conn : s.accept_queue) {
          const Connection& c = w.connections()[static_cast<std::size_t>(conn)];
          if (c.host != hh || !c.in_accept_queue) ok = false, why = "accept queue holds a stranger";
        }
      }
    }
  }
  w.advance_by(400000);  // everything runs out: TIME-WAIT, retries, keepalive
  std::string t;
  for (const SockEvent& e : w.trace()) {
    t += describe_sock_event(e, false) + "\n";
    x.established += e.kind == SockEventKind::Tcp && e.tcp.kind == EventKind::StateChanged && e.tcp.to == State::Established;
    x.accepted += e.kind == SockEventKind::Returns && e.call == SockCall::Accept && e.err == Errno::Ok;
  }
  x.connections += w.connections().size();
  return t;
}

}  // namespace

TEST_CASE("random programs: queues bounded and consistent after every action; same seed, same trace") {
  Explored x;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    bool ok = false;
    std::string why;
    const std::string a = random_run(seed, 400, ok, why, x);
    CHECK_MESSAGE(ok, why);
    if (seed <= 5) {
      bool ok2 = false;
      std::string why2;
      Explored ignored;
      CHECK(random_run(seed, 400, ok2, why2, ignored) == a);
    }
  }
  // The programs reach the interesting places, not only EBADF.
  MESSAGE("connections " << x.connections << ", established " << x.established << ", accepted " << x.accepted);
  CHECK(x.established > 50);
  CHECK(x.accepted > 10);
}

}  // namespace tcplab
