// Named mutations of a run's ladder (mutations.h).
#include "mutations.h"

#include <cstddef>
#include <utility>


namespace tcplab {

namespace {

using Rows = std::vector<LadderRow>;

// The last row before `i` sent by `host`, or -1.
int last_from(const Rows& r, std::size_t i, int host) {
  for (std::size_t k = i; k-- > 0;)
    if (r[k].from == host) return static_cast<int>(k);
  return -1;
}

// The first row that acknowledges a segment of the peer which `pick`
// selects (its ack is exactly that segment's end); -1 when none.
template <class Pick>
int first_ack_of(const Rows& r, Pick pick, int* acked) {
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (!r[i].seg.has(FLAG_ACK)) continue;
    const int p = last_from(r, i, r[i].from ^ 1);
    if (p < 0) continue;
    const Segment& s = r[static_cast<std::size_t>(p)].seg;
    if (pick(s) && r[i].seg.ack == s.seq + s.seg_len()) {
      *acked = p;
      return static_cast<int>(i);
    }
  }
  return -1;
}

bool ack_ignores_data(const Rows& in, Rows& out) {
  int p = -1;
  const int i = first_ack_of(in, [](const Segment& s) { return s.len > 1; }, &p);
  if (i < 0) return false;
  out = in;
  out[static_cast<std::size_t>(i)].seg.ack = in[static_cast<std::size_t>(p)].seg.seq + 1;
  return true;
}

bool syn_fin_not_counted(const Rows& in, Rows& out) {
  int p = -1;
  const int i = first_ack_of(in, [](const Segment& s) { return s.len == 0 && (s.has(FLAG_SYN) || s.has(FLAG_FIN)); }, &p);
  if (i < 0) return false;
  out = in;
  out[static_cast<std::size_t>(i)].seg.ack = in[static_cast<std::size_t>(p)].seg.seq;
  return true;
}

bool states_swapped(const Rows& in, Rows& out) {
  out = in;
  bool differs = false;
  for (LadderRow& r : out) {
    differs = differs || r.state[0] != r.state[1];
    std::swap(r.state[0], r.state[1]);
  }
  return differs;
}

// The answer to a FIN that is a pure ACK, followed by data from the same
// host: that ACK becomes FIN,ACK and the data stays after it.
bool fin_ack_merged(const Rows& in, Rows& out) {
  for (std::size_t i = 1; i < in.size(); ++i) {
    const LadderRow& a = in[i];
    const int f = last_from(in, i, a.from ^ 1);
    if (f < 0 || !in[static_cast<std::size_t>(f)].seg.has(FLAG_FIN) || a.seg.flags != FLAG_ACK) continue;
    bool data_after = false;
    for (std::size_t k = i + 1; k < in.size() && !data_after; ++k)
      data_after = in[k].from == a.from && in[k].seg.len > 0;
    if (!data_after) continue;
    out = in;
    out[i].seg.flags = static_cast<std::uint8_t>(FLAG_FIN | FLAG_ACK);
    return true;
  }
  return false;
}

bool relabel(const Rows& in, Rows& out, State from, State to) {
  out = in;
  bool changed = false;
  for (LadderRow& r : out)
    for (State& s : r.state)
      if (s == from) {
        s = to;
        changed = true;
      }
  return changed;
}

// TIME-WAIT moved from the host that closed first to the other one: the
// first closer is drawn CLOSED, the second drawn in TIME-WAIT once its
// LAST-ACK ended.
bool time_wait_on_passive(const Rows& in, Rows& out) {
  int active = -1;
  for (const LadderRow& r : in)
    for (int h = 0; h < 2; ++h)
      if (r.state[h] == State::TimeWait) active = h;
  if (active < 0) return false;
  const int passive = active ^ 1;
  out = in;
  bool was_last_ack = false, moved = false;
  for (LadderRow& r : out) {
    if (r.state[active] == State::TimeWait) r.state[active] = State::Closed;
    if (r.state[passive] == State::LastAck) was_last_ack = true;
    else if (was_last_ack && r.state[passive] == State::Closed) {
      r.state[passive] = State::TimeWait;
      moved = true;
    }
  }
  return moved;
}

}  // namespace

const std::vector<const char*>& mutation_names() {
  static const std::vector<const char*> names = {
      "ack_ignores_data",      "syn_fin_not_counted",        "states_swapped",          "fin_ack_merged",
      "closing_after_lost_ack", "time_wait_on_passive_closer", "server_established_early"};
  return names;
}

const char* mutation_name(int m) {
  return m >= 0 && m < static_cast<int>(Mutation::Count) ? mutation_names()[static_cast<std::size_t>(m)] : "?";
}

bool apply_mutation(int m, const std::vector<LadderRow>& in, std::vector<LadderRow>& out) {
  bool segments = true;  // a changed segment: the states follow the engine up to it
  bool done = false;
  switch (static_cast<Mutation>(m)) {
    case Mutation::AckIgnoresData: done = ack_ignores_data(in, out); break;
    case Mutation::SynFinNotCounted: done = syn_fin_not_counted(in, out); break;
    case Mutation::FinAckMerged: done = fin_ack_merged(in, out); break;
    default: segments = false; break;
  }
  if (segments) {
    if (done) {
      std::size_t changed = 0;
      while (changed < in.size() && in[changed].seg == out[changed].seg) ++changed;
      restate_ladder(out, changed);
    }
    return done;
  }
  switch (static_cast<Mutation>(m)) {
    case Mutation::AckIgnoresData:
    case Mutation::SynFinNotCounted:
    case Mutation::FinAckMerged: break;
    case Mutation::StatesSwapped: return states_swapped(in, out);
    case Mutation::ClosingAfterLostAck: return relabel(in, out, State::FinWait1, State::Closing);
    case Mutation::TimeWaitOnPassiveCloser: return time_wait_on_passive(in, out);
    case Mutation::ServerEstablishedEarly: return relabel(in, out, State::SynReceived, State::Established);
    case Mutation::Count: break;
  }
  return false;
}

