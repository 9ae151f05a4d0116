// Fuzz target: the capture reader with replay (engine/pcap.h, replay.h).
// The first few connections of whatever parses are replayed whole and up
// to half their segments (the page's step-through), and the result
// rendered, as `tcplab-sim replay` does.
#include <cstddef>
#include <cstdint>

#include "ladder.h"
#include "pcap.h"
#include "replay.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tcplab;
  const PcapParseResult cap = parse_capture(data, size);
  (void)cap.summary();
  if (!cap.ok) return 0;
  for (std::size_t c = 0; c < cap.connections.size() && c < 3; ++c) {
    (void)cap.connections[c].summary();
    const ReplayResult r = replay_connection(cap, c);
    for (const ReplayRow& row : r.rows) (void)replay_row_json(row);
    (void)render_ladder(r.sim.trace());
    (void)replay_connection(cap, c, cap.connections[c].segment_count / 2);
  }
  return 0;
}
