// Sockets and servers: several hosts, each with a POSIX/Linux sockets API,
// above the RFC 9293 endpoint. Every connection is an Endpoint (the core);
// this layer adds what the application and the kernel around it do: file
// descriptors, bind/listen/accept/connect, blocking calls and their errnos,
// the listener's SYN queue and accept queue, SYN cookies, keepalive, orphaned
// connections, host crashes and reboots, and a SYN flood source.
//
// Pure like the rest of the engine: time is an input (advance_to, step_next),
// the one PRNG is seeded, and the whole World is a copyable value. Calls
// return what they did; a blocking call returns `blocked` and its result
// appears later in the trace (SockEventKind::Returns) and in result().
//
// [SECTION] Types: addresses, errnos, calls, options, profiles
// [SECTION] Sockets, connections, hosts
// [SECTION] The trace
// [SECTION] The world
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "endpoint.h"
#include "rng.h"
#include "socket_reason.h"
#include "trace.h"

namespace tcplab {

//-----------------------------------------------------------------------------
// [SECTION] Types
//-----------------------------------------------------------------------------

using Addr = std::uint32_t;  // IPv4 address, host order: 10.0.0.1 = 0x0A000001
using Port = std::uint16_t;
std::string addr_text(Addr a);  // "10.0.0.1"

struct SockAddr {
  Addr addr = 0;
  Port port = 0;
  bool operator==(const SockAddr& o) const { return addr == o.addr && port == o.port; }
};

// The errnos the calls return (Linux values where it matters to nobody: the
// names are what learners meet).
enum class Errno : std::uint8_t {
  Ok, BadF, Inval, AddrInUse, ConnRefused, TimedOut, Pipe, ConnReset, NotConn, IsConn,
  Already, WouldBlock, OpNotSupp,
};
const char* errno_name(Errno e);  // "EADDRINUSE"; "0" for Ok

enum class SockCall : std::uint8_t {
  Socket, Bind, Listen, Accept, Connect, Send, Recv, Shutdown, Close, SetSockOpt,
};
const char* sock_call_name(SockCall c);  // "connect"

enum class SockOpt : std::uint8_t { ReuseAddr, Linger, KeepAlive, KeepIdle, KeepIntvl, KeepCnt };
const char* sock_opt_name(SockOpt o);  // "SO_REUSEADDR", "TCP_KEEPIDLE"

enum class ShutHow : std::uint8_t { Rd, Wr, RdWr };

// Which rules a host follows where RFC 9293 is silent or Linux differs;
// engine/BEHAVIOUR.md lists every difference with its source.
enum class StackProfile : std::uint8_t { Rfc9293, Linux };
const char* stack_profile_name(StackProfile p);  // "rfc9293", "linux"

enum class SynCookies : std::uint8_t { Off, WhenFull, Always };  // tcp_syncookies 0, 1, 2

struct StackParams {
  Duration time_wait_ms;       // Linux TCP_TIMEWAIT_LEN 60 s; RFC 2*MSL = 240 s
  Duration rto_initial_ms;     // RFC 6298 2.1 and Linux TCP_TIMEOUT_INIT: 1 s
  Duration rto_max_ms;         // Linux TCP_RTO_MAX 120 s
  int syn_retries;             // SYN retransmissions before ETIMEDOUT
  int syn_linear_timeouts;     // Linux tcp_syn_linear_timeouts: first retries at the initial RTO
  int synack_retries;          // SYN,ACK retransmissions before the request is dropped
  int data_retries;            // retransmissions of data/FIN before ETIMEDOUT (tcp_retries2)
  Duration fin_timeout_ms;     // orphaned FIN-WAIT-2 lifetime (tcp_fin_timeout); NEVER: none
  bool accept_queue_plus_one;  // Linux sk_acceptq_is_full uses '>': backlog + 1 fit
  bool resend_synack_on_syn;   // Linux tcp_check_req answers a repeated SYN with the SYN,ACK
  bool rst_carries_ack;        // Linux tcp_send_active_reset sends RST,ACK
  bool rst_on_orphan_data;     // Linux: data for a closed socket in FIN-WAIT is answered with RST
  bool reopen_time_wait;       // Linux (RFC 1122 4.2.2.13 MAY): a new SYN reopens a TIME-WAIT
  std::uint32_t isn_per_ms;    // ISN clock: RFC 9293 3.4.1 4 us (250/ms); Linux ns >> 6 (15625/ms)
};
StackParams stack_params(StackProfile p);
// Linux gives up a connect when the time since the first SYN reaches the
// budget tcp_model_timeout() makes of tcp_syn_retries; returns how many
// retransmissions fit, given the linear timeouts and doubling after them.
int linux_syn_retransmissions(int syn_retries, int linear_timeouts, Duration rto_ms, Duration rto_max_ms);

//-----------------------------------------------------------------------------
// [SECTION] Sockets, connections, hosts
//-----------------------------------------------------------------------------

enum class SockKind : std::uint8_t { Fresh, Listening, Connecting, Connected, Closed };

struct SockOptions {
  bool reuse_addr = false;
  bool linger = false;
  int linger_s = 0;
  bool keepalive = false;
  Duration keep_idle_ms = 7200000;  // Linux defaults: 2 h, 75 s, 9 probes
  Duration keep_intvl_ms = 75000;
  int keep_cnt = 9;
};

// A call that blocked and waits for its condition.
struct PendingCall {
  SockCall call = SockCall::Socket;
  Instant since = 0;
  std::int64_t arg = 0;
  Instant until = NEVER;  // SO_LINGER {1, t}: close gives up at t
};

struct CallResult {
  bool blocked = false;
  std::int64_t value = -1;  // fd, byte count or 0; -1 with err
  Errno err = Errno::Ok;
  SockReason reason = SockReason::None;
};

struct Socket {
  int fd = -1;
  SockKind kind = SockKind::Fresh;
  bool bound = false;
  SockAddr local;
  SockOptions opt;
  int conn = -1;  // the connection (index in World::connections()), -1 if none
  // A listening socket's queues hold connection indices, oldest first.
  int backlog = 0;
  std::vector<int> syn_queue;
  std::vector<int> accept_queue;
  Instant last_cookie = NEVER;  // when a cookie was last sent (Linux tcp_synq_overflow)
  bool shut_rd = false, shut_wr = false;
  bool has_pending = false;
  PendingCall pending;
  bool has_result = false;  // the last blocked call's result, once it returned
  CallResult result;
};

struct Connection {
  int id = -1;
  int host = -1;
  SockAddr local, remote;
  Endpoint ep;
  int fd = -1;         // the socket that owns it; -1 while queued or orphaned
  int listener = -1;   // the listening fd while in its SYN or accept queue
  bool in_accept_queue = false;
  bool final_ack_dropped = false;  // Linux inet_rsk(req)->acked
  bool from_cookie = false;
  bool gone = false;     // CLOSED and forgotten (kept for the trace's indices)
  bool orphan = false;   // its socket was closed; the kernel finishes it
  std::uint64_t unread = 0;  // octets received and not yet read
  std::uint64_t seen = 0;    // the endpoint's octets_received already counted
  bool eof = false;          // the peer's FIN arrived
  Errno error = Errno::Ok;   // pending error (SO_ERROR), reported once
  bool dead = false;         // reset or timed out: later sends EPIPE, reads 0
  SockOptions opt;           // keepalive copied from the socket
  Instant last_heard = 0;
  Instant keepalive_at = NEVER;
  int probes = 0;
  Instant fin_timeout_at = NEVER;
};

struct HostConfig {
  std::string name;
  Addr addr = 0;
  StackProfile profile = StackProfile::Linux;
  SynCookies syncookies = SynCookies::WhenFull;
  bool abort_on_overflow = false;
  int somaxconn = 4096;
  std::vector<Seq> iss;  // fixed ISNs, used in order by this host's connections
  std::uint32_t rcv_wnd = 65535;
  Duration fin_timeout_ms = 0;  // > 0: this host's tcp_fin_timeout instead of the profile's
  int syn_retries = -1;         // >= 0: this host's tcp_syn_retries (Linux profile)
};

struct Host {
  HostConfig config;
  StackParams params{};
  bool up = true;       // false after a crash until reboot
  bool link_up = true;  // its link to the network
  std::vector<Socket> fds;  // index = fd - FIRST_FD
  Port next_ephemeral = 32768;
  std::size_t iss_used = 0;
  std::uint64_t cookie_secret = 0;
  std::uint64_t isn_secret = 0;
  std::uint64_t boot = 0;  // counts reboots
};

constexpr int FIRST_FD = 3;  // 0-2 are stdin, stdout, stderr

//-----------------------------------------------------------------------------
// [SECTION] The trace
//-----------------------------------------------------------------------------

struct Packet {
  std::uint32_t id = 0;
  SockAddr src, dst;
  Segment seg;
  Instant sent_at = 0;
  Instant deliver_at = 0;
  bool lost = false;
  bool spoofed = false;
};

enum class SockEventKind : std::uint8_t {
  CallMade,  // a call was made (call, arg)
  Blocks,    // the call blocks (reason: what it waits for)
  Returns,   // the call returns (value or err, reason)
  Tcp,       // an event of a connection's endpoint (tcp)
  Sent,      // a packet left a host (pkt)
  Arrived,   // a packet reached a host (pkt)
  Lost,      // a packet was lost (pkt, reason)
  Note,      // the layer decided something (reason), e.g. a queue overflow
};
const char* sock_event_kind_name(SockEventKind k);

struct SockEvent {
  Instant time = 0;
  SockEventKind kind = SockEventKind::Note;
  int host = -1;
  int fd = -1;
  int conn = -1;  // the connection the event belongs to (-1: none)
  SockCall call = SockCall::Socket;
  std::int64_t arg = 0;    // the call's argument (port, backlog, octets, ...)
  std::int64_t value = 0;  // Returns: the value
  Errno err = Errno::Ok;
  SockReason reason = SockReason::None;
  Event tcp;  // Tcp: the endpoint's own event (reason from reason.h)
  Packet pkt;
};

// "connect(fd 3, 10.0.0.1:80) blocks: ..." in English or Chinese.
std::string describe_sock_event(const SockEvent& e, bool zh);

//-----------------------------------------------------------------------------
// [SECTION] The world
//-----------------------------------------------------------------------------

struct WorldConfig {
  std::uint64_t seed = 1;
  Duration latency_ms = 50;      // one way, every path
  std::uint32_t loss_ppm = 0;
  bool keep_trace = true;        // false: the trace keeps only the last action
};

// A drop rule: the next `count` packets from `from` (host index, -1 any) to
// `to` matching all of `flags` are lost (a scenario's "drop the final ACK").
struct DropRule {
  int from = -1, to = -1;
  std::uint8_t flags = 0;
  int count = 1;
};

class World {
 public:
  explicit World(const WorldConfig& config = WorldConfig{});

