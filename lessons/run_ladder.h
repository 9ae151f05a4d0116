// The ladder of a lesson run as rows a learner can judge or fill in: every
// segment that reached its receiver, in the order it was sent, with both
// hosts' states after it. The rows are replayed through two engine
// endpoints (engine/replay.h), so "valid" means what the engine says, not
// what a lesson asserts: a ladder question's distractors (mutations.h) are
// shown only when the engine refuses them.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "explain.h"
#include "segment.h"
#include "state.h"
#include "trace.h"

namespace tcplab {

struct LadderRow {
  int from = 0;
  Segment seg;
  State state[2] = {State::Closed, State::Closed};  // after the row
};

// One ladder shown by a ladder question: the run's own (mutation -1) or a
// distractor made from it by a named mutation.
struct LadderChoice {
  std::vector<LadderRow> rows;
  int mutation = -1;
};

// The run's ladder from its trace: segments that were delivered (lost and
// dropped ones are not on the wire at the receiver), states from the
// replay. False with `why` when the engine's replay does not accept the
// run's own segments (the lesson then cannot ask about this ladder).
bool run_ladder(const Trace& trace, std::vector<LadderRow>& out, std::string* why);

// Where the engine disagrees with a ladder: the first row whose segment the
// sender would not send or the receiver refuses, or whose states differ
// from the engine's. `reason` is the engine's rule (None for a state).
struct LadderVerdict {
  bool valid = true;
  std::size_t row = 0;
  Reason reason = Reason::None;
  int host = 0;                            // whose state differs
  State engine_state = State::Closed;      // the engine's state there
};
LadderVerdict check_ladder(const std::vector<LadderRow>& rows);

// Sets the states of rows `from` onwards to the engine's, up to the first
// row the engine refuses: a ladder whose segment `from` was changed then
// shows the states its own segments lead to, and its first wrong thing is
// the refused segment.
void restate_ladder(std::vector<LadderRow>& rows, std::size_t from);

// The verdict as a sentence: "The engine refuses row 3: ..." / "引擎不接受第 3 行：...".
std::string ladder_verdict_text(const LadderVerdict& v, const std::vector<LadderRow>& rows, Lang lang);

// One row as text: "A -> B  SYN seq=100        A SYN-SENT  B SYN-RECEIVED".
std::string ladder_row_text(const LadderRow& r, Lang lang);

}  // namespace tcplab
