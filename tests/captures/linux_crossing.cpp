// Connections whose segments cross, made by the real Linux TCP stack for
// capture tests (tests/captures/crossing.sh). Host A lives in network
// namespace NETNS_A (10.12.0.1), host B in NETNS_B (10.12.0.2), joined by
// tests/captures/tun_relay.cpp, which delays every packet: both FINs of a
// simultaneous close, or both SYNs of a simultaneous open, are then on the
// wire at once. At chosen moments it records both kernels' states (`ss
// -tan` in each namespace), mapped to RFC 9293 names, one line each:
//
//   checkpoint <connection> <tA0> <tA1> A=<STATE> <tB0> <tB1> B=<STATE>
//
// with [tA0, tA1] the seconds (since just before the connection's
// connect()) between which ss read A's state, likewise for B: starting ss
// takes milliseconds, tens of them on a busy machine, and a state can change
// meanwhile. <connection> counts the connections of the run in the order they start
// (the order of `tcplab-sim replay`); a socket ss does not list is CLOSED.
// Usage: linux-crossing SCENARIO NETNS_A NETNS_B ONE_WAY_DELAY_MS, with
// SCENARIO one of simultaneous-close, simultaneous-open, port-reuse,
// refused-twice.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "state.h"

namespace {

const char* const ADDR[2] = {"10.12.0.1", "10.12.0.2"};
std::string netns[2];
int nsfd[2] = {-1, -1};
double delay_s = 0.2;
std::vector<double> t0;  // per connection: just before its connect()
int port[2] = {0, 0};    // the current connection's ports (A's, B's)

double now_s() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void fail(const char* what) {
  std::fprintf(stderr, "linux-crossing: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

// Sockets made after this belong to host h's namespace.
void enter(int h) {
  if (setns(nsfd[h], CLONE_NEWNET) < 0) fail("setns");
}

void sleep_until(double t) {
  const double d = t - now_s();
  if (d > 0) usleep(static_cast<useconds_t>(d * 1e6));
}

bool ends_with_port(const std::string& addr, int p) {
  const std::string tail = ":" + std::to_string(p);
  return addr.size() >= tail.size() && addr.compare(addr.size() - tail.size(), tail.size(), tail) == 0;
}

// Host h's state for the current connection, from ss in its namespace (ss
// started from here inherits the namespace: quicker than `ip netns exec`).
std::string state_of(int h) {
  enter(h);
  FILE* ss = popen("ss -tanH", "r");
  if (!ss) fail("ss");
  std::string st = "CLOSED";
  char line[512];
  while (std::fgets(line, sizeof line, ss)) {
    char name[64], local[200], peer[200];
    unsigned rq, sq;
    if (std::sscanf(line, "%63s %u %u %199s %199s", name, &rq, &sq, local, peer) != 5) continue;
    if (!ends_with_port(local, port[h]) || !ends_with_port(peer, port[h ^ 1])) continue;
    auto p = tcplab::parse_state(name);
    if (!p) {
      std::fprintf(stderr, "linux-crossing: ss reported a state the engine does not know: %s\n", name);
      std::exit(2);
    }
    st = tcplab::state_name(p->state);
  }
  pclose(ss);
  return st;
}

// The states now, each with the times just before and after its ss ran.
void checkpoint() {
  const std::size_t c = t0.size() - 1;
  double t[4];
  std::string st[2];
  for (int h = 0; h < 2; ++h) {
    t[2 * h] = now_s() - t0[c];
    st[h] = state_of(h);
    t[2 * h + 1] = now_s() - t0[c];
  }
  std::printf("checkpoint %zu %.6f %.6f A=%s %.6f %.6f B=%s\n", c, t[0], t[1], st[0].c_str(), t[2], t[3],
              st[1].c_str());
  std::fflush(stdout);
}

// Quiet for longer than a round trip plus Linux's delayed ACK, then the states.
void settled_checkpoint() {
  usleep(static_cast<useconds_t>((2 * delay_s + 0.3) * 1e6));
  checkpoint();
}

sockaddr_in address(int h, int p) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(p));
  inet_pton(AF_INET, ADDR[h], &a.sin_addr);
  return a;
}

// A socket of host h bound to port p (SO_REUSEADDR: a port used again).
int bound_socket(int h, int p) {
  enter(h);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) fail("socket");
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = address(h, p);
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) fail("bind");
  return s;
}

// Starts a connect() from s (host h) to the other host's port; returns the
// result and keeps errno.
int start_connect(int s, int h, bool nonblocking) {
  if (nonblocking) fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
  sockaddr_in peer = address(h ^ 1, port[h ^ 1]);
  return connect(s, reinterpret_cast<sockaddr*>(&peer), sizeof peer);
}

void new_connection(int port_a, int port_b) {
  port[0] = port_a;
  port[1] = port_b;
  t0.push_back(now_s());
}

