// Why something happened: a stable key for every decision the engine makes,
// the RFC section it follows, and whether it means the segment was refused.
// Lessons and the UI turn keys into sentences in either language; keys never
// change meaning once published.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace tcplab {

// X(Name, "key", "RFC 9293 section", rejects_segment)
#define TCPLAB_REASONS(X)                                                               \
  X(None, "none", "", false)                                                            \
  /* user calls, 3.10.1-3.10.5 */                                                       \
  X(OpenPassive, "open.passive.listen", "3.10.1", false)                                \
  X(OpenActive, "open.active.send_syn", "3.10.1", false)                                \
  X(OpenActiveFromListen, "open.listen.active.send_syn", "3.10.1", false)               \
  X(OpenExists, "open.error.connection_exists", "3.10.1", false)                        \
  X(SendNoConnection, "send.error.no_connection", "3.10.2", false)                      \
  X(SendQueued, "send.queued_until_established", "3.10.2", false)                       \
  X(SendData, "send.data", "3.10.2", false)                                             \
  X(SendClosing, "send.error.connection_closing", "3.10.2", false)                      \
  X(CloseNoConnection, "close.error.no_connection", "3.10.4", false)                    \
  X(CloseListen, "close.listen.delete_tcb", "3.10.4", false)                            \
  X(CloseSynSent, "close.syn_sent.delete_tcb", "3.10.4", false)                         \
  X(CloseSendFin, "close.send_fin", "3.10.4", false)                                    \
  X(CloseQueued, "close.queued_until_established", "3.10.4", false)                     \
  X(CloseCloseWaitSendFin, "close.close_wait.send_fin", "3.10.4", false)                \
  X(CloseClosing, "close.error.connection_closing", "3.10.4", false)                    \
  X(CloseOnFin, "close.passive_closer_closes_at_once", "3.10.4", false)                 \
  X(AbortNoConnection, "abort.error.no_connection", "3.10.5", false)                    \
  X(AbortQuiet, "abort.delete_tcb", "3.10.5", false)                                    \
  X(AbortSendRst, "abort.send_rst", "3.10.5", false)                                    \
  /* SEGMENT ARRIVES in CLOSED, 3.10.7.1 */                                             \
  X(ClosedRstDrop, "closed.rst.drop", "3.10.7.1", true)                                 \
  X(ClosedSendRst, "closed.send_rst", "3.10.7.1", true)                                 \
  /* in LISTEN, 3.10.7.2 */                                                             \
  X(ListenRstIgnore, "listen.rst.ignore", "3.10.7.2", true)                             \
  X(ListenAckSendRst, "listen.ack.send_rst", "3.10.7.2", true)                          \
  X(ListenSynSendSynAck, "listen.syn.send_syn_ack", "3.10.7.2", false)                  \
  X(ListenOtherDrop, "listen.other.drop", "3.10.7.2", true)                             \
  /* in SYN-SENT, 3.10.7.3 */                                                           \
  X(SynSentBadAckSendRst, "syn_sent.unacceptable_ack.send_rst", "3.10.7.3", true)       \
  X(SynSentBadAckRstDrop, "syn_sent.unacceptable_ack.rst.drop", "3.10.7.3", true)       \
  X(SynSentRstReset, "syn_sent.rst.connection_refused", "3.10.7.3", false)              \
  X(SynSentRstNoAckDrop, "syn_sent.rst_without_ack.drop", "3.10.7.3", true)             \
  X(SynSentSynAckEstablished, "syn_sent.syn_ack.established", "3.10.7.3", false)        \
  X(SynSentSynSimultaneous, "syn_sent.syn.simultaneous_open", "3.10.7.3", false)        \
  X(SynSentNoSynDrop, "syn_sent.no_syn.drop", "3.10.7.3", true)                         \
  /* in the other states, 3.10.7.4 */                                                   \
  X(SeqUnacceptableSendAck, "seq.unacceptable.send_ack", "3.10.7.4", true)              \
  X(SeqUnacceptableRateLimited, "seq.unacceptable.ack_rate_limited", "3.10.7.4", true)         \
  X(SeqUnacceptableRstDrop, "seq.unacceptable.rst.drop", "3.10.7.4", true)              \
  X(SeqOutOfOrderHeld, "seq.out_of_order.held", "3.10.7.4", false)                      \
  X(RstChallengeAck, "rst.not_at_rcv_nxt.challenge_ack", "3.10.7.4 (RFC 5961 3.2)", true) \
  X(RstSynReceivedToListen, "rst.syn_received.return_to_listen", "3.10.7.4", false)     \
  X(RstSynReceivedRefused, "rst.syn_received.connection_refused", "3.10.7.4", false)    \
  X(RstReset, "rst.connection_reset", "3.10.7.4", false)                                \
  X(RstClose, "rst.closing_states.delete_tcb", "3.10.7.4", false)                       \
  X(SynSynReceivedToListen, "syn.syn_received.return_to_listen", "3.10.7.4", false)     \
  X(SynChallengeAck, "syn.synchronized.challenge_ack", "3.10.7.4 (RFC 5961 4.2)", true) \
  X(SynInWindowSendRst, "syn.in_window.send_rst", "3.10.7.4 (RFC 793), 3.5.2", false)                    \
  X(AckMissingDrop, "ack.missing.drop", "3.10.7.4", true)                               \
  X(SynReceivedSynAckEstablished, "syn_received.syn_ack.established", "3.10.7.4 (Figure 7)", false) \
  X(AckSynReceivedEstablished, "syn_received.ack.established", "3.10.7.4", false)       \
  X(AckSynReceivedBadSendRst, "syn_received.unacceptable_ack.send_rst", "3.10.7.4", true) \
  X(AckTooNewSendAck, "ack.acks_unsent_data.send_ack", "3.10.7.4", true)                \
  X(AckTooOldChallenge, "ack.too_old.challenge_ack", "3.10.7.4 (RFC 5961 5.2)", true)   \
  X(AckDuplicate, "ack.duplicate", "3.10.7.4", false)                                   \
  X(AckAdvance, "ack.advance", "3.10.7.4", false)                                       \
  X(AckFinWait1FinAcked, "fin_wait_1.fin_acked", "3.10.7.4", false)                     \
  X(AckClosingFinAcked, "closing.fin_acked.time_wait", "3.10.7.4", false)               \
  X(AckClosingIgnore, "closing.ack_without_fin.ignore", "3.10.7.4", false)              \
  X(AckLastAckFinAcked, "last_ack.fin_acked.closed", "3.10.7.4", false)                 \
  X(AckLastAckIgnore, "last_ack.ack_without_fin.ignore", "3.10.7.4", false)             \
  X(TimeWaitFinRestart, "time_wait.fin_retransmit.ack_restart_2msl", "3.10.7.4", false) \
  X(TextAccepted, "text.accepted", "3.10.7.4", false)                                   \
  X(TextIgnoredAfterFin, "text.after_fin.ignored", "3.10.7.4", false)                   \
  X(FinCloseWait, "fin.close_wait", "3.10.7.4", false)                                  \
  X(FinClosing, "fin.fin_wait_1.closing", "3.10.7.4", false)                            \
  X(FinTimeWait, "fin.time_wait", "3.10.7.4", false)                                    \
  X(FinRemain, "fin.again.remain", "3.10.7.4", false)                                   \
  X(PureAck, "ack.only", "3.10.7.4", false)                                             \
  /* timers, 3.10.8 */                                                                  \
  X(TimerRetransmit, "timer.retransmit", "3.10.8", false)                               \
  X(TimerRetransmitGiveUp, "timer.retransmit.give_up", "3.10.8 (3.8.3 R2)", false)      \
  X(TimerRetransmitIdle, "timer.retransmit.nothing_outstanding", "3.10.8", false)       \
  X(TimerTimeWaitExpire, "timer.time_wait.expire", "3.10.8", false)                     \
  X(TimerTimeWaitIdle, "timer.time_wait.not_in_time_wait", "3.10.8", false)             \
  X(TimerDelayedAck, "timer.delayed_ack", "3.8.6.3", false)                             \
  /* the network */                                                                     \
  X(NetLost, "net.lost", "", false)                                                     \
  X(NetDropped, "net.dropped_by_learner", "", false)                                    \
  X(NetDuplicated, "net.duplicated", "", false)                                         \
  X(NetInjected, "net.injected", "", false)                                             \
  X(NetDelivered, "net.delivered", "", false)                                           \
  /* replaying a capture: what the sender's engine says of a captured segment */        \
  X(ReplayLateStart, "replay.late_start.synchronized", "3.3.1", false)                  \
  X(ReplayAckRepeated, "replay.ack.repeated", "3.8.6.2.2", false)                       \
  X(ReplayUnexpectedSyn, "replay.unexpected.syn", "3.10.1", false)                      \
  X(ReplayUnexpectedSeq, "replay.unexpected.seq", "3.3.1", false)                       \
  X(ReplayUnexpectedAck, "replay.unexpected.ack", "3.3.1", false)                       \
  X(ReplayUnexpectedData, "replay.unexpected.data", "3.10.2", false)                    \
  X(ReplayUnexpectedFin, "replay.unexpected.fin", "3.10.4", false)                      \
  X(ReplayUnexpectedRst, "replay.unexpected.rst", "3.10.5", false)                      \
  X(ReplayUnexpectedSegment, "replay.unexpected.segment", "3.10.7", false)

enum class Reason : std::uint8_t {
#define TCPLAB_REASON_ENUM(name, key, rfc, rejects) name,
  TCPLAB_REASONS(TCPLAB_REASON_ENUM)
#undef TCPLAB_REASON_ENUM
};

const char* reason_key(Reason r);
// "3.10.7.4" or "3.10.7.4 (RFC 5961 3.2)"; empty for network events.
const char* reason_rfc(Reason r);
// True when the reason means the receiver did not accept the segment
// (dropped it, answered with RST or with an ACK restating its position).
bool reason_rejects(Reason r);
std::optional<Reason> reason_from_key(std::string_view key);
int reason_count();

}  // namespace tcplab
