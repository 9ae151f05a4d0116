// Chained fixtures for the state-machine tests, in the manner of smoltcp's
// socket_listen() -> socket_syn_received() -> ...: each function returns a
// Simulation standing in one situation of RFC 9293's state diagram, built
// from the previous one through the public API only.
//
// The cast: A is the active opener (ISS 1000), B the passive one (ISS 5000).
// Segments never move by themselves (auto_deliver = false): a test delivers,
// drops or injects them, and the clock moves only when a test advances it.
// After the three-way handshake A has SND.NXT 1001, RCV.NXT 5001 and B has
// SND.NXT 5001, RCV.NXT 1001.
//
// Helpers read the trace: what a host sent since a mark, the reason of the
// rule that decided, the states it went through.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "endpoint.h"
#include "reason.h"
#include "segment.h"
#include "seq.h"
#include "simulation.h"
#include "state.h"
#include "trace.h"

namespace tcplab {

// The tests' own spelling of the states (RFC 9293 3.3.2), so that a failure
// message never depends on the names under test in test_names.cpp.
inline const char* test_state_name(State s) {
  switch (s) {
    case State::Closed: return "CLOSED";
    case State::Listen: return "LISTEN";
    case State::SynSent: return "SYN-SENT";
    case State::SynReceived: return "SYN-RECEIVED";
    case State::Established: return "ESTABLISHED";
    case State::FinWait1: return "FIN-WAIT-1";
    case State::FinWait2: return "FIN-WAIT-2";
    case State::CloseWait: return "CLOSE-WAIT";
    case State::Closing: return "CLOSING";
    case State::LastAck: return "LAST-ACK";
    case State::TimeWait: return "TIME-WAIT";
  }
  return "?";
}

// "SYN,ACK seq=5000 ack=1001", " len=N" when N > 0, no ack without the ACK
// bit, flags in Wireshark's order (SYN, FIN, RST, ACK) like the engine's
// flags_text: "FIN,ACK", "RST,ACK". PSH is left out: it plays no
// part in the state machine (the scenario format ignores it too). The window
// is not part of the text: the tests compare flags, SEQ, ACK and length.
inline std::string wire(const Segment& s) {
  std::string f;
  auto add = [&](Flag bit, const char* name) {
    if (s.has(bit)) {
      if (!f.empty()) f += ",";
      f += name;
    }
  };
  add(FLAG_SYN, "SYN");
  add(FLAG_FIN, "FIN");
  add(FLAG_RST, "RST");
  add(FLAG_ACK, "ACK");
  if (f.empty()) f = "none";
  std::string out = f + " seq=" + std::to_string(s.seq);
  if (s.has(FLAG_ACK)) out += " ack=" + std::to_string(s.ack);
  if (s.len > 0) out += " len=" + std::to_string(s.len);
  return out;
}

// Several segments, " | " between them; "nothing" for none.
inline std::string wire(const std::vector<Segment>& segs) {
  if (segs.empty()) return "nothing";
  std::string out;
  for (const Segment& s : segs) {
    if (!out.empty()) out += " | ";
    out += wire(s);
  }
  return out;
}

// doctest 2.4.9 turns an enum into its underlying integer before it looks at
// StringMaker, so a State would print as a raw byte; this overload, found by
// argument-dependent lookup, wins over that template.
inline doctest::String toString(State s) { return test_state_name(s); }

}  // namespace tcplab

namespace doctest {
template <>
struct StringMaker<tcplab::State> {
  static String convert(tcplab::State s) { return tcplab::test_state_name(s); }
};
template <>
struct StringMaker<tcplab::Segment> {
  static String convert(const tcplab::Segment& s) { return tcplab::wire(s).c_str(); }
};
}  // namespace doctest

