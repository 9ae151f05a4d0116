// The page's side of a SCORM package (web/scorm.js talks to the LMS): the
// learner's seed, resuming from the suspend data, and each answer and the
// completion handed to scorm.js to record. Inactive (every call does
// nothing) unless the page was opened with `scorm=` and scorm.js found the
// LMS's API.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "app.h"

namespace tcplab {

// At start-up: asks scorm.js what it found (learner id, suspend data).
void scorm_init();
bool scorm_active();

// A seed of its own for this learner and lesson (seedPolicy=learner, the
// default in packages), or nullopt when not recording or no learner id.
std::optional<std::uint64_t> scorm_learner_seed(const std::string& lesson);

// Once the lesson is open: replays the suspend data's attempt record.
void scorm_resume(App& app, double now_ms);

// After every frame: new answers and a completion go to scorm.js.
void scorm_after_frame(const App& app);

// For the test state: "scorm":{...}.
std::string scorm_state_field();

}  // namespace tcplab
