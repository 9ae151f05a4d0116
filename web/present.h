// Presenter mode (?present=1, key V): larger text, the ladder enlarged, the
// lesson card collapsible, and the keys a presentation clicker sends
// (PageDown/PageUp, Space, the arrows) step the lesson forward and back.
#pragma once
#include "app.h"

namespace tcplab {

// Reads the presenter's keys (after the other shortcuts, each frame).
void handle_presenter_keys(App& app);

}  // namespace tcplab