namespace fx {

using namespace tcplab;

constexpr Seq ISS_A = 1000;
constexpr Seq ISS_B = 5000;
constexpr std::uint32_t WND = 4096;  // RCV.WND of both sides (EndpointConfig default)

// ---------------------------------------------------------------- config

// Fixed ISS, manual delivery, both endpoints in one profile.
inline SimConfig config(bool rfc5961 = true) {
  SimConfig c;
  c.seed = 1;
  c.iss[HOST_A] = {ISS_A};
  c.iss[HOST_B] = {ISS_B};
  c.net.auto_deliver = false;
  c.net.latency_ms = 100;
  for (EndpointConfig& e : c.endpoint) {
    e.rfc5961 = rfc5961;
    e.rcv_wnd = WND;
  }
  return c;
}
inline SimConfig rfc5961_config() { return config(true); }
inline SimConfig rfc793_config() { return config(false); }

// ---------------------------------------------------------------- helpers

inline std::string key(Reason r) { return reason_key(r); }
inline State state_of(const Simulation& sim, int host) { return sim.endpoint(host).state(); }
inline const Tcb& tcb_of(const Simulation& sim, int host) { return sim.endpoint(host).tcb(); }

// The index of the next trace event: pass it to the readers below.
inline std::size_t mark(const Simulation& sim) { return sim.trace().size(); }

// A segment to inject; the window is the usual one so that it never shrinks
// the receiver's view of SND.WND.
inline Segment seg(std::uint8_t flags, Seq seq, Seq ack = 0, std::uint32_t len = 0) {
  Segment s;
  s.flags = flags;
  s.seq = seq;
  s.ack = ack;
  s.len = len;
  s.wnd = WND;
  return s;
}

// Delivers the oldest segment `from` sent (direction == sender) and insists
// there was one.
inline void deliver_from(Simulation& sim, int from) {
  REQUIRE_MESSAGE(sim.deliver_oldest(from), "no segment in flight from host ", from);
}
// Delivers every segment in flight from `from` when the call starts, oldest
// first (replies join the other direction's queue).
inline void deliver_all_from(Simulation& sim, int from) {
  std::size_t n = sim.network().in_flight(from).size();
  for (std::size_t i = 0; i < n; ++i) deliver_from(sim, from);
}
inline void drop_from(Simulation& sim, int from) {
  REQUIRE_MESSAGE(sim.drop_oldest(from), "no segment in flight from host ", from);
}

// Segments `host` put on the wire since `since`, in order.
inline std::vector<Segment> sent(const Simulation& sim, std::size_t since, int host) {
  std::vector<Segment> out;
  const Trace& t = sim.trace();
  for (std::size_t i = since; i < t.size(); ++i)
    if (t[i].kind == EventKind::Sent && t[i].host == host) out.push_back(t[i].seg);
  return out;
}
inline std::string sent_text(const Simulation& sim, std::size_t since, int host) {
  return wire(sent(sim, since, host));
}
// Every segment either host sent since `since`, "A: " / "B: " in front.
inline std::string all_sent_text(const Simulation& sim, std::size_t since) {
  std::string out;
  const Trace& t = sim.trace();
  for (std::size_t i = since; i < t.size(); ++i) {
    if (t[i].kind != EventKind::Sent) continue;
    if (!out.empty()) out += " | ";
    out += (t[i].host == HOST_A ? "A: " : "B: ") + wire(t[i].seg);
  }
  return out.empty() ? "nothing" : out;
}
// The segments in flight from `from` (direction == sender), oldest first.
inline std::string in_flight_text(const Simulation& sim, int from) {
  std::vector<Segment> segs;
  for (const InFlight& f : sim.network().in_flight(from)) segs.push_back(f.seg);
  return wire(segs);
}

// The states `host` went through since `since`: "LISTEN -> SYN-RECEIVED";
// "no change" when there was no StateChanged event.
inline std::string path(const Simulation& sim, std::size_t since, int host) {
  std::string out;
  const Trace& t = sim.trace();
  for (std::size_t i = since; i < t.size(); ++i) {
    if (t[i].kind != EventKind::StateChanged || t[i].host != host) continue;
    if (out.empty()) out = test_state_name(t[i].from);
    out += std::string(" -> ") + test_state_name(t[i].to);
  }
  return out.empty() ? "no change" : out;
}

// The reason key of the last state change of `host` since `since`.
inline std::string change_reason(const Simulation& sim, std::size_t since, int host) {
  const Trace& t = sim.trace();
  std::string out = "(no state change)";
  for (std::size_t i = since; i < t.size(); ++i)
    if (t[i].kind == EventKind::StateChanged && t[i].host == host) out = key(t[i].reason);
  return out;
}

// The reason key of the first Accepted or Rejected event of `host` (the
// rule that decided what to do with the segment it received).
inline std::string verdict(const Simulation& sim, std::size_t since, int host) {
  const Trace& t = sim.trace();
  for (std::size_t i = since; i < t.size(); ++i)
    if ((t[i].kind == EventKind::Accepted || t[i].kind == EventKind::Rejected) &&
        t[i].host == host)
      return key(t[i].reason);
  return "(no verdict)";
}
// True when that first verdict was a Rejected event.
inline bool was_rejected(const Simulation& sim, std::size_t since, int host) {
  const Trace& t = sim.trace();
  for (std::size_t i = since; i < t.size(); ++i)
    if ((t[i].kind == EventKind::Accepted || t[i].kind == EventKind::Rejected) &&
        t[i].host == host)
      return t[i].kind == EventKind::Rejected;
  return false;
}

// Reason keys of the Signal events of `host` (", " between them), "none".
inline std::string signals(const Simulation& sim, std::size_t since, int host) {
  std::string out;
  const Trace& t = sim.trace();
  for (std::size_t i = since; i < t.size(); ++i) {
    if (t[i].kind != EventKind::Signal || t[i].host != host) continue;
    if (!out.empty()) out += ", ";
    out += key(t[i].reason);
  }
  return out.empty() ? "none" : out;
}

// Reason keys of the TimerFired events of `host`.
inline std::string timers_fired(const Simulation& sim, std::size_t since, int host) {
  std::string out;
  const Trace& t = sim.trace();
  for (std::size_t i = since; i < t.size(); ++i) {
    if (t[i].kind != EventKind::TimerFired || t[i].host != host) continue;
    if (!out.empty()) out += ", ";
    out += key(t[i].reason);
  }
  return out.empty() ? "none" : out;
}

// Reason key of the last CallError event of `host` ("none" if none).
inline std::string call_error(const Simulation& sim, std::size_t since, int host) {
  const Trace& t = sim.trace();
  std::string out = "none";
  for (std::size_t i = since; i < t.size(); ++i)
    if (t[i].kind == EventKind::CallError && t[i].host == host) out = key(t[i].reason);
  return out;
}

// ---------------------------------------------------------------- fixtures

// Both endpoints CLOSED, nothing in flight, clock at 0.
inline Simulation closed(const SimConfig& c = config()) {
  Simulation sim(c);
  REQUIRE(state_of(sim, HOST_A) == State::Closed);
  REQUIRE(state_of(sim, HOST_B) == State::Closed);
  return sim;
}

// B LISTEN (passive OPEN), A CLOSED.
inline Simulation listen(const SimConfig& c = config()) {
  Simulation sim = closed(c);
  sim.call(HOST_B, Call::OpenPassive);
  REQUIRE(state_of(sim, HOST_B) == State::Listen);
  return sim;
}

// A SYN-SENT (active OPEN), its SYN <SEQ=1000> in flight; B LISTEN.
inline Simulation syn_sent(const SimConfig& c = config()) {
  Simulation sim = listen(c);
  sim.call(HOST_A, Call::OpenActive);
  REQUIRE(state_of(sim, HOST_A) == State::SynSent);
  REQUIRE(sim.network().in_flight(HOST_A).size() == 1);
  return sim;
}

// B SYN-RECEIVED (from LISTEN), its SYN,ACK <SEQ=5000><ACK=1001> in flight;
// A SYN-SENT.
inline Simulation syn_received(const SimConfig& c = config()) {
  Simulation sim = syn_sent(c);
  deliver_from(sim, HOST_A);
  REQUIRE(state_of(sim, HOST_B) == State::SynReceived);
  REQUIRE(sim.network().in_flight(HOST_B).size() == 1);
  return sim;
}

// Both ESTABLISHED after the three-way handshake, nothing in flight.
inline Simulation established(const SimConfig& c = config()) {
  Simulation sim = syn_received(c);
  deliver_from(sim, HOST_B);  // SYN,ACK -> A: ESTABLISHED, A sends ACK
  deliver_from(sim, HOST_A);  // ACK -> B: ESTABLISHED
  REQUIRE(state_of(sim, HOST_A) == State::Established);
  REQUIRE(state_of(sim, HOST_B) == State::Established);
  REQUIRE(sim.network().count() == 0);
  return sim;
}

// A FIN-WAIT-1 (CLOSE), its FIN,ACK <SEQ=1001><ACK=5001> in flight;
// B ESTABLISHED.
inline Simulation fin_wait_1(const SimConfig& c = config()) {
  Simulation sim = established(c);
  sim.call(HOST_A, Call::Close);
  REQUIRE(state_of(sim, HOST_A) == State::FinWait1);
  REQUIRE(sim.network().in_flight(HOST_A).size() == 1);
  return sim;
}

// A FIN-WAIT-2 and B CLOSE-WAIT: A's FIN arrived and B's ACK of it too;
// nothing in flight.
inline Simulation fin_wait_2(const SimConfig& c = config()) {
  Simulation sim = fin_wait_1(c);
  deliver_from(sim, HOST_A);  // FIN -> B: CLOSE-WAIT, B sends ACK
  REQUIRE(state_of(sim, HOST_B) == State::CloseWait);
  deliver_from(sim, HOST_B);  // ACK -> A: FIN-WAIT-2
  REQUIRE(state_of(sim, HOST_A) == State::FinWait2);
  REQUIRE(sim.network().count() == 0);
  return sim;
}
// The same situation seen from B.
inline Simulation close_wait(const SimConfig& c = config()) { return fin_wait_2(c); }

// B LAST-ACK (CLOSE in CLOSE-WAIT), its FIN,ACK <SEQ=5001><ACK=1002> in
// flight; A FIN-WAIT-2.
inline Simulation last_ack(const SimConfig& c = config()) {
  Simulation sim = close_wait(c);
  sim.call(HOST_B, Call::Close);
  REQUIRE(state_of(sim, HOST_B) == State::LastAck);
  REQUIRE(sim.network().in_flight(HOST_B).size() == 1);
  return sim;
}

// A TIME-WAIT (B's FIN arrived, A's ACK of it reached B), B CLOSED, nothing
// in flight, clock at 0.
inline Simulation time_wait(const SimConfig& c = config()) {
  Simulation sim = last_ack(c);
  deliver_from(sim, HOST_B);  // FIN -> A: TIME-WAIT, A sends ACK
  REQUIRE(state_of(sim, HOST_A) == State::TimeWait);
  deliver_from(sim, HOST_A);  // ACK -> B: CLOSED
  REQUIRE(state_of(sim, HOST_B) == State::Closed);
  REQUIRE(sim.network().count() == 0);
  return sim;
}

// Simultaneous close: both sides closed, each one's FIN reached the other
// before that side's FIN was acknowledged. Both CLOSING; in flight: A's ACK
// <SEQ=1002><ACK=5002> and B's ACK <SEQ=5002><ACK=1002>.
inline Simulation closing(const SimConfig& c = config()) {
  Simulation sim = established(c);
  sim.call(HOST_A, Call::Close);
  sim.call(HOST_B, Call::Close);
  REQUIRE(state_of(sim, HOST_A) == State::FinWait1);
  REQUIRE(state_of(sim, HOST_B) == State::FinWait1);
  deliver_from(sim, HOST_A);  // A's FIN -> B: CLOSING, B sends ACK
  deliver_from(sim, HOST_B);  // B's FIN -> A: CLOSING, A sends ACK
  REQUIRE(state_of(sim, HOST_A) == State::Closing);
  REQUIRE(state_of(sim, HOST_B) == State::Closing);
  REQUIRE(sim.network().in_flight(HOST_A).size() == 1);
  REQUIRE(sim.network().in_flight(HOST_B).size() == 1);
  return sim;
}

// Simultaneous open: both sides did an active OPEN; A's SYN <SEQ=1000> and
// B's SYN <SEQ=5000> are in flight, neither delivered.
inline Simulation simultaneous_open(const SimConfig& c = config()) {
  Simulation sim = closed(c);
  sim.call(HOST_A, Call::OpenActive);
  sim.call(HOST_B, Call::OpenActive);
  REQUIRE(state_of(sim, HOST_A) == State::SynSent);
  REQUIRE(state_of(sim, HOST_B) == State::SynSent);
  return sim;
}

// A SYN-RECEIVED after a simultaneous open (B's SYN arrived in SYN-SENT);
// in flight from A: its SYN and its SYN,ACK <SEQ=1000><ACK=5001>; from B:
// nothing. B SYN-SENT.
inline Simulation simultaneous_syn_received(const SimConfig& c = config()) {
  Simulation sim = simultaneous_open(c);
  deliver_from(sim, HOST_B);  // B's SYN -> A
  REQUIRE(state_of(sim, HOST_A) == State::SynReceived);
  return sim;
}

// ------------------------------------------------- arcs common to states

// Where an endpoint stands in a synchronized state, for the checks shared by
// every synchronized state (RST and SYN processing, RFC 9293 3.10.7.4).
struct Synchronized {
  Simulation (*make)(const SimConfig&);
  int host;
  State state;
  Seq snd_nxt;
  Seq rcv_nxt;
  const char* reset_reason;  // the reason key of an RST at RCV.NXT
  bool signals_reset;        // the user is told "connection reset"
};

inline Simulation make_situation(const Synchronized& s, bool rfc5961) {
  Simulation sim = s.make(config(rfc5961));
  REQUIRE(state_of(sim, s.host) == s.state);
  REQUIRE(tcb_of(sim, s.host).snd_nxt == s.snd_nxt);
  REQUIRE(tcb_of(sim, s.host).rcv_nxt == s.rcv_nxt);
  return sim;
}

inline std::string ack_text(Seq seq, Seq ack) {
  return "ACK seq=" + std::to_string(seq) + " ack=" + std::to_string(ack);
}

// RFC 9293 3.10.7.4, first check (sequence number) and second check (RST
// bit), with and without the RFC 5961 3.2 protection.
inline void check_rst_arcs(const Synchronized& s) {
  auto reset = [&](bool rfc5961, Seq at) {
    Simulation sim = make_situation(s, rfc5961);
    std::size_t m = mark(sim);
    Reason r = sim.inject(s.host, seg(FLAG_RST, at));
    CHECK(state_of(sim, s.host) == State::Closed);
    CHECK(key(r) == std::string(s.reset_reason));
    CHECK(change_reason(sim, m, s.host) == std::string(s.reset_reason));
    CHECK(sent_text(sim, m, s.host) == "nothing");
    CHECK(sim.endpoint(s.host).next_deadline() == NEVER);
    if (s.signals_reset) {
      CHECK(signals(sim, m, s.host) == "rst.connection_reset");
    }
  };
  SUBCASE("RST exactly at RCV.NXT resets (RFC 5961 on)") { reset(true, s.rcv_nxt); }
  SUBCASE("RST exactly at RCV.NXT resets (RFC 5961 off)") { reset(false, s.rcv_nxt); }
  SUBCASE("in-window RST not at RCV.NXT resets (RFC 5961 off)") {
    reset(false, s.rcv_nxt + WND - 1);
  }
  SUBCASE("in-window RST not at RCV.NXT gets a challenge ACK (RFC 5961 on)") {
    Simulation sim = make_situation(s, true);
    std::size_t m = mark(sim);
    Reason r = sim.inject(s.host, seg(FLAG_RST, s.rcv_nxt + WND - 1));
    CHECK(state_of(sim, s.host) == s.state);
    CHECK(key(r) == "rst.not_at_rcv_nxt.challenge_ack");
    CHECK(reason_rejects(r));
    // RFC 5961 3.2: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
    CHECK(sent_text(sim, m, s.host) == ack_text(s.snd_nxt, s.rcv_nxt));
    CHECK(path(sim, m, s.host) == "no change");
  }
  auto dropped = [&](bool rfc5961, Seq at) {
    Simulation sim = make_situation(s, rfc5961);
    std::size_t m = mark(sim);
    Reason r = sim.inject(s.host, seg(FLAG_RST, at));
    CHECK(state_of(sim, s.host) == s.state);
    CHECK(key(r) == "seq.unacceptable.rst.drop");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, s.host) == "nothing");
    CHECK(path(sim, m, s.host) == "no change");
  };
  // RCV.NXT + RCV.WND is the first sequence number outside the window.
  SUBCASE("RST right of the window is dropped silently (RFC 5961 on)") {
    dropped(true, s.rcv_nxt + WND);
  }
  SUBCASE("RST right of the window is dropped silently (RFC 5961 off)") {
    dropped(false, s.rcv_nxt + WND);
  }
  SUBCASE("RST left of the window is dropped silently (RFC 5961 on)") {
    dropped(true, s.rcv_nxt - 1);
  }
  SUBCASE("RST left of the window is dropped silently (RFC 5961 off)") {
    dropped(false, s.rcv_nxt - 1);
  }
}