  int add_host(const HostConfig& config);  // returns the host index
  // An attacker: `count` SYNs to `target` at `per_second`, each from a new
  // spoofed address that never answers (RFC 4987 2).
  void start_flood(SockAddr target, std::uint32_t per_second, std::uint32_t count);
  // The attacker stops: no more spoofed SYNs (those on the way still arrive).
  void stop_flood() {
    flood_left_ = 0;
    flood_next_ = NEVER;
  }
  bool flooding() const { return flood_left_ > 0; }
  void add_drop_rule(const DropRule& r) { drop_rules_.push_back(r); }
  // A hand-built segment from `src` (any address, like a packet crafted by
  // a tool) travels the network to `dst`. Returns its packet id.
  std::uint32_t send_raw(SockAddr src, SockAddr dst, const Segment& seg);

  // The sockets API. Every call is traced (made, blocks or returns).
  CallResult socket(int h);
  CallResult bind(int h, int fd, Port port);
  CallResult listen(int h, int fd, int backlog);
  CallResult accept(int h, int fd);
  CallResult connect(int h, int fd, SockAddr to);
  CallResult send(int h, int fd, std::uint32_t octets);
  CallResult recv(int h, int fd, std::uint32_t max);
  CallResult shutdown(int h, int fd, ShutHow how);
  CallResult close(int h, int fd);
  CallResult setsockopt(int h, int fd, SockOpt opt, int value, int value2 = 0);

