// Names of the sockets layer's values, the two profiles' parameters, and
// the sentence for each trace event.
#include <algorithm>
#include <string>

#include "sockets.h"

namespace tcplab {

std::string addr_text(Addr a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
         std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

const char* errno_name(Errno e) {
  switch (e) {
    case Errno::Ok: return "0";
    case Errno::BadF: return "EBADF";
    case Errno::Inval: return "EINVAL";
    case Errno::AddrInUse: return "EADDRINUSE";
    case Errno::ConnRefused: return "ECONNREFUSED";
    case Errno::TimedOut: return "ETIMEDOUT";
    case Errno::Pipe: return "EPIPE";
    case Errno::ConnReset: return "ECONNRESET";
    case Errno::NotConn: return "ENOTCONN";
    case Errno::IsConn: return "EISCONN";
    case Errno::Already: return "EALREADY";
    case Errno::WouldBlock: return "EWOULDBLOCK";
    case Errno::OpNotSupp: return "EOPNOTSUPP";
  }
  return "?";
}

const char* sock_call_name(SockCall c) {
  switch (c) {
    case SockCall::Socket: return "socket";
    case SockCall::Bind: return "bind";
    case SockCall::Listen: return "listen";
    case SockCall::Accept: return "accept";
    case SockCall::Connect: return "connect";
    case SockCall::Send: return "send";
    case SockCall::Recv: return "recv";
    case SockCall::Shutdown: return "shutdown";
    case SockCall::Close: return "close";
    case SockCall::SetSockOpt: return "setsockopt";
  }
  return "?";
}

const char* sock_opt_name(SockOpt o) {
  switch (o) {
    case SockOpt::ReuseAddr: return "SO_REUSEADDR";
    case SockOpt::Linger: return "SO_LINGER";
    case SockOpt::KeepAlive: return "SO_KEEPALIVE";
    case SockOpt::KeepIdle: return "TCP_KEEPIDLE";
    case SockOpt::KeepIntvl: return "TCP_KEEPINTVL";
    case SockOpt::KeepCnt: return "TCP_KEEPCNT";
  }
  return "?";
}

const char* stack_profile_name(StackProfile p) { return p == StackProfile::Linux ? "linux" : "rfc9293"; }

const char* sock_event_kind_name(SockEventKind k) {
  switch (k) {
    case SockEventKind::CallMade: return "call";
    case SockEventKind::Blocks: return "blocks";
    case SockEventKind::Returns: return "returns";
    case SockEventKind::Tcp: return "tcp";
    case SockEventKind::Sent: return "sent";
    case SockEventKind::Arrived: return "arrived";
    case SockEventKind::Lost: return "lost";
    case SockEventKind::Note: return "note";
  }
  return "?";
}

StackParams stack_params(StackProfile p) {
  StackParams s{};
  if (p == StackProfile::Linux) {
    s.time_wait_ms = 60000;  // include/net/tcp.h TCP_TIMEWAIT_LEN
    s.rto_initial_ms = 1000;  // TCP_TIMEOUT_INIT
    s.rto_max_ms = 120000;    // TCP_RTO_MAX
    // tcp_syn_retries 6 is a time budget (127 s); with tcp_syn_linear_timeouts
    // 4 it holds 10 retransmissions. Measured on 6.18: at 1, 2, 3, 4, 5, 7,
    // 11, 19, 35, 69 s, ETIMEDOUT at 134.6 s (notes/issue-14.md).
    s.syn_linear_timeouts = 4;
    s.syn_retries = linux_syn_retransmissions(6, s.syn_linear_timeouts, s.rto_initial_ms, s.rto_max_ms);
    s.synack_retries = 5;     // tcp_synack_retries
    s.data_retries = 15;      // tcp_retries2
    s.fin_timeout_ms = 60000;  // tcp_fin_timeout
    s.accept_queue_plus_one = true;
    s.resend_synack_on_syn = true;
    s.rst_carries_ack = true;
    s.rst_on_orphan_data = true;
    s.reopen_time_wait = true;
    s.isn_per_ms = 15625;  // secure_tcp_seq: hash + (ktime_get_real_ns() >> 6)
  } else {
    // RFC 9293: TIME-WAIT is 2*MSL with MSL = 2 min (3.4.2); R2 of 3.8.3
    // gives up after "at least 3 minutes" for a SYN and 100 s for data: the
    // engine's default of 5 doubled retransmissions from 1 s (63 s) stands in.
    s.time_wait_ms = 240000;
    s.rto_initial_ms = 1000;
    s.rto_max_ms = 60000;
    s.syn_retries = 5;
    s.syn_linear_timeouts = 0;
    s.synack_retries = 5;
    s.data_retries = 5;
    s.fin_timeout_ms = NEVER;  // RFC 9293 has no FIN-WAIT-2 timeout
    s.accept_queue_plus_one = false;
    s.resend_synack_on_syn = false;
    s.rst_carries_ack = false;
    s.rst_on_orphan_data = false;
    s.reopen_time_wait = false;
    s.isn_per_ms = 250;  // RFC 9293 3.4.1: M, a 4 microsecond timer
  }
  return s;
}

// Linux tcp_model_timeout: budget = ((2 << n) - 1) * RTO while n is at most
// ilog2(TCP_RTO_MAX / RTO), then TCP_RTO_MAX per further retry; a timer
// expiry at or past the budget gives up (retransmits_timed_out).
int linux_syn_retransmissions(int syn_retries, int linear_timeouts, Duration rto_ms, Duration rto_max_ms) {
  int thresh = 0;
  while ((rto_ms << (thresh + 1)) <= rto_max_ms) ++thresh;
  const Duration budget = syn_retries <= thresh
                              ? ((Duration{2} << syn_retries) - 1) * rto_ms
                              : ((Duration{2} << thresh) - 1) * rto_ms + (syn_retries - thresh) * rto_max_ms;
  Duration elapsed = 0, timeout = rto_ms;
  int n = 0;
  for (;;) {
    elapsed += timeout;
    if (elapsed >= budget) return n;
    ++n;
    if (n > linear_timeouts) timeout = std::min(timeout * 2, rto_max_ms);
  }
}

namespace {
std::string call_text(const SockEvent& e) {
  std::string s = std::string(sock_call_name(e.call)) + "(";
  if (e.call != SockCall::Socket) s += "fd " + std::to_string(e.fd);
  switch (e.call) {
    case SockCall::Bind: s += ", port " + std::to_string(e.arg); break;
    case SockCall::Listen: s += ", backlog " + std::to_string(e.arg); break;
    case SockCall::Send: case SockCall::Recv: s += ", " + std::to_string(e.arg); break;
    case SockCall::Connect:
      s += ", " + addr_text(static_cast<Addr>(e.arg >> 16)) + ":" + std::to_string(e.arg & 0xFFFF);
      break;
    case SockCall::Socket: case SockCall::Accept: case SockCall::Shutdown: case SockCall::Close:
    case SockCall::SetSockOpt:
      break;
  }
  return s + ")";
}
std::string packet_text(const Packet& p) {
  return addr_text(p.src.addr) + ":" + std::to_string(p.src.port) + " > " + addr_text(p.dst.addr) +
         ":" + std::to_string(p.dst.port) + " " + segment_label(p.seg);
}
}  // namespace

std::string describe_sock_event(const SockEvent& e, bool zh) {
  const std::string t = std::to_string(e.time) + " ms ";
  const std::string why = e.reason == SockReason::None ? "" : std::string(": ") + sock_reason_text(e.reason, zh);
  switch (e.kind) {
    case SockEventKind::CallMade: return t + call_text(e);
    case SockEventKind::Blocks: return t + call_text(e) + (zh ? " 阻塞" : " blocks") + why;
    case SockEventKind::Returns: {
      const std::string v = e.err == Errno::Ok ? std::to_string(e.value) : std::string("-1 ") + errno_name(e.err);
      return t + call_text(e) + (zh ? " 返回 " : " returns ") + v + why;
    }
    case SockEventKind::Tcp:
      if (e.tcp.kind == EventKind::StateChanged)
        return t + (zh ? "连接 " : "connection ") + std::to_string(e.conn) + ": " + state_name(e.tcp.from) +
               " -> " + state_name(e.tcp.to) + " (" + reason_key(e.tcp.reason) + ")";
      return t + (zh ? "连接 " : "connection ") + std::to_string(e.conn) + ": " +
             event_kind_name(e.tcp.kind) + " " + reason_key(e.tcp.reason);
    case SockEventKind::Sent: return t + (zh ? "发送 " : "sent ") + packet_text(e.pkt) + why;
    case SockEventKind::Arrived: return t + (zh ? "到达 " : "arrived ") + packet_text(e.pkt);
    case SockEventKind::Lost: return t + (zh ? "丢失 " : "lost ") + packet_text(e.pkt) + why;
    case SockEventKind::Note: return t + sock_reason_text(e.reason, zh);
  }
  return t;
}

}  // namespace tcplab
