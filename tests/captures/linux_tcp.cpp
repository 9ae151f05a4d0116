// A client and a server on loopback driven through one connection scenario
// by the real Linux TCP stack, for capture tests (tests/captures/capture.sh
// runs it under tcpdump in a private network namespace). At chosen points,
// after the connection has been quiet for a while, it records the kernel's
// view of both sockets (`ss -tan`), mapped to RFC 9293 names with the
// engine's state parser, one line per checkpoint on stdout:
//
//   checkpoint <seconds since just before connect()> A=<STATE> B=<STATE>
//
// A is the client (it sends the SYN), B the server's connection socket; a
// socket ss does not list is CLOSED. Usage: linux-tcp SCENARIO PORT
// with SCENARIO one of client-close, server-close, three-segment, refused,
// abort, half-close.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "state.h"

namespace {

double t0 = 0;
int client_port = 0, server_port = 0;

double now_s() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void fail(const char* what) {
  std::fprintf(stderr, "linux-tcp: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

void settle() { usleep(300 * 1000); }  // longer than Linux's delayed ACK (40 ms)

// An ss state name ("ESTAB", "SYN-RECV", "UNCONN") as the RFC spells it.
std::string rfc_name(const std::string& ss) {
  auto p = tcplab::parse_state(ss);
  if (!p) {
    std::fprintf(stderr, "linux-tcp: ss reported a state the engine does not know: %s\n", ss.c_str());
    std::exit(2);
  }
  return tcplab::state_name(p->state);
}

bool ends_with_port(const std::string& addr, int port) {
  const std::string tail = ":" + std::to_string(port);
  return addr.size() >= tail.size() && addr.compare(addr.size() - tail.size(), tail.size(), tail) == 0;
}

void checkpoint() {
  settle();
  const double t = now_s() - t0;
  FILE* ss = popen("ss -tanH", "r");
  if (!ss) fail("ss");
  std::string a = "CLOSED", b = "CLOSED";
  char line[512];
  while (std::fgets(line, sizeof line, ss)) {
    char st[64], local[200], peer[200];
    unsigned rq, sq;
    if (std::sscanf(line, "%63s %u %u %199s %199s", st, &rq, &sq, local, peer) != 5) continue;
    const std::string l = local, p = peer;
    if (ends_with_port(l, client_port) && ends_with_port(p, server_port)) a = rfc_name(st);
    if (ends_with_port(l, server_port) && ends_with_port(p, client_port)) b = rfc_name(st);
  }
  pclose(ss);
  std::printf("checkpoint %.6f A=%s B=%s\n", t, a.c_str(), b.c_str());
  std::fflush(stdout);
}

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int listener(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) fail("socket");
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = loopback(port);
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) fail("bind");
  if (listen(s, 4) < 0) fail("listen");
  return s;
}

// Connects; returns the client socket (or -1 with errno when refused).
int connect_client(int port) {
  int c = socket(AF_INET, SOCK_STREAM, 0);
  if (c < 0) fail("socket");
  sockaddr_in a = loopback(port);
  t0 = now_s();
  if (connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) return -1;
  sockaddr_in me{};
  socklen_t n = sizeof me;
  getsockname(c, reinterpret_cast<sockaddr*>(&me), &n);
  client_port = ntohs(me.sin_port);
  return c;
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: linux-tcp SCENARIO PORT\n");
    return 2;
  }
  const std::string scenario = argv[1];
  server_port = std::atoi(argv[2]);

  if (scenario == "refused") {
    // Nobody listens: the SYN is answered with a RST.
    int c = connect_client(server_port);
    if (c >= 0) {
      std::fprintf(stderr, "linux-tcp: connect succeeded, expected a refusal\n");
      return 2;
    }
    if (errno != ECONNREFUSED) fail("connect (expected ECONNREFUSED)");
    checkpoint();
    return 0;
  }

  int l = listener(server_port);
  int c = connect_client(server_port);
  if (c < 0) fail("connect");
  int s = accept(l, nullptr, nullptr);
  if (s < 0) fail("accept");
  send_bytes(c, 100);
  read_bytes(s, 100);
  send_bytes(s, 200);
  read_bytes(c, 200);
  checkpoint();

  if (scenario == "client-close") {
    close(c);
    checkpoint();
    read_eof(s);
    close(s);
    checkpoint();
  } else if (scenario == "server-close") {
    close(s);
    checkpoint();
    read_eof(c);
    close(c);
    checkpoint();
  } else if (scenario == "three-segment") {
    // The server closes at once when the FIN arrives: its FIN rides on the
    // delayed ACK of the client's FIN.
    close(c);
    read_eof(s);
    close(s);
    checkpoint();
  } else if (scenario == "abort") {
    // SO_LINGER with a zero timeout: close() resets the connection.
    linger lg{1, 0};
    if (setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0) fail("setsockopt SO_LINGER");
    close(c);
    checkpoint();
    close(s);
  } else if (scenario == "half-close") {
    // The client stops sending; the server still sends, then closes.
    if (shutdown(c, SHUT_WR) < 0) fail("shutdown");
    checkpoint();
    read_eof(s);
    send_bytes(s, 3000);
    read_bytes(c, 3000);
    checkpoint();
    close(s);
    checkpoint();
    read_eof(c);
    close(c);
    checkpoint();
  } else {
    std::fprintf(stderr, "linux-tcp: unknown scenario %s\n", scenario.c_str());
    return 2;
  }
  close(l);
  return 0;
}
