#include "simulation.h"

#include <algorithm>

namespace tcplab {

Simulation::Simulation(const SimConfig& config) : config_(config), rng_(config.seed) {
  // Each endpoint draws its ISNs from its own stream derived from the seed,
  // so one host's choices do not shift the other's.
  Rng derive(config.seed ^ 0x7C3A5E1Dull);
  for (int h = 0; h < 2; ++h)
    ep_[h] = Endpoint(static_cast<std::uint8_t>(h), config.endpoint[h], config.iss[h], derive.next());
  net_.config = config.net;
}

void Simulation::begin_action() {
  count_new_events();
  if (!config_.keep_trace) {
    trace_.clear();
    counted_ = 0;
  }
  action_begin_ = trace_.size();
}

void Simulation::count_new_events() {
  for (; counted_ < trace_.size(); ++counted_) {
    const Event& e = trace_[counted_];
    ++events_;
    if (e.kind == EventKind::TimerFired && e.reason == Reason::TimerRetransmit) ++retransmissions_;
  }
  if (over_ != BudgetField::None) return;
  const RunBudget& b = config_.budget;
  if (b.events > 0 && events_ > b.events) over_ = BudgetField::Events;
  else if (b.retransmissions > 0 && retransmissions_ > b.retransmissions) over_ = BudgetField::Retransmissions;
  else if (b.in_flight > 0 && net_.count() > b.in_flight) over_ = BudgetField::InFlight;
}

// Puts every segment the endpoints sent since `from` on the wire.
void Simulation::end_action(std::size_t from) {
  for (std::size_t i = from; i < trace_.size(); ++i) {
    if (trace_[i].kind != EventKind::Sent || trace_[i].seg_id != 0) continue;
    std::uint32_t dup = 0;
    Event& e = trace_[i];
    e.seg_id = net_.send(now_, e.host, e.seg, rng_, &dup);
    if (dup != 0) {
      Event d = trace_[i];
      d.kind = EventKind::Duplicated;
      d.seg_id = dup;
      d.reason = Reason::NetDuplicated;
      trace_.push_back(d);
    }
  }
  count_new_events();  // the budget is known as soon as the action ends
}

Reason Simulation::call(int host, Call c, std::uint32_t octets) {
  begin_action();
  Endpoint& e = ep_[host & 1];
  Reason r = Reason::None;
  switch (c) {
    case Call::OpenPassive: r = e.open(now_, false, trace_); break;
    case Call::OpenActive: r = e.open(now_, true, trace_); break;
    case Call::Send: r = e.send(now_, octets, trace_); break;
    case Call::Close: r = e.close(now_, trace_); break;
    case Call::Abort: r = e.abort(now_, trace_); break;
  }
  end_action(action_begin_);
  return r;
}

void Simulation::deliver_taken(const InFlight& f) {
  const int to = f.from ^ 1;
  Event e;
  e.time = now_;
  e.host = static_cast<std::uint8_t>(to);
  e.seg = f.seg;
  e.seg_id = f.id;
  e.from = e.to = ep_[to].state();
  if (f.doomed) {
    e.kind = EventKind::Lost;
    e.reason = Reason::NetLost;
    trace_.push_back(e);
    return;
  }
  e.kind = EventKind::Delivered;
  e.reason = Reason::NetDelivered;
  trace_.push_back(e);
  std::size_t verdict = trace_.size();
  ep_[to].on_segment(now_, f.seg, trace_);
  trace_[verdict].seg_id = f.id;
}

bool Simulation::deliver_oldest(int dir) {
  InFlight f;
  if (!net_.take_oldest(dir, f)) return false;
  begin_action();
  f.doomed = false;  // a step that delivers it overrides random loss
  deliver_taken(f);
  end_action(action_begin_);
  return true;
}

bool Simulation::deliver(std::uint32_t id) {
  InFlight f;
  if (!net_.take(id, f)) return false;
  begin_action();
  f.doomed = false;
  deliver_taken(f);
  end_action(action_begin_);
  return true;
}

namespace {
Event dropped_event(Instant now, const InFlight& f, std::uint8_t to_state_host) {
  Event e;
  e.time = now;
  e.kind = EventKind::Dropped;
  e.host = to_state_host;
  e.seg = f.seg;
  e.seg_id = f.id;
  e.reason = Reason::NetDropped;
  return e;
}
}  // namespace

bool Simulation::drop_oldest(int dir) {
  InFlight f;
  if (!net_.take_oldest(dir, f)) return false;
  begin_action();
  Event e = dropped_event(now_, f, static_cast<std::uint8_t>(f.from ^ 1));
  e.from = e.to = ep_[f.from ^ 1].state();
  trace_.push_back(e);
  return true;
}

bool Simulation::drop(std::uint32_t id) {
  InFlight f;
  if (!net_.take(id, f)) return false;
  begin_action();
  Event e = dropped_event(now_, f, static_cast<std::uint8_t>(f.from ^ 1));
  e.from = e.to = ep_[f.from ^ 1].state();
  trace_.push_back(e);
  return true;
}

Reason Simulation::inject(int host, const Segment& seg) {
  begin_action();
  Event e;
  e.time = now_;
  e.kind = EventKind::Injected;
  e.host = static_cast<std::uint8_t>(host & 1);
  e.seg = seg;
  e.from = e.to = ep_[host & 1].state();
  e.reason = Reason::NetInjected;
  trace_.push_back(e);
  Reason r = ep_[host & 1].on_segment(now_, seg, trace_);
  end_action(action_begin_);
  return r;
}

std::uint32_t Simulation::send_raw(int from, const Segment& seg) {
  // A run over its budget does no more work: a share link or a learner
  // repeating a hand-built segment cannot pile up the wire without end.
  if (over_ != BudgetField::None) return 0;
  begin_action();
  Event e;
  e.time = now_;
  e.kind = EventKind::Sent;
  e.host = static_cast<std::uint8_t>(from & 1);
  e.seg = seg;
  e.from = e.to = ep_[from & 1].state();
  e.reason = Reason::NetInjected;
  trace_.push_back(e);
  end_action(action_begin_);
  return trace_[action_begin_].seg_id;
}

void Simulation::synchronize(int host, Seq snd_nxt, Seq rcv_nxt, std::uint32_t snd_wnd) {
  begin_action();
  ep_[host & 1].synchronize(now_, snd_nxt, rcv_nxt, snd_wnd, trace_);
  end_action(action_begin_);
}

bool Simulation::withdraw(std::uint32_t id) {
  InFlight f;
  if (!net_.take(id, f)) return false;
  // The Sent event is usually among the last: search from the end.
  for (std::size_t i = trace_.size(); i > 0; --i) {
    if (trace_[i - 1].kind == EventKind::Sent && trace_[i - 1].seg_id == id) {
      trace_.erase(trace_.begin() + static_cast<std::ptrdiff_t>(i - 1));
      if (action_begin_ >= i) --action_begin_;
      if (counted_ >= i) --counted_;
      break;
    }
  }
  return true;
}

std::size_t Simulation::withdraw(std::vector<std::uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids = net_.remove_sorted(ids);  // only those in flight lose their Sent event
  // One stable pass: every Sent event of those ids goes, the rest keep
  // their order; the indexes that point into the trace move with it.
  std::size_t kept = 0, begin = action_begin_, counted = counted_;
  for (std::size_t i = 0; i < trace_.size(); ++i) {
    const Event& e = trace_[i];
    if (e.kind == EventKind::Sent && std::binary_search(ids.begin(), ids.end(), e.seg_id)) {
      if (i < action_begin_) --begin;
      if (i < counted_) --counted;
      continue;
    }
    if (kept != i) trace_[kept] = trace_[i];
    ++kept;
  }
  trace_.resize(kept);
  action_begin_ = begin;
  counted_ = counted;
  return ids.size();
}

Reason Simulation::fire_timer(int host, TimerKind kind) {
  begin_action();
  Reason r = ep_[host & 1].fire(now_, kind, trace_);
  end_action(action_begin_);
  return r;
}

Instant Simulation::next_deadline() const {
  Instant d = net_.next_delivery(nullptr);
  for (const Endpoint& e : ep_) {
    Instant t = e.next_deadline();
    if (t < d) d = t;
  }
  return d;
}

bool Simulation::step_next() {
  // One instant: every delivery due now (lowest id first), then the timers
  // of A, then of B.
  Instant d = next_deadline();
  if (d == NEVER) return false;
  if (d > now_) now_ = d;
  begin_action();
  for (;;) {
    std::uint32_t id = 0;
    Instant t = net_.next_delivery(&id);
    if (t > now_) break;
    InFlight f;
    net_.take(id, f);
    // Only this delivery's replies are new: scanning from action_begin_
    // made n deliveries due in one instant cost n^2.
    const std::size_t from = trace_.size();
    deliver_taken(f);
    end_action(from);
  }
  for (Endpoint& e : ep_) {
    std::size_t from = trace_.size();
    e.on_time(now_, trace_);
    end_action(from);
  }
  return true;
}

void Simulation::advance_to(Instant t) {
  const Instant limit = config_.budget.time_ms;
  const bool past_limit = limit > 0 && t > limit;
  if (past_limit) t = limit;  // the clock never goes past the budget
  count_new_events();
  while (over_ == BudgetField::None && next_deadline() <= t) {
    if (!step_next()) break;
    count_new_events();
  }
  if (over_ != BudgetField::None) return;
  if (t > now_) now_ = t;
  if (past_limit) over_ = BudgetField::Time;
}

Prediction Simulation::predict(int host, const Segment& seg) const {
  Prediction p;
  Endpoint copy = ep_[host & 1];
  p.before = copy.state();
  p.reason = copy.on_segment(now_, seg, p.events);
  p.rejected = reason_rejects(p.reason);
  p.after = copy.state();
  for (const Event& e : p.events)
    if (e.kind == EventKind::Sent) p.replies.push_back(e.seg);
  return p;
}

}  // namespace tcplab
