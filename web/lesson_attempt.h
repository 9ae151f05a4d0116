// The attempt record of the lesson on screen (lessons/attempt.h): when
// each graded answer was given and which attempt at the lesson this is.
// embed.cpp puts it in `complete` events, scorm.cpp in the suspend data.
#pragma once
#include <string>

#include "app.h"
#include "attempt.h"

namespace tcplab {

// After every frame: stamps answers given since the last call, and counts
// a new attempt when a new run of a lesson starts.
void attempt_track(const App& app, double now_ms);

// The record of the lesson run on screen (nullopt outside a lesson).
std::optional<Attempt> attempt_current(const App& app);

// Answers of the run on screen that attempt_track has stamped.
std::size_t attempt_stamped();

// Replays `a` on the app's lesson (reopened with the record's seed) as if
// the learner had just given those answers; false with `why` when the
// record is of another lesson or does not replay.
bool attempt_resume(App& app, const Attempt& a, double now_ms, std::string& why);

}  // namespace tcplab
