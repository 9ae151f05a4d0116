// The words of the lesson, in English and Simplified Chinese.
//
// [SECTION] Reason texts: one clause per rule of the engine
// [SECTION] Names: calls, timers, signals, RFC references, states
// [SECTION] Sentences: one per trace event
//
// A reason text is a clause with the host as its subject ("it answers
// SYN,ACK and moves to SYN-RECEIVED"), so that it reads well on its own (quiz
// feedback) and after "The server received SYN seq=1000 in LISTEN: ". It never
// ends in brackets, because the log puts the RFC reference after it.
//
// The Chinese follows the terms of the 408 textbooks (三报文握手, 四报文挥手,
// 序号, 确认号, 确认 ACK, 复位 RST, 报文段, 重传, 超时, 半关闭, 主动关闭方,
// 被动关闭方, 最长报文段寿命 MSL); state names stay in their RFC form.
#include "explain.h"

#include <string_view>

#include "segment.h"

namespace tcplab {

//-----------------------------------------------------------------------------
// [SECTION] Reason texts: one clause per rule of the engine
//-----------------------------------------------------------------------------

const char* reason_text(Reason r, Lang lang) {
  const bool zh = lang == Lang::Zh;
#define TCPLAB_TEXT(en, zh_text) return zh ? (zh_text) : (en)
  switch (r) {
    case Reason::None:
      TCPLAB_TEXT("no particular rule applies", "没有特别适用的规则");

    // User calls, RFC 9293 3.10.1-3.10.5.
    case Reason::OpenPassive:
      TCPLAB_TEXT("it creates a TCB and moves to LISTEN to wait for a SYN",
                  "创建传输控制块（TCB），进入 LISTEN 状态，等待对方的 SYN");
    case Reason::OpenActive:
      TCPLAB_TEXT("it picks an initial sequence number (ISN), sends SYN and moves to SYN-SENT",
                  "选择初始序号（ISN），发送 SYN 报文段，进入 SYN-SENT 状态");
    case Reason::OpenActiveFromListen:
      TCPLAB_TEXT("the listening connection turns active, so it picks an ISN, sends SYN and moves from LISTEN to SYN-SENT",
                  "正在监听的连接改为主动打开，选择初始序号（ISN），发送 SYN，由 LISTEN 进入 SYN-SENT 状态");
    case Reason::OpenExists:
      TCPLAB_TEXT("a connection already exists, so the call fails with \"error: connection already exists\"",
                  "连接已经存在，调用失败并返回“error: connection already exists”");
    case Reason::SendNoConnection:
      TCPLAB_TEXT("there is no connection to send on yet (no TCB, or a LISTEN that has no peer), so the call fails",
                  "还没有可用来发送的连接（没有 TCB，或者 LISTEN 状态下还没有对方），调用失败");
    case Reason::SendQueued:
      TCPLAB_TEXT("the connection is not established yet, so the data is queued and goes out once it reaches ESTABLISHED",
                  "连接尚未建立，数据先排队，等进入 ESTABLISHED 状态后再发送");
    case Reason::SendData:
      TCPLAB_TEXT("it sends the data in one segment with the ACK piggybacked, and keeps it for retransmission until it is acknowledged",
                  "把数据装入一个报文段发送（捎带确认 ACK），在收到确认之前保留它以便重传");
    case Reason::SendClosing:
      TCPLAB_TEXT("its sending side is already closed and no data may follow its FIN, so the call fails with \"error: connection closing\"",
                  "本方的发送方向已经关闭，FIN 之后不能再发送数据，调用失败并返回“error: connection closing”");
    case Reason::CloseNoConnection:
      TCPLAB_TEXT("there is no connection to close, so the call fails with \"error: connection does not exist\"",
                  "没有可关闭的连接，调用失败并返回“error: connection does not exist”");
    case Reason::CloseListen:
      TCPLAB_TEXT("nobody has connected yet, so it deletes the TCB and goes back to CLOSED",
                  "还没有对方连接进来，于是删除传输控制块（TCB），回到 CLOSED 状态");
    case Reason::CloseSynSent:
      TCPLAB_TEXT("the handshake has not completed, so it deletes the TCB and goes to CLOSED without sending anything",
                  "握手尚未完成，于是删除 TCB，直接进入 CLOSED 状态，不发送任何报文段");
    case Reason::CloseSendFin:
      TCPLAB_TEXT("it sends FIN (with ACK) to close its sending side and moves to FIN-WAIT-1, as the active closer",
                  "发送 FIN（带 ACK）关闭本方的发送方向，进入 FIN-WAIT-1 状态，成为主动关闭方");
    case Reason::CloseQueued:
      TCPLAB_TEXT("data is still queued, so the FIN waits and follows the data once the connection is established",
                  "还有数据在排队，FIN 要等连接建立后跟在这些数据后面发送");
    case Reason::CloseCloseWaitSendFin:
      TCPLAB_TEXT("the peer has already closed its side; now it sends its own FIN and moves to LAST-ACK to wait for the last ACK, as the passive closer",
                  "对方早已关闭了它的发送方向；现在本方作为被动关闭方也发送 FIN，进入 LAST-ACK 状态，等待最后一个确认");
    case Reason::CloseClosing:
      TCPLAB_TEXT("it has already asked to close and sends no second FIN, so the call fails with \"error: connection closing\"",
                  "本方已经请求过关闭，不会再发送第二个 FIN，调用失败并返回“error: connection closing”");
    case Reason::CloseOnFin:
      TCPLAB_TEXT("with the peer's FIN received, its application closes at once, so one FIN,ACK acknowledges the peer's FIN and carries its own, and it goes through CLOSE-WAIT to LAST-ACK, a three-segment close",
                  "收到对方的 FIN 后，本方应用进程立即关闭，于是用一个 FIN,ACK 既确认对方的 FIN 又携带本方的 FIN，经 CLOSE-WAIT 进入 LAST-ACK 状态，挥手只用三个报文段");
    case Reason::AbortNoConnection:
      TCPLAB_TEXT("there is no connection to abort, so the call fails with \"error: connection does not exist\"",
                  "没有可中止（ABORT）的连接，调用失败并返回“error: connection does not exist”");
    case Reason::AbortQuiet:
      TCPLAB_TEXT("no RST is needed in this state, so it simply deletes the TCB and goes to CLOSED",
                  "此状态下无需发送 RST，直接删除 TCB，进入 CLOSED 状态");
    case Reason::AbortSendRst:
      TCPLAB_TEXT("it sends RST to reset the connection, deletes the TCB and goes to CLOSED; data not yet sent or acknowledged is lost",
                  "发送复位报文段 RST 复位连接，删除 TCB，进入 CLOSED 状态；尚未发送或尚未被确认的数据都将丢失");

    // SEGMENT ARRIVES in CLOSED, 3.10.7.1.
    case Reason::ClosedRstDrop:
      TCPLAB_TEXT("there is no connection here and a RST is never answered, so it is dropped",
                  "这里没有连接，而 RST 永远不会被回应，于是直接丢弃");
    case Reason::ClosedSendRst:
      TCPLAB_TEXT("there is no connection here, so it drops the segment and answers RST, numbered so that the sender will accept it",
                  "这里没有连接，于是丢弃该报文段，并回复一个对方能够接受的复位报文段 RST");

    // in LISTEN, 3.10.7.2.
    case Reason::ListenRstIgnore:
      TCPLAB_TEXT("a RST in LISTEN cannot belong to any connection, so it is ignored",
                  "LISTEN 状态下的 RST 不可能属于任何连接，忽略它");
    case Reason::ListenAckSendRst:
      TCPLAB_TEXT("nothing has been sent yet, so any ACK is bad; it answers RST with seq = the segment's ack and stays in LISTEN",
                  "还没有发送过任何报文段，任何 ACK 都是错误的；回复 RST（序号取该报文段的确认号），继续保持 LISTEN 状态");
    case Reason::ListenSynSendSynAck:
      TCPLAB_TEXT("it answers SYN,ACK and moves to SYN-RECEIVED",
                  "回复 SYN,ACK，进入 SYN-RECEIVED 状态");
    case Reason::ListenOtherDrop:
      TCPLAB_TEXT("a segment with none of SYN, ACK or RST means nothing here, so it is dropped",
                  "既没有 SYN、ACK 也没有 RST 的报文段在这里没有意义，丢弃");

    // in SYN-SENT, 3.10.7.3.
    case Reason::SynSentBadAckSendRst:
      TCPLAB_TEXT("its ack does not acknowledge the SYN it sent, so it answers RST, drops the segment and stays in SYN-SENT",
                  "确认号不可接受（没有确认本方发出的 SYN），于是回复 RST，丢弃该报文段，仍处于 SYN-SENT 状态");
    case Reason::SynSentBadAckRstDrop:
      TCPLAB_TEXT("a RST whose ack does not match the SYN it sent concerns some other connection, so it is dropped",
                  "这个 RST 的确认号与本方发出的 SYN 对不上，与本连接无关，丢弃");
    case Reason::SynSentRstReset:
      TCPLAB_TEXT("a RST that acknowledges its SYN means nobody accepts connections there, so the connection is refused; it deletes the TCB and goes to CLOSED",
                  "RST 确认了本方的 SYN，说明对方不接受这个连接（例如该端口没有进程在监听），连接被拒绝；删除 TCB，进入 CLOSED 状态");
    case Reason::SynSentRstNoAckDrop:
      TCPLAB_TEXT("a RST without ACK cannot be tied to the SYN it sent, so it is dropped",
                  "不带 ACK 的 RST 无法证明与本方的 SYN 有关，丢弃");
    case Reason::SynSentNoSynDrop:
      TCPLAB_TEXT("a segment with neither SYN nor RST cannot complete the handshake, so it is dropped and it keeps waiting in SYN-SENT",
                  "既没有 SYN 也没有 RST 的报文段无法完成握手，丢弃，继续在 SYN-SENT 状态等待");
    case Reason::SynSentSynAckEstablished:
      TCPLAB_TEXT("the SYN,ACK acknowledges its SYN, so it answers ACK, the third segment of the handshake, and moves to ESTABLISHED",
                  "SYN,ACK 确认了本方的 SYN，于是回复确认 ACK（三报文握手的第三个报文段），进入 ESTABLISHED 状态");
    case Reason::SynSentSynSimultaneous:
      TCPLAB_TEXT("a SYN without ACK arrives while its own SYN is unanswered, a simultaneous open, so it answers SYN,ACK and moves to SYN-RECEIVED",
                  "本方的 SYN 尚未得到确认，又收到对方不带 ACK 的 SYN（同时打开），于是回复 SYN,ACK，进入 SYN-RECEIVED 状态");

    // in the other states, 3.10.7.4.
    case Reason::SeqUnacceptableSendAck:
      TCPLAB_TEXT("the segment is outside the receive window (an old duplicate, or beyond the window), so it is dropped and answered with an ACK stating what is expected next",
                  "报文段不在接收窗口内（是旧的重复报文段，或超出了窗口），于是丢弃它，并回一个确认（ACK）说明期望的下一个序号");
    case Reason::SeqUnacceptableRateLimited:
      TCPLAB_TEXT("the segment is outside the receive window; it has just answered another such segment, so this time it drops it silently: a rate limit, as in Linux, that stops two hosts from answering each other's ACKs forever",
                  "报文段不在接收窗口内；刚刚已为另一个这样的报文段回复过确认，这次直接丢弃、不再回复：这是与 Linux 相同的限速，防止两端无休止地互相回复 ACK");
    case Reason::SeqUnacceptableRstDrop:
      TCPLAB_TEXT("a RST outside the receive window is not believed, so it is dropped without any answer",
                  "不在接收窗口内的 RST 不可信，直接丢弃，不作任何回应");
    case Reason::SeqOutOfOrderHeld:
      TCPLAB_TEXT("it lies inside the window but beyond the next expected sequence number, so it is held until the gap is filled and a duplicate ACK restates what is expected",
                  "报文段在接收窗口内，但在期望的下一个序号之后（失序到达），于是先暂存，等缺口补上再交付，并立即发送重复确认，重申期望的序号");
    case Reason::RstChallengeAck:
      TCPLAB_TEXT("the RST is in the window but not exactly at the next expected sequence number and may be forged, so, as RFC 5961 advises, it answers with a challenge ACK and keeps the connection",
                  "RST 的序号在窗口内但不正好是期望的下一个序号，可能是伪造的，于是按 RFC 5961 回复挑战 ACK（challenge ACK），不复位连接");
    case Reason::RstSynReceivedToListen:
      TCPLAB_TEXT("the peer refused its SYN,ACK; since the connection came from a passive open, it returns to LISTEN without telling the user",
                  "对方用 RST 拒绝了本方的 SYN,ACK；该连接来自被动打开，于是回到 LISTEN 状态，不通知用户");
    case Reason::RstSynReceivedRefused:
      TCPLAB_TEXT("the peer answered its active open with RST, so the connection is refused; it deletes the TCB and goes to CLOSED",
                  "本方是主动打开，对方却回复了 RST，连接被拒绝；删除 TCB，进入 CLOSED 状态");
    case Reason::RstReset:
      TCPLAB_TEXT("a valid RST resets the connection; the user is told \"connection reset\", it deletes the TCB and goes to CLOSED, and data not yet delivered is lost",
                  "有效的 RST 复位了连接；通知用户“连接被复位”，删除 TCB，进入 CLOSED 状态，尚未交付的数据都将丢失");
    case Reason::RstClose:
      TCPLAB_TEXT("a valid RST arrives while it is closing, so it deletes the TCB and goes to CLOSED at once; in TIME-WAIT this cuts the 2*MSL wait short, which RFC 1337 warns about",
                  "连接正在关闭时收到有效的 RST，立即删除 TCB，进入 CLOSED 状态；在 TIME-WAIT 状态这会提前结束 2MSL 的等待，RFC 1337 对此有警告");
    case Reason::SynSynReceivedToListen:
      // Not "half-open": RFC 9293 3.5.1 uses that for a connection one side
      // has lost; this is an embryonic connection (the SYN queue's 半连接).
      TCPLAB_TEXT("a new SYN arrives for an embryonic connection (not yet established, from a passive open), so it abandons it and returns to LISTEN",
                  "由被动打开产生、尚未完成握手的连接（SYN 队列中的“半连接”）又收到了新的 SYN，于是放弃这个连接，回到 LISTEN 状态");
    case Reason::SynChallengeAck:
      TCPLAB_TEXT("a SYN on a synchronized connection may come from an attacker or a restarted peer, so, as RFC 5961 advises, it answers with a challenge ACK and drops the SYN",
                  "已同步的连接上出现 SYN，可能来自攻击者或已重启的对方，于是按 RFC 5961 回复挑战 ACK（challenge ACK）并丢弃该报文段");
    case Reason::SynInWindowSendRst:
      TCPLAB_TEXT("an in-window SYN on a synchronized connection is an error under the RFC 793 rule, used when RFC 5961 is off, so it answers RST, tells the user \"connection reset\" and goes to CLOSED",
                  "按 RFC 793 的规则（未启用 RFC 5961），已同步的连接上收到窗口内的 SYN 是错误，于是回复 RST，通知用户“连接被复位”，进入 CLOSED 状态");
    case Reason::AckMissingDrop:
      TCPLAB_TEXT("a segment without the ACK bit is not valid once the handshake is under way, so it is dropped",
                  "握手开始之后，不带 ACK 位的报文段无效，丢弃");
    case Reason::SynReceivedSynAckEstablished:
      TCPLAB_TEXT("in a simultaneous open the peer's SYN,ACK acknowledges its SYN, so it answers ACK and moves to ESTABLISHED",
                  "同时打开时，对方的 SYN,ACK 确认了本方的 SYN，于是回复确认 ACK，进入 ESTABLISHED 状态");
    case Reason::AckSynReceivedEstablished:
      TCPLAB_TEXT("the ACK acknowledges its SYN,ACK, so the three-way handshake is complete and it moves to ESTABLISHED",
                  "该 ACK 确认了本方的 SYN,ACK，三报文握手完成，进入 ESTABLISHED 状态");
    case Reason::AckSynReceivedBadSendRst:
      TCPLAB_TEXT("its ack does not acknowledge the SYN,ACK it sent, so it answers RST, drops the segment and stays in SYN-RECEIVED",
                  "确认号不可接受（没有确认本方的 SYN,ACK），于是回复 RST，丢弃该报文段，仍处于 SYN-RECEIVED 状态");
    case Reason::AckTooNewSendAck:
      TCPLAB_TEXT("it acknowledges data that was never sent, so it answers with an ACK and drops the segment",
                  "确认号确认了尚未发送的数据，于是回复一个确认 ACK，丢弃该报文段");
    case Reason::AckTooOldChallenge:
      TCPLAB_TEXT("its ack is older than SND.UNA minus the largest window ever seen and may be forged, so, as RFC 5961 advises, it answers with a challenge ACK and drops the segment",
                  "确认号比 SND.UNA 减去见过的最大窗口还要旧，可能是伪造的，于是按 RFC 5961 回复挑战 ACK（challenge ACK）并丢弃该报文段");
    case Reason::AckDuplicate:
      TCPLAB_TEXT("it acknowledges only what was acknowledged before, an old duplicate ACK, so it changes nothing",
                  "它只确认了早已被确认的内容（旧的重复确认），不产生任何变化");
    case Reason::AckAdvance:
      TCPLAB_TEXT("it acknowledges new data, so SND.UNA advances, what is acknowledged leaves the retransmission queue, and the retransmission timer restarts or stops",
                  "确认了新的数据，SND.UNA 前移，已被确认的报文段移出重传队列，重传计时器重新启动或停止");
    case Reason::AckFinWait1FinAcked:
      TCPLAB_TEXT("its FIN is acknowledged, so it moves to FIN-WAIT-2 and waits for the peer's FIN; the connection is half-closed",
                  "本方的 FIN 已被确认，于是进入 FIN-WAIT-2 状态，等待对方的 FIN，连接处于半关闭状态");
    case Reason::AckClosingFinAcked:
      TCPLAB_TEXT("after a simultaneous close its FIN is acknowledged at last, so it moves to TIME-WAIT and waits 2*MSL",
                  "双方同时关闭后，本方的 FIN 终于得到确认，于是进入 TIME-WAIT 状态，等待 2MSL");
    case Reason::AckClosingIgnore:
      TCPLAB_TEXT("the ACK does not cover its FIN yet, so it stays in CLOSING",
                  "该 ACK 还没有确认本方的 FIN，继续处于 CLOSING 状态");
    case Reason::AckLastAckFinAcked:
      TCPLAB_TEXT("the last ACK acknowledges its FIN, so it deletes the TCB and goes to CLOSED; the passive closer is done",
                  "最后一个确认 ACK 确认了本方的 FIN，于是删除 TCB，进入 CLOSED 状态，被动关闭方的关闭过程结束");
    case Reason::AckLastAckIgnore:
      TCPLAB_TEXT("it does not acknowledge its FIN, so it keeps waiting in LAST-ACK",
                  "没有确认本方的 FIN，继续在 LAST-ACK 状态等待");
    case Reason::TimeWaitFinRestart:
      TCPLAB_TEXT("the peer has retransmitted its FIN, so its last ACK was probably lost; it acknowledges the FIN again and restarts the 2*MSL timer",
                  "对方重传了 FIN，说明本方最后发出的确认可能丢失了；再次发送确认，并重新启动 2MSL 计时器");
    case Reason::TextAccepted:
      TCPLAB_TEXT("the data arrives in order, so it is delivered to the application, RCV.NXT advances and the data is acknowledged, at once or after a delayed-ACK pause",
                  "数据按序到达，于是交付给应用进程，RCV.NXT 前移，并立即或稍后（延迟确认）发送确认");
    case Reason::TextIgnoredAfterFin:
      TCPLAB_TEXT("the peer has already sent its FIN, so no new data can follow and the data is ignored",
                  "对方已经发送过 FIN，之后不应再有新数据，于是忽略这些数据");
    case Reason::FinCloseWait:
      TCPLAB_TEXT("the peer has closed its sending side with FIN, so it acknowledges the FIN, tells the user and moves to CLOSE-WAIT; the connection is half-closed and it may still send until its application closes",
                  "对方用 FIN 关闭了它的发送方向，于是确认该 FIN，通知应用进程，进入 CLOSE-WAIT 状态；连接处于半关闭状态，在本方应用进程关闭之前仍可继续发送数据");
    case Reason::FinClosing:
      TCPLAB_TEXT("the peer's FIN arrives before its own FIN is acknowledged, a simultaneous close, so it acknowledges the FIN and moves to CLOSING",
                  "本方的 FIN 尚未被确认就收到了对方的 FIN，双方同时关闭，于是确认对方的 FIN，进入 CLOSING 状态");
    case Reason::FinTimeWait:
      TCPLAB_TEXT("the peer's FIN arrives and its own FIN has been acknowledged, earlier or by this very segment, so it acknowledges the FIN and moves to TIME-WAIT, where it waits 2*MSL in case the last ACK is lost and must be repeated, and until old segments have died out",
                  "收到对方的 FIN，而本方的 FIN 已被确认（之前或就在这个报文段中），于是确认它，进入 TIME-WAIT 状态并等待 2MSL，以便最后的确认丢失时能够重发，并让本连接的旧报文段从网络中消失");
    case Reason::FinRemain:
      TCPLAB_TEXT("a FIN was already received before, so this one changes nothing; it is acknowledged and the state stays the same",
                  "之前已经收到过 FIN，这个 FIN 不会改变什么；确认它，状态保持不变");
    case Reason::PureAck:
      TCPLAB_TEXT("the segment is acceptable but acknowledges nothing new and carries no data, so nothing changes",
                  "报文段可以接受，但既没有确认新的数据也不携带数据，什么都不变");

    // timers, 3.10.8.
    case Reason::TimerRetransmit:
      TCPLAB_TEXT("no ACK came in time, so it retransmits the oldest unacknowledged segment and doubles the timeout, an exponential backoff",
                  "在规定时间内没有收到确认，于是重传最早的未确认报文段，并把超时重传时间加倍，即指数退避");
    case Reason::TimerRetransmitGiveUp:
      TCPLAB_TEXT("too many retransmissions went unanswered, so it gives up; the user is told \"connection timed out\", and it deletes the TCB and goes to CLOSED",
                  "多次重传都没有得到确认，只好放弃；通知用户“连接超时”，删除 TCB，进入 CLOSED 状态");
    case Reason::TimerRetransmitIdle:
      TCPLAB_TEXT("nothing is waiting for an acknowledgment, so there is nothing to retransmit and the timer stops",
                  "没有等待确认的报文段，无需重传，计时器停止");
    case Reason::TimerTimeWaitExpire:
      TCPLAB_TEXT("the 2*MSL wait is over and old segments of this connection have died out, so it deletes the TCB and goes to CLOSED",
                  "2MSL（两倍的最长报文段寿命）的等待已经结束，本连接的旧报文段都已从网络中消失，于是删除 TCB，进入 CLOSED 状态");
    case Reason::TimerTimeWaitIdle:
      TCPLAB_TEXT("it is not in TIME-WAIT, so this timer has nothing to do",
                  "当前不在 TIME-WAIT 状态，这个计时器无事可做");
    case Reason::TimerDelayedAck:
      TCPLAB_TEXT("the delayed-ACK pause is over, so the ACK it still owes, if any, goes out now",
                  "延迟确认的时间到了，如果还欠对方一个确认，现在就发送");

    // the network.
    case Reason::NetLost:
      TCPLAB_TEXT("the network lost the segment; it will never arrive",
                  "网络丢失了该报文段，它永远不会到达");
    case Reason::NetDropped:
      TCPLAB_TEXT("you, the learner, dropped the segment on its way",
                  "你（学习者）在途中丢弃了该报文段");
    case Reason::NetDuplicated:
      TCPLAB_TEXT("the network made a second copy of the segment; both copies may arrive",
                  "网络复制了该报文段，两个副本都可能到达");
    case Reason::NetInjected:
      TCPLAB_TEXT("the segment came from outside the connection, such as an old duplicate or a forged segment",
                  "该报文段来自连接之外，例如旧的重复报文段或伪造的报文段");
    case Reason::NetDelivered:
      TCPLAB_TEXT("the network delivered the segment",
                  "网络交付了该报文段");

    // Replaying a capture: what the sender's engine says of a captured segment.
    case Reason::ReplayLateStart:
      TCPLAB_TEXT("the capture began after the handshake, so both hosts start in ESTABLISHED with their sequence numbers taken from the first segments",
                  "抓包开始于握手之后，所以两端都从 ESTABLISHED 状态开始，序号取自最先抓到的报文段");
    case Reason::ReplayAckRepeated:
      TCPLAB_TEXT("it repeats an acknowledgment it already sent (a window update or a duplicate ACK), which changes no state",
                  "它重复了已经发送过的确认（窗口更新或重复 ACK），不改变任何状态");
    case Reason::ReplayUnexpectedSyn:
      TCPLAB_TEXT("its engine would not send this SYN: OPEN sends a SYN only from CLOSED or LISTEN, and a retransmission repeats the first SYN",
                  "引擎不会发送这个 SYN：只有在 CLOSED 或 LISTEN 状态下调用 OPEN 才发送 SYN，重传也只会重复第一个 SYN");
    case Reason::ReplayUnexpectedSeq:
      TCPLAB_TEXT("its sequence number is neither SND.NXT nor that of a segment waiting for retransmission",
                  "它的序号既不是 SND.NXT，也不是某个等待重传的报文段的序号");
    case Reason::ReplayUnexpectedAck:
      TCPLAB_TEXT("its acknowledgment number is not the sender's RCV.NXT, so its engine would not send it",
                  "它的确认号不是发送方的 RCV.NXT，所以引擎不会发送它");
    case Reason::ReplayUnexpectedData:
      TCPLAB_TEXT("its engine could not send data here: SEND is refused in this state or the data does not follow SND.NXT",
                  "引擎此时不能发送数据：在这个状态下 SEND 会被拒绝，或者数据没有接在 SND.NXT 之后");
    case Reason::ReplayUnexpectedFin:
      TCPLAB_TEXT("its engine would not send this FIN: CLOSE sends a FIN only once, from SYN-RECEIVED, ESTABLISHED or CLOSE-WAIT",
                  "引擎不会发送这个 FIN：CLOSE 只在 SYN-RECEIVED、ESTABLISHED 或 CLOSE-WAIT 状态下发送一次 FIN");
    case Reason::ReplayUnexpectedRst:
      TCPLAB_TEXT("its engine would not send this RST: neither ABORT nor an answer to a bad segment produces it",
                  "引擎不会发送这个 RST：ABORT 和对错误报文段的回应都不会产生它");
    case Reason::ReplayUnexpectedSegment:
      TCPLAB_TEXT("no call, timer or reply of its engine produces this segment",
                  "引擎的任何调用、计时器或回应都不会产生这个报文段");
  }
#undef TCPLAB_TEXT
  return "";
}

//-----------------------------------------------------------------------------
// [SECTION] Names: calls, timers, signals, RFC references, states
//-----------------------------------------------------------------------------

const char* call_text(Call c, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (c) {
    case Call::OpenPassive: return zh ? "OPEN（被动打开）" : "OPEN (passive)";
    case Call::OpenActive: return zh ? "OPEN（主动打开）" : "OPEN (active)";
    case Call::Send: return "SEND";
    case Call::Close: return "CLOSE";
    case Call::Abort: return "ABORT";
  }
  return "?";
}

const char* timer_text(TimerKind k, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (k) {
    case TimerKind::Retransmit: return zh ? "重传计时器" : "retransmission timer";
    case TimerKind::TimeWait: return zh ? "TIME-WAIT 计时器（2MSL）" : "TIME-WAIT timer (2*MSL)";
    case TimerKind::DelayedAck: return zh ? "延迟确认计时器" : "delayed-ACK timer";
  }
  return "?";
}

const char* signal_text(Reason r, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (r) {
    // RFC 9293 3.10.7.4 second check: "connection reset"; an in-window SYN
    // without RFC 5961 signals the same.
    case Reason::RstReset:
    case Reason::SynInWindowSendRst:
      return zh ? "连接被复位（connection reset）" : "connection reset";
    // 3.10.7.4 (SYN-RECEIVED from an active OPEN): "connection refused".
    // In SYN-SENT RFC 9293 3.10.7.3 words it "error: connection reset", but
    // what the user meets (the sockets API, ECONNREFUSED) is a refusal.
    case Reason::RstSynReceivedRefused:
    case Reason::SynSentRstReset:
      return zh ? "连接被拒绝（connection refused）" : "connection refused";
    case Reason::TimerRetransmitGiveUp:
      return zh ? "连接超时（connection timed out）" : "connection timed out";
    // 3.10.7.4 eighth check: "connection closing"; the peer will send no more.
    case Reason::FinCloseWait:
    case Reason::CloseOnFin:
      return zh ? "对方已关闭了它那一方的连接（connection closing）" : "the peer has closed its side";
    case Reason::None:
    case Reason::OpenPassive:
    case Reason::OpenActive:
    case Reason::OpenActiveFromListen:
    case Reason::OpenExists:
    case Reason::SendNoConnection:
    case Reason::SendQueued:
    case Reason::SendData:
    case Reason::SendClosing:
    case Reason::CloseNoConnection:
    case Reason::CloseListen:
    case Reason::CloseSynSent:
    case Reason::CloseSendFin:
    case Reason::CloseQueued:
    case Reason::CloseCloseWaitSendFin:
    case Reason::CloseClosing:
    case Reason::AbortNoConnection:
    case Reason::AbortQuiet:
    case Reason::AbortSendRst:
    case Reason::ClosedRstDrop:
    case Reason::ClosedSendRst:
    case Reason::ListenRstIgnore:
    case Reason::ListenAckSendRst:
    case Reason::ListenSynSendSynAck:
    case Reason::ListenOtherDrop:
    case Reason::SynSentBadAckSendRst:
    case Reason::SynSentBadAckRstDrop:
    case Reason::SynSentRstNoAckDrop:
    case Reason::SynSentNoSynDrop:
    case Reason::SynSentSynAckEstablished:
    case Reason::SynSentSynSimultaneous:
    case Reason::SeqUnacceptableSendAck:
    case Reason::SeqUnacceptableRateLimited:
    case Reason::SeqUnacceptableRstDrop:
    case Reason::SeqOutOfOrderHeld:
    case Reason::RstChallengeAck:
    case Reason::RstSynReceivedToListen:
    case Reason::RstClose:
    case Reason::SynSynReceivedToListen:
    case Reason::SynChallengeAck:
    case Reason::AckMissingDrop:
    case Reason::SynReceivedSynAckEstablished:
    case Reason::AckSynReceivedEstablished:
    case Reason::AckSynReceivedBadSendRst:
    case Reason::AckTooNewSendAck:
    case Reason::AckTooOldChallenge:
    case Reason::AckDuplicate:
    case Reason::AckAdvance:
    case Reason::AckFinWait1FinAcked:
    case Reason::AckClosingFinAcked:
    case Reason::AckClosingIgnore:
    case Reason::AckLastAckFinAcked:
    case Reason::AckLastAckIgnore:
    case Reason::TimeWaitFinRestart:
    case Reason::TextAccepted:
    case Reason::TextIgnoredAfterFin:
    case Reason::FinClosing:
    case Reason::FinTimeWait:
    case Reason::FinRemain:
    case Reason::PureAck:
    case Reason::TimerRetransmit:
    case Reason::TimerRetransmitIdle:
    case Reason::TimerTimeWaitExpire:
    case Reason::TimerTimeWaitIdle:
    case Reason::TimerDelayedAck:
    case Reason::NetLost:
    case Reason::NetDropped:
    case Reason::NetDuplicated:
    case Reason::NetInjected:
    case Reason::NetDelivered:
    case Reason::ReplayLateStart:
    case Reason::ReplayAckRepeated:
    case Reason::ReplayUnexpectedSyn:
    case Reason::ReplayUnexpectedSeq:
    case Reason::ReplayUnexpectedAck:
    case Reason::ReplayUnexpectedData:
    case Reason::ReplayUnexpectedFin:
    case Reason::ReplayUnexpectedRst:
    case Reason::ReplayUnexpectedSegment:
      return nullptr;
  }
  return nullptr;
}

std::string rfc_citation(Reason r, Lang lang) {
  // reason_rfc() writes "3.10.7.4", "3.10.7.4 (RFC 5961 3.2)",
  // "3.10.7.4 (Figure 7)", "3.10.8 (3.8.3 R2)" or "3.10.7.4 (RFC 793), 3.5.2".
  // A bracket naming another RFC becomes a second citation after "; ", any
  // other bracket a further place in RFC 9293 after ", ".
  const std::string_view rfc = reason_rfc(r);
  if (rfc.empty()) return {};
  const bool zh = lang == Lang::Zh;
  std::string main = "RFC 9293 ";
  std::string other;
  const std::size_t open = rfc.find(" (");
  const std::size_t close = open == std::string_view::npos ? open : rfc.find(')', open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    main += rfc;
  } else {
    main += rfc.substr(0, open);
    std::string_view inner = rfc.substr(open + 2, close - open - 2);
    if (inner.substr(0, 4) == "RFC ") {
      other = std::string(inner);
    } else {
      main += zh ? "，" : ", ";
      if (zh && inner.substr(0, 7) == "Figure ") {
        main += "图 ";
        main += inner.substr(7);
      } else {
        main += inner;
      }
    }
    std::string_view rest = rfc.substr(close + 1);
    if (rest.substr(0, 2) == ", ") rest.remove_prefix(2);
    if (!rest.empty()) {
      main += zh ? "，" : ", ";
      main += rest;
    }
  }
  if (!other.empty()) {
    main += zh ? "；" : "; ";
    main += other;
  }
  return main;
}

std::string state_with_alias(State s) {
  const std::string_view name = state_name(s);
  const std::string_view ss = state_ss_name(s);
  std::string out(name);
  if (ss != name) {
    out += " (ss: ";
    out += ss;
    out += ")";
  }
  return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Sentences: one per trace event
//-----------------------------------------------------------------------------

namespace {

// The first and the last code point of UTF-8 text (0 for empty text).
char32_t decode_at(std::string_view s, std::size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return c;
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  char32_t cp = c & (0x3F >> n);
  for (int k = 1; k <= n && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}
char32_t first_cp(std::string_view s) { return s.empty() ? 0 : decode_at(s, 0); }
char32_t last_cp(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return decode_at(s, i);
}
bool is_han(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
}
bool is_latin(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Builds a Chinese sentence from pieces, putting one space between Chinese
// characters and Latin letters or digits where two pieces meet, as the
// textbooks print "在 LISTEN 状态" (and "A 在", when the hosts are A and B).
struct ZhText {
  std::string s;
  ZhText& operator<<(std::string_view piece) {
    if (piece.empty()) return *this;
    const char32_t a = last_cp(s), b = first_cp(piece);
    if ((is_han(a) && is_latin(b)) || (is_latin(a) && is_han(b))) s += ' ';
    s += piece;
    return *this;
  }
};

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string possessive(std::string_view name) {
  std::string out(name);
  out += (!out.empty() && (out.back() == 's' || out.back() == 'S')) ? "'" : "'s";
  return out;
}

// " (RFC 9293 3.10.7.2)" / "（RFC 9293 3.10.7.2）", or nothing.
std::string cite(Reason r, Lang lang) {
  std::string c = rfc_citation(r, lang);
  if (c.empty()) return c;
  return lang == Lang::Zh ? "（" + c + "）" : " (" + c + ")";
}

// When an event changed the state and its reason text does not say where
// it went (a FIN riding on the handshake's ACK, say), the sentence does.
std::string now_in(const Event& e, Lang lang) {
  if (e.from == e.to) return {};
  const std::string_view text = reason_text(e.reason, lang);
  if (text.find(state_name(e.to)) != std::string_view::npos) return {};
  if (lang == Lang::Zh) return std::string("，现处于 ") + state_name(e.to) + " 状态";
  return std::string(", and it is now in ") + state_name(e.to);
}

std::string call_with_args(const Event& e, Lang lang) {
  std::string c = call_text(e.call, lang);
  if (e.call == Call::Send) {
    if (lang == Lang::Zh)
      c += "（" + std::to_string(e.arg) + " 字节）";
    else
      c += " (" + std::to_string(e.arg) + (e.arg == 1 ? " octet)" : " octets)");
  }
  return c;
}

std::string describe_en(const Event& e, const HostNames& names) {
  const std::string host = names.name[e.host & 1][0];
  const std::string label = segment_label(e.seg);
  const char* from = state_name(e.from);
  const char* why = reason_text(e.reason, Lang::En);
  std::string s;
  switch (e.kind) {
    case EventKind::Call:
      s = host + " called " + call_with_args(e, Lang::En) + " in " + from + ": " + why +
          now_in(e, Lang::En) + cite(e.reason, Lang::En) + ".";
      break;
    case EventKind::CallError:
      s = host + " called " + call_with_args(e, Lang::En) + " in " + from + ": " + why +
          "; nothing changes" + cite(e.reason, Lang::En) + ".";
      break;
    case EventKind::Sent:
      if (e.reason == Reason::NetInjected)
        s = "A hand-built " + label + " leaves " + host + " without passing through its state machine.";
      else
        s = host + " sends " + label + ".";
      break;
    case EventKind::Delivered:
      s = label + " arrives at " + host + ", which is in " + from + ".";
      break;
    case EventKind::Accepted:
    case EventKind::Rejected:
      s = host + " received " + label + " in " + from + ": " + why + now_in(e, Lang::En) +
          cite(e.reason, Lang::En) + ".";
      break;
    case EventKind::Lost:
      s = "The network lost " + label + " on its way to " + host + ".";
      break;
    case EventKind::Dropped:
      s = "You dropped " + label + " on its way to " + host + ".";
      break;
    case EventKind::Duplicated:
      s = "The network duplicated " + label + " sent by " + host + ": a second copy is on its way.";
      break;
    case EventKind::Injected:
      s = label + " arrives at " + host + " from outside the connection, such as an old duplicate or a forged segment.";
      break;
    case EventKind::StateChanged:
      s = possessive(host) + " state changes: " + from + " -> " + state_name(e.to) + cite(e.reason, Lang::En) +
          ".";
      break;
    case EventKind::TimerFired:
      s = possessive(host) + " " + timer_text(e.timer, Lang::En) + " expired in " + from + ": " + why +
          now_in(e, Lang::En) + cite(e.reason, Lang::En) + ".";
      break;
    case EventKind::Signal: {
      const char* told = signal_text(e.reason, Lang::En);
      s = possessive(host) + " application is told: " + (told ? told : why) + ".";
      break;
    }
  }
  return capitalised(s);
}

std::string describe_zh(const Event& e, const HostNames& names) {
  const char* host = names.name[e.host & 1][1];
  const std::string label = segment_label(e.seg);
  const char* from = state_name(e.from);
  const char* why = reason_text(e.reason, Lang::Zh);
  ZhText t;
  switch (e.kind) {
    case EventKind::Call:
      t << host << "在" << from << "状态调用" << call_with_args(e, Lang::Zh) << "：" << why
        << now_in(e, Lang::Zh) << cite(e.reason, Lang::Zh) << "。";
      break;
    case EventKind::CallError:
      t << host << "在" << from << "状态调用" << call_with_args(e, Lang::Zh) << "：" << why << "；状态不变"
        << cite(e.reason, Lang::Zh) << "。";
      break;
    case EventKind::Sent:
      if (e.reason == Reason::NetInjected)
        t << "一个手工构造的报文段" << label << "从" << host << "发出，不经过它的状态机。";
      else
        t << host << "发送报文段" << label << "。";
      break;
    case EventKind::Delivered:
      t << "报文段" << label << "到达" << host << "（处于" << from << "状态）。";
      break;
    case EventKind::Accepted:
    case EventKind::Rejected:
      t << host << "在" << from << "状态收到" << label << "：" << why << now_in(e, Lang::Zh)
        << cite(e.reason, Lang::Zh) << "。";
      break;
    case EventKind::Lost:
      t << "网络丢失了发往" << host << "的" << label << "。";
      break;
    case EventKind::Dropped:
      t << "你丢弃了发往" << host << "的" << label << "。";
      break;
    case EventKind::Duplicated:
      t << "网络复制了" << host << "发送的" << label << "：又有一份副本在传输中。";
      break;
    case EventKind::Injected:
      t << "一个来自连接之外的报文段" << label << "到达" << host << "（例如旧的重复报文段或伪造的报文段）。";
      break;
    case EventKind::StateChanged:
      t << host << "的状态变化：" << from << " -> " << state_name(e.to) << cite(e.reason, Lang::Zh) << "。";
      break;
    case EventKind::TimerFired:
      t << host << "的" << timer_text(e.timer, Lang::Zh) << "在" << from << "状态超时：" << why
        << now_in(e, Lang::Zh) << cite(e.reason, Lang::Zh) << "。";
      break;
    case EventKind::Signal: {
      const char* told = signal_text(e.reason, Lang::Zh);
      t << host << "的应用进程被告知：" << (told ? told : why) << "。";
      break;
    }
  }
  return t.s;
}

}  // namespace

std::string describe_event(const Event& e, Lang lang, const HostNames& names) {
  return lang == Lang::Zh ? describe_zh(e, names) : describe_en(e, names);
}

}  // namespace tcplab
