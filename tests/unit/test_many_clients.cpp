// A server with 8 clients over a lossy network: an accept loop, each client
// sends and closes, the server reads to the end and closes. Checked at every
// step: the queues stay within their bound, every accepted connection is
// synchronized, no data is lost, and the same seed gives the same trace.
#include "sockets_fixtures.h"

namespace tcplab {

namespace {

struct Outcome {
  std::uint64_t received = 0;        // octets the server read
  std::uint64_t delivered = 0;       // octets of clients that saw a clean end
  int accepted = 0, clean = 0, failed = 0;
  bool queues_ok = true, accepted_ok = true;
  std::string trace;
};

// Client i connects at i * stagger ms, sends 1000 octets, shuts down its
// side and reads until 0 (the server closed after reading everything) or an
// error (its connection was refused, reset or timed out: it knows).
Outcome run_clients(std::uint64_t seed, std::uint32_t loss_ppm, int backlog, Duration stagger = 0) {
  constexpr int N = 8;
  constexpr std::uint32_t BYTES = 1000;
  WorldConfig wc;
  wc.seed = seed;
  wc.latency_ms = 20;
  wc.loss_ppm = loss_ppm;
  World w(wc);
  HostConfig s;
  s.addr = SERVER_ADDR;
  const int server = w.add_host(s);
  std::vector<int> clients;
  for (int i = 0; i < N; ++i) {
    HostConfig c;
    c.addr = client_addr(i);
    clients.push_back(w.add_host(c));
  }
  const int lfd = static_cast<int>(w.socket(server).value);
  w.bind(server, lfd, HTTP);
  w.listen(server, lfd, backlog);
  Outcome o;
  std::vector<int> reading;  // the server's accepted fds
  std::vector<int> cfd(N, -1), phase(N, 0);
  auto drain = [&](int fd, CallResult r) {
    for (;;) {
      if (r.blocked) return;
      if (r.value > 0) o.received += static_cast<std::uint64_t>(r.value);
      if (r.value <= 0) {
        w.close(server, fd);
        return;
      }
      r = w.recv(server, fd, 65536);
    }
  };
  auto accept_all = [&](CallResult r) {
    for (;;) {
      if (r.blocked) return;
      const int fd = static_cast<int>(r.value);
      ++o.accepted;
      if (!is_synchronized(w.state_of(server, fd))) o.accepted_ok = false;
      reading.push_back(fd);
      drain(fd, w.recv(server, fd, 65536));
      r = w.accept(server, lfd);
    }
  };
  // A client's blocked call returned (or a call returned at once).
  auto client_step = [&](int i, CallResult r) {
    const auto k = static_cast<std::size_t>(i);
    const int h = clients[k];
    for (;;) {
      if (r.blocked) return;
      if (phase[k] == 1) {  // connect returned
        if (r.err != Errno::Ok) { ++o.failed; phase[k] = 3; return; }
        w.send(h, cfd[k], BYTES);
        w.shutdown(h, cfd[k], ShutHow::Wr);
        phase[k] = 2;
        r = w.recv(h, cfd[k], 100);
      } else if (phase[k] == 2) {  // recv returned
        if (r.err != Errno::Ok) { ++o.failed; phase[k] = 3; return; }
        if (r.value == 0) { ++o.clean; o.delivered += BYTES; phase[k] = 3; w.close(h, cfd[k]); return; }
        r = w.recv(h, cfd[k], 100);
      } else {
        return;
      }
    }
  };
  accept_all(w.accept(server, lfd));
  int started = 0;
  for (int steps = 0; steps < 200000; ++steps) {
    while (started < N && w.now() >= started * stagger) {
      const auto k = static_cast<std::size_t>(started);
      cfd[k] = static_cast<int>(w.socket(clients[k]).value);
      phase[k] = 1;
      client_step(started, w.connect(clients[k], cfd[k], SockAddr{SERVER_ADDR, HTTP}));
      ++started;
    }
    const Instant next_start = started < N ? started * stagger : NEVER;
    if (w.next_deadline() > next_start) {
      w.advance_to(next_start);
      continue;
    }
    if (!w.step_next()) break;
    const Socket* l = w.socket_of(server, lfd);
    const auto bound = static_cast<std::size_t>(backlog + 1);
    if (l->syn_queue.size() > bound || l->accept_queue.size() > bound) o.queues_ok = false;
    CallResult r;
    if (w.take_result(server, lfd, r)) accept_all(r);
    for (int fd : std::vector<int>(reading))
      if (w.take_result(server, fd, r)) drain(fd, r);
    for (int i = 0; i < N; ++i)
      if (cfd[static_cast<std::size_t>(i)] >= 0 && w.take_result(clients[static_cast<std::size_t>(i)], cfd[static_cast<std::size_t>(i)], r))
        client_step(i, r);
  }
  for (const SockEvent& e : w.trace()) o.trace += describe_sock_event(e, false) + "\n";
  return o;
}

}  // namespace

TEST_CASE("many clients: queues within the backlog, accepted connections synchronized, no data lost unseen") {
  for (std::uint64_t seed : {1ull, 2ull, 3ull}) {
    for (std::uint32_t loss : {0u, 50000u}) {
      for (Duration stagger : {0, 10}) {
        CAPTURE(seed);
        CAPTURE(loss);
        CAPTURE(stagger);
        const Outcome o = run_clients(seed, loss, 2, stagger);
        CHECK(o.queues_ok);
        CHECK(o.accepted_ok);
        // Every client ends, cleanly or knowing it failed.
        CHECK(o.clean + o.failed == 8);
        // What the clean ones sent is exactly what the server read.
        CHECK(o.received == o.delivered);
        CHECK(o.accepted >= o.clean);
      }
    }
  }
}

TEST_CASE("many clients: with room for all, every one gets through") {
  const Outcome o = run_clients(1, 0, 8, 0);
  CHECK(o.clean == 8);
  CHECK(o.received == 8000);
}

TEST_CASE("many clients: the same seed gives the same trace, another seed another") {
  const Outcome a = run_clients(7, 50000, 2), b = run_clients(7, 50000, 2), c = run_clients(8, 50000, 2);
  CHECK(a.trace == b.trace);
  CHECK(a.trace != c.trace);
}

TEST_CASE("the World is a value: a copy continues exactly like the original") {
  Pair x = established_pair();
  World copy = x.lab.w;
  x.lab.w.send(x.lab.clients[0], x.cfd, 10);
  copy.send(x.lab.clients[0], x.cfd, 10);
  x.lab.w.advance_by(1000);
  copy.advance_by(1000);
  REQUIRE(x.lab.w.trace().size() == copy.trace().size());
  for (std::size_t i = 0; i < copy.trace().size(); ++i)
    CHECK(describe_sock_event(x.lab.w.trace()[i], false) == describe_sock_event(copy.trace()[i], false));
}

}  // namespace tcplab

