// The simulated link: one queue of segments in flight per direction.
// Direction 0 carries A->B, direction 1 carries B->A; a segment sent by host
// h travels in direction h. Random loss, duplication and reordering come
// from the simulation's one PRNG, drawn when a segment is sent.
#pragma once
#include <cstdint>
#include <deque>
#include <set>
#include <utility>
#include <vector>

#include "rng.h"
#include "segment.h"
#include "instant.h"

namespace tcplab {

struct NetConfig {
  Duration latency_ms = 100;       // one-way delay
  Duration jitter_ms = 0;          // extra delay, uniform in [0, jitter_ms]
  std::uint32_t loss_ppm = 0;      // probability (per million) a segment is lost
  std::uint32_t dup_ppm = 0;       // probability a segment is duplicated
  std::uint32_t reorder_ppm = 0;   // probability a segment is held back 2*latency
  // false: segments wait until a step delivers them (the scenario runner);
  // true: they arrive by themselves at deliver_at.
  bool auto_deliver = true;
};

struct InFlight {
  std::uint32_t id = 0;     // unique per simulation, from 1
  std::uint8_t from = 0;    // sending host; the direction
  Segment seg;
  Instant sent_at = 0;
  Instant deliver_at = NEVER;  // NEVER when auto_deliver is off
  bool doomed = false;         // the network will lose it (random loss)
  bool injected = false;       // came from outside the channel
};

// The segments in flight in one direction, in send order (ids ascending). A
// deque: the oldest leaves from the front in O(1); with a vector, 100,000
// deliveries in one instant moved the rest of the queue each time.
using InFlightQueue = std::deque<InFlight>;

class Network {
 public:
  NetConfig config;

  // Puts a segment on the wire and draws its fate. Returns its id; when the
  // network duplicates it, *dup_id receives the copy's id (else 0).
  std::uint32_t send(Instant now, std::uint8_t from, const Segment& seg, Rng& rng,
                     std::uint32_t* dup_id);
  const InFlightQueue& in_flight(int dir) const { return queue_[dir]; }
  std::size_t count() const { return queue_[0].size() + queue_[1].size(); }
  const InFlight* find(std::uint32_t id) const;
  // Removes and returns a segment (by id, or the oldest of a direction).
  bool take(std::uint32_t id, InFlight& out);
  bool take_oldest(int dir, InFlight& out);
  // Removes every segment whose id is in `ids` (sorted ascending) in one pass
  // over each queue; returns the ids that were in flight, ascending.
  std::vector<std::uint32_t> remove_sorted(const std::vector<std::uint32_t>& ids);
  // The earliest deliver_at of all segments in flight (NEVER if none), and
  // the id of that segment (lowest id on ties).
  Instant next_delivery(std::uint32_t* id) const;
  std::uint32_t last_id() const { return next_id_ - 1; }

 private:
  // Each queue is in send order, so ids ascend along it: a lookup by id is a
  // binary search (std::lower_bound), not a scan.
  bool locate(std::uint32_t id, int* dir, std::size_t* index) const;
  void push(const InFlight& f);

  InFlightQueue queue_[2];
  // (deliver_at, id) of every segment that arrives by itself: the next
  // delivery is the first element, so a run where retransmissions pile up
  // stays linear (issue 18, D4: a scan of every segment on every step made
  // it quadratic). Segments waiting for a step (NEVER) are not in it.
  std::set<std::pair<Instant, std::uint32_t>> due_;
  std::uint32_t next_id_ = 1;
};

}  // namespace tcplab
