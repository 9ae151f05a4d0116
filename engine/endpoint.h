// One side of a connection: the RFC 9293 state machine with its TCB.
// Every call takes `now` and appends what it did to `out` (segments sent,
// state changes, reasons); the endpoint never calls out and never reads a
// clock, so an Endpoint is a plain value that can be copied to rewind or to
// ask "what would you do with this segment?".
#pragma once
#include <cstdint>
#include <vector>

#include "rng.h"
#include "segment.h"
#include "state.h"
#include "instant.h"
#include "trace.h"

namespace tcplab {

struct EndpointConfig {
  // RFC 5961 protections: challenge ACK for an in-window RST not at RCV.NXT,
  // for a SYN in a synchronized state, and for an ACK older than
  // SND.UNA - MAX.SND.WND. Off: the RFC 793 behaviour.
  bool rfc5961 = true;
  // Delay pure ACKs by delayed_ack_ms (RFC 9293 3.8.6.3); data or a FIN sent
  // meanwhile carries the ACK instead.
  bool delayed_ack = false;
  Duration delayed_ack_ms = 40;
  // The application closes as soon as the peer's FIN arrives, so the FIN
  // rides with the ACK of the peer's FIN (the three-segment close).
  bool close_on_fin = false;
  // Retransmission: first timeout, doubled on every expiry (exponential
  // back-off) up to rto_max_ms; after max_retransmits retransmissions of the
  // same segment the next expiry gives up (connection timed out).
  // max_retransmits < 0: never give up.
  Duration rto_initial_ms = 1000;
  Duration rto_max_ms = 60000;
  int max_retransmits = 5;
  // Maximum Segment Lifetime: TIME-WAIT lasts 2 * msl_ms (RFC 9293 3.4.2).
  Duration msl_ms = 120000;
  std::uint32_t rcv_wnd = 4096;
  // SEND octets beyond the peer's window wait until ACKs open it (RFC 9293
  // 3.8.6: a sender must not send beyond SND.UNA + SND.WND). false: every
  // SEND goes out at once as one segment (the scenario runner's rule).
  bool send_within_window = true;
  // Minimum time between two ACKs answering out-of-window segments (Linux:
  // 500 ms). 0: answer every one, as RFC 9293 3.10.7.4 writes it.
  Duration oow_ack_interval_ms = 0;
};

// The transmission control block variables of RFC 9293 3.3.1.
struct Tcb {
  Seq iss = 0, irs = 0;
  Seq snd_una = 0, snd_nxt = 0;
  std::uint32_t snd_wnd = 0, max_snd_wnd = 0;
  Seq snd_wl1 = 0, snd_wl2 = 0;
  Seq rcv_nxt = 0;
  std::uint32_t rcv_wnd = 0;
};

// A segment waiting for its acknowledgment (carries SYN, FIN or data).
struct Outstanding {
  Seq seq = 0;
  std::uint8_t flags = 0;  // FLAG_SYN and/or FLAG_FIN; data otherwise
  std::uint32_t len = 0;   // payload octets
  std::uint32_t seg_len() const {
    return len + ((flags & FLAG_SYN) ? 1u : 0u) + ((flags & FLAG_FIN) ? 1u : 0u);
  }
};

// An in-window segment that arrived ahead of RCV.NXT, held for later.
struct Held {
  Seq seq = 0;
  std::uint32_t len = 0;
  bool fin = false;
};

struct Timers {
  Instant retransmit = NEVER;
  Instant time_wait = NEVER;
  Instant delayed_ack = NEVER;
};

class Endpoint {
 public:
  Endpoint() = default;
  // `iss` lists the ISS values to use, in order (a scenario's setup); once it
  // is used up (or when empty) ISS values come from a PRNG seeded by iss_seed.
  Endpoint(std::uint8_t host, const EndpointConfig& config, std::vector<Seq> iss,
           std::uint64_t iss_seed);

  // User calls (RFC 9293 3.10.1-3.10.5). The returned reason says what the
  // call did or, for a refused call, why (then nothing changed).
  Reason open(Instant now, bool active, Trace& out);
  Reason send(Instant now, std::uint32_t octets, Trace& out);
  Reason close(Instant now, Trace& out);
  Reason abort(Instant now, Trace& out);