void send_bytes(int s, std::size_t n) {
  std::string data(n, 'x');
  if (write(s, data.data(), data.size()) != static_cast<ssize_t>(data.size())) fail("write");
}

void read_bytes(int s, std::size_t n) {
  char buf[4096];
  std::size_t got = 0;
  while (got < n) {
    ssize_t k = read(s, buf, std::min(sizeof buf, n - got));
    if (k <= 0) fail("read");
    got += static_cast<std::size_t>(k);
  }
}

void read_eof(int s) {
  char buf[64];
  if (read(s, buf, sizeof buf) != 0) fail("read (expected end of file)");
}

// A connects from port_a to B's listener; returns {A's socket, B's}.
std::pair<int, int> connected(int listener, int port_a) {
  int c = bound_socket(0, port_a);
  new_connection(port_a, 5000);
  if (start_connect(c, 0, false) < 0) fail("connect");
  int s = accept(listener, nullptr, nullptr);
  if (s < 0) fail("accept");
  send_bytes(c, 100);
  read_bytes(s, 100);
  send_bytes(s, 200);
  read_bytes(c, 200);
  return {c, s};
}

int listener() {
  int l = bound_socket(1, 5000);
  if (listen(l, 4) < 0) fail("listen");
  return l;
}

void simultaneous_close() {
  const int l = listener();
  auto [c, s] = connected(l, 6001);
  settled_checkpoint();
  // Both close before either FIN arrives: the FINs cross in the relay.
  const double t = now_s();
  close(c);
  close(s);
  // No checkpoint while both are in FIN-WAIT-1: the capture (at A) shows
  // B's FIN only when it reaches A, so before then the replay cannot know
  // that B has closed.
  sleep_until(t + 1.5 * delay_s);
  checkpoint();  // CLOSING both: each had the other's FIN, not yet its ACK
  settled_checkpoint();  // TIME-WAIT both
  close(l);
}

void simultaneous_open() {
  const int a = bound_socket(0, 6001), b = bound_socket(1, 6002);
  new_connection(6001, 6002);
  // Each connects to the other: both SYNs are on the wire at once.
  if (start_connect(a, 0, true) == 0 || errno != EINPROGRESS) fail("connect (A)");
  if (start_connect(b, 1, true) == 0 || errno != EINPROGRESS) fail("connect (B)");
  // No checkpoint in SYN-SENT: the capture (at A) shows B's SYN one delay
  // after B sent it.
  const double t = now_s();
  sleep_until(t + 1.5 * delay_s);
  checkpoint();  // SYN-RECEIVED both: each had the other's SYN
  settled_checkpoint();  // ESTABLISHED both
  fcntl(a, F_SETFL, fcntl(a, F_GETFL) & ~O_NONBLOCK);
  fcntl(b, F_SETFL, fcntl(b, F_GETFL) & ~O_NONBLOCK);
  send_bytes(a, 100);
  read_bytes(b, 100);
  close(a);
  read_eof(b);
  close(b);
  settled_checkpoint();
}

void port_reuse() {
  const int l = listener();
  // The server closes first and keeps TIME-WAIT; A's port is free at once.
  auto [c, s] = connected(l, 6001);
  close(s);
  read_eof(c);
  close(c);
  settled_checkpoint();  // A CLOSED, B TIME-WAIT
  // The same four numbers again: Linux takes the new SYN in TIME-WAIT.
  auto [c2, s2] = connected(l, 6001);
  settled_checkpoint();  // ESTABLISHED both
  close(c2);
  read_eof(s2);
  close(s2);
  settled_checkpoint();
  close(l);
}

void refused_twice() {
  for (int k = 0; k < 2; ++k) {
    int c = bound_socket(0, 6001);
    new_connection(6001, 5001);
    if (start_connect(c, 0, false) == 0 || errno != ECONNREFUSED) fail("connect (expected ECONNREFUSED)");
    settled_checkpoint();
    close(c);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: linux-crossing SCENARIO NETNS_A NETNS_B ONE_WAY_DELAY_MS\n");
    return 2;
  }
  const std::string scenario = argv[1];
  for (int h = 0; h < 2; ++h) {
    netns[h] = argv[2 + h];
    const std::string path = "/var/run/netns/" + netns[h];
    nsfd[h] = open(path.c_str(), O_RDONLY);
    if (nsfd[h] < 0) fail(path.c_str());
  }
  delay_s = std::atof(argv[4]) / 1000.0;
  if (scenario == "simultaneous-close") simultaneous_close();
  else if (scenario == "simultaneous-open") simultaneous_open();
  else if (scenario == "port-reuse") port_reuse();
  else if (scenario == "refused-twice") refused_twice();
  else {
    std::fprintf(stderr, "linux-crossing: unknown scenario %s\n", scenario.c_str());
    return 2;
  }
  return 0;
}
