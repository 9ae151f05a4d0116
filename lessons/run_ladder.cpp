// The run's ladder and the engine's verdict on a ladder (run_ladder.h).
#include "run_ladder.h"

#include "pcap.h"
#include "replay.h"

namespace tcplab {

namespace {

// The ladder as a one-connection capture: A is 10.0.0.1:49152, B
// 10.0.0.2:80; one millisecond between rows (the replay's delivery plan
// trusts no timestamp: CapturePoint::Unknown).
PcapParseResult as_capture(const std::vector<LadderRow>& rows) {
  PcapParseResult cap;
  cap.ok = true;
  cap.format = "ladder";
  cap.connections.emplace_back();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CapturedSegment s;
    s.packet = i + 1;
    s.time_ns = static_cast<std::int64_t>(i) * 1000000;
    const int h = rows[i].from & 1;
    s.src = {10, 0, 0, static_cast<std::uint8_t>(1 + h)};
    s.dst = {10, 0, 0, static_cast<std::uint8_t>(2 - h)};
    s.sport = h == 0 ? 49152 : 80;
    s.dport = h == 0 ? 80 : 49152;
    s.tcp_flags = rows[i].seg.flags;
    s.seg = rows[i].seg;
    cap.segments.push_back(s);
    cap.connections[0].segments.push_back(i);
  }
  cap.connections[0].segment_count = rows.size();
  cap.packets = rows.size();
  return cap;
}

bool delivered(const Trace& trace, std::size_t sent) {
  const std::uint32_t id = trace[sent].seg_id;
  for (std::size_t j = sent + 1; j < trace.size() && id != 0; ++j)
    if (trace[j].seg_id == id && trace[j].kind == EventKind::Delivered) return true;
  return false;
}

}  // namespace

bool run_ladder(const Trace& trace, std::vector<LadderRow>& out, std::string* why) {
  out.clear();
  for (std::size_t k = 0; k < trace.size(); ++k)
    if (trace[k].kind == EventKind::Sent && delivered(trace, k)) {
      LadderRow r;
      r.from = trace[k].host & 1;
      r.seg = trace[k].seg;
      out.push_back(r);
    }
  if (out.empty()) {
    if (why) *why = "no segment has reached its receiver yet";
    return false;
  }
  const ReplayResult rep = replay_connection(as_capture(out), 0);
  if (!rep.ok && !rep.error.empty()) {
    if (why) *why = rep.error;
    return false;
  }
  for (std::size_t i = 0; i < out.size() && i < rep.rows.size(); ++i) {
    if (rep.rows[i].verdict != Verdict::Ok) {
      if (why) *why = "the engine's replay refuses the run's own segment " + std::to_string(i + 1) + " (" +
                      reason_key(rep.rows[i].reason) + ")";
      return false;
    }
    out[i].state[0] = rep.rows[i].state[0];
    out[i].state[1] = rep.rows[i].state[1];
  }
  return true;
}

// Segments first: a segment the engine refuses is the mistake, even when
// the replay's delivery plan (replay_order.h) then draws an earlier state
// differently (a SYN held back because its ACK is wrong).
LadderVerdict check_ladder(const std::vector<LadderRow>& rows) {
  LadderVerdict v;
  if (rows.empty()) return v;
  const ReplayResult rep = replay_connection(as_capture(rows), 0);
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (i >= rep.rows.size() || rep.rows[i].verdict != Verdict::Ok) {
      v.valid = false;
      v.row = i;
      v.reason = i < rep.rows.size() ? rep.rows[i].reason : Reason::None;
      return v;
    }
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (int h = 0; h < 2; ++h)
      if (rep.rows[i].state[h] != rows[i].state[h]) {
        v.valid = false;
        v.row = i;
        v.host = h;
        v.engine_state = rep.rows[i].state[h];
        return v;
      }
  return v;
}

void restate_ladder(std::vector<LadderRow>& rows, std::size_t from) {
  if (rows.empty()) return;
  const ReplayResult rep = replay_connection(as_capture(rows), 0);
  for (std::size_t i = 0; i < rows.size() && i < rep.rows.size(); ++i) {
    if (rep.rows[i].verdict != Verdict::Ok) return;
    if (i < from) continue;
    rows[i].state[0] = rep.rows[i].state[0];
    rows[i].state[1] = rep.rows[i].state[1];
  }
}

std::string ladder_row_text(const LadderRow& r, Lang lang) {
  const char* const host[2] = {"A", "B"};
  const std::string arrow = std::string(host[r.from & 1]) + " -> " + host[(r.from & 1) ^ 1];
  (void)lang;  // state names are the RFC's in both languages
  return arrow + "  " + segment_label(r.seg) + "   A " + state_name(r.state[0]) + ", B " + state_name(r.state[1]);
}

std::string ladder_verdict_text(const LadderVerdict& v, const std::vector<LadderRow>& rows, Lang lang) {
  if (v.valid) return lang == Lang::Zh ? "引擎接受这个时序图的每一行。" : "The engine accepts every row of this ladder.";
  const std::string n = std::to_string(v.row + 1);
  const char* const host[2] = {"A", "B"};
  if (v.reason == Reason::None && v.row < rows.size()) {
    const std::string claimed = state_name(rows[v.row].state[v.host]);
    const std::string real = state_name(v.engine_state);
    if (lang == Lang::Zh)
      return "引擎在第 " + n + " 行之后让 " + host[v.host] + " 处于 " + real + "，而图中写的是 " + claimed + "。";
    return "After row " + n + " the engine puts " + host[v.host] + " in " + real + ", not " + claimed + ".";
  }
  const std::string rule = std::string(reason_text(v.reason, lang));
  const std::string cite = rfc_citation(v.reason, lang);
  if (lang == Lang::Zh)
    return "引擎不接受第 " + n + " 行：" + rule + (cite.empty() ? "" : "（" + cite + "）") + "。";
  return "The engine refuses row " + n + ": " + rule + (cite.empty() ? "" : " (" + cite + ")") + ".";
}

}  // namespace tcplab
