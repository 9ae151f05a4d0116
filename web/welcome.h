// The first visit: a welcome card over the app (start lesson 1, exam
// practice, free play) with a one-screen tour of its areas. Shown when the
// page is opened by its plain address (no URL parameters, not in a frame)
// and it was never dismissed in this browser.
#pragma once
#include "app.h"

namespace tcplab {

void welcome_init(App& app);
void draw_welcome(App& app, double now_ms);

}  // namespace tcplab
