// The sockets layer against the real Linux kernel. Each check runs the same
// sequence of socket calls twice: on loopback in the private network
// namespace this program is started in (tests/captures/sockets.sh does
// `unshare -n`), and in the engine's World with the Linux profile; then it
// compares what both report: errnos of the calls, connection states (the
// kernel's from /proc/net/tcp), the listener's accept queue length, and the
// kernel's own counters (/proc/net/netstat: TCPAbortOnClose, SyncookiesSent,
// SyncookiesRecv, TCPKeepAlive) against the engine's reasons; and, for the
// checks of one connection, every segment (tcpdump on lo, read with the
// engine's parse_capture) against the engine's: sender, flags (PSH
// ignored), SEQ and ACK relative to each side's ISN, length.
//
//   linux-sockets CHECK     CHECK: backlog, unread-rst, linger0, addrinuse,
//                           refused, syncookies, fin-timeout, keepalive, reopen,
//                           syn-timeout, orphan-data, syn-queue,
//                           reset-before-accept
//   linux-sockets overflow-ack NS_A NS_B DELAY_MS
//                           clients in NS_A, the server in NS_B, joined by
//                           tests/captures/tun_relay.cpp (sockets-delayed.sh)
//
// Prints both sides and exits 0 when they agree, 1 when they differ, 2 when
// the kernel side could not run.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pcap.h"
#include "sockets.h"

