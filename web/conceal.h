// What the screen must not show while a question waits for its answer: a
// state question's answer is the asked host's state (its big label, its
// ss/netstat names, its box on the state diagram, its newest state on the
// ladder); a number question's is a field of a segment or a variable of a
// host. They appear with the verdict (a lesson moves on after a right
// answer; the exam takes its first answer).
#pragma once
#include <cstdint>
#include <string>

#include "app.h"

namespace tcplab {

struct Concealed {
  bool state[2] = {false, false};    // the host's current state
  std::uint32_t seg_id = 0;          // this segment's field shows "?" (0: none)
  bool seg_ack = false;              // the field: ack (else seq)
  bool numbers[2] = {false, false};  // the host's variables and the numbers its builder pre-fills
  // A blanks or ladder question: the run's ladder is the answer, so the
  // ladder panel and the log show nothing of it.
  bool ladder = false;
  bool any() const { return state[0] || state[1] || seg_id != 0 || numbers[0] || numbers[1] || ladder; }
  bool operator==(const Concealed& o) const {
    return state[0] == o.state[0] && state[1] == o.state[1] && seg_id == o.seg_id && seg_ack == o.seg_ack &&
           numbers[0] == o.numbers[0] && numbers[1] == o.numbers[1] && ladder == o.ladder;
  }
  bool operator!=(const Concealed& o) const { return !(*this == o); }
};

// What the active question (lesson or exam) conceals right now.
Concealed concealed(const App& app);
// segment_label(seg), with the concealed field of segment `seg_id` as "?".
std::string concealed_label(const Concealed& c, std::uint32_t seg_id, const Segment& seg);

}  // namespace tcplab
