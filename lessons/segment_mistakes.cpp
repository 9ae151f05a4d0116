// Classes of mistake in sequence and acknowledgment numbers (segment_mistakes.h).
#include "segment_mistakes.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "lesson_detail.h"

namespace tcplab {

using namespace lesson_detail;

NumberMistake number_mistake(std::uint32_t given, std::uint32_t right, std::uint32_t other, bool ack,
                             const Segment* acked, const Segment* own) {
  if (given == right) return NumberMistake::None;
  // RFC 9293 3.4: the ack is the next sequence number expected, seq + SEG.LEN.
  if (ack && acked != nullptr) {
    if (acked->len > 1 && given == acked->seq + 1) return NumberMistake::AckIgnoresData;
    if ((acked->has(FLAG_SYN) || acked->has(FLAG_FIN)) && given == right - 1) return NumberMistake::SynFinNotCounted;
  }
  // A sender's next seq follows its previous segment: seq + SEG.LEN (3.3.1).
  if (!ack && own != nullptr) {
    if ((own->has(FLAG_SYN) || own->has(FLAG_FIN)) && given == right - 1) return NumberMistake::SynFinNotCounted;
    if (own->len > 1 && given == own->seq + 1) return NumberMistake::AckIgnoresData;
  }
  if (given == other) return NumberMistake::Swapped;
  if (given == right + 1 || given == right - 1) return NumberMistake::OffByOne;
  return NumberMistake::None;
}

NumberMistake ladder_number_mistake(const std::vector<LadderRow>& rows, std::size_t row, bool ack, std::uint32_t given) {
  if (row >= rows.size()) return NumberMistake::None;
  const LadderRow& r = rows[row];
  const Segment* acked = nullptr;
  const Segment* own = nullptr;
  for (std::size_t k = row; k-- > 0;) {
    if (rows[k].from != r.from && acked == nullptr) acked = &rows[k].seg;
    if (rows[k].from == r.from && own == nullptr) own = &rows[k].seg;
  }
  // A segment without ACK has no meaningful ack: a swap is only with a real one.
  const std::uint32_t other = ack ? r.seg.seq : (r.seg.has(FLAG_ACK) ? r.seg.ack : r.seg.seq);
  return number_mistake(given, ack ? r.seg.ack : r.seg.seq, other, ack, acked, own);
}

Text mistake_text(NumberMistake m) {
  switch (m) {
    case NumberMistake::None: return Text{};
    case NumberMistake::AckIgnoresData:
      return both("The mistake: ack = seq + 1 although the segment carried data. The ack is the next sequence number "
                  "expected: seq + the data's length (RFC 9293 3.4).",
                  "错误类型：虽然报文段携带了数据，却写成了 ack = seq + 1。确认号是期望收到的下一个序号：seq + 数据长度（RFC 9293 3.4）。");
    case NumberMistake::SynFinNotCounted:
      return both("The mistake: the SYN or FIN was not counted. Each occupies one sequence number (RFC 9293 3.3.1).",
                  "错误类型：没有计入 SYN 或 FIN。它们各占用一个序号（RFC 9293 3.3.1）。");
    case NumberMistake::Swapped:
      return both("The mistake: own and peer numbers swapped. seq counts the sender's own bytes; ack is the next byte "
                  "expected from the peer (RFC 9293 3.4).",
                  "错误类型：把自己的序号和对方的序号弄反了。seq 是发送方自己的序号；ack 是期望收到对方的下一个序号（RFC 9293 3.4）。");
    case NumberMistake::OffByOne:
      return both("The mistake: off by one.", "错误类型：差了 1。");
    case NumberMistake::OutsideWindow:
      return both("The mistake: the seq is outside the receiver's window, so the receiver refuses it (RFC 9293 3.10.7.4).",
                  "错误类型：seq 不在接收方的窗口内，接收方不接受（RFC 9293 3.10.7.4）。");
  }
  return Text{};
}

namespace {

// The last segment `host` received from its peer and the last it sent, from
// the trace (nullptr when none).
void last_segments(const Trace& t, int host, const Segment** received, const Segment** sent) {
  *received = *sent = nullptr;
  for (std::size_t k = t.size(); k-- > 0;) {
    if (*received == nullptr && t[k].kind == EventKind::Delivered && (t[k].host & 1) == host) *received = &t[k].seg;
    if (*sent == nullptr && t[k].kind == EventKind::Sent && (t[k].host & 1) == host) *sent = &t[k].seg;
  }
}

}  // namespace

Text LessonRun::segment_mistakes(int host, const Segment& seg) const {
  Segment right;
  if (!solution_segment(&right) || seg.has(FLAG_RST) != right.has(FLAG_RST)) return Text{};
  const Segment* received = nullptr;
  const Segment* sent = nullptr;
  last_segments(sim_.trace(), host & 1, &received, &sent);
  Text out;
  NumberMistake seq = number_mistake(seg.seq, right.seq, right.ack, false, received, sent);
  // RFC 9293 3.10.7.4: a seq outside RCV.NXT .. RCV.NXT+RCV.WND is not acceptable.
  const Tcb& peer = sim_.endpoint((host & 1) ^ 1).tcb();
  if (seq == NumberMistake::None && seg.seq != right.seq &&
      static_cast<Seq>(seg.seq - peer.rcv_nxt) >= std::max<std::uint32_t>(peer.rcv_wnd, 1))
    seq = NumberMistake::OutsideWindow;
  if (seq != NumberMistake::None) {
    const Text t = mistake_text(seq);
    append(out, both("In the seq: " + t.en, "seq 中的" + t.zh));
  }
  if ((right.flags & FLAG_ACK) && (seg.flags & FLAG_ACK)) {
    const NumberMistake ack = number_mistake(seg.ack, right.ack, right.seq, true, received, sent);
    if (ack != NumberMistake::None && !(ack == NumberMistake::Swapped && seq == NumberMistake::Swapped)) {
      const Text t = mistake_text(ack);
      append(out, both("In the ack: " + t.en, "ack 中的" + t.zh));
    }
  }
  return out;
}

bool parse_flag_list(std::string_view text, std::uint8_t& out) {
  out = 0;
  std::string word;
  bool any = false;
  auto take = [&]() {
    if (word.empty()) return true;
    any = true;
    static const char* const NAMES[] = {"SYN", "ACK", "FIN", "RST", "PSH"};
    static const std::uint8_t BITS[] = {FLAG_SYN, FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_PSH};
    bool known = word == "NONE";
    for (int i = 0; i < 5; ++i)
      if (word == NAMES[i]) {
        out = static_cast<std::uint8_t>(out | BITS[i]);
        known = true;
      }
    word.clear();
    return known;
  };
  for (char ch : text) {
    if (ch == ',' || ch == ' ' || ch == '+' || ch == '/') {
      if (!take()) return false;
    } else {
      word += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
  }
  return take() && any;
}

}  // namespace tcplab
