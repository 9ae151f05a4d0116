// Embedding the lesson in a course page: the URL parameters (checked, with
// one notice listing what was ignored and why), the events sent to the host
// page with postMessage and the commands it may send back, the content
// height, pausing while out of view, progress kept in the browser's storage
// (merged with what other instances wrote), and the "share this run" link
// that replays a sandbox run. The JavaScript half is in library.js.
#pragma once
#include <string>

#include "app.h"

namespace tcplab {

// Before the first frame: reads the URL parameters (seed, lang, msl, loss,
// role, mode, parentOrigin, instance, run), sets the app up, replays a
// shared run, and connects the page glue (messages, visibility, storage).
void embed_init(App& app, double entropy);

// Once the built-in lessons are loaded: opens what `mode`, `lesson` and
// `lessonUrl` ask for, and reads the stored progress.
void embed_open_requested(App& app, double now_ms);

// After every drawn frame: saves progress, sends the events and the height
// to the host page, shows the notice, builds a requested share link.
void embed_after_frame(App& app, float toolbar_h, double now_ms);

// False while the app is scrolled out of view or its page is hidden: the
// virtual clock stops and the frame loop may pause.
bool embed_visible();

// The embedding's part of the test state JSON: `"notices":[...],...`.
std::string embed_state_fields(const App& app);

// A shared run (`run=`), encoded from / decoded into the app (exposed for
// tests of the format).
std::string encode_run(const App& app);

}  // namespace tcplab