#include "pcap.h"
#include "socket_pcap.h"

namespace tcplab {

TEST_CASE("world_to_pcap: every packet of the run, read back by parse_capture with the same numbers and right checksums") {
  Lab lab = make_lab(2);
  const int lfd = listen_on(lab, 4);
  connect_from(lab, 0);
  const int c1 = connect_from(lab, 1);
  lab.w.start_flood(SockAddr{SERVER_ADDR, HTTP}, 100, 3);
  lab.w.advance_by(200);
  lab.w.accept(lab.server, lfd);
  lab.w.send(lab.clients[1], c1, 70000);  // more than one IPv4 packet
  lab.w.close(lab.clients[1], c1);
  lab.w.advance_by(500);
  std::vector<Segment> sent;
  for (const SockEvent& e : lab.w.trace())
    if (e.kind == SockEventKind::Sent) sent.push_back(e.pkt.seg);
  const std::vector<std::uint8_t> bytes = world_to_pcap(lab.w);
  const PcapParseResult r = parse_capture(bytes.data(), bytes.size());
  REQUIRE(r.ok);
  CHECK(r.problems.empty());
  REQUIRE(r.segments.size() == sent.size() + 1);  // the 70000 octets in two packets
  std::size_t k = 0;
  for (const Segment& s : sent) {
    const CapturedSegment& c = r.segments[k++];
    CHECK(c.checksum_ok);
    CHECK(c.seg.seq == s.seq);
    if (s.len > 65495) {
      CHECK(c.seg.len + r.segments[k].seg.len == s.len);
      CHECK(r.segments[k].seg.seq == s.seq + c.seg.len);
      ++k;
    } else {
      CHECK((c.seg.flags & ~FLAG_PSH) == (s.flags & ~FLAG_PSH));
      CHECK(c.seg.len == s.len);
    }
  }
  CHECK(r.connections.size() >= 5);  // two clients and three spoofed sources
}

}  // namespace tcplab
