#include "socket_table.h"

namespace tcplab {

std::vector<SsRow> ss_table(const World& w, int h) {
  std::vector<SsRow> rows;
  for (const Socket& s : w.host(h).fds) {
    if (s.kind != SockKind::Listening) continue;
    SsRow r;
    r.state = State::Listen;
    r.recv_q = s.accept_queue.size();
    r.send_q = static_cast<std::uint64_t>(s.backlog);
    r.local = s.local;
    r.fd = s.fd;
    rows.push_back(r);
  }
  for (const Connection& c : w.connections()) {
    if (c.host != h || c.gone) continue;
    SsRow r;
    r.state = c.ep.state();
    r.recv_q = c.unread;
    r.send_q = static_cast<std::uint64_t>(c.ep.tcb().snd_nxt - c.ep.tcb().snd_una) + c.ep.queued_octets();
    r.local = c.local;
    r.peer = c.remote;
    r.fd = c.fd;
    r.conn = c.id;
    rows.push_back(r);
  }
  return rows;
}

}  // namespace tcplab
