// Run budgets (engine/budget.h, issue 18 D3): a run stops at the first limit
// it goes over, and the scenario runner says which, naming the field.
#include <doctest/doctest.h>

#include <string>

#include "scenario.h"
#include "simulation.h"

using namespace tcplab;

namespace {

Simulation unanswered_syn(const RunBudget& b) {
  SimConfig c;
  c.iss[HOST_A] = {1000};
  c.net.auto_deliver = false;
  c.endpoint[HOST_A].max_retransmits = -1;
  c.endpoint[HOST_A].rto_initial_ms = 1;
  c.budget = b;
  Simulation sim(c);
  sim.call(HOST_A, Call::OpenActive);
  return sim;
}

std::string scenario_with_steps(const std::string& steps) {
  return "{\"id\": \"budget\", \"title\": \"t\", \"requires\": [\"clock\"],"
         " \"setup\": {\"A\": {\"iss\": [1000]}, \"B\": {\"iss\": [5000]}},"
         " \"steps\": [" + steps + "]}";
}

}  // namespace

TEST_CASE("budget: without one, the run goes on") {
  Simulation sim = unanswered_syn(RunBudget{});
  sim.advance_to(100000000);
  CHECK(sim.over_budget() == BudgetField::None);
  CHECK(sim.now() == 100000000);
}

TEST_CASE("budget: retransmissions stop the clock at the first one too many") {
  Simulation sim = unanswered_syn(RunBudget{0, 0, 50});
  sim.advance_to(1000000000000ll);
  CHECK(sim.over_budget() == BudgetField::Retransmissions);
  CHECK(sim.retransmissions() == 51);
  CHECK(sim.now() < 1000000000000ll);
  const Instant at = sim.now();
  sim.advance_to(at + 1000000);  // over budget: nothing more happens
  CHECK(sim.now() == at);
}

TEST_CASE("budget: events") {
  Simulation sim = unanswered_syn(RunBudget{100, 0, 0});
  sim.advance_to(1000000000000ll);
  CHECK(sim.over_budget() == BudgetField::Events);
  CHECK(sim.events_written() > 100);
  CHECK(sim.events_written() < 120);
}

TEST_CASE("budget: segments in flight") {
  SimConfig c;
  c.net.auto_deliver = false;
  c.budget.in_flight = 10;
  Simulation sim(c);
  Segment s;
  s.flags = FLAG_ACK;
  for (int i = 0; i < 10; ++i) sim.send_raw(HOST_A, s);
  CHECK(sim.over_budget() == BudgetField::None);
  sim.send_raw(HOST_A, s);
  CHECK(sim.over_budget() == BudgetField::InFlight);
  // Over the budget, hand-built segments are refused.
  CHECK(sim.send_raw(HOST_A, s) == 0);
  CHECK(sim.network().count() == 11);
  CHECK(budget_message(BudgetField::InFlight, c.budget).find("\"in_flight\"") != std::string::npos);
}

TEST_CASE("budget: virtual time ends at the limit") {
  SimConfig c;
  c.budget.time_ms = 5000;
  Simulation sim(c);
  sim.advance_to(4000);
  CHECK(sim.over_budget() == BudgetField::None);
  sim.advance_to(6000);
  CHECK(sim.over_budget() == BudgetField::Time);
  CHECK(sim.now() == 5000);
}

TEST_CASE("budget: the message names the field") {
  const RunBudget b = RUN_BUDGET_DEFAULT;
  CHECK(budget_message(BudgetField::Retransmissions, b).find("\"retransmissions\"") != std::string::npos);
  CHECK(budget_message(BudgetField::Events, b).find("\"events\"") != std::string::npos);
  CHECK(budget_message(BudgetField::Time, b).find("\"time_ms\"") != std::string::npos);
  CHECK(budget_message(BudgetField::None, b).empty());
}

// Before the budget this scenario ran for ever (D4 made it quadratic; even
// linear, 1e12 ms is 16 million retransmissions and gigabytes of trace).
TEST_CASE("budget: a scenario advancing 1e12 ms after an unanswered SYN fails, saying why" * doctest::timeout(20)) {
  const ScenarioFile f = load_scenarios(
      scenario_with_steps("{\"app\": \"A\", \"call\": \"open_active\"}, {\"advance_ms\": 1000000000000}"), "t.json");
  REQUIRE(f.ok());
  const ScenarioRun run = run_scenario(f.scenarios[0]);
  CHECK_FALSE(run.passed);
  CHECK(run.failed_step == 1);
  CHECK(run.failure.find("budget field \"retransmissions\"") != std::string::npos);
  CHECK(run.sim.retransmissions() == RUN_BUDGET_DEFAULT.retransmissions + 1);
  // The report names 20 of the 1001 retransmitted SYNs and counts the rest.
  CHECK(run.failure.find("; and 981 more]") != std::string::npos);
  CHECK(run.failure.size() < 2000);
}

TEST_CASE("budget: advances that add up past the time budget fail the scenario") {
  const std::string step = "{\"advance_ms\": 400000000000}";
  const ScenarioFile f = load_scenarios(scenario_with_steps(step + ", " + step + ", " + step), "t.json");
  REQUIRE(f.ok());
  const ScenarioRun run = run_scenario(f.scenarios[0]);
  CHECK_FALSE(run.passed);
  CHECK(run.failed_step == 2);
  CHECK(run.failure.find("budget field \"time_ms\"") != std::string::npos);
}
