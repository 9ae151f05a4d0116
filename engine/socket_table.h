// A host's sockets as `ss -tan` lists them, for the page and the lessons:
// listeners (Recv-Q = connections in the accept queue, Send-Q = the
// backlog, as Linux's inet_diag reports them), then every live connection
// of the host, those still in a listener's queues (SYN-RECV, ESTAB before
// accept) and those whose socket was closed (FIN-WAIT-2, TIME-WAIT, ...)
// included; Recv-Q = octets received and not read, Send-Q = octets sent and
// not acknowledged plus octets waiting to be sent.
#pragma once
#include <cstdint>
#include <vector>

#include "sockets.h"

namespace tcplab {

struct SsRow {
  State state = State::Closed;  // state_ss_name() gives ss's spelling
  std::uint64_t recv_q = 0, send_q = 0;
  SockAddr local, peer;          // peer 0.0.0.0:0 for a listener
  int fd = -1;                   // -1: no socket (queued or orphaned)
  int conn = -1;                 // -1 for a listener
};

std::vector<SsRow> ss_table(const World& w, int h);

}  // namespace tcplab
