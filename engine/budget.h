// The budget of one run: how much work a scenario, a lesson or a sandbox may
// make the engine do. A file that passes every check can still ask for a
// timer that never gives up and an advance of 31 years; without a budget
// that run fills memory and never ends (issue 18, D3/D4). The simulation
// stops at the first limit reached and says which.
#pragma once
#include <cstdint>
#include <string>

#include "instant.h"

namespace tcplab {

// 0 in a field: no limit on it.
struct RunBudget {
  std::uint64_t events = 0;           // trace events written in the run
  Instant time_ms = 0;                // virtual time the clock may reach
  std::uint64_t retransmissions = 0;  // retransmission timeouts that resent
  std::uint64_t in_flight = 0;        // segments on the wire at one time
};

// The limits of scenario and lesson runs. A lesson needs a handful of
// retransmissions and a few thousand events; these leave room for two
// orders of magnitude more while keeping a run under a second and a few
// tens of MB. The time limit equals the longest documented advance_ms, so
// the clock (int64 ms) stays far from overflow however many steps add up.
// Segments in flight: a lesson has a handful; 2000 is above what the
// retransmission limit piles up (the page, whose ladder draws every one,
// may want less: 1,400 made each frame take seconds, issue 18 D2).
constexpr RunBudget RUN_BUDGET_DEFAULT{200000, 1000000000000ll, 1000, 2000};

enum class BudgetField : std::uint8_t { None, Events, Time, Retransmissions, InFlight };

// "events", "time_ms", "retransmissions", "in_flight" (the field of RunBudget).
const char* budget_field_name(BudgetField f);

// "the run went over its budget of 1000 retransmissions (budget field
// \"retransmissions\"): a timer that never gives up?" and the like.
std::string budget_message(BudgetField f, const RunBudget& b);

}  // namespace tcplab
