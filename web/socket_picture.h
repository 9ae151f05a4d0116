// What the socket lab draws, read from a World's trace (no drawing here):
// each host's calls (a label where the call is made, a bar while it blocks,
// its value or errno where it returns), the segments between hosts, the
// state changes, and the attacker's spoofed SYNs only as counts, so a
// flood does not drown the picture.
#pragma once
#include <string>
#include <vector>

#include "sockets.h"

namespace tcplab {

// A call in a host's lane. `row` orders the picture: every drawn thing gets
// a row, several at one instant get successive rows.
struct LaneCall {
  int host = 0;
  int fd = -1;
  SockCall call = SockCall::Socket;
  std::string text;      // "connect(3)", or "socket() = 3" when it returned at once
  std::string returned;  // after a block: "= 0", "ECONNREFUSED"; empty while blocked
  bool error = false;
  bool blocked = false;  // drawn as a bar from `row` to `end_row`
  bool done = true;      // a blocked call that has returned
  SockReason reason = SockReason::None;       // why it returned (or blocks, while blocked)
  int row = 0, end_row = -1;
};

struct LaneState {
  int host = 0;
  State state = State::Closed;
  int row = 0;
};

// A decision of the server's kernel about a real client's segment that
// leaves no other trace in the picture: a SYN or ACK dropped on a full queue.
struct LaneNote {
  int host = 0;
  SockReason reason = SockReason::None;
  int row = 0;
};

struct LaneArrow {
  int from = 0, to = 0;  // host indices
  Segment seg;
  bool cookie = false;   // a SYN,ACK whose ISN is a SYN cookie
  bool lost = false;
  bool arrived = false;
  Instant sent_at = 0, deliver_at = 0;
  int row = 0, end_row = -1;  // end_row -1: still in flight
};

// Rows are spaced by the time between them, compressed: a long wait is a
// short gap with its length written in it.
struct LaneRow {
  Instant time = 0;
  Duration gap_ms = 0;  // time since the row before
};

struct LanePicture {
  std::vector<LaneRow> rows;
  std::vector<LaneCall> calls;
  std::vector<LaneState> states;
  std::vector<LaneArrow> arrows;
  std::vector<LaneNote> notes;
  int spoofed_syns = 0;     // the attacker's SYNs sent
  int flood_rate = 0;       // their rate, SYNs per second (from the first to the last)
  int synacks_to_spoofed = 0;
  int cookies_sent = 0;
};

LanePicture read_picture(const World& w);

// "connect(3)", "listen(3, 2)", "setsockopt(3, SO_LINGER)".
std::string call_text(SockCall c, int fd, std::int64_t arg);
// "= 3", "= 0 EOF", "ECONNREFUSED".
std::string return_text(SockCall c, std::int64_t value, Errno err);

}  // namespace tcplab
