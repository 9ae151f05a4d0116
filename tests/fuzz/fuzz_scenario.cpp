// Fuzz target: the scenario loader and runner (engine/scenario.h). Every
// scenario a file yields is run (within RUN_BUDGET_DEFAULT), reported, drawn
// as a ladder and exported, as `tcplab-sim run` and `trace` would.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pcap.h"
#include "scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tcplab;
  const ScenarioFile f = load_scenarios(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  for (const Scenario& s : f.scenarios) {
    const ScenarioRun run = run_scenario(s, false);
    (void)run_report(s, run);
    (void)scenario_ladder(s, run);
    for (const StepOutcome& o : run.steps) (void)step_json(s.id, o);
    (void)trace_to_pcap(run.sim.trace());
  }
  return 0;
}
