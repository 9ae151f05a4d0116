// The trace: an append-only record of everything that happened and why.
#pragma once
#include <cstdint>
#include <vector>

#include "reason.h"
#include "segment.h"
#include "state.h"
#include "instant.h"

namespace tcplab {

enum class Call : std::uint8_t { OpenPassive, OpenActive, Send, Close, Abort };
const char* call_name(Call c);  // "open_passive", "open_active", "send", "close", "abort"

enum class TimerKind : std::uint8_t { Retransmit, TimeWait, DelayedAck };
const char* timer_name(TimerKind k);  // "retransmit", "time_wait", "delayed_ack"

enum class EventKind : std::uint8_t {
  Call,          // a user call was made (reason: what it did)
  CallError,     // a user call was refused (reason: why), nothing changed
  Sent,          // host put seg on the wire (seg_id names it in the network)
  Delivered,     // seg reached host, which was in state `from`
  Accepted,      // host processed seg (reason: the rule that applied)
  Rejected,      // host refused seg (reason: why)
  Lost,          // the network lost seg (random loss) on its way to host
  Dropped,       // the learner dropped seg on its way to host
  Duplicated,    // the network made a second copy of seg (new seg_id)
  Injected,      // seg arrived at host from outside the channel
  StateChanged,  // host went from `from` to `to` (reason: the rule)
  TimerFired,    // a timer of host fired (timer, reason: what it did)
  Signal,        // the user of host was told something (reason: e.g. connection reset)
};
const char* event_kind_name(EventKind k);

struct Event {
  Instant time = 0;
  EventKind kind = EventKind::Call;
  std::uint8_t host = 0;  // 0 = A, 1 = B
  State from = State::Closed;
  State to = State::Closed;
  Reason reason = Reason::None;
  Call call = Call::OpenPassive;
  TimerKind timer = TimerKind::Retransmit;
  std::uint32_t seg_id = 0;  // 0 when no segment is involved or not yet on the wire
  std::uint32_t arg = 0;     // octets for Call::Send
  Segment seg;
};

using Trace = std::vector<Event>;

}  // namespace tcplab
