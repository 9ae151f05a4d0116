// What a screen reader hears, and the session's transcript. Each frame the
// announcer looks at what changed (new trace events, the lesson's narration,
// question and feedback), writes every change into the transcript in both
// languages, and speaks the essentials through the page's ARIA live region
// (#announcer, outside the canvas), batched and rate-limited, in the current
// language. The canvas's text alternative names both hosts' states.
#pragma once
#include "app.h"

namespace tcplab {

// Called once per frame after the commands were applied; `now_ms` is real
// time (for the rate limit).
void announce_after_frame(App& app, double now_ms);

// The transcript in the current language: one line per entry with its
// simulated time.
std::string transcript_text(const App& app);

}  // namespace tcplab
