#include "socket_picture.h"

#include <map>
#include <utility>

namespace tcplab {

std::string call_text(SockCall c, int fd, std::int64_t arg) {
  const std::string f = std::to_string(fd);
  const std::string a = std::to_string(arg);
  switch (c) {
    case SockCall::Socket: return "socket()";
    case SockCall::Bind: return "bind(" + f + ", :" + a + ")";
    case SockCall::Listen: return "listen(" + f + ", " + a + ")";
    case SockCall::Send: return "send(" + f + ", " + a + ")";
    case SockCall::Shutdown: {
      static const char* HOW[] = {"RD", "WR", "RDWR"};
      return "shutdown(" + f + ", " + (arg >= 0 && arg < 3 ? HOW[arg] : "?") + ")";
    }
    case SockCall::SetSockOpt: return "setsockopt(" + f + ", " + sock_opt_name(static_cast<SockOpt>(arg)) + ")";
    case SockCall::Accept:
    case SockCall::Connect:
    case SockCall::Recv:
    case SockCall::Close: break;
  }
  return std::string(sock_call_name(c)) + "(" + f + ")";
}

std::string return_text(SockCall c, std::int64_t value, Errno err) {
  if (err != Errno::Ok) return errno_name(err);
  // read() returning 0 is how the application learns of the FIN.
  if (c == SockCall::Recv && value == 0) return "= 0 EOF";
  return "= " + std::to_string(value);
}

namespace {

// Builds the picture event by event; rows are handed out in trace order.
class Reader {
 public:
  explicit Reader(const World& w) : w_(w) {}

  LanePicture read() {
    for (const SockEvent& e : w_.trace()) take(e);
    close_rows();
    return std::move(p_);
  }

 private:
  const World& w_;
  LanePicture p_;
  std::map<int, std::size_t> open_call_;                      // host -> call made, not yet settled
  std::map<std::pair<int, int>, std::size_t> blocked_;       // (host, fd) -> blocked call
  std::map<std::uint32_t, std::size_t> arrow_of_;            // packet id -> arrow
  bool cookie_next_ = false;
  bool real_arrival_ = false;
  Instant first_spoofed_ = 0;  // the last packet to arrive came from a host, not the attacker

  static bool is_drop(SockReason r) {
    return r == SockReason::ListenerSynQueueFull || r == SockReason::ListenerAcceptQueueFullSyn ||
           r == SockReason::ListenerOverflowDropAck || r == SockReason::CookieAcceptQueueFull;
  }                                  // the next SYN,ACK carries a cookie
  Instant last_time_ = -1;

  // A new row at e.time (every drawn thing gets its own).
  int row(Instant t) {
    LaneRow r;
    r.time = t;
    r.gap_ms = last_time_ < 0 ? 0 : t - last_time_;
    last_time_ = t;
    p_.rows.push_back(r);
    return static_cast<int>(p_.rows.size()) - 1;
  }
  void close_rows() { row(w_.now()); }  // the last row is "now"

  bool is_host(Addr a) const { return w_.host_by_addr(a) >= 0; }

  void take(const SockEvent& e) {
    switch (e.kind) {
      case SockEventKind::CallMade: made(e); return;
      case SockEventKind::Blocks: blocks(e); return;
      case SockEventKind::Returns: returns(e); return;
      case SockEventKind::Tcp: state(e); return;
      case SockEventKind::Sent: sent(e); return;
      case SockEventKind::Arrived:
        real_arrival_ = !e.pkt.spoofed && w_.host_by_addr(e.pkt.src.addr) >= 0;
        ends(e);
        return;
      case SockEventKind::Lost: ends(e); return;
      case SockEventKind::Note:
        if (real_arrival_ && is_drop(e.reason)) p_.notes.push_back(LaneNote{e.host, e.reason, row(e.time)});
        if (e.reason == SockReason::CookieSent) {
          cookie_next_ = true;
          ++p_.cookies_sent;
        }
        return;
    }
  }

  void made(const SockEvent& e) {
    LaneCall c;
    c.host = e.host;
    c.fd = e.fd;
    c.call = e.call;
    c.text = call_text(e.call, e.fd, e.arg);
    c.row = row(e.time);
    p_.calls.push_back(c);
    open_call_[e.host] = p_.calls.size() - 1;
  }

  void blocks(const SockEvent& e) {
    auto it = open_call_.find(e.host);
    if (it == open_call_.end()) return;
    LaneCall& c = p_.calls[it->second];
    c.blocked = true;
    c.done = false;
    c.reason = e.reason;
    blocked_[{e.host, e.fd}] = it->second;
    open_call_.erase(it);
  }

  void returns(const SockEvent& e) {
    auto it = open_call_.find(e.host);
    if (it != open_call_.end()) {  // returned at once: one label
      LaneCall& c = p_.calls[it->second];
      if (c.call == SockCall::Socket) c.fd = static_cast<int>(e.value);
      c.text += " " + return_text(e.call, e.value, e.err);
      c.error = e.err != Errno::Ok;
      c.reason = e.reason;
      open_call_.erase(it);
      return;
    }
    auto b = blocked_.find({e.host, e.fd});
    if (b == blocked_.end()) return;
    LaneCall& c = p_.calls[b->second];
    c.done = true;
    c.returned = return_text(e.call, e.value, e.err);
    c.error = e.err != Errno::Ok;
    c.reason = e.reason;
    c.end_row = row(e.time);
    blocked_.erase(b);
  }

  // State changes of connections between hosts (the flood's half-open
  // connections are counted, not drawn).
  void state(const SockEvent& e) {
    if (e.tcp.kind != EventKind::StateChanged || e.conn < 0) return;
    const Connection& c = w_.connections()[static_cast<std::size_t>(e.conn)];
    // LISTEN is the listener's, shown by listen(); a child passes through
    // it on its way to SYN-RECEIVED.
    if (!is_host(c.remote.addr) || e.tcp.to == State::Listen) return;
    p_.states.push_back(LaneState{e.host, e.tcp.to, row(e.time)});
  }

  void sent(const SockEvent& e) {
    const bool cookie = cookie_next_ && e.pkt.seg.has(FLAG_SYN) && e.pkt.seg.has(FLAG_ACK);
    cookie_next_ = false;
    if (e.pkt.spoofed) {
      if (p_.spoofed_syns++ == 0) first_spoofed_ = e.time;
      if (e.time > first_spoofed_)
        p_.flood_rate = static_cast<int>((p_.spoofed_syns - 1) * 1000 / (e.time - first_spoofed_));
      return;
    }
    const int to = w_.host_by_addr(e.pkt.dst.addr);
    if (to < 0 || e.host < 0) {
      ++p_.synacks_to_spoofed;
      return;
    }
    LaneArrow a;
    a.from = e.host;
    a.to = to;
    a.seg = e.pkt.seg;
    a.cookie = cookie;
    a.sent_at = e.time;
    a.deliver_at = e.pkt.deliver_at;
    a.row = row(e.time);
    p_.arrows.push_back(a);
    arrow_of_[e.pkt.id] = p_.arrows.size() - 1;
  }

  void ends(const SockEvent& e) {
    auto it = arrow_of_.find(e.pkt.id);
    if (it == arrow_of_.end()) return;
    LaneArrow& a = p_.arrows[it->second];
    a.lost = e.kind == SockEventKind::Lost;
    a.arrived = !a.lost;
    a.end_row = row(e.time);
    arrow_of_.erase(it);
  }
};

}  // namespace

LanePicture read_picture(const World& w) { return Reader(w).read(); }

}  // namespace tcplab
