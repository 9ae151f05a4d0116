// The classes of mistake in a sequence or acknowledgment number, named
// beside the engine's rule when a learner's number is wrong: in a blank of
// a ladder, or in a segment built by hand.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "lesson.h"
#include "run_ladder.h"

namespace tcplab {

enum class NumberMistake : std::uint8_t {
  None,            // wrong in no way we can name
  AckIgnoresData,  // ack = seq + 1 although the segment carried data
  SynFinNotCounted,// the SYN or FIN was not given its sequence number
  Swapped,         // own and peer numbers swapped (seq given as ack or the other way)
  OffByOne,        // one more or one less than right
  OutsideWindow,   // seq outside the receiver's window
};

// What the learner gave for a seq (ack = false) or an ack, beside what is
// right: `other` is the right value of the other field, `acked` the last
// segment received from the peer (nullptr: none), `own` the last segment
// the sender sent before (nullptr: none).
NumberMistake number_mistake(std::uint32_t given, std::uint32_t right, std::uint32_t other, bool ack,
                             const Segment* acked, const Segment* own);

// The same for row `row` of a ladder.
NumberMistake ladder_number_mistake(const std::vector<LadderRow>& rows, std::size_t row, bool ack, std::uint32_t given);

// A sentence naming the mistake; empty for None.
Text mistake_text(NumberMistake m);

// "SYN,ACK", "syn ack", "FIN+ACK", "none": true and the flags when every
// word is a flag (SYN ACK FIN RST PSH, any case) or the text is "none".
bool parse_flag_list(std::string_view text, std::uint8_t& out);

}  // namespace tcplab