// RFC 9293 3.10.7.4, fourth check (SYN bit) in a synchronized state: RFC 5961
// 4.2 challenge ACK, or the RFC 793 reset for an in-window SYN.
inline void check_syn_arcs(const Synchronized& s) {
  SUBCASE("in-window SYN gets a challenge ACK, state unchanged (RFC 5961 on)") {
    Simulation sim = make_situation(s, true);
    std::size_t m = mark(sim);
    Reason r = sim.inject(s.host, seg(FLAG_SYN, s.rcv_nxt + 10));
    CHECK(state_of(sim, s.host) == s.state);
    CHECK(key(r) == "syn.synchronized.challenge_ack");
    CHECK(reason_rejects(r));
    CHECK(sent_text(sim, m, s.host) == ack_text(s.snd_nxt, s.rcv_nxt));
    CHECK(tcb_of(sim, s.host).rcv_nxt == s.rcv_nxt);
  }
  SUBCASE("in-window SYN,ACK gets a challenge ACK, state unchanged (RFC 5961 on)") {
    Simulation sim = make_situation(s, true);
    std::size_t m = mark(sim);
    Reason r = sim.inject(s.host, seg(FLAG_SYN | FLAG_ACK, s.rcv_nxt, s.snd_nxt));
    CHECK(state_of(sim, s.host) == s.state);
    CHECK(key(r) == "syn.synchronized.challenge_ack");
    CHECK(sent_text(sim, m, s.host) == ack_text(s.snd_nxt, s.rcv_nxt));
  }
  SUBCASE("in-window SYN without ACK: RST,ACK, CLOSED (RFC 5961 off)") {
    Simulation sim = make_situation(s, false);
    std::size_t m = mark(sim);
    Reason r = sim.inject(s.host, seg(FLAG_SYN, s.rcv_nxt + 10));
    CHECK(state_of(sim, s.host) == State::Closed);
    CHECK(key(r) == "syn.in_window.send_rst");
    // 3.5.2 / 3.10.7.1: no ACK bit: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
    CHECK(sent_text(sim, m, s.host) ==
          "RST,ACK seq=0 ack=" + std::to_string(s.rcv_nxt + 11));
    CHECK(sim.endpoint(s.host).next_deadline() == NEVER);
  }
  SUBCASE("in-window SYN,ACK: RST <SEQ=SEG.ACK>, CLOSED (RFC 5961 off)") {
    Simulation sim = make_situation(s, false);
    std::size_t m = mark(sim);
    Reason r = sim.inject(s.host, seg(FLAG_SYN | FLAG_ACK, s.rcv_nxt + 10, s.snd_nxt));
    CHECK(state_of(sim, s.host) == State::Closed);
    CHECK(key(r) == "syn.in_window.send_rst");
    CHECK(sent_text(sim, m, s.host) == "RST seq=" + std::to_string(s.snd_nxt));
  }
}

