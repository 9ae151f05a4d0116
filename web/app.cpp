#include "app.h"

#include <cmath>

namespace tcplab {

std::uint64_t seed_from_entropy(double entropy) {
  Rng r(static_cast<std::uint64_t>(std::fabs(entropy) * 4294967296.0));
  // Seeds stay below 10^9 so a learner can read and type them.
  return 1 + r.below(999999999u);
}

SimConfig App::make_config() const {
  SimConfig c;
  c.seed = seed;
  for (EndpointConfig& e : c.endpoint) {
    e.rfc5961 = settings.rfc5961;
    e.delayed_ack = settings.delayed_ack;
    e.rto_initial_ms = settings.rto_ms;
    e.max_retransmits = settings.max_retransmits;
    e.msl_ms = settings.msl_ms;
  }
  // Only the server (B) closes at once when the client's FIN arrives.
  c.endpoint[HOST_B].close_on_fin = settings.close_on_fin;
  c.net.latency_ms = settings.latency_ms;
  c.net.loss_ppm = static_cast<std::uint32_t>(settings.loss_percent) * 10000u;
  c.net.auto_deliver = true;
  return c;
}

void App::reset(std::uint64_t new_seed) {
  seed = new_seed;
  sim = Simulation(make_config());
  history.clear();
  for (SegmentBuilder& b : builder) b = SegmentBuilder{};
  for (std::string& f : feedback) f.clear();
  watched_trace = 0;
  watched_seg[0] = watched_seg[1] = 0;
  clock_carry = 0;
  refresh_builders();
}

void App::remember(const std::string& label) {
  history.push_back(UndoPoint{sim, label});
  // Keep the history bounded; the oldest points go first.
  if (history.size() > 200) history.erase(history.begin());
}

bool App::apply_pending() {
  if (pending.empty()) return false;
  std::vector<Command> todo;
  todo.swap(pending);
  static const char* HOST[2] = {"client", "server"};
  for (const Command& c : todo) {
    switch (c.kind) {
      case CommandKind::Call:
        remember(std::string(HOST[c.host & 1]) + ": " + call_name(c.call));
        sim.call(c.host, c.call, c.octets);
        break;
      case CommandKind::SendSegment:
        remember(std::string(HOST[c.host & 1]) + ": " + segment_label(c.seg));
        watched_seg[c.host & 1] = sim.send_raw(c.host, c.seg);
        feedback[c.host & 1].clear();
        builder[c.host & 1].edited = false;
        break;
      case CommandKind::Drop:
        if (sim.network().find(c.seg_id)) {
          remember("drop #" + std::to_string(c.seg_id));
          sim.drop(c.seg_id);
        }
        break;
      case CommandKind::Deliver:
        if (sim.network().find(c.seg_id)) {
          remember("deliver #" + std::to_string(c.seg_id));
          sim.deliver(c.seg_id);
        }
        break;
      case CommandKind::Step:
        if (busy()) {
          remember("skip to next event");
          sim.step_next();
        }
        break;
      case CommandKind::Undo:
        if (c.index >= 0 && static_cast<std::size_t>(c.index) < history.size()) {
          sim = history[static_cast<std::size_t>(c.index)].sim;
          history.resize(static_cast<std::size_t>(c.index));
          for (SegmentBuilder& b : builder) b.edited = false;
          watched_trace = 0;
        }
        break;
      case CommandKind::Reset:
        reset(c.seed);
        break;
      case CommandKind::Settings: {
        // Settings apply from now on: the endpoints keep their TCBs.
        SimConfig cfg = make_config();
        for (int h = 0; h < 2; ++h) sim.endpoint(h).config() = cfg.endpoint[h];
        sim.network().config = cfg.net;
        break;
      }
    }
  }
  update_feedback();
  refresh_builders();
  return true;
}

bool App::tick(double real_ms) {
  if (!playing || !busy()) {
    clock_carry = 0;
    return false;
  }
  clock_carry += real_ms * speed;
  const auto whole = static_cast<Duration>(clock_carry);
  if (whole <= 0) return true;
  clock_carry -= static_cast<double>(whole);
  const std::size_t before = sim.trace().size();
  sim.advance_to(sim.now() + whole);
  if (sim.trace().size() != before) {
    update_feedback();
    refresh_builders();
  }
  return true;
}

void App::update_feedback() {
  // The verdict on a hand-built segment, in the engine's words.
  const Trace& t = sim.trace();
  if (watched_trace > t.size()) watched_trace = 0;
  for (std::size_t i = watched_trace; i < t.size(); ++i) {
    const Event& e = t[i];
    for (int h = 0; h < 2; ++h) {
      if (watched_seg[h] == 0 || e.seg_id != watched_seg[h]) continue;
      if (e.kind == EventKind::Accepted || e.kind == EventKind::Rejected || e.kind == EventKind::Lost ||
          e.kind == EventKind::Dropped)
        feedback[h] = describe_event(e, lang);
    }
  }
  watched_trace = t.size();
}

void App::refresh_builders() {
  for (int h = 0; h < 2; ++h) {
    SegmentBuilder& b = builder[h];
    const Endpoint& e = sim.endpoint(h);
    if (b.edited && b.filled_for == e.state()) continue;
    const Tcb& t = e.tcb();
    b = SegmentBuilder{};
    b.filled_for = e.state();
    switch (e.state()) {
      case State::Closed:
      case State::Listen:
        // What an active OPEN would send.
        b.syn = true;
        b.ack = false;
        b.seq = t.iss;
        break;
      case State::SynSent:
        b.syn = true;
        b.ack = false;
        b.seq = t.iss;
        break;
      case State::SynReceived:
        b.syn = true;
        b.ack = true;
        b.seq = t.iss;
        b.ack_no = t.rcv_nxt;
        break;
      case State::Established:
      case State::FinWait1:
      case State::FinWait2:
      case State::CloseWait:
      case State::Closing:
      case State::LastAck:
      case State::TimeWait:
        b.ack = true;
        b.seq = t.snd_nxt;
        b.ack_no = t.rcv_nxt;
        break;
    }
  }
}

Segment App::built_segment(int host) const {
  const SegmentBuilder& b = builder[host & 1];
  Segment s;
  s.flags = static_cast<std::uint8_t>((b.syn ? FLAG_SYN : 0) | (b.ack ? FLAG_ACK : 0) |
                                      (b.fin ? FLAG_FIN : 0) | (b.rst ? FLAG_RST : 0));
  s.seq = b.seq;
  s.ack = b.ack ? b.ack_no : 0;
  s.len = b.len;
  s.wnd = sim.endpoint(host).config().rcv_wnd;
  return s;
}

}  // namespace tcplab
