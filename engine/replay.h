// Replay: one connection of a capture played through two engine endpoints.
// For every captured segment the sender's engine says whether it would have
// sent it (inferring the application call that makes it: OPEN, SEND, CLOSE,
// ABORT, or a retransmission timeout), then the receiver's engine processes
// it. The result is a Simulation, so the ladder renderers and the web panels
// draw a replay like any run, plus one row per captured segment.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pcap.h"
#include "replay_order.h"
#include "simulation.h"

namespace tcplab {

enum class Verdict : std::uint8_t {
  Ok,          // the sender's engine would send it and the receiver accepts it
  Unexpected,  // the sender's engine would not have sent it (reason says why)
  Rejected,    // the receiver's engine refuses it (reason: the engine's rule)
};
const char* verdict_name(Verdict v);  // "ok", "unexpected", "rejected"

struct ReplayRow {
  std::size_t index = 0;   // 0-based position in the connection
  std::size_t packet = 0;  // packet number in the file
  double time = 0;         // seconds since the connection's first segment
  int from = HOST_A;
  std::uint8_t tcp_flags = 0;  // all 8 bits as captured
  Segment seg;                 // absolute SEQ/ACK, window as sent (unscaled)
  std::string options;         // TcpOptions::text()
  Verdict verdict = Verdict::Ok;
  // ok: the receiver's rule (e.g. listen.syn.send_syn_ack); unexpected: why
  // the sender would not send it (replay.unexpected.*); rejected: the
  // receiver's rule that refused it.
  Reason reason = Reason::None;
  // What the sender's engine did to produce it: open.active.send_syn,
  // send.data, close.send_fin, abort.send_rst, timer.retransmit, or None for
  // a reply it had already made (an ACK, a SYN,ACK, a RST).
  Reason cause = Reason::None;
  Reason received = Reason::None;  // the receiver's rule, whatever the verdict
  // After which row the segment reached its receiver (== index: at once;
  // later when the segments crossed, see replay_order.h), and the rule that
  // kept it in flight. A partial replay may end with it still in flight.
  std::size_t delivered_after = 0;
  HoldRule held = HoldRule::None;
  bool delivered = false;
  // After the segment and the deliveries that follow it.
  State state[2] = {State::Closed, State::Closed};
  // The trace events of this segment in `sim.trace()`: [begin, end).
  std::size_t trace_begin = 0, trace_end = 0;
};

struct ReplayResult {
  bool ok = false;
  std::string error;  // no such connection, no segments
  std::string endpoint[2];  // "10.0.0.1:49152" for A, B
  // The capture began after the handshake (no SYN): both hosts start
  // ESTABLISHED, synchronised from their first segments.
  bool late_start = false;
  std::string late_start_note;  // the late start said in a sentence (empty when none)
  // Plain sentences, each in English and Simplified Chinese (the page shows
  // the learner's language): windows, options seen, segments the engines
  // still owe, ...
  struct Note {
    std::string en;
    std::string zh;
  };
  std::vector<Note> notes;
  std::vector<ReplayRow> rows;
  Simulation sim;  // its trace holds the replay (time in ms since the first segment)
  std::size_t count(Verdict v) const;
};

struct ReplayOptions {
  // Where the capture was taken; decides which timestamps the delivery
  // order may trust (replay_order.h).
  CapturePoint capture_point = CapturePoint::Unknown;
};

// Replays connection `connection` (index into capture.connections). With
// `upto`, only its first `upto` segments are replayed (the hosts as they were
// after segment upto-1), from the same start as the whole replay.
ReplayResult replay_connection(const PcapParseResult& capture, std::size_t connection,
                               std::size_t upto = static_cast<std::size_t>(-1),
                               const ReplayOptions& options = {});

// One line of `tcplab-sim replay --json`:
// {"index": 0, "time": 0.000000, "from": "A", "flags": ["SYN"], "seq": 1, "ack": 0,
//  "len": 0, "A": "SYN-SENT", "B": "SYN-RECEIVED", "verdict": "ok",
//  "reason": "listen.syn.send_syn_ack"}
std::string replay_row_json(const ReplayRow& row);
// The same with the connection's number first and, when the segment stayed
// in flight past its own row, "delivered_after" and "held" (the rule):
// {"connection": 1, "index": 0, ..., "reason": "...", "delivered_after": 1, "held": "ack_below"}
std::string replay_row_json(const ReplayRow& row, std::size_t connection);

}  // namespace tcplab