const char* mutation_explain(int m, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (static_cast<Mutation>(m)) {
    case Mutation::AckIgnoresData:
      return zh ? "这里的确认号是 seq + 1，但那个报文段携带了数据：确认号是期望收到的下一个序号，即 seq + 数据长度（RFC 9293 3.4）。只有不带数据的 SYN 或 FIN 才是 seq + 1。"
                : "Here the ack is seq + 1, but that segment carried data: the ack is the next sequence number expected, "
                  "seq + the data's length (RFC 9293 3.4). Only a SYN or FIN without data is acknowledged with seq + 1.";
    case Mutation::SynFinNotCounted:
      return zh ? "这里对 SYN 或 FIN 的确认号等于它的 seq，没有把它计入序号。SYN 和 FIN 各占用一个序号（RFC 9293 3.3.1），确认号应为 seq + 1。"
                : "Here the ACK of a SYN or FIN carries its seq, as if it took no number. SYN and FIN each occupy one "
                  "sequence number (RFC 9293 3.3.1): the ack is seq + 1.";
    case Mutation::StatesSwapped:
      return zh ? "这里两台主机的状态互换了。主机的状态取决于它发送和收到了什么（RFC 9293 3.3.2，图 5）：先发送 SYN 的一方进入 SYN-SENT，回答 SYN 的一方进入 SYN-RCVD；先发送 FIN 的一方进入 FIN-WAIT-1，自己尚未发送 FIN 而收到 FIN 的一方进入 CLOSE-WAIT。"
                : "Here the two hosts' states are swapped. A host's state follows from what it has sent and received "
                  "(RFC 9293 3.3.2, Figure 5): the host that sends the first SYN enters SYN-SENT, the host that answers a "
                  "SYN enters SYN-RECEIVED; the host that sends the first FIN enters FIN-WAIT-1, a host that receives a FIN "
                  "before sending its own enters CLOSE-WAIT.";
    case Mutation::FinAckMerged:
      return zh ? "这里收到 FIN 的一方把 FIN 和 ACK 合并发送，但它之后还有数据要发。FIN 表示“我不再发送数据”（RFC 9293 3.6），所以它必须先只发 ACK，在 CLOSE-WAIT 中发完数据，再发送 FIN。"
                : "Here the host that received the FIN sends FIN with its ACK, but it still has data to send. A FIN says "
                  "\"I will send nothing more\" (RFC 9293 3.6): it must send a plain ACK, send its data in CLOSE-WAIT, "
                  "and only then its FIN.";
    case Mutation::ClosingAfterLostAck:
      return zh ? "这里发送了 FIN、正在等待确认的主机被画成 CLOSING。它处于 FIN-WAIT-1；只有在自己的 FIN 还未被确认时又收到对方的 FIN（同时关闭），才进入 CLOSING（RFC 9293 3.6，图 13）。确认丢失或迟到都不会让它进入 CLOSING。"
                : "Here the host that sent a FIN and waits for its ACK is drawn in CLOSING. It is in FIN-WAIT-1; CLOSING is "
                  "entered only when the peer's FIN arrives while one's own FIN is not yet acknowledged, a simultaneous "
                  "close (RFC 9293 3.6, Figure 13). An ACK that is lost or late does not lead to CLOSING.";
    case Mutation::TimeWaitOnPassiveCloser:
      return zh ? "这里 TIME-WAIT 画在了后关闭的一方。进入 TIME-WAIT 的是先关闭的一方：它发送最后的 ACK，并等待 2MSL 以防这个 ACK 丢失（RFC 9293 3.6）。后关闭的一方在 LAST-ACK 收到这个 ACK 后直接进入 CLOSED。"
                : "Here TIME-WAIT is on the host that closed second. TIME-WAIT belongs to the host that closed first: it "
                  "sends the last ACK and waits 2*MSL in case that ACK is lost (RFC 9293 3.6). The other host goes from "
                  "LAST-ACK to CLOSED when that ACK arrives.";
    case Mutation::ServerEstablishedEarly:
      return zh ? "这里回答 SYN 的一方在发出 SYN,ACK 后就被画成 ESTABLISHED。它处于 SYN-RCVD，只有收到第三个报文段（对它的 SYN 的确认）才进入 ESTABLISHED（RFC 9293 3.5，图 6）。"
                : "Here the host that answered the SYN is drawn ESTABLISHED as soon as it sends SYN,ACK. It is in "
                  "SYN-RECEIVED and becomes ESTABLISHED only when the third segment, the ACK of its SYN, arrives "
                  "(RFC 9293 3.5, Figure 6).";
    case Mutation::Count: break;
  }
  return "";
}

}  // namespace tcplab
