// Virtual time. The engine never reads a clock: every call that depends on
// time takes `now`, in integer milliseconds since the simulation began.
#pragma once
#include <cstdint>

namespace tcplab {

using Instant = std::int64_t;   // ms since the start of the simulation
using Duration = std::int64_t;  // ms

constexpr Instant NEVER = INT64_MAX;

}  // namespace tcplab