  // Host events.
  void process_exit(int h);
  void crash(int h);
  void reboot(int h);
  void set_link(int h, bool up);

  // Time.
  Instant now() const { return now_; }
  Instant next_deadline() const;
  bool step_next();
  void advance_to(Instant t);
  void advance_by(Duration d) { advance_to(now_ + d); }

  // Reading.
  const std::vector<SockEvent>& trace() const { return trace_; }
  const std::vector<Host>& hosts() const { return hosts_; }
  const Host& host(int h) const { return hosts_[static_cast<std::size_t>(h)]; }
  const std::vector<Connection>& connections() const { return conns_; }
  const Socket* socket_of(int h, int fd) const;
  const Connection* connection_of(int h, int fd) const;
  // The state of the connection behind fd (LISTEN for a listener, CLOSED if none).
  State state_of(int h, int fd) const;
  // The result of fd's last blocked call, once it has returned.
  bool result(int h, int fd, CallResult& out) const;
  // The same, once: the result is cleared (a driver's "the call returned").
  bool take_result(int h, int fd, CallResult& out);
  bool pending(int h, int fd) const;
  std::size_t in_flight() const { return net_.size(); }
  int host_by_addr(Addr a) const;

 private:
  friend struct WorldAccess;
  Socket* sock(int h, int fd);
  int new_fd(int h);
  int new_connection(int h, SockAddr local, SockAddr remote, std::vector<Seq> iss);
  std::vector<Seq> next_iss(int h, SockAddr local, SockAddr remote);
  Port ephemeral_port(int h);
  bool bind_conflict(int h, Port port, const Socket& s) const;
  void configure_endpoint(int h, Endpoint& ep, bool syn_sent) const;

