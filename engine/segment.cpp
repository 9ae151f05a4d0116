#include "segment.h"

namespace tcplab {

std::string flags_text(std::uint8_t flags) {
  std::string s;
  auto add = [&](std::uint8_t bit, const char* name) {
    if (!(flags & bit)) return;
    if (!s.empty()) s += ',';
    s += name;
  };
  // Wireshark's order: SYN,ACK  FIN,ACK  RST,ACK  PSH,ACK.
  add(FLAG_SYN, "SYN");
  add(FLAG_FIN, "FIN");
  add(FLAG_RST, "RST");
  add(FLAG_PSH, "PSH");
  add(FLAG_ACK, "ACK");
  return s.empty() ? std::string("none") : s;
}

std::string segment_label(const Segment& s) {
  std::string out = flags_text(s.flags);
  out += " seq=" + std::to_string(s.seq);
  if (s.has(FLAG_ACK)) out += " ack=" + std::to_string(s.ack);
  if (s.len > 0) out += " len=" + std::to_string(s.len);
  return out;
}

}  // namespace tcplab
