#include "network.h"

namespace tcplab {

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
  queue_[from & 1].push_back(f);
  if (dup_id) *dup_id = 0;
  if (rng.chance_ppm(config.dup_ppm)) {
    InFlight d = f;
    d.id = next_id_++;
    d.doomed = false;
    Duration extra = config.jitter_ms > 0 ? rng.below(static_cast<std::uint32_t>(config.jitter_ms) + 1) : 1;
    d.deliver_at = config.auto_deliver ? now + delay + extra : NEVER;
    queue_[from & 1].push_back(d);
    if (dup_id) *dup_id = d.id;
  }
  return f.id;
}

const InFlight* Network::find(std::uint32_t id) const {
  for (const auto& q : queue_)
    for (const InFlight& f : q)
      if (f.id == id) return &f;
  return nullptr;
}

bool Network::take(std::uint32_t id, InFlight& out) {
  for (auto& q : queue_) {
    for (std::size_t i = 0; i < q.size(); ++i) {
      if (q[i].id != id) continue;
      out = q[i];
      q.erase(q.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

bool Network::take_oldest(int dir, InFlight& out) {
  auto& q = queue_[dir & 1];
  if (q.empty()) return false;
  out = q.front();
  q.erase(q.begin());
  return true;
}

Instant Network::next_delivery(std::uint32_t* id) const {
  Instant best = NEVER;
  std::uint32_t best_id = 0;
  for (const auto& q : queue_) {
    for (const InFlight& f : q) {
      if (f.deliver_at < best || (f.deliver_at == best && best != NEVER && f.id < best_id)) {
        best = f.deliver_at;
        best_id = f.id;
      }
    }
  }
  if (id) *id = best_id;
  return best;
}

}  // namespace tcplab
