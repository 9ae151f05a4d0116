#include "network.h"

#include <algorithm>

namespace tcplab {

void Network::push(const InFlight& f) {
  queue_[f.from & 1].push_back(f);
  if (f.deliver_at != NEVER) due_.emplace(f.deliver_at, f.id);
}

std::uint32_t Network::send(Instant now, std::uint8_t from, const Segment& seg, Rng& rng,
                            std::uint32_t* dup_id) {
  // The fate of a segment is drawn when it is sent, always in the same
  // order (loss, jitter, reorder, duplicate) so a seed replays exactly.
  InFlight f;
  f.id = next_id_++;
  f.from = from;
  f.seg = seg;
  f.sent_at = now;
  f.doomed = rng.chance_ppm(config.loss_ppm);
  Duration delay = config.latency_ms;
  if (config.jitter_ms > 0) delay += rng.below(static_cast<std::uint32_t>(config.jitter_ms) + 1);
  if (rng.chance_ppm(config.reorder_ppm)) delay += 2 * config.latency_ms + 1;
  // A segment takes at least 1 ms: an answer can never arrive in the instant
  // its cause did, so one instant of the clock always ends.
  if (delay < 1) delay = 1;
  f.deliver_at = config.auto_deliver ? now + delay : NEVER;
  push(f);
  if (dup_id) *dup_id = 0;
  if (rng.chance_ppm(config.dup_ppm)) {
    InFlight d = f;
    d.id = next_id_++;
    d.doomed = false;
    Duration extra = config.jitter_ms > 0 ? rng.below(static_cast<std::uint32_t>(config.jitter_ms) + 1) : 1;
    d.deliver_at = config.auto_deliver ? now + delay + extra : NEVER;
    push(d);
    if (dup_id) *dup_id = d.id;
  }
  return f.id;
}

namespace {
bool id_less(const InFlight& f, std::uint32_t id) { return f.id < id; }
}  // namespace

bool Network::locate(std::uint32_t id, int* dir, std::size_t* index) const {
  for (int d = 0; d < 2; ++d) {
    const InFlightQueue& q = queue_[d];
    auto it = std::lower_bound(q.begin(), q.end(), id, id_less);
    if (it != q.end() && it->id == id) {
      *dir = d;
      *index = static_cast<std::size_t>(it - q.begin());
      return true;
    }
  }
  return false;
}

const InFlight* Network::find(std::uint32_t id) const {
  int d = 0;
  std::size_t i = 0;
  return locate(id, &d, &i) ? &queue_[d][i] : nullptr;
}

bool Network::take(std::uint32_t id, InFlight& out) {
  int d = 0;
  std::size_t i = 0;
  if (!locate(id, &d, &i)) return false;
  InFlightQueue& q = queue_[d];
  out = q[i];
  q.erase(q.begin() + static_cast<std::ptrdiff_t>(i));
  due_.erase({out.deliver_at, out.id});
  return true;
}

bool Network::take_oldest(int dir, InFlight& out) {
  auto& q = queue_[dir & 1];
  if (q.empty()) return false;
  out = q.front();
  q.pop_front();
  due_.erase({out.deliver_at, out.id});
  return true;
}

std::vector<std::uint32_t> Network::remove_sorted(const std::vector<std::uint32_t>& ids) {
  std::vector<std::uint32_t> removed;
  for (auto& q : queue_) {
    auto gone = [&](const InFlight& f) {
      if (!std::binary_search(ids.begin(), ids.end(), f.id)) return false;
      due_.erase({f.deliver_at, f.id});
      removed.push_back(f.id);
      return true;
    };
    q.erase(std::remove_if(q.begin(), q.end(), gone), q.end());
  }
  std::sort(removed.begin(), removed.end());
  return removed;
}

Instant Network::next_delivery(std::uint32_t* id) const {
  // The set orders by (deliver_at, id): its first element is the earliest,
  // lowest id on ties, as the scan it replaces chose.
  if (due_.empty()) {
    if (id) *id = 0;
    return NEVER;
  }
  if (id) *id = due_.begin()->second;
  return due_.begin()->first;
}

}  // namespace tcplab
