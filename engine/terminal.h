// Text from a file, made safe to print on a terminal. A scenario id such as
// "x\r\nPASS y" or "\u001b[2J" printed raw forges a PASS line or clears the
// screen, and "\u0000" prints a NUL (issue 18, D14). Control characters
// become "\u001b"-style escapes, which read the same in plain text and are
// valid inside a JSON string, so the command-line tools can filter
// everything they print.
#pragma once
#include <string>
#include <string_view>

namespace tcplab {

// Escapes C0 controls (U+0000..U+001F), DEL and C1 controls
// (U+0080..U+009F, which some terminals obey like ESC) as \u00XX. With
// keep_line_breaks, '\n' and '\t' stay as they are (whole reports);
// without, they are escaped too (one field on one line: an id, a title).
std::string terminal_text(std::string_view s, bool keep_line_breaks = false);

}  // namespace tcplab