namespace {

using namespace tcplab;

// [SECTION] The kernel side

void die(const char* what) {
  std::fprintf(stderr, "linux-sockets: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

void pause_ms(int ms) { usleep(static_cast<useconds_t>(ms) * 1000); }

void write_proc(const char* path, const char* value) {
  std::ofstream f(path);
  f << value;
  if (!f) die(path);
}

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int k_socket(bool reuse = false) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  const int one = 1;
  if (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) die("SO_REUSEADDR");
  return fd;
}

std::string errno_text(int rc) {
  if (rc >= 0) return std::to_string(rc);
  switch (errno) {
    case EADDRINUSE: return "EADDRINUSE";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ECONNRESET: return "ECONNRESET";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EPIPE: return "EPIPE";
    case ENOTCONN: return "ENOTCONN";
    default: return std::string("errno ") + std::to_string(errno);
  }
}

int k_bind(int fd, int port) {
  sockaddr_in a = loopback(port);
  return ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
}

int k_listener(int port, int backlog, bool reuse = false) {
  const int fd = k_socket(reuse);
  if (k_bind(fd, port) != 0) die("bind");
  if (::listen(fd, backlog) != 0) die("listen");
  return fd;
}

int k_connect(int fd, int port, bool nonblocking = false) {
  if (nonblocking) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  sockaddr_in a = loopback(port);
  return ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
}

// A listener on `port`, a client connected to it, the accepted socket.
struct KPair {
  int l = -1, c = -1, s = -1;
};

KPair k_pair(int port, bool reuse = false) {
  KPair k;
  k.l = k_listener(port, 4, reuse);
  k.c = k_socket();
  if (k_connect(k.c, port) != 0) die("connect");
  k.s = accept(k.l, nullptr, nullptr);
  return k;
}

int local_port(int fd) {
  sockaddr_in a{};
  socklen_t n = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  return ntohs(a.sin_port);
}

struct ProcTcp {
  int local_port = 0, remote_port = 0;
  State state = State::Closed;
  unsigned rx_queue = 0;  // for a listener: the accept queue length
};

// /proc/net/tcp: "sl local rem st tx_queue:rx_queue ..." (hex).
std::vector<ProcTcp> proc_tcp() {
  static const State by_code[] = {State::Closed,    State::Established, State::SynSent,   State::SynReceived,
                                  State::FinWait1,  State::FinWait2,    State::TimeWait,  State::Closed,
                                  State::CloseWait, State::LastAck,     State::Listen,    State::Closing};
  std::vector<ProcTcp> out;
  std::ifstream f("/proc/net/tcp");
  std::string line;
  std::getline(f, line);
  while (std::getline(f, line)) {
    std::istringstream in(line);
    std::string sl, local, remote, st, queues;
    in >> sl >> local >> remote >> st >> queues;
    ProcTcp p;
    p.local_port = static_cast<int>(std::strtol(local.substr(local.find(':') + 1).c_str(), nullptr, 16));
    p.remote_port = static_cast<int>(std::strtol(remote.substr(remote.find(':') + 1).c_str(), nullptr, 16));
    const long code = std::strtol(st.c_str(), nullptr, 16);
    p.state = code >= 0 && code < 12 ? by_code[code] : State::Closed;
    p.rx_queue = static_cast<unsigned>(std::strtoul(queues.substr(queues.find(':') + 1).c_str(), nullptr, 16));
    out.push_back(p);
  }
  return out;
}

// The state of the connection from local port `lp` to `rp` (CLOSED if none).
State k_state(int lp, int rp) {
  for (const ProcTcp& p : proc_tcp())
    if (p.local_port == lp && p.remote_port == rp) return p.state;
  return State::Closed;
}

unsigned k_accept_queue(int port) {
  for (const ProcTcp& p : proc_tcp())
    if (p.local_port == port && p.state == State::Listen) return p.rx_queue;
  return 0;
}

// A TcpExt counter from /proc/net/netstat (a header line, then a value line).
long netstat(const std::string& name) {
  std::ifstream f("/proc/net/netstat");
  std::string head, vals;
  while (std::getline(f, head) && std::getline(f, vals)) {
    if (head.rfind("TcpExt:", 0) != 0) continue;
    std::istringstream hn(head), vn(vals);
    std::string h, v;
    while (hn >> h && vn >> v)
      if (h == name) return std::strtol(v.c_str(), nullptr, 10);
  }
  return -1;
}

// tcpdump on lo for one port, started before the kernel part of a check and
// stopped before its clean-up.
struct Capture {
  pid_t pid = -1;
  std::string path, err, iface = "lo";

  void start(int port) {
    path = "/tmp/tcplab-sockets-" + std::to_string(getpid()) + "-" + std::to_string(port) + ".pcap";
    err = path + ".err";
    pid = fork();
    if (pid == 0) {
      if (!freopen(err.c_str(), "w", stderr)) _exit(127);
      const std::string filter = "tcp port " + std::to_string(port);
      execlp("tcpdump", "tcpdump", "-i", iface.c_str(), "-U", "--immediate-mode", "-s", "200", "-w", path.c_str(), filter.c_str(),
             static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100; ++i) {
      std::ifstream f(err);
      std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      if (text.find("listening on") != std::string::npos) return;
      pause_ms(50);
    }
    std::fprintf(stderr, "linux-sockets: tcpdump did not start\n");
    std::exit(2);
  }

  // The captured segments, in order.
  std::vector<CapturedSegment> stop() {
    pause_ms(100);
    kill(pid, SIGINT);
    waitpid(pid, nullptr, 0);
    std::ifstream f(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::remove(path.c_str());
    std::remove(err.c_str());
    const PcapParseResult r = parse_capture(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    if (!r.ok) {
      std::fprintf(stderr, "linux-sockets: the capture: %s\n", r.error.c_str());
      std::exit(2);
    }
    return r.segments;
  }
};

// One segment as both sides are compared: "client SYN 0 -", "server RST,ACK 1 11 len 0".
struct Wire {
  bool from_client = false;
  Segment seg;
};

std::string wire_text(const Wire& w, Seq base_self, Seq base_peer) {
  const Segment& s = w.seg;
  const std::uint8_t flags = s.flags & static_cast<std::uint8_t>(~FLAG_PSH);
  const Seq seq = (s.has(FLAG_RST) && s.seq == 0) ? 0 : s.seq - base_self;
  std::string t = std::string(w.from_client ? "client " : "server ") + flags_text(flags) + " " + std::to_string(seq);
  t += s.has(FLAG_ACK) ? " " + std::to_string(s.ack - base_peer) : " -";
  return t + " len " + std::to_string(s.len);
}

// Relative numbers: each side's base is the SEQ of its SYN.
std::vector<std::string> wire_lines(const std::vector<Wire>& ws) {
  Seq base[2] = {0, 0};
  for (const Wire& w : ws)
    if (w.seg.has(FLAG_SYN)) base[w.from_client ? 0 : 1] = w.seg.seq;
  std::vector<std::string> out;
  for (const Wire& w : ws) out.push_back(wire_text(w, base[w.from_client ? 0 : 1], base[w.from_client ? 1 : 0]));
  return out;
}

std::vector<Wire> kernel_wires(const std::vector<CapturedSegment>& segs, int server_port) {
  std::vector<Wire> out;
  for (const CapturedSegment& c : segs) out.push_back(Wire{c.dport == server_port, c.seg});
  return out;
}

std::vector<Wire> engine_wires(const World& w, int server_host) {
  std::vector<Wire> out;
  for (const SockEvent& e : w.trace())
    if (e.kind == SockEventKind::Sent) out.push_back(Wire{e.host != server_host, e.pkt.seg});
  return out;
}

// [SECTION] The engine side

constexpr Addr SRV = 0x0A000001;

struct Eng {
  World w;
  int server = 0;
  std::vector<int> clients;
  explicit Eng(int n, SynCookies cookies = SynCookies::WhenFull, Duration fin_timeout = 0) : w(config()) {
    HostConfig s;
    s.name = "server";
    s.addr = SRV;
    s.syncookies = cookies;
    s.fin_timeout_ms = fin_timeout;
    server = w.add_host(s);
    for (int i = 0; i < n; ++i) {
      HostConfig c;
      c.addr = SRV + 1 + static_cast<Addr>(i);
      c.fin_timeout_ms = fin_timeout;
      clients.push_back(w.add_host(c));
    }
  }
  static WorldConfig config() {
    WorldConfig c;
    c.latency_ms = 1;  // loopback
    return c;
  }
  std::string err(const CallResult& r) { return r.err == Errno::Ok ? std::to_string(r.value) : errno_name(r.err); }
  int listener(int backlog, bool reuse = false) {
    const int fd = static_cast<int>(w.socket(server).value);
    if (reuse) w.setsockopt(server, fd, SockOpt::ReuseAddr, 1);
    w.bind(server, fd, 80);
    w.listen(server, fd, backlog);
    return fd;
  }
  int connect(int i, Port port = 80) {
    const int fd = static_cast<int>(w.socket(clients[static_cast<std::size_t>(i)]).value);
    w.connect(clients[static_cast<std::size_t>(i)], fd, SockAddr{SRV, port});
    return fd;
  }
  // A listener, a client connected to it, the accepted socket (as k_pair).
  struct Trio {
    int el = -1, ec = -1, es = -1;
  };
  Trio pair(bool reuse = false) {
    Trio t;
    t.el = listener(4, reuse);
    t.ec = connect(0);
    w.advance_by(10);
    t.es = static_cast<int>(w.accept(server, t.el).value);
    return t;
  }
  int notes(SockReason r) {
    int n = 0;
    for (const SockEvent& e : w.trace()) n += e.kind == SockEventKind::Note && e.reason == r ? 1 : 0;
    return n;
  }
};

// [SECTION] Comparing

int differences = 0;

void compare(const std::string& what, const std::string& kernel, const std::string& engine) {
  const bool same = kernel == engine;
  std::printf("%-44s kernel %-26s engine %-26s %s\n", what.c_str(), kernel.c_str(), engine.c_str(), same ? "ok" : "DIFFERENT");
  if (!same) ++differences;
}

std::string name(State s) { return state_name(s); }

void compare_segments(const std::vector<CapturedSegment>& kernel, int port, const World& w, int server_host) {
  const std::vector<std::string> k = wire_lines(kernel_wires(kernel, port));
  const std::vector<std::string> e = wire_lines(engine_wires(w, server_host));
  for (std::size_t i = 0; i < std::max(k.size(), e.size()); ++i)
    compare("segment " + std::to_string(i + 1), i < k.size() ? k[i] : "(none)", i < e.size() ? e[i] : "(none)");
}

// [SECTION] The checks

// backlog 1: Linux's accept queue holds 2 (sk_acceptq_is_full uses '>'); the
// third client's SYN is dropped while the queue is full: it stays SYN-SENT.
void check_backlog() {
  const int port = 5101;
  const int l = k_listener(port, 1);
  int c[3];
  for (int i = 0; i < 3; ++i) {
    c[i] = k_socket();
    k_connect(c[i], port, true);
    pause_ms(100);
  }
  const unsigned kq = k_accept_queue(port);
  State ks[3];
  for (int i = 0; i < 3; ++i) ks[i] = k_state(local_port(c[i]), port);
  Eng e(3);
  const int el = e.listener(1);
  int ec[3];
  for (int i = 0; i < 3; ++i) {
    ec[i] = e.connect(i);
    e.w.advance_by(100);
  }
  compare("accept queue length, backlog 1", std::to_string(kq), std::to_string(e.w.socket_of(e.server, el)->accept_queue.size()));
  for (int i = 0; i < 3; ++i)
    compare("client " + std::to_string(i + 1) + " state", name(ks[i]), name(e.w.state_of(e.clients[static_cast<std::size_t>(i)], ec[i])));
  for (int i = 0; i < 3; ++i) close(c[i]);
  close(l);
}

// close() with unread data: RST (TCPAbortOnClose), the peer's recv ECONNRESET.
void check_unread_rst() {
  const int port = 5102;
  Capture cap;
  cap.start(port);
  const KPair k = k_pair(port);
  const int l = k.l, c = k.c, s = k.s;
  const long before = netstat("TCPAbortOnClose");
  if (send(c, "0123456789", 10, 0) != 10) die("send");
  pause_ms(50);
  close(s);
  pause_ms(50);
  char buf[16];
  const std::string krecv = errno_text(static_cast<int>(recv(c, buf, sizeof buf, 0)));
  const long aborts = netstat("TCPAbortOnClose") - before;
  const std::vector<CapturedSegment> segs = cap.stop();
  Eng e(1);
  const Eng::Trio t = e.pair();
  const int ec = t.ec, es = t.es;
  e.w.send(e.clients[0], ec, 10);
  e.w.advance_by(50);
  e.w.close(e.server, es);
  e.w.advance_by(50);
  compare("RSTs for close with unread data", std::to_string(aborts), std::to_string(e.notes(SockReason::CloseUnreadRst)));
  compare("peer's recv after it", krecv, e.err(e.w.recv(e.clients[0], ec, 16)));
  compare_segments(segs, port, e.w, e.server);
  close(c);
  close(l);
}

// SO_LINGER {1, 0}: RST; the peer's recv ECONNRESET; no TIME-WAIT left.
void check_linger0() {
  const int port = 5103;
  Capture cap;
  cap.start(port);
  const KPair k = k_pair(port);
  const int l = k.l, c = k.c, s = k.s;
  const int cport = local_port(c);
  linger lg{1, 0};
  setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close(c);
  pause_ms(50);
  char buf[16];
  const std::string krecv = errno_text(static_cast<int>(recv(s, buf, sizeof buf, 0)));
  const State kcs = k_state(cport, port);
  const std::vector<CapturedSegment> segs = cap.stop();
  Eng e(1);
  const Eng::Trio t = e.pair();
  const int ec = t.ec, es = t.es;
  e.w.setsockopt(e.clients[0], ec, SockOpt::Linger, 1, 0);
  e.w.close(e.clients[0], ec);
  e.w.advance_by(50);
  State ecs = State::Closed;
  for (const Connection& k : e.w.connections())
    if (k.host == e.clients[0] && !k.gone) ecs = k.ep.state();
  compare("peer's recv after SO_LINGER {1,0} close", krecv, e.err(e.w.recv(e.server, es, 16)));
  compare("closer's connection afterwards", name(kcs), name(ecs));
  compare_segments(segs, port, e.w, e.server);
  close(s);
  close(l);
}

// bind while the old server's accepted connection is in TIME-WAIT.
std::string k_addrinuse(int port, bool old_reuse, bool new_reuse) {
  const int l = k_listener(port, 4, old_reuse);
  const int c = k_socket();
  if (k_connect(c, port) != 0) die("connect");
  const int s = accept(l, nullptr, nullptr);
  close(s);  // the server closes first: its side goes to TIME-WAIT
  pause_ms(50);
  close(c);
  pause_ms(50);
  close(l);
  const int n = k_socket(new_reuse);
  const std::string r = errno_text(k_bind(n, port));
  close(n);
  return r;
}

std::string e_addrinuse(bool old_reuse, bool new_reuse) {
  Eng e(1);
  const int el = e.listener(4, old_reuse);
  const int ec = e.connect(0);
  e.w.advance_by(10);
  const int es = static_cast<int>(e.w.accept(e.server, el).value);
  e.w.close(e.server, es);
  e.w.advance_by(50);
  e.w.close(e.clients[0], ec);
  e.w.advance_by(50);
  e.w.close(e.server, el);
  const int n = static_cast<int>(e.w.socket(e.server).value);
  if (new_reuse) e.w.setsockopt(e.server, n, SockOpt::ReuseAddr, 1);
  return e.err(e.w.bind(e.server, n, 80));
}

void check_addrinuse() {
  compare("bind, TIME-WAIT, no SO_REUSEADDR", k_addrinuse(5104, false, false), e_addrinuse(false, false));
  compare("bind, TIME-WAIT, SO_REUSEADDR new only", k_addrinuse(5105, false, true), e_addrinuse(false, true));
  compare("bind, TIME-WAIT, SO_REUSEADDR both", k_addrinuse(5106, true, true), e_addrinuse(true, true));
}

void check_refused() {
  Capture cap;
  cap.start(5107);
  const int c = k_socket();
  const std::string k = errno_text(k_connect(c, 5107));
  const std::vector<CapturedSegment> segs = cap.stop();
  close(c);
  Eng e(1);
  const int ec = e.connect(0, 81);
  e.w.advance_by(10);
  CallResult r;
  e.w.result(e.clients[0], ec, r);
  compare("connect to a closed port", k, e.err(r));
  compare_segments(segs, 5107, e.w, e.server);
}

// tcp_syncookies=2: one cookie sent, one received, the connection works.
void check_syncookies() {
  write_proc("/proc/sys/net/ipv4/tcp_syncookies", "2");
  const int port = 5108;
  const long sent0 = netstat("SyncookiesSent"), recv0 = netstat("SyncookiesRecv");
  Capture cap;
  cap.start(port);
  const KPair k = k_pair(port);
  const int l = k.l, c = k.c, s = k.s;
  send(c, "abc", 3, 0);
  pause_ms(20);
  char buf[8];
  const std::string kread = errno_text(static_cast<int>(recv(s, buf, sizeof buf, 0)));
  const long sent = netstat("SyncookiesSent") - sent0, recvd = netstat("SyncookiesRecv") - recv0;
  const std::vector<CapturedSegment> segs = cap.stop();
  write_proc("/proc/sys/net/ipv4/tcp_syncookies", "1");
  Eng e(1, SynCookies::Always);
  const Eng::Trio t = e.pair();
  const int ec = t.ec, es = t.es;
  e.w.send(e.clients[0], ec, 3);
  e.w.advance_by(20);
  compare("SYN cookies sent", std::to_string(sent), std::to_string(e.notes(SockReason::CookieSent)));
  compare("SYN cookies received (valid)", std::to_string(recvd), std::to_string(e.notes(SockReason::CookieValid)));
  compare("server reads over the cookie connection", kread, e.err(e.w.recv(e.server, es, 8)));
  compare_segments(segs, port, e.w, e.server);
  close(s);
  close(c);
  close(l);
}

// An orphan in FIN-WAIT-2 with tcp_fin_timeout = 2 s: there at 1 s, gone at 3 s.
void check_fin_timeout() {
  write_proc("/proc/sys/net/ipv4/tcp_fin_timeout", "2");
  const int port = 5109;
  const KPair k = k_pair(port);
  const int l = k.l, c = k.c, s = k.s;
  const int cport = local_port(c);
  close(c);
  pause_ms(1000);
  const State k1 = k_state(cport, port);
  pause_ms(2000);
  const State k3 = k_state(cport, port);
  write_proc("/proc/sys/net/ipv4/tcp_fin_timeout", "60");
  Eng e(1, SynCookies::WhenFull, 2000);
  const int el = e.listener(4);
  const int ec = e.connect(0);
  e.w.advance_by(10);
  e.w.accept(e.server, el);
  e.w.close(e.clients[0], ec);
  auto client_state = [&] {
    for (const Connection& k : e.w.connections())
      if (k.host == e.clients[0] && !k.gone) return k.ep.state();
    return State::Closed;
  };
  e.w.advance_by(1000);
  const State e1 = client_state();
  e.w.advance_by(2000);
  compare("orphan after close, at 1 s", name(k1), name(e1));
  compare("orphan at 3 s (tcp_fin_timeout 2)", name(k3), name(client_state()));
  close(s);
  close(l);
}

// Keepalive with idle 1 s, interval 1 s on a live connection: one probe a
// second, each answered (TCPKeepAlive counts probes sent).
void check_keepalive() {
  const int port = 5110;
  const int l = k_listener(port, 4);
  const int c = k_socket();
  const int one = 1;
  setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  setsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &one, sizeof one);
  setsockopt(c, IPPROTO_TCP, TCP_KEEPINTVL, &one, sizeof one);
  if (k_connect(c, port) != 0) die("connect");
  const int s = accept(l, nullptr, nullptr);
  const long before = netstat("TCPKeepAlive");
  pause_ms(3500);
  const long probes = netstat("TCPKeepAlive") - before;
  const State ks = k_state(local_port(c), port);
  Eng e(1);
  const int el = e.listener(4);
  const int ec = e.connect(0);
  const int h = e.clients[0];
  e.w.setsockopt(h, ec, SockOpt::KeepAlive, 1);
  e.w.setsockopt(h, ec, SockOpt::KeepIdle, 1);
  e.w.setsockopt(h, ec, SockOpt::KeepIntvl, 1);
  e.w.advance_by(10);
  e.w.accept(e.server, el);
  e.w.advance_by(3500);
  compare("keepalive probes in 3.5 s (idle 1, intvl 1)", std::to_string(probes), std::to_string(e.notes(SockReason::KeepaliveProbe)));
  compare("connection after the probes", name(ks), name(e.w.state_of(h, ec)));
  close(s);
  close(c);
  close(l);
}

// The client reuses its port while the server holds TIME-WAIT: Linux takes
// the new SYN and answers with ISN = the old connection's SND.NXT + 65537.
long reopen_gap(const std::vector<Wire>& ws) {
  Seq old_snd_nxt = 0;
  int synacks = 0;
  for (const Wire& w : ws) {
    if (!w.from_client && w.seg.has(FLAG_FIN) && synacks == 1) old_snd_nxt = w.seg.seq + 1;
    if (!w.from_client && w.seg.has(FLAG_SYN) && ++synacks == 2) return static_cast<long>(w.seg.seq - old_snd_nxt);
  }
  return -1;
}

void check_reopen() {
  const int port = 5111;
  Capture cap;
  cap.start(port);
  const KPair k = k_pair(port);
  const int l = k.l, c = k.c, s = k.s;
  const int cport = local_port(c);
  close(s);  // the server closes first: TIME-WAIT on its side
  pause_ms(50);
  close(c);
  pause_ms(50);
  const State tw = k_state(port, cport);
  const int c2 = k_socket();
  const std::string kb = errno_text(k_bind(c2, cport));
  const std::string kc = errno_text(k_connect(c2, port));
  const long kgap = reopen_gap(kernel_wires(cap.stop(), port));
  close(c2);
  close(l);
  Eng e(1);
  const Eng::Trio t = e.pair();
  const int ec = t.ec, es = t.es;
  const Port ecport = e.w.connections()[0].local.port;
  e.w.close(e.server, es);
  e.w.advance_by(50);
  e.w.close(e.clients[0], ec);
  e.w.advance_by(50);
  State etw = State::Closed;
  for (const Connection& k : e.w.connections())
    if (k.host == e.server && !k.gone) etw = k.ep.state();
  const int ec2 = static_cast<int>(e.w.socket(e.clients[0]).value);
  const std::string eb = e.err(e.w.bind(e.clients[0], ec2, ecport));
  e.w.connect(e.clients[0], ec2, SockAddr{SRV, 80});
  e.w.advance_by(10);
  CallResult r;
  e.w.result(e.clients[0], ec2, r);
  compare("server's side before the reuse", name(tw), name(etw));
  compare("bind to the same client port", kb, eb);
  compare("connect again", kc, e.err(r));
  compare("new ISN - old SND.NXT", std::to_string(kgap), std::to_string(reopen_gap(engine_wires(e.w, e.server))));
}

// connect to an address that never answers, tcp_syn_retries 2: a veth whose
// far end has no address, reached through a static neighbour entry, so the
// SYNs leave and nothing comes back. Linux gives up when the budget of 7 s
// (tcp_model_timeout) is spent: 5 retransmissions (4 linear timeouts).
void check_syn_timeout() {
  if (std::system("ip link add tlv0 type veth peer name tlv1 && ip addr add 10.77.0.1/24 dev tlv0 && "
                  "ip link set tlv0 up && ip link set tlv1 up && "
                  "ip neigh add 10.77.0.2 lladdr 02:00:00:00:00:02 dev tlv0 nud permanent") != 0) {
    std::fprintf(stderr, "linux-sockets: cannot make the veth pair\n");
    std::exit(2);
  }
  write_proc("/proc/sys/net/ipv4/tcp_syn_retries", "2");
  Capture cap;
  cap.iface = "tlv0";
  cap.start(80);
  const int c = k_socket();
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(80);
  inet_pton(AF_INET, "10.77.0.2", &a.sin_addr);
  timespec t0{}, t1{};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  const std::string k = errno_text(::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a));
  clock_gettime(CLOCK_MONOTONIC, &t1);
  const long kms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  int ksyns = 0;
  for (const CapturedSegment& seg : cap.stop()) ksyns += seg.seg.flags == FLAG_SYN ? 1 : 0;
  close(c);
  WorldConfig wc;
  World w(wc);
  HostConfig hc;
  hc.addr = SRV + 1;
  hc.syn_retries = 2;
  const int h = w.add_host(hc);
  const int ec = static_cast<int>(w.socket(h).value);
  w.connect(h, ec, SockAddr{0x0A4D0002, 80});
  while (w.pending(h, ec) && w.step_next()) {
  }
  CallResult r;
  w.result(h, ec, r);
  int esyns = 0;
  for (const SockEvent& e : w.trace()) esyns += e.kind == SockEventKind::Sent && e.pkt.seg.flags == FLAG_SYN ? 1 : 0;
  compare("connect, tcp_syn_retries 2", k, errno_name(r.err));
  compare("SYNs sent", std::to_string(ksyns), std::to_string(esyns));
  // The kernel's timers run a little late (jiffies, slack): whole seconds.
  compare("seconds until ETIMEDOUT", std::to_string(kms / 1000), std::to_string(w.now() / 1000));
}

// Data for a socket already closed (the server closed, the client sends):
// Linux resets the orphan, <SEQ=SEG.ACK><CTL=RST>; the client's next call
// reports ECONNRESET.
void check_orphan_data() {
  const int port = 5112;
  Capture cap;
  cap.start(port);
  const KPair k = k_pair(port);
  const int l = k.l, c = k.c, s = k.s;
  close(s);
  pause_ms(100);
  const std::string ks = errno_text(static_cast<int>(send(c, "0123456789", 10, MSG_NOSIGNAL)));
  pause_ms(100);
  char buf[16];
  const std::string kr = errno_text(static_cast<int>(recv(c, buf, sizeof buf, 0)));
  const std::string ks2 = errno_text(static_cast<int>(send(c, "0123456789", 10, MSG_NOSIGNAL)));
  const std::vector<CapturedSegment> segs = cap.stop();
  close(c);
  close(l);
  Eng e(1);
  const Eng::Trio t = e.pair();
  const int ec = t.ec, es = t.es;
  e.w.close(e.server, es);
  e.w.advance_by(100);
  const std::string es1 = e.err(e.w.send(e.clients[0], ec, 10));
  e.w.advance_by(100);
  const std::string er = e.err(e.w.recv(e.clients[0], ec, 16));
  compare("send after the peer closed", ks, es1);
  compare("recv after the RST (the FIN came first)", kr, er);
  compare("send after the RST", ks2, e.err(e.w.send(e.clients[0], ec, 10)));
  compare_segments(segs, port, e.w, e.server);
}

// The client aborts (SO_LINGER {1, 0}) before the server accepts: accept
// still returns the connection, and the first recv reports ECONNRESET.
void check_reset_before_accept() {
  const int port = 5113;
  const int l = k_listener(port, 4);
  const int c = k_socket();
  if (k_connect(c, port) != 0) die("connect");
  linger lg{1, 0};
  setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close(c);
  pause_ms(50);
  const unsigned kq = k_accept_queue(port);
  const int s = accept(l, nullptr, nullptr);
  const std::string ka = s >= 0 ? "a socket" : errno_text(s);
  char buf[8];
  const std::string kr = errno_text(static_cast<int>(recv(s, buf, sizeof buf, 0)));
  close(s);
  close(l);
  Eng e(1);
  const int el = e.listener(4);
  const int ec = e.connect(0);
  e.w.advance_by(10);
  e.w.setsockopt(e.clients[0], ec, SockOpt::Linger, 1, 0);
  e.w.close(e.clients[0], ec);
  e.w.advance_by(50);
  const std::size_t eq = e.w.socket_of(e.server, el)->accept_queue.size();
  const CallResult a = e.w.accept(e.server, el);
  compare("accept queue after the client's RST", std::to_string(kq), std::to_string(eq));
  compare("accept", ka, a.err == Errno::Ok ? "a socket" : errno_name(a.err));
  compare("recv on it", kr, e.err(e.w.recv(e.server, static_cast<int>(a.value), 8)));
}

// [SECTION] The SYN queue under spoofed SYNs

// Sends a SYN from src:sport to 10.77.0.1:port through a raw socket; the
// SYN,ACKs go out of the veth towards a neighbour that never answers.
void spoofed_syn(int raw, std::uint32_t src, std::uint16_t sport, int port, std::uint32_t seq) {
  std::uint8_t pkt[40] = {};
  pkt[0] = 0x45;
  pkt[3] = 40;
  pkt[8] = 64;
  pkt[9] = 6;
  const std::uint32_t dst = 0x0A4D0001;
  for (int i = 0; i < 4; ++i) {
    pkt[12 + i] = static_cast<std::uint8_t>(src >> (24 - 8 * i));
    pkt[16 + i] = static_cast<std::uint8_t>(dst >> (24 - 8 * i));
  }
  std::uint8_t* t = pkt + 20;
  t[0] = static_cast<std::uint8_t>(sport >> 8);
  t[1] = static_cast<std::uint8_t>(sport);
  t[2] = static_cast<std::uint8_t>(port >> 8);
  t[3] = static_cast<std::uint8_t>(port);
  for (int i = 0; i < 4; ++i) t[4 + i] = static_cast<std::uint8_t>(seq >> (24 - 8 * i));
  t[12] = 5 << 4;
  t[13] = FLAG_SYN;
  t[14] = 0xFA;  // window 64240
  t[15] = 0xF0;
  const std::uint16_t sum = tcp_checksum_ipv4(pkt + 12, pkt + 16, t, 20);
  t[16] = static_cast<std::uint8_t>(sum >> 8);
  t[17] = static_cast<std::uint8_t>(sum);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(dst);
  if (sendto(raw, pkt, sizeof pkt, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) != 40) die("sendto");
}

// backlog 4, ten spoofed SYNs: Linux 6.x keeps backlog + 1 = 5 requests
// (inet_csk_reqsk_queue_is_full uses '>'); with tcp_syncookies 0 the others
// are dropped, with 1 they get cookies (SyncookiesSent).
void check_syn_queue() {
  if (std::system("ip link add tlv0 type veth peer name tlv1 && ip addr add 10.77.0.1/24 dev tlv0 && "
                  "ip link set tlv0 up && ip link set tlv1 up") != 0) {
    std::fprintf(stderr, "linux-sockets: cannot make the veth pair\n");
    std::exit(2);
  }
  for (int i = 2; i < 12; ++i) {
    const std::string cmd = "ip neigh add 10.77.0." + std::to_string(i) + " lladdr 02:00:00:00:00:02 dev tlv0 nud permanent";
    if (std::system(cmd.c_str()) != 0) die("ip neigh");
  }
  const int raw = ::socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
  if (raw < 0) die("raw socket");
  for (int cookies = 0; cookies < 2; ++cookies) {
    write_proc("/proc/sys/net/ipv4/tcp_syncookies", cookies ? "1" : "0");
    const int port = 5300 + cookies;
    const int l = k_socket();
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, "10.77.0.1", &a.sin_addr);
    if (::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(l, 4) != 0) die("listen");
    const long sent0 = netstat("SyncookiesSent");
    for (int i = 0; i < 10; ++i)
      spoofed_syn(raw, 0x0A4D0002 + static_cast<std::uint32_t>(i), static_cast<std::uint16_t>(40000 + i), port,
                  1000u * static_cast<std::uint32_t>(i + 1));
    pause_ms(200);
    int ksyn = 0;
    for (const ProcTcp& p : proc_tcp()) ksyn += p.local_port == port && p.state == State::SynReceived ? 1 : 0;
    const long kcookies = netstat("SyncookiesSent") - sent0;
    close(l);
    Eng e(0, cookies ? SynCookies::WhenFull : SynCookies::Off);
    const int el = e.listener(4);
    e.w.start_flood(SockAddr{SRV, 80}, 1000, 10);
    e.w.advance_by(200);
    const std::string mode = cookies ? " (syncookies 1)" : " (syncookies 0)";
    compare("SYN-RECV after 10 SYNs, backlog 4" + mode, std::to_string(ksyn),
            std::to_string(e.w.socket_of(e.server, el)->syn_queue.size()));
    compare("cookies sent" + mode, std::to_string(kcookies), std::to_string(e.notes(SockReason::CookieSent)));
  }
  close(raw);
}

// [SECTION] The final ACK on a full accept queue (two namespaces, delayed)

int ns_fd[2] = {-1, -1};

void enter(int h) {
  if (setns(ns_fd[h], CLONE_NEWNET) < 0) die("setns");
}

double now_s() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void sleep_until(double t) {
  const double d = t - now_s();
  if (d > 0) usleep(static_cast<useconds_t>(d * 1e6));
}

sockaddr_in addr_b(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "10.12.0.2", &a.sin_addr);
  return a;
}

// What one side sees at a checkpoint.
struct Seen {
  unsigned accept_queue = 0;
  int syn_recv = 0;   // request sockets (SYN-RECV) of the listener
  long overflows = 0; // ListenOverflows
  State c3 = State::Closed;
};

// backlog 1 (Linux holds 2); client 1 completes first; clients 2 and 3 send
// their SYNs together while there is room, so both get SYN,ACKs; client 2's
// ACK fills the queue and client 3's final ACK is dropped: the server keeps
// it in SYN-RECV and resends its SYN,ACK, the client (ESTABLISHED since
// connect returned) ACKs again, dropped again.
int check_overflow_ack(const char* na, const char* nb, int delay_ms) {
  const std::string pa = std::string("/var/run/netns/") + na, pb = std::string("/var/run/netns/") + nb;
  ns_fd[0] = open(pa.c_str(), O_RDONLY);
  ns_fd[1] = open(pb.c_str(), O_RDONLY);
  if (ns_fd[0] < 0 || ns_fd[1] < 0) die("open netns");
  const int port = 5200;
  const double d = delay_ms / 1000.0;
  enter(1);
  const long ov0 = netstat("ListenOverflows");
  const int l = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa = addr_b(port);
  if (::bind(l, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(l, 1) != 0) die("listen");
  enter(0);
  int c[3];
  for (int& fd : c) fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::connect(c[0], reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) die("connect 1");
  const double t0 = now_s();  // client 1 connected; its ACK reaches B at t0 + d
  sleep_until(t0 + 1.5 * d);
  for (int i = 1; i < 3; ++i) {
    fcntl(c[i], F_SETFL, fcntl(c[i], F_GETFL) | O_NONBLOCK);
    ::connect(c[i], reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  }
  const double t1 = now_s();
  auto look = [&]() {
    Seen s;
    enter(1);
    for (const ProcTcp& p : proc_tcp()) {
      if (p.local_port == port && p.state == State::Listen) s.accept_queue = p.rx_queue;
      if (p.local_port == port && p.state == State::SynReceived) ++s.syn_recv;
    }
    s.overflows = netstat("ListenOverflows") - ov0;
    enter(0);
    s.c3 = k_state(local_port(c[2]), port);
    return s;
  };
  // Checkpoint 1: after the final ACKs (t1 + 3d) and before the first SYN,ACK
  // retransmission (1 s after t1 + d). Checkpoint 2: after that
  // retransmission's ACK came back (t1 + d + 1 + 2d) and before the next.
  sleep_until(t1 + 3 * d + 0.1);
  const Seen k1 = look();
  sleep_until(t1 + 3 * d + 1.0 + 0.1);
  const Seen k2 = look();
  for (int fd : c) close(fd);
  close(l);

  WorldConfig wc;
  wc.latency_ms = delay_ms;
  World w(wc);
  HostConfig hs;
  hs.addr = SRV;
  const int server = w.add_host(hs);
  std::vector<int> hosts;
  for (int i = 0; i < 3; ++i) {
    HostConfig hc;
    hc.addr = SRV + 1 + static_cast<Addr>(i);
    hosts.push_back(w.add_host(hc));
  }
  const int el = static_cast<int>(w.socket(server).value);
  w.bind(server, el, 80);
  w.listen(server, el, 1);
  int ec[3];
  for (int i = 0; i < 3; ++i) ec[i] = static_cast<int>(w.socket(hosts[static_cast<std::size_t>(i)]).value);
  w.connect(hosts[0], ec[0], SockAddr{SRV, 80});
  w.advance_by(2 * delay_ms);  // connect returns
  w.advance_by(delay_ms * 3 / 2);
  w.connect(hosts[1], ec[1], SockAddr{SRV, 80});
  w.connect(hosts[2], ec[2], SockAddr{SRV, 80});
  auto elook = [&]() {
    Seen s;
    const Socket* ls = w.socket_of(server, el);
    s.accept_queue = static_cast<unsigned>(ls->accept_queue.size());
    s.syn_recv = static_cast<int>(ls->syn_queue.size());
    for (const SockEvent& e : w.trace())
      s.overflows += e.kind == SockEventKind::Note && e.reason == SockReason::ListenerOverflowDropAck ? 1 : 0;
    s.c3 = w.state_of(hosts[2], ec[2]);
    return s;
  };
  w.advance_by(3 * delay_ms + 100);
  const Seen e1 = elook();
  w.advance_by(1000);
  const Seen e2 = elook();
  const Seen* ks[2] = {&k1, &k2};
  const Seen* es[2] = {&e1, &e2};
  for (int i = 0; i < 2; ++i) {
    const std::string at = i == 0 ? "after the final ACKs: " : "after the SYN,ACK resent: ";
    compare(at + "accept queue", std::to_string(ks[i]->accept_queue), std::to_string(es[i]->accept_queue));
    compare(at + "SYN-RECEIVED children", std::to_string(ks[i]->syn_recv), std::to_string(es[i]->syn_recv));
    compare(at + "final ACKs dropped", std::to_string(ks[i]->overflows), std::to_string(es[i]->overflows));
    compare(at + "client 3", name(ks[i]->c3), name(es[i]->c3));
  }
  return differences == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "overflow-ack") return check_overflow_ack(argv[2], argv[3], std::atoi(argv[4]));
  if (argc != 2) {
    std::fprintf(stderr, "usage: linux-sockets backlog|unread-rst|linger0|addrinuse|refused|syncookies|fin-timeout|keepalive|reopen|syn-timeout|orphan-data|syn-queue|reset-before-accept\n");
    return 2;
  }
  const std::map<std::string, void (*)()> checks = {
      {"backlog", check_backlog},       {"unread-rst", check_unread_rst}, {"linger0", check_linger0},
      {"addrinuse", check_addrinuse},   {"refused", check_refused},       {"syncookies", check_syncookies},
      {"fin-timeout", check_fin_timeout}, {"keepalive", check_keepalive}, {"reopen", check_reopen},
      {"syn-timeout", check_syn_timeout}, {"orphan-data", check_orphan_data},
      {"syn-queue", check_syn_queue}, {"reset-before-accept", check_reset_before_accept}};
  auto it = checks.find(argv[1]);
  if (it == checks.end()) {
    std::fprintf(stderr, "linux-sockets: unknown check %s\n", argv[1]);
    return 2;
  }
  it->second();
  return differences == 0 ? 0 : 1;
}