  // A connection whose opening was not seen (a capture that began after the
  // handshake): ESTABLISHED with ISS = SND.UNA = SND.NXT = snd_nxt and
  // IRS + 1 = RCV.NXT = rcv_nxt, as if the handshake had just ended.
  void synchronize(Instant now, Seq snd_nxt, Seq rcv_nxt, std::uint32_t snd_wnd, Trace& out);

  // SEGMENT ARRIVES (RFC 9293 3.10.7). Returns the rule that decided; use
  // reason_rejects() to tell whether the segment was refused.
  Reason on_segment(Instant now, const Segment& seg, Trace& out);

  // Timers (RFC 9293 3.10.8). fire_* fire a timer now whether or not it is
  // due (a scenario step may force it); on_time fires every timer due by now.
  Reason fire(Instant now, TimerKind kind, Trace& out);
  void on_time(Instant now, Trace& out);
  Instant next_deadline() const;

  State state() const { return state_; }
  const Tcb& tcb() const { return tcb_; }
  const Timers& timers() const { return timers_; }
  const EndpointConfig& config() const { return config_; }
  EndpointConfig& config() { return config_; }
  const std::vector<Outstanding>& outstanding() const { return rtx_; }
  int retransmit_count() const { return retransmits_; }
  Duration current_rto() const { return rto_; }
  std::uint8_t host() const { return host_; }
  bool passive_open() const { return passive_; }
  // Octets accepted from the peer and delivered to the application so far.
  std::uint64_t octets_received() const { return octets_received_; }
  // Octets the application handed to SEND that wait for ESTABLISHED or for
  // the peer's window to open.
  std::uint32_t queued_octets() const { return queued_octets_; }
  bool close_queued() const { return close_queued_; }
  // The segment the endpoint would send next for a plain ACK, as the UI's
  // segment builder pre-fills it (<SEQ=SND.NXT><ACK=RCV.NXT>).
  Segment template_segment() const;

 private:
  void set_state(Instant now, State to, Reason why, Trace& out);
  void emit(Instant now, Segment seg, Trace& out);
  void emit_ack(Instant now, Trace& out);
  void emit_rst(Instant now, Seq seq, Trace& out);
  void emit_rst_ack(Instant now, Seq seq, Seq ack, Trace& out);
  void send_control(Instant now, std::uint8_t flags, std::uint32_t len, Trace& out);
  void signal(Instant now, Reason r, Trace& out);
  void delete_tcb(Instant now, Reason why, Trace& out);
  void return_to_listen(Instant now, Reason why, Trace& out);
  Seq select_iss();
  void arm_retransmit(Instant now);
  void flush_queued(Instant now, Trace& out);
  std::uint32_t usable_window() const;
  bool acceptable(const Segment& seg) const;
  Reason segment_closed(Instant now, const Segment& seg, Trace& out);
  Reason segment_listen(Instant now, const Segment& seg, Trace& out);
  Reason segment_syn_sent(Instant now, const Segment& seg, Trace& out);
  Reason segment_other(Instant now, const Segment& seg, Trace& out);
  void process_ack_advance(Instant now, const Segment& seg);
  bool our_fin_acked() const;
  void process_text_and_fin(Instant now, Seq seq, std::uint32_t len, bool fin, Trace& out,
                            Reason& result);
  void record(Instant now, EventKind kind, Reason r, const Segment* seg, Trace& out);

  std::uint8_t host_ = 0;
  EndpointConfig config_;
  State state_ = State::Closed;
  Tcb tcb_;
  Timers timers_;
  bool passive_ = false;          // this TCB came from LISTEN (RFC 9293 3.10.7.4)
  bool fin_sent_ = false;
  Seq fin_seq_ = 0;
  bool ack_pending_ = false;      // an ACK is owed (sent at the end of processing)
  Duration rto_ = 1000;
  Instant last_oow_ack_ = NEVER;
  int retransmits_ = 0;
  std::uint32_t queued_octets_ = 0;
  bool close_queued_ = false;
  std::uint64_t octets_received_ = 0;
  std::vector<Outstanding> rtx_;
  std::vector<Held> held_;
  std::vector<Seq> iss_list_;
  std::size_t iss_used_ = 0;
  Rng iss_rng_;
};

}  // namespace tcplab
