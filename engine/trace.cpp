#include "trace.h"

namespace tcplab {

const char* call_name(Call c) {
  switch (c) {
    case Call::OpenPassive: return "open_passive";
    case Call::OpenActive: return "open_active";
    case Call::Send: return "send";
    case Call::Close: return "close";
    case Call::Abort: return "abort";
  }
  return "?";
}

const char* timer_name(TimerKind k) {
  switch (k) {
    case TimerKind::Retransmit: return "retransmit";
    case TimerKind::TimeWait: return "time_wait";
    case TimerKind::DelayedAck: return "delayed_ack";
  }
  return "?";
}

const char* event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::Call: return "call";
    case EventKind::CallError: return "call_error";
    case EventKind::Sent: return "sent";
    case EventKind::Delivered: return "delivered";
    case EventKind::Accepted: return "accepted";
    case EventKind::Rejected: return "rejected";
    case EventKind::Lost: return "lost";
    case EventKind::Dropped: return "dropped";
    case EventKind::Duplicated: return "duplicated";
    case EventKind::Injected: return "injected";
    case EventKind::StateChanged: return "state_changed";
    case EventKind::TimerFired: return "timer_fired";
    case EventKind::Signal: return "signal";
  }
  return "?";
}

}  // namespace tcplab
