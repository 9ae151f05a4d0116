// Two endpoints, the network between them and a virtual clock. The whole
// simulation is a value: copy it to keep an undo point. Same config and
// same inputs give a byte-identical trace.
#pragma once
#include <cstdint>
#include <vector>

#include "budget.h"
#include "endpoint.h"
#include "network.h"
#include "rng.h"
#include "trace.h"

namespace tcplab {

constexpr int HOST_A = 0;
constexpr int HOST_B = 1;

struct SimConfig {
  std::uint64_t seed = 1;
  EndpointConfig endpoint[2];
  std::vector<Seq> iss[2];  // fixed ISS values; empty: drawn from the seed
  NetConfig net;
  bool keep_trace = true;   // false: the trace is cleared after every call
  RunBudget budget;         // no limits unless the caller sets them
};

// What an endpoint would do with a segment, without doing it.
struct Prediction {
  Reason reason = Reason::None;
  bool rejected = false;
  State before = State::Closed;
  State after = State::Closed;
  std::vector<Segment> replies;
  Trace events;
};

class Simulation {
 public:
  Simulation() : Simulation(SimConfig{}) {}
  explicit Simulation(const SimConfig& config);

  Instant now() const { return now_; }
  std::uint64_t seed() const { return config_.seed; }
  const SimConfig& config() const { return config_; }
  const Endpoint& endpoint(int host) const { return ep_[host]; }
  Endpoint& endpoint(int host) { return ep_[host]; }
  const Network& network() const { return net_; }
  Network& network() { return net_; }
  const Trace& trace() const { return trace_; }

  // User calls on a host. `octets` is for Call::Send.
  Reason call(int host, Call c, std::uint32_t octets = 0);

  // Manual network control. Each returns false when there is no such segment.
  bool deliver_oldest(int dir);
  bool deliver(std::uint32_t id);
  bool drop_oldest(int dir);
  bool drop(std::uint32_t id);
  // A segment arrives at `host` from outside the channel (an old duplicate,
  // a forged RST); the host's reply goes onto the channel as usual.
  Reason inject(int host, const Segment& seg);

  // A hand-built segment leaves `from` without going through its state
  // machine (like a packet crafted by a tool): it travels the network and
  // the peer processes it on arrival. Returns its network id; 0 (nothing
  // sent) once the run is over its budget.
  std::uint32_t send_raw(int from, const Segment& seg);

  // Replaying a capture that began after the handshake: `host` becomes
  // ESTABLISHED with the given SND.NXT, RCV.NXT and peer window.
  void synchronize(int host, Seq snd_nxt, Seq rcv_nxt, std::uint32_t snd_wnd);
  // Replaying a capture: a segment still in flight that the real host never
  // put on the wire (it combined it with a later one) is taken back, with its
  // Sent event, as if it had not been sent. False when there is no such segment.
  bool withdraw(std::uint32_t id);
  // The same for many segments at once, in one pass over the trace (one
  // withdraw per stale ACK of a long capture was quadratic: issue 18, D8).
  // Returns how many were in flight.
  std::size_t withdraw(std::vector<std::uint32_t> ids);
  // The clock moves to t without processing anything due (a replay drives
  // every step itself); never backwards.
  void set_time(Instant t) {
    if (t > now_) now_ = t;
  }

  // Fire a timer now, due or not (a scenario step).
  Reason fire_timer(int host, TimerKind kind);

  // The next instant something is due: a delivery or a timer (NEVER if none).
  Instant next_deadline() const;
  // Processes, in time order, everything due up to and including t; the
  // clock ends at t (never goes back). Stops early when the budget runs out.
  void advance_to(Instant t);

  // The first limit of config().budget the run went over (None: within it).
  // Once over, advance_to() does nothing more; other calls still work, so
  // the caller decides (the runners stop the run and say why).
  BudgetField over_budget() const { return over_; }
  std::uint64_t retransmissions() const { return retransmissions_; }
  std::uint64_t events_written() const { return events_; }
  // Jumps to next_deadline() and processes what is due then. False if none.
  bool step_next();

  // What would `host` do with `seg` now? Nothing changes.
  Prediction predict(int host, const Segment& seg) const;

  // Reached from the index of the first trace event written by the most
  // recent call, so callers can inspect what one action did.
  std::size_t last_action_begin() const { return action_begin_; }

 private:
  void begin_action();
  void end_action(std::size_t from);
  void deliver_taken(const InFlight& f);
  void fire_due_timers();
  void count_new_events();  // tallies the trace since counted_, checks the budget

  SimConfig config_;
  Endpoint ep_[2];
  Network net_;
  Rng rng_;
  Instant now_ = 0;
  Trace trace_;
  std::size_t action_begin_ = 0;
  // The budget's tallies: they survive the trace being cleared.
  std::size_t counted_ = 0;  // trace events already tallied
  std::uint64_t events_ = 0;
  std::uint64_t retransmissions_ = 0;
  BudgetField over_ = BudgetField::None;
};

}  // namespace tcplab