  // Tracing.
  SockEvent event(SockEventKind k, int h, int fd, SockReason r = SockReason::None) const;
  void note(int h, int fd, int conn, SockReason r);
  std::size_t made(int h, int fd, SockCall c, std::int64_t arg);
  CallResult returns(int h, int fd, SockCall c, std::int64_t value, Errno err, SockReason r);
  CallResult blocks(int h, int fd, SockCall c, std::int64_t arg, SockReason r, Instant until = NEVER);
  void absorb(int conn, Trace& tmp);

  // Connections.
  void on_tcp_event(int conn, const Event& e);
  void conn_abort(int conn, SockReason why);
  void forget(int conn);
  void after_connection_change(int conn);
  void settle();
  bool try_complete(int h, int fd);
  bool recv_now(int h, int fd, std::uint32_t max, CallResult& out);
  void release_fd(int h, int fd);
  void finish_blocked(int h, int fd, const CallResult& r);

  // Network.
  void transmit(int h, SockAddr src, SockAddr dst, const Segment& seg, bool spoofed = false);
  void arrive(const Packet& p);
  void answer_no_socket(int h, const Packet& p, SockReason why);
  void absorb_reply(int h, int fd, const Packet& p, const Trace& tmp);
  int find_connection(int h, const Packet& p) const;
  int find_listener(int h, Port port) const;
  bool take_next_packet(Instant t, Packet& out);

  // The listener (listener.cpp).
  void listener_segment(int h, int lfd, const Packet& p);
  void listener_syn(int h, int lfd, const Packet& p, std::vector<Seq> iss = {});
  void listener_cookie_ack(int h, int lfd, const Packet& p);
  bool acceptq_full(int h, const Socket& l) const;
  bool synq_full(int h, const Socket& l) const;
  bool child_segment(int conn, const Packet& p);
  bool reopen_time_wait(int conn, const Packet& p);
  void queue_to_accept(int conn);

  // Timers of this layer (keepalive, FIN-WAIT-2, flood, SYN,ACK expiry).
  Instant layer_deadline() const;
  void fire_layer_timers();
  void flood_tick();
  void keepalive_tick(int conn);

  WorldConfig config_;
  Rng rng_;
  Instant now_ = 0;
  std::vector<Host> hosts_;
  std::vector<Connection> conns_;
  // Live connections by (host, local port, remote address, remote port).
  std::map<std::tuple<int, Port, Addr, Port>, int> by_tuple_;
  std::vector<Packet> net_;  // in flight, ordered by (deliver_at, id)
  std::uint32_t next_packet_ = 1;
  std::vector<SockEvent> trace_;
  std::vector<DropRule> drop_rules_;
  // The flood.
  SockAddr flood_target_;
  std::uint32_t flood_left_ = 0;
  Duration flood_gap_ms_ = 0;
  Instant flood_next_ = NEVER;
  std::uint32_t flood_sent_ = 0;
  std::int64_t call_arg_ = 0;  // the argument of the call being traced
};

}  // namespace tcplab
