// The ladder diagram as plain text, in the style of Wireshark's flow graph:
// virtual time down the page, A on the left, B on the right, one arrow per
// segment drawn when its fate is decided (delivered, dropped, lost), each
// state change written beside its host when it happens.
//
//  t(ms)  A                                                   B
//      0  CLOSED          |                                    |  CLOSED
//      0  open_active()   |                                    |
//      0  SYN-SENT        |                                    |
//      0                  |---SYN seq=1000-------------------->|  SYN-RECEIVED
//      0                  |<--SYN,ACK seq=5000 ack=1001--------|
//      0  ESTABLISHED     |                                    |
//
// Drops and losses end in X (`---FIN,ACK seq=1001 ack=5001---X`), injected
// segments come from outside (`*~~RST seq=900~~~>`), segments still in
// flight at the end stop half-way. The note column says why (refused
// segments carry their reason key). The command-line runner prints it and
// the web app exports the same text.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "trace.h"

namespace tcplab {

// A full-width line printed before the rows of trace event `before_event`
// (e.g. "step 3: deliver B->A next"); marks at or past the end of the trace
// are printed last.
struct LadderMark {
  std::size_t before_event = 0;
  std::string text;
};

struct LadderOptions {
  std::vector<LadderMark> marks;  // in order of before_event
  bool show_calls = true;         // rows for user calls and timers
  bool show_initial = true;       // a first row with both hosts CLOSED
};

std::string render_ladder(const Trace& trace, const LadderOptions& options);
std::string render_ladder(const Trace& trace);

// The same diagram as a standalone SVG image (the same rows, arrows, state
// names and notes; marks as full-width bands), for a download or a report.
std::string render_ladder_svg(const Trace& trace, const LadderOptions& options);
std::string render_ladder_svg(const Trace& trace);

}  // namespace tcplab