// RFC 9293 3.10.5 ABORT: `rst` is the reset expected ("nothing" when the
// state sends none) and `reason` the key the call returns.
inline void check_abort(Simulation sim, int host, const std::string& rst, const char* reason) {
  State before = state_of(sim, host);
  std::size_t m = mark(sim);
  Reason r = sim.call(host, Call::Abort);
  CHECK(key(r) == std::string(reason));
  CHECK(state_of(sim, host) == State::Closed);
  CHECK(path(sim, m, host) == std::string(test_state_name(before)) + " -> CLOSED");
  CHECK(sent_text(sim, m, host) == rst);
  CHECK(sim.endpoint(host).next_deadline() == NEVER);
  CHECK(sim.endpoint(host).outstanding().empty());
}

// SEND and CLOSE in a state where our side has already closed (3.10.2,
// 3.10.4: "error: connection closing"): nothing changes, nothing is sent.
inline void check_closing_errors(Simulation (*make)(const SimConfig&), int host, State state) {
  SUBCASE("SEND") {
    Simulation sim = make(config());
    REQUIRE(state_of(sim, host) == state);
    Tcb before = tcb_of(sim, host);
    std::size_t m = mark(sim);
    Reason r = sim.call(host, Call::Send, 10);
    CHECK(key(r) == "send.error.connection_closing");
    CHECK(call_error(sim, m, host) == "send.error.connection_closing");
    CHECK(state_of(sim, host) == state);
    CHECK(sent_text(sim, m, host) == "nothing");
    CHECK(tcb_of(sim, host).snd_nxt == before.snd_nxt);
  }
  SUBCASE("CLOSE") {
    Simulation sim = make(config());
    REQUIRE(state_of(sim, host) == state);
    std::size_t m = mark(sim);
    Reason r = sim.call(host, Call::Close);
    CHECK(key(r) == "close.error.connection_closing");
    CHECK(state_of(sim, host) == state);
    CHECK(sent_text(sim, m, host) == "nothing");  // never a second FIN
  }
}

}  // namespace fx
