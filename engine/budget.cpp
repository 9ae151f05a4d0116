#include "budget.h"

namespace tcplab {

const char* budget_field_name(BudgetField f) {
  switch (f) {
    case BudgetField::None: return "none";
    case BudgetField::Events: return "events";
    case BudgetField::Time: return "time_ms";
    case BudgetField::Retransmissions: return "retransmissions";
    case BudgetField::InFlight: return "in_flight";
  }
  return "?";
}

std::string budget_message(BudgetField f, const RunBudget& b) {
  const std::string field = std::string(" (budget field \"") + budget_field_name(f) + "\")";
  switch (f) {
    case BudgetField::None: return "";
    case BudgetField::Events:
      return "the run went over its budget of " + std::to_string(b.events) + " trace events" + field +
             ": far more than any lesson needs; is a segment or a timer looping?";
    case BudgetField::Time:
      return "the run went over its budget of " + std::to_string(b.time_ms) + " ms of virtual time" + field +
             ": the advance_ms steps add up to too much";
    case BudgetField::Retransmissions:
      return "the run went over its budget of " + std::to_string(b.retransmissions) + " retransmissions" + field +
             ": a retransmission timer that never gives up (max_retransmits -1) with a long advance_ms?";
    case BudgetField::InFlight:
      return "the run went over its budget of " + std::to_string(b.in_flight) + " segments in flight at once" + field +
             ": deliver or drop some before sending more";
  }
  return "";
}

}  // namespace tcplab
