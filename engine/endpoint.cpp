// One endpoint's RFC 9293 state machine.
//
// [SECTION] Construction and bookkeeping
// [SECTION] Sending
// [SECTION] User calls (3.10.1-3.10.5)
// [SECTION] SEGMENT ARRIVES (3.10.7)
// [SECTION] Timers (3.10.8)
#include "endpoint.h"

#include <algorithm>
#include <utility>

namespace tcplab {

//-----------------------------------------------------------------------------
// [SECTION] Construction and bookkeeping
//-----------------------------------------------------------------------------

Endpoint::Endpoint(std::uint8_t host, const EndpointConfig& config, std::vector<Seq> iss,
                   std::uint64_t iss_seed)
    : host_(host), config_(config), rto_(config.rto_initial_ms), iss_list_(std::move(iss)),
      iss_rng_(iss_seed) {
  tcb_.rcv_wnd = config.rcv_wnd;
}

void Endpoint::record(Instant now, EventKind kind, Reason r, const Segment* seg, Trace& out) {
  Event e;
  e.time = now;
  e.kind = kind;
  e.host = host_;
  e.from = e.to = state_;
  e.reason = r;
  if (seg) e.seg = *seg;
  out.push_back(e);
}

void Endpoint::set_state(Instant now, State to, Reason why, Trace& out) {
  if (to == state_) return;
  Event e;
  e.time = now;
  e.kind = EventKind::StateChanged;
  e.host = host_;
  e.from = state_;
  e.to = to;
  e.reason = why;
  out.push_back(e);
  state_ = to;
  if (to == State::TimeWait) {
    // RFC 9293 3.10.7.4: entering TIME-WAIT starts the 2 MSL timer and
    // turns off the other timers; everything we sent has been acknowledged.
    timers_.time_wait = now + 2 * config_.msl_ms;
    timers_.retransmit = NEVER;
    rtx_.clear();
    retransmits_ = 0;
    rto_ = config_.rto_initial_ms;
  }
}

void Endpoint::signal(Instant now, Reason r, Trace& out) {
  record(now, EventKind::Signal, r, nullptr, out);
}

void Endpoint::delete_tcb(Instant now, Reason why, Trace& out) {
  set_state(now, State::Closed, why, out);
  timers_ = Timers{};
  rtx_.clear();
  held_.clear();
  queued_octets_ = 0;
  close_queued_ = false;
  fin_sent_ = false;
  ack_pending_ = false;
  retransmits_ = 0;
  rto_ = config_.rto_initial_ms;
  passive_ = false;
}

// A connection that came from LISTEN goes back there (3.10.7.4): its
// half-open TCB is forgotten, the listening one stays.
void Endpoint::return_to_listen(Instant now, Reason why, Trace& out) {
  timers_ = Timers{};
  rtx_.clear();
  held_.clear();
  queued_octets_ = 0;
  close_queued_ = false;
  fin_sent_ = false;
  set_state(now, State::Listen, why, out);
}

Seq Endpoint::select_iss() {
  // A scenario fixes the ISS values; otherwise they come from a seeded PRNG
  // (RFC 9293 3.4.1 asks for unpredictable ISNs; seeded so a run replays).
  if (iss_used_ < iss_list_.size()) return iss_list_[iss_used_++];
  ++iss_used_;
  return iss_rng_.next_u32();
}

Segment Endpoint::template_segment() const {
  Segment s;
  s.flags = FLAG_ACK;
  s.seq = tcb_.snd_nxt;
  s.ack = tcb_.rcv_nxt;
  s.wnd = tcb_.rcv_wnd;
  return s;
}

bool Endpoint::our_fin_acked() const { return fin_sent_ && seq_gt(tcb_.snd_una, fin_seq_); }

Instant Endpoint::next_deadline() const {
  return std::min(timers_.retransmit, std::min(timers_.time_wait, timers_.delayed_ack));
}

//-----------------------------------------------------------------------------
// [SECTION] Sending
//-----------------------------------------------------------------------------

void Endpoint::emit(Instant now, Segment seg, Trace& out) {
  if (!seg.has(FLAG_RST)) seg.wnd = tcb_.rcv_wnd;
  if (seg.has(FLAG_ACK) && seg.ack == tcb_.rcv_nxt) {
    // Any segment carrying the current RCV.NXT pays the ACK we owe.
    ack_pending_ = false;
    timers_.delayed_ack = NEVER;
  }
  record(now, EventKind::Sent, Reason::None, &seg, out);
}

void Endpoint::emit_ack(Instant now, Trace& out) {
  Segment s;
  s.flags = FLAG_ACK;
  s.seq = tcb_.snd_nxt;
  s.ack = tcb_.rcv_nxt;
  emit(now, s, out);
}

void Endpoint::emit_rst(Instant now, Seq seq, Trace& out) {
  Segment s;
  s.flags = FLAG_RST;
  s.seq = seq;
  emit(now, s, out);
}

void Endpoint::emit_rst_ack(Instant now, Seq seq, Seq ack, Trace& out) {
  Segment s;
  s.flags = FLAG_RST | FLAG_ACK;
  s.seq = seq;
  s.ack = ack;
  emit(now, s, out);
}

void Endpoint::arm_retransmit(Instant now) {
  if (timers_.retransmit == NEVER) timers_.retransmit = now + rto_;
}

// Sends a new segment that occupies sequence space (SYN, data, FIN): it
// takes SND.NXT, advances it, and waits in the retransmission queue.
void Endpoint::send_control(Instant now, std::uint8_t flags, std::uint32_t len, Trace& out) {
  Segment s;
  s.flags = flags;
  s.seq = tcb_.snd_nxt;
  s.ack = (flags & FLAG_ACK) ? tcb_.rcv_nxt : 0;
  s.len = len;
  if (flags & FLAG_FIN) {
    fin_sent_ = true;
    fin_seq_ = s.seq + len + ((flags & FLAG_SYN) ? 1u : 0u);
  }
  tcb_.snd_nxt += s.seg_len();
  if (s.seg_len() > 0) {
    rtx_.push_back(Outstanding{s.seq, static_cast<std::uint8_t>(flags & (FLAG_SYN | FLAG_FIN)), len});
    arm_retransmit(now);
  }
  emit(now, s, out);
}

// What the peer's window still admits: SND.UNA + SND.WND - SND.NXT.
std::uint32_t Endpoint::usable_window() const {
  const auto u = static_cast<std::int32_t>(tcb_.snd_una + tcb_.snd_wnd - tcb_.snd_nxt);
  return u > 0 ? static_cast<std::uint32_t>(u) : 0u;
}

// Data and a CLOSE that waited go out now: for ESTABLISHED (3.10.2, 3.10.4)
// or, with send_within_window, for the peer's window to open (3.8.6). The
// FIN rides on the last data.
void Endpoint::flush_queued(Instant now, Trace& out) {
  if (queued_octets_ == 0 && !close_queued_) return;
  if (state_ != State::Established && state_ != State::CloseWait) return;
  std::uint32_t len = queued_octets_;
  if (config_.send_within_window) len = std::min(len, usable_window());
  const bool fin = close_queued_ && len == queued_octets_;
  if (len == 0 && !fin) return;
  queued_octets_ -= len;
  if (fin) close_queued_ = false;
  send_control(now, static_cast<std::uint8_t>(FLAG_ACK | (fin ? FLAG_FIN : 0)), len, out);
  if (fin) {
    if (state_ == State::Established) set_state(now, State::FinWait1, Reason::CloseSendFin, out);
    else if (state_ == State::CloseWait) set_state(now, State::LastAck, Reason::CloseCloseWaitSendFin, out);
  }
}

//-----------------------------------------------------------------------------
// [SECTION] User calls (3.10.1-3.10.5)
//-----------------------------------------------------------------------------

namespace {
// Writes the Call event first, so the log reads "called X: ..." before the
// consequences; its reason and kind are filled in when known.
std::size_t begin_call(Instant now, std::uint8_t host, State s, Call c, std::uint32_t arg,
                       Trace& out) {
  Event e;
  e.time = now;
  e.kind = EventKind::Call;
  e.host = host;
  e.from = e.to = s;
  e.call = c;
  e.arg = arg;
  out.push_back(e);
  return out.size() - 1;
}
void end_call(Trace& out, std::size_t at, Reason r, bool error, State now_state) {
  out[at].reason = r;
  out[at].to = now_state;
  if (error) out[at].kind = EventKind::CallError;
}
}  // namespace

Reason Endpoint::open(Instant now, bool active, Trace& out) {
  std::size_t at = begin_call(now, host_, state_, active ? Call::OpenActive : Call::OpenPassive, 0, out);
  Reason r = Reason::None;
  bool error = false;
  auto active_open = [&] {
    // RFC 9293 3.10.1: select an ISS, send <SEQ=ISS><CTL=SYN>,
    // SND.UNA = ISS, SND.NXT = ISS+1, enter SYN-SENT.
    Seq iss = select_iss();
    tcb_ = Tcb{};
    tcb_.rcv_wnd = config_.rcv_wnd;
    tcb_.iss = iss;
    tcb_.snd_una = iss;
    tcb_.snd_nxt = iss;
    passive_ = false;
    fin_sent_ = false;
    rto_ = config_.rto_initial_ms;
    retransmits_ = 0;
    send_control(now, FLAG_SYN, 0, out);
  };
  switch (state_) {
    case State::Closed:
      if (active) {
        active_open();
        set_state(now, State::SynSent, Reason::OpenActive, out);
        r = Reason::OpenActive;
      } else {
        // RFC 9293 3.10.1: a passive OPEN creates a TCB in LISTEN.
        tcb_ = Tcb{};
        tcb_.rcv_wnd = config_.rcv_wnd;
        set_state(now, State::Listen, Reason::OpenPassive, out);
        r = Reason::OpenPassive;
      }
      break;
    case State::Listen:
      if (active) {
        // RFC 9293 3.10.1: an active OPEN on a listening connection turns it active.
        active_open();
        set_state(now, State::SynSent, Reason::OpenActiveFromListen, out);
        r = Reason::OpenActiveFromListen;
      } else {
        r = Reason::OpenExists;
        error = true;
      }
      break;
    case State::SynSent:
    case State::SynReceived:
    case State::Established:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      r = Reason::OpenExists;
      error = true;
      break;
  }
  end_call(out, at, r, error, state_);
  return r;
}

Reason Endpoint::send(Instant now, std::uint32_t octets, Trace& out) {
  std::size_t at = begin_call(now, host_, state_, Call::Send, octets, out);
  Reason r = Reason::None;
  bool error = false;
  switch (state_) {
    case State::Closed:
    case State::Listen:
      // RFC 9293 3.10.2: no connection to send on (the foreign socket of a
      // LISTEN is unspecified here).
      r = Reason::SendNoConnection;
      error = true;
      break;
    case State::SynSent:
    case State::SynReceived:
      if (close_queued_) {
        r = Reason::SendClosing;
        error = true;
      } else {
        // RFC 9293 3.10.2: queue the data until ESTABLISHED.
        queued_octets_ += octets;
        r = Reason::SendQueued;
      }
      break;
    case State::Established:
    case State::CloseWait:
      if (close_queued_) {
        r = Reason::SendClosing;
        error = true;
        break;
      }
      // RFC 9293 3.10.2: segmentize and send with a piggybacked ACK (what
      // the peer's window does not admit yet waits, 3.8.6).
      queued_octets_ += octets;
      flush_queued(now, out);
      r = Reason::SendData;
      break;
    case State::FinWait1:
    case State::FinWait2:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      r = Reason::SendClosing;
      error = true;
      break;
  }
  end_call(out, at, r, error, state_);
  return r;
}

Reason Endpoint::close(Instant now, Trace& out) {
  std::size_t at = begin_call(now, host_, state_, Call::Close, 0, out);
  Reason r = Reason::None;
  bool error = false;
  switch (state_) {
    case State::Closed:
      r = Reason::CloseNoConnection;
      error = true;
      break;
    case State::Listen:
      r = Reason::CloseListen;
      delete_tcb(now, r, out);
      break;
    case State::SynSent:
      r = Reason::CloseSynSent;
      delete_tcb(now, r, out);
      break;
    case State::SynReceived:
      if (close_queued_) {
        r = Reason::CloseClosing;
        error = true;
      } else if (queued_octets_ == 0) {
        // RFC 9293 3.10.4: no data pending: send FIN, enter FIN-WAIT-1.
        send_control(now, FLAG_FIN | FLAG_ACK, 0, out);
        r = Reason::CloseSendFin;
        set_state(now, State::FinWait1, r, out);
      } else {
        close_queued_ = true;
        r = Reason::CloseQueued;
      }
      break;
    case State::Established:
    case State::CloseWait:
      if (close_queued_) {
        r = Reason::CloseClosing;
        error = true;
      } else if (queued_octets_ > 0) {
        // RFC 9293 3.10.4: the FIN follows the data still queued.
        close_queued_ = true;
        r = Reason::CloseQueued;
      } else if (state_ == State::Established) {
        // RFC 9293 3.10.4: form a FIN segment and send it, enter FIN-WAIT-1.
        send_control(now, FLAG_FIN | FLAG_ACK, 0, out);
        r = Reason::CloseSendFin;
        set_state(now, State::FinWait1, r, out);
      } else {
        // RFC 9293 3.10.4: send a FIN, enter LAST-ACK.
        send_control(now, FLAG_FIN | FLAG_ACK, 0, out);
        r = Reason::CloseCloseWaitSendFin;
        set_state(now, State::LastAck, r, out);
      }
      break;
    case State::FinWait1:
    case State::FinWait2:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      r = Reason::CloseClosing;
      error = true;
      break;
  }
  end_call(out, at, r, error, state_);
  return r;
}

Reason Endpoint::abort(Instant now, Trace& out) {
  std::size_t at = begin_call(now, host_, state_, Call::Abort, 0, out);
  Reason r = Reason::None;
  bool error = false;
  switch (state_) {
    case State::Closed:
      r = Reason::AbortNoConnection;
      error = true;
      break;
    case State::Listen:
    case State::SynSent:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      // RFC 9293 3.10.5: delete the TCB; no reset is sent.
      r = Reason::AbortQuiet;
      delete_tcb(now, r, out);
      break;
    case State::SynReceived:
    case State::Established:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
      // RFC 9293 3.10.5: send <SEQ=SND.NXT><CTL=RST>, delete the TCB.
      r = Reason::AbortSendRst;
      emit_rst(now, tcb_.snd_nxt, out);
      delete_tcb(now, r, out);
      break;
  }
  end_call(out, at, r, error, state_);
  return r;
}

void Endpoint::synchronize(Instant now, Seq snd_nxt, Seq rcv_nxt, std::uint32_t snd_wnd, Trace& out) {
  delete_tcb(now, Reason::ReplayLateStart, out);
  tcb_ = Tcb{};
  tcb_.rcv_wnd = config_.rcv_wnd;
  tcb_.iss = snd_nxt - 1;
  tcb_.snd_una = tcb_.snd_nxt = snd_nxt;
  tcb_.irs = rcv_nxt - 1;
  tcb_.rcv_nxt = rcv_nxt;
  tcb_.snd_wnd = tcb_.max_snd_wnd = snd_wnd;
  tcb_.snd_wl1 = rcv_nxt - 1;
  tcb_.snd_wl2 = snd_nxt;
  set_state(now, State::Established, Reason::ReplayLateStart, out);
}

//-----------------------------------------------------------------------------
// [SECTION] SEGMENT ARRIVES (3.10.7)
//-----------------------------------------------------------------------------

Reason Endpoint::on_segment(Instant now, const Segment& seg, Trace& out) {
  // The verdict event comes first in the trace (what the host decided),
  // followed by its consequences; it is completed at the end.
  const State before = state_;
  std::size_t at = out.size();
  record(now, EventKind::Accepted, Reason::None, &seg, out);
  Reason r = Reason::None;
  switch (state_) {
    case State::Closed: r = segment_closed(now, seg, out); break;
    case State::Listen: r = segment_listen(now, seg, out); break;
    case State::SynSent: r = segment_syn_sent(now, seg, out); break;
    case State::SynReceived:
    case State::Established:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      r = segment_other(now, seg, out);
      break;
  }
  if (ack_pending_) {
    // RFC 9293 3.8.6.3: an ACK may be delayed (less than 0.5 s) while the
    // connection is open; otherwise it goes at once.
    bool may_delay = config_.delayed_ack &&
                     (state_ == State::Established || state_ == State::CloseWait ||
                      state_ == State::FinWait1 || state_ == State::FinWait2);
    if (may_delay) {
      if (timers_.delayed_ack == NEVER) timers_.delayed_ack = now + config_.delayed_ack_ms;
    } else {
      emit_ack(now, out);
    }
  }
  out[at].reason = r;
  out[at].kind = reason_rejects(r) ? EventKind::Rejected : EventKind::Accepted;
  out[at].from = before;
  out[at].to = state_;
  return r;
}

// RFC 9293 3.10.7.1: no TCB. Answer anything but a RST with a RST that the
// sender will find acceptable.
Reason Endpoint::segment_closed(Instant now, const Segment& seg, Trace& out) {
  if (seg.has(FLAG_RST)) return Reason::ClosedRstDrop;
  if (seg.has(FLAG_ACK))
    emit_rst(now, seg.ack, out);  // <SEQ=SEG.ACK><CTL=RST>
  else
    emit_rst_ack(now, 0, seg.seq + seg.seg_len(), out);  // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
  return Reason::ClosedSendRst;
}

Reason Endpoint::segment_listen(Instant now, const Segment& seg, Trace& out) {
  // RFC 9293 3.10.7.2 first: an incoming RST is ignored.
  if (seg.has(FLAG_RST)) return Reason::ListenRstIgnore;
  // second: any acknowledgment is bad in LISTEN: <SEQ=SEG.ACK><CTL=RST>.
  if (seg.has(FLAG_ACK)) {
    emit_rst(now, seg.ack, out);
    return Reason::ListenAckSendRst;
  }
  // third: a SYN. RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, select ISS, send
  // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, enter SYN-RECEIVED. Data on the
  // SYN is not acknowledged (no TCP Fast Open).
  if (seg.has(FLAG_SYN)) {
    Seq iss = select_iss();
    tcb_ = Tcb{};
    tcb_.rcv_wnd = config_.rcv_wnd;
    tcb_.irs = seg.seq;
    tcb_.rcv_nxt = seg.seq + 1;
    tcb_.iss = iss;
    tcb_.snd_una = iss;
    tcb_.snd_nxt = iss;
    tcb_.snd_wnd = seg.wnd;
    tcb_.max_snd_wnd = seg.wnd;
    tcb_.snd_wl1 = seg.seq;
    passive_ = true;
    fin_sent_ = false;
    rto_ = config_.rto_initial_ms;
    retransmits_ = 0;
    send_control(now, FLAG_SYN | FLAG_ACK, 0, out);
    set_state(now, State::SynReceived, Reason::ListenSynSendSynAck, out);
    return Reason::ListenSynSendSynAck;
  }
  // fourth: anything else is dropped.
  return Reason::ListenOtherDrop;
}

// Removes what SND.UNA now covers from the retransmission queue and restarts
// or stops the retransmission timer (RFC 6298 5.2, 5.3).
void Endpoint::process_ack_advance(Instant now, const Segment& seg) {
  tcb_.snd_una = seg.ack;
  while (!rtx_.empty()) {
    Outstanding& o = rtx_.front();
    Seq end = o.seq + o.seg_len();
    if (seq_le(end, tcb_.snd_una)) {
      rtx_.erase(rtx_.begin());
      continue;
    }
    if (seq_lt(o.seq, tcb_.snd_una)) {
      // Partly acknowledged: keep the rest.
      std::uint32_t d = tcb_.snd_una - o.seq;
      if (o.flags & FLAG_SYN) {
        o.flags = static_cast<std::uint8_t>(o.flags & ~FLAG_SYN);
        --d;
      }
      o.len -= std::min(d, o.len);
      o.seq = tcb_.snd_una;
    }
    break;
  }
  retransmits_ = 0;
  rto_ = config_.rto_initial_ms;
  timers_.retransmit = rtx_.empty() ? NEVER : now + rto_;
}

Reason Endpoint::segment_syn_sent(Instant now, const Segment& seg, Trace& out) {
  // RFC 9293 3.10.7.3 first: check the ACK bit.
  if (seg.has(FLAG_ACK)) {
    if (seq_le(seg.ack, tcb_.iss) || seq_gt(seg.ack, tcb_.snd_nxt)) {
      // Unacceptable ACK: <SEQ=SEG.ACK><CTL=RST>, unless it is a RST.
      if (seg.has(FLAG_RST)) return Reason::SynSentBadAckRstDrop;
      emit_rst(now, seg.ack, out);
      return Reason::SynSentBadAckSendRst;
    }
  }
  // second: the RST bit. With an acceptable ACK the connection is refused.
  if (seg.has(FLAG_RST)) {
    if (!seg.has(FLAG_ACK)) return Reason::SynSentRstNoAckDrop;
    signal(now, Reason::SynSentRstReset, out);
    delete_tcb(now, Reason::SynSentRstReset, out);
    return Reason::SynSentRstReset;
  }
  // fourth: the SYN bit.
  if (!seg.has(FLAG_SYN)) return Reason::SynSentNoSynDrop;  // fifth
  tcb_.irs = seg.seq;
  tcb_.rcv_nxt = seg.seq + 1;
  tcb_.snd_wnd = seg.wnd;
  tcb_.max_snd_wnd = std::max(tcb_.max_snd_wnd, seg.wnd);
  tcb_.snd_wl1 = seg.seq;
  tcb_.snd_wl2 = seg.ack;
  if (seg.has(FLAG_ACK)) process_ack_advance(now, seg);
  if (seq_gt(tcb_.snd_una, tcb_.iss)) {
    // Our SYN is acknowledged: ESTABLISHED, and <SEQ=SND.NXT><ACK=RCV.NXT>
    // <CTL=ACK>; data queued by SEND rides on it (3.10.7.3: MAY be included).
    set_state(now, State::Established, Reason::SynSentSynAckEstablished, out);
    Reason r = Reason::SynSentSynAckEstablished;
    if (seg.len > 0 || seg.has(FLAG_FIN)) {
      Reason text = r;
      process_text_and_fin(now, seg.seq + 1, seg.len, seg.has(FLAG_FIN), out, text);
    }
    std::uint32_t n = queued_octets_;
    if (config_.send_within_window) n = std::min(n, usable_window());
    if (n > 0) {
      queued_octets_ -= n;
      send_control(now, FLAG_ACK, n, out);
    } else {
      emit_ack(now, out);
    }
    return r;
  }
  // Simultaneous open: SYN-RECEIVED, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
  // (our SYN stays in the retransmission queue).
  Segment s;
  s.flags = FLAG_SYN | FLAG_ACK;
  s.seq = tcb_.iss;
  s.ack = tcb_.rcv_nxt;
  set_state(now, State::SynReceived, Reason::SynSentSynSimultaneous, out);
  emit(now, s, out);
  return Reason::SynSentSynSimultaneous;
}

bool Endpoint::acceptable(const Segment& seg) const {
  // RFC 9293 3.10.7.4 first: the four cases of the acceptability test.
  const std::uint32_t len = seg.seg_len();
  const std::uint32_t wnd = tcb_.rcv_wnd;
  const Seq nxt = tcb_.rcv_nxt;
  if (len == 0) return wnd == 0 ? seg.seq == nxt : seq_in(seg.seq, nxt, nxt + wnd);
  if (wnd == 0) return false;
  // A segment that starts before the window and ends beyond it covers the
  // whole window: neither end is inside, yet its middle is new. RFC 9293
  // processes "only the new parts" of a segment that straddles old and new,
  // and Linux and BSD accept any overlap; so does the engine.
  const bool spans = seq_lt(seg.seq, nxt) && seq_ge(seg.seq + len - 1, nxt + wnd);
  return seq_in(seg.seq, nxt, nxt + wnd) || seq_in(seg.seq + len - 1, nxt, nxt + wnd) || spans;
}

Reason Endpoint::segment_other(Instant now, const Segment& seg, Trace& out) {
  const bool has_ack = seg.has(FLAG_ACK);
  const bool ack_ok = has_ack && seq_lt(tcb_.snd_una, seg.ack) && seq_le(seg.ack, tcb_.snd_nxt);

  // Simultaneous open: the peer's SYN,ACK repeats a SYN we already have.
  // Trim the duplicate SYN and take the ACK: ESTABLISHED (RFC 9293 Figure 7),
  // acknowledging the duplicate SYN as Linux does.
  if (state_ == State::SynReceived && !passive_ && seg.has(FLAG_SYN) && ack_ok &&
      !seg.has(FLAG_RST) && seg.seq + 1 == tcb_.rcv_nxt) {
    process_ack_advance(now, seg);
    tcb_.snd_wnd = seg.wnd;
    tcb_.max_snd_wnd = std::max(tcb_.max_snd_wnd, seg.wnd);
    tcb_.snd_wl1 = seg.seq;
    tcb_.snd_wl2 = seg.ack;
    set_state(now, State::Established, Reason::SynReceivedSynAckEstablished, out);
    Reason r = Reason::SynReceivedSynAckEstablished;
    Reason text = r;
    process_text_and_fin(now, seg.seq + 1, seg.len, seg.has(FLAG_FIN), out, text);
    // The duplicate SYN is answered with an ACK, unless queued data or a
    // queued FIN goes out now and carries it.
    const std::size_t before = out.size();
    flush_queued(now, out);
    bool sent = false;
    for (std::size_t i = before; i < out.size(); ++i) sent |= out[i].kind == EventKind::Sent;
    if (!sent) emit_ack(now, out);
    return r;
  }

  // first: check the sequence number. A reset is valid only if its own
  // sequence number is in the window (3.5.3), whatever octets it carries.
  if (seg.has(FLAG_RST)) {
    const Seq nxt = tcb_.rcv_nxt;
    const bool valid = tcb_.rcv_wnd == 0 ? seg.seq == nxt : seq_in(seg.seq, nxt, nxt + tcb_.rcv_wnd);
    if (!valid) return Reason::SeqUnacceptableRstDrop;
  }
  if (!acceptable(seg)) {
    if (seg.has(FLAG_RST)) return Reason::SeqUnacceptableRstDrop;
    if (state_ == State::TimeWait && seg.has(FLAG_FIN) && seg.seq + seg.seg_len() == tcb_.rcv_nxt) {
      // A retransmission of the peer's FIN: acknowledge it again and
      // restart the 2 MSL timeout (3.10.7.4 fifth and eighth checks).
      emit_ack(now, out);
      timers_.time_wait = now + 2 * config_.msl_ms;
      return Reason::TimeWaitFinRestart;
    }
    // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop the segment. With a rate
    // limit (as Linux's tcp_invalid_ratelimit) two hosts that both sent
    // beyond each other's window cannot answer each other's ACKs forever.
    if (config_.oow_ack_interval_ms > 0 && last_oow_ack_ != NEVER &&
        now - last_oow_ack_ < config_.oow_ack_interval_ms)
      return Reason::SeqUnacceptableRateLimited;
    last_oow_ack_ = now;
    emit_ack(now, out);
    return Reason::SeqUnacceptableSendAck;
  }

  // second: check the RST bit.
  if (seg.has(FLAG_RST)) {
    // RFC 5961 3.2: only a RST exactly at RCV.NXT resets; another in-window
    // RST gets a challenge ACK.
    if (config_.rfc5961 && seg.seq != tcb_.rcv_nxt) {
      emit_ack(now, out);
      return Reason::RstChallengeAck;
    }
    switch (state_) {
      case State::SynReceived:
        if (passive_) {
          // Back to LISTEN; the user is not told.
          return_to_listen(now, Reason::RstSynReceivedToListen, out);
          return Reason::RstSynReceivedToListen;
        }
        signal(now, Reason::RstSynReceivedRefused, out);
        delete_tcb(now, Reason::RstSynReceivedRefused, out);
        return Reason::RstSynReceivedRefused;
      case State::Established:
      case State::FinWait1:
      case State::FinWait2:
      case State::CloseWait:
        signal(now, Reason::RstReset, out);
        delete_tcb(now, Reason::RstReset, out);
        return Reason::RstReset;
      case State::Closing:
      case State::LastAck:
      case State::TimeWait:
        delete_tcb(now, Reason::RstClose, out);
        return Reason::RstClose;
      case State::Closed:
      case State::Listen:
      case State::SynSent:
        break;  // handled by their own functions
    }
    return Reason::None;
  }

  // fourth: check the SYN bit.
  if (seg.has(FLAG_SYN)) {
    if (state_ == State::SynReceived && passive_) {
      return_to_listen(now, Reason::SynSynReceivedToListen, out);
      return Reason::SynSynReceivedToListen;
    }
    if (config_.rfc5961) {
      // RFC 5961 4.2: challenge ACK, whatever the sequence number.
      emit_ack(now, out);
      return Reason::SynChallengeAck;
    }
    // RFC 793: an in-window SYN is an error: reset (formed from the
    // offending segment, 3.5.2) and close.
    if (has_ack)
      emit_rst(now, seg.ack, out);
    else
      emit_rst_ack(now, 0, seg.seq + seg.seg_len(), out);
    signal(now, Reason::RstReset, out);
    delete_tcb(now, Reason::SynInWindowSendRst, out);
    return Reason::SynInWindowSendRst;
  }

  // fifth: check the ACK field.
  if (!has_ack) return Reason::AckMissingDrop;
  Reason r = Reason::PureAck;
  if (state_ == State::SynReceived) {
    if (!ack_ok) {
      emit_rst(now, seg.ack, out);  // <SEQ=SEG.ACK><CTL=RST>
      return Reason::AckSynReceivedBadSendRst;
    }
    tcb_.snd_wnd = seg.wnd;
    tcb_.max_snd_wnd = std::max(tcb_.max_snd_wnd, seg.wnd);
    tcb_.snd_wl1 = seg.seq;
    tcb_.snd_wl2 = seg.ack;
    set_state(now, State::Established, Reason::AckSynReceivedEstablished, out);
    r = Reason::AckSynReceivedEstablished;
  }
  switch (state_) {
    case State::Established:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
    case State::Closing: {
      if (seq_gt(seg.ack, tcb_.snd_nxt)) {
        // Acknowledges something not yet sent: ACK, drop.
        emit_ack(now, out);
        return Reason::AckTooNewSendAck;
      }
      if (config_.rfc5961 && seq_lt(seg.ack, tcb_.snd_una - tcb_.max_snd_wnd)) {
        emit_ack(now, out);
        return Reason::AckTooOldChallenge;
      }
      if (seq_lt(tcb_.snd_una, seg.ack)) {
        process_ack_advance(now, seg);
        if (r == Reason::PureAck) r = Reason::AckAdvance;
      } else if (seq_lt(seg.ack, tcb_.snd_una)) {
        if (r == Reason::PureAck) r = Reason::AckDuplicate;
      }
      // Window update (SND.WL1/SND.WL2 guard against old segments).
      if (seq_lt(tcb_.snd_wl1, seg.seq) ||
          (tcb_.snd_wl1 == seg.seq && seq_le(tcb_.snd_wl2, seg.ack))) {
        tcb_.snd_wnd = seg.wnd;
        tcb_.max_snd_wnd = std::max(tcb_.max_snd_wnd, seg.wnd);
        tcb_.snd_wl1 = seg.seq;
        tcb_.snd_wl2 = seg.ack;
      }
      if (state_ == State::FinWait1 && our_fin_acked()) {
        // A FIN,ACK that acknowledges our FIN and carries the peer's FIN in
        // sequence takes the diagram's direct arc FIN-WAIT-1 -> TIME-WAIT
        // (eighth step: "if our FIN has been ACKed (perhaps in this
        // segment), then enter TIME-WAIT"); otherwise FIN-WAIT-2 now.
        const bool fin_in_sequence = seg.has(FLAG_FIN) && seq_le(seg.seq, tcb_.rcv_nxt) &&
                                     seq_ge(seg.seq + seg.len, tcb_.rcv_nxt);
        if (!fin_in_sequence) {
          set_state(now, State::FinWait2, Reason::AckFinWait1FinAcked, out);
          r = Reason::AckFinWait1FinAcked;
        }
      }
      if (state_ == State::Closing) {
        if (our_fin_acked()) {
          set_state(now, State::TimeWait, Reason::AckClosingFinAcked, out);
          return Reason::AckClosingFinAcked;
        }
        return Reason::AckClosingIgnore;
      }
      break;
    }
    case State::LastAck:
      // The only thing that can arrive is the acknowledgment of our FIN.
      if (seq_lt(tcb_.snd_una, seg.ack) && seq_le(seg.ack, tcb_.snd_nxt)) {
        process_ack_advance(now, seg);
        if (our_fin_acked()) {
          delete_tcb(now, Reason::AckLastAckFinAcked, out);
          return Reason::AckLastAckFinAcked;
        }
      }
      return Reason::AckLastAckIgnore;
    case State::TimeWait:
      break;  // a FIN here restarts the timer (eighth step)
    case State::Closed:
    case State::Listen:
    case State::SynSent:
    case State::SynReceived:
      break;
  }

  // seventh and eighth: the segment text and the FIN bit.
  if (seg.len > 0 || seg.has(FLAG_FIN)) process_text_and_fin(now, seg.seq, seg.len, seg.has(FLAG_FIN), out, r);
  if (state_ == State::FinWait1 && our_fin_acked()) {
    // The FIN that rode on the segment was not taken after all (outside the
    // window): the ACK of our FIN still moves us on.
    set_state(now, State::FinWait2, Reason::AckFinWait1FinAcked, out);
  }
  flush_queued(now, out);
  return r;
}

void Endpoint::process_text_and_fin(Instant now, Seq start, std::uint32_t len, bool fin, Trace& out,
                                    Reason& result) {
  const Seq nxt = tcb_.rcv_nxt;
  // Trim what we already have: old octets and an old FIN.
  if (fin && seq_lt(start + len, nxt)) fin = false;
  if (seq_lt(start, nxt)) {
    std::uint32_t d = nxt - start;
    len = d >= len ? 0 : len - d;
    start = nxt;
  }
  // Trim what lies beyond the window; a FIN there is not accepted either.
  const Seq wnd_end = nxt + tcb_.rcv_wnd;
  if (len > 0 && seq_gt(start + len, wnd_end)) {
    len = seq_lt(start, wnd_end) ? wnd_end - start : 0;
    fin = false;
  }
  if (fin && !seq_lt(start + len, wnd_end)) fin = false;
  if (len == 0 && !fin) return;

  if (start != nxt) {
    // In the window but ahead of RCV.NXT: hold it for later (3.10.7.4) and
    // restate what we expect with an immediate ACK.
    bool have = false;
    for (const Held& h : held_)
      if (h.seq == start && h.len == len && h.fin == fin) have = true;
    if (!have && held_.size() < 64) held_.push_back(Held{start, len, fin});
    emit_ack(now, out);
    result = Reason::SeqOutOfOrderHeld;
    return;
  }

  // seventh: the segment text.
  if (len > 0) {
    switch (state_) {
      case State::Established:
      case State::FinWait1:
      case State::FinWait2:
        tcb_.rcv_nxt += len;
        octets_received_ += len;
        ack_pending_ = true;
        if (result == Reason::PureAck || result == Reason::AckAdvance || result == Reason::AckDuplicate ||
            result == Reason::SeqOutOfOrderHeld)
          result = Reason::TextAccepted;
        break;
      case State::CloseWait:
      case State::Closing:
      case State::LastAck:
      case State::TimeWait:
        // A FIN has been received: there can be no new text. Ignore it.
        result = Reason::TextIgnoredAfterFin;
        return;
      case State::Closed:
      case State::Listen:
      case State::SynSent:
      case State::SynReceived:
        return;
    }
  }

  // eighth: the FIN bit.
  if (fin) {
    // Advance RCV.NXT over the FIN and acknowledge it; a FIN after the FIN
    // (CLOSE-WAIT and later) is only answered.
    const bool first_fin = state_ == State::SynReceived || state_ == State::Established ||
                           state_ == State::FinWait1 || state_ == State::FinWait2;
    if (first_fin) tcb_.rcv_nxt += 1;
    ack_pending_ = true;
    switch (state_) {
      case State::SynReceived:
      case State::Established:
        set_state(now, State::CloseWait, Reason::FinCloseWait, out);
        signal(now, Reason::FinCloseWait, out);
        result = Reason::FinCloseWait;
        if (config_.close_on_fin && queued_octets_ == 0) {
          // The application closes at once: our FIN carries the ACK of
          // theirs (the three-segment close).
          std::size_t at = begin_call(now, host_, state_, Call::Close, 0, out);
          send_control(now, FLAG_FIN | FLAG_ACK, 0, out);
          set_state(now, State::LastAck, Reason::CloseOnFin, out);
          end_call(out, at, Reason::CloseOnFin, false, state_);
          result = Reason::CloseOnFin;
        }
        break;
      case State::FinWait1:
        if (our_fin_acked()) {
          set_state(now, State::TimeWait, Reason::FinTimeWait, out);
          result = Reason::FinTimeWait;
        } else {
          set_state(now, State::Closing, Reason::FinClosing, out);
          result = Reason::FinClosing;
        }
        break;
      case State::FinWait2:
        set_state(now, State::TimeWait, Reason::FinTimeWait, out);
        result = Reason::FinTimeWait;
        break;
      case State::CloseWait:
      case State::Closing:
      case State::LastAck:
      case State::TimeWait:
        // The peer's sequence space ended with its first FIN: nothing can
        // follow it, so RCV.NXT stays; the ACK restates it.
        result = Reason::FinRemain;
        break;
      case State::Closed:
      case State::Listen:
      case State::SynSent:
        break;
    }
    held_.clear();
    return;
  }

  // The gap may now be filled: take held segments that start at RCV.NXT.
  for (std::size_t i = 0; i < held_.size(); ++i) {
    if (seq_le(held_[i].seq, tcb_.rcv_nxt)) {
      Held h = held_[i];
      held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(i));
      Reason ignored = result;
      process_text_and_fin(now, h.seq, h.len, h.fin, out, ignored);
      if (ignored != Reason::SeqOutOfOrderHeld) result = ignored == Reason::TextAccepted ? result : ignored;
      return;
    }
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Timers (3.10.8)
//-----------------------------------------------------------------------------

Reason Endpoint::fire(Instant now, TimerKind kind, Trace& out) {
  std::size_t at = out.size();
  record(now, EventKind::TimerFired, Reason::None, nullptr, out);
  out[at].timer = kind;
  Reason r = Reason::None;
  switch (kind) {
    case TimerKind::Retransmit:
      if (rtx_.empty() || state_ == State::Closed || state_ == State::Listen) {
        timers_.retransmit = NEVER;
        r = Reason::TimerRetransmitIdle;
      } else if (config_.max_retransmits >= 0 && retransmits_ >= config_.max_retransmits) {
        // RFC 9293 3.8.3 R2: give up; the user is told the connection timed out.
        r = Reason::TimerRetransmitGiveUp;
        signal(now, r, out);
        delete_tcb(now, r, out);
      } else {
        // Resend the segment at the front of the queue (same SEQ, flags and
        // payload, the current RCV.NXT as ACK), double the timeout.
        const Outstanding& o = rtx_.front();
        Segment s;
        s.flags = o.flags;
        s.seq = o.seq;
        s.len = o.len;
        if (state_ != State::SynSent) {
          s.flags |= FLAG_ACK;
          s.ack = tcb_.rcv_nxt;
        }
        ++retransmits_;
        rto_ = std::min(rto_ * 2, std::max(config_.rto_max_ms, config_.rto_initial_ms));
        timers_.retransmit = now + rto_;
        emit(now, s, out);
        r = Reason::TimerRetransmit;
      }
      break;
    case TimerKind::TimeWait:
      if (state_ != State::TimeWait) {
        r = Reason::TimerTimeWaitIdle;
      } else {
        r = Reason::TimerTimeWaitExpire;
        delete_tcb(now, r, out);
      }
      break;
    case TimerKind::DelayedAck:
      timers_.delayed_ack = NEVER;
      if (ack_pending_) emit_ack(now, out);
      r = Reason::TimerDelayedAck;
      break;
  }
  out[at].reason = r;
  out[at].to = state_;
  return r;
}

void Endpoint::on_time(Instant now, Trace& out) {
  // Fire due timers in deadline order; each fire moves its deadline on.
  for (;;) {
    Instant d = next_deadline();
    if (d > now) return;
    if (timers_.delayed_ack == d)
      fire(now, TimerKind::DelayedAck, out);
    else if (timers_.retransmit == d)
      fire(now, TimerKind::Retransmit, out);
    else
      fire(now, TimerKind::TimeWait, out);
  }
}

}  // namespace tcplab
