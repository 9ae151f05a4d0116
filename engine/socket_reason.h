// Why the sockets layer did something: a stable key per decision, where the
// rule comes from (RFC, POSIX or the Linux source) and a sentence in English
// and in Simplified Chinese. The RFC 9293 decisions of each connection keep
// their own keys (reason.h); these are the decisions above them: calls,
// errnos, the listener's queues, SYN cookies, keepalive and host events.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace tcplab {

// X(Name, "key", "source", "English", "中文")
#define TCPLAB_SOCK_REASONS(X)                                                                     \
  X(None, "none", "", "", "")                                                                      \
  /* calls that return at once */                                                                  \
  X(SocketCreated, "socket.created", "POSIX socket()", "a new socket, not yet bound or connected",  \
    "创建了新套接字，尚未绑定或连接")                                                              \
  X(BindOk, "bind.ok", "POSIX bind()", "the socket now owns the local port", "套接字占用了该本地端口") \
  X(BindInUse, "bind.error.addr_in_use", "Linux inet_csk_bind_conflict",                          \
    "another socket holds the port (a listener, a connection or a TIME-WAIT); SO_REUSEADDR on both lets it through unless that socket listens", \
    "端口已被其他套接字占用（监听、连接或 TIME-WAIT）；除非对方在监听，双方都设 SO_REUSEADDR 才能绑定") \
  X(ListenOk, "listen.ok", "RFC 9293 3.10.1; Linux inet_csk_listen_start",                        \
    "the socket listens: a passive OPEN with a SYN queue and an accept queue bounded by the backlog", \
    "套接字开始监听：被动打开，半连接队列和全连接队列都受 backlog 限制")                           \
  X(BadFd, "call.error.bad_fd", "POSIX", "no such socket (never opened or already closed)",        \
    "没有这个套接字（未创建或已关闭）")                                                            \
  X(Invalid, "call.error.invalid", "POSIX", "the call does not fit the socket's state",           \
    "该调用不符合套接字当前的状态")                                                                \
  X(NotConnected, "call.error.not_connected", "POSIX", "the socket is not connected",             \
    "套接字未连接")                                                                                \
  X(AlreadyConnecting, "connect.error.already", "POSIX connect()", "a connect is already under way", \
    "连接已在进行中")                                                                              \
  X(IsConnected, "connect.error.is_connected", "POSIX connect()", "the socket is already connected", \
    "套接字已连接")                                                                                \
  X(OptionSet, "setsockopt.ok", "POSIX setsockopt()", "the option is set", "选项已设置")           \
  /* blocking and returning */                                                                     \
  X(ConnectSentSyn, "connect.blocks.syn_sent", "RFC 9293 3.10.1",                                 \
    "connect sends a SYN and blocks until the SYN,ACK arrives", "connect 发送 SYN 并阻塞，直到收到 SYN,ACK") \
  X(ConnectDone, "connect.returns.established", "RFC 9293 3.10.7.3",                              \
    "connect returns 0: the SYN,ACK arrived and the client is ESTABLISHED (its ACK is on the way)", \
    "connect 返回 0：收到 SYN,ACK，客户端进入 ESTABLISHED（第三次握手的 ACK 正在路上）")         \
  X(ConnectRefused, "connect.error.refused", "RFC 9293 3.10.7.3",                                 \
    "ECONNREFUSED: a RST answered the SYN (nobody listens on that port)",                          \
    "ECONNREFUSED：SYN 被 RST 回绝（该端口无人监听）")                                            \
  X(ConnectTimedOut, "connect.error.timed_out", "RFC 9293 3.8.3 R2; Linux tcp_syn_retries",       \
    "ETIMEDOUT: every SYN retransmission went unanswered", "ETIMEDOUT：所有 SYN 重传都没有回应")  \
  X(AcceptBlocks, "accept.blocks.queue_empty", "POSIX accept()",                                  \
    "accept blocks: the accept queue is empty", "accept 阻塞：全连接队列为空")                     \
  X(AcceptDone, "accept.returns.connection", "Linux inet_csk_accept",                             \
    "accept returns a new socket: an ESTABLISHED connection taken off the accept queue (the handshake ended before accept)", \
    "accept 返回新套接字：从全连接队列取出一个已 ESTABLISHED 的连接（握手在 accept 之前就已完成）") \
  X(SendDone, "send.returns.queued", "RFC 9293 3.10.2",                                           \
    "send returns the byte count: the data is queued to be sent, not yet received",               \
    "send 返回字节数：数据已进入发送队列，并不表示对方已收到")                                     \
  X(SendPipe, "send.error.pipe", "Linux tcp_sendmsg (SIGPIPE)",                                   \
    "EPIPE: this side can no longer send (shut down for writing, or the connection is gone)",      \
    "EPIPE：本端已不能发送（已关闭写方向，或连接已不存在）")                                       \
  X(ErrReset, "call.error.connection_reset", "RFC 9293 3.10.7.4 (connection reset)",              \
    "ECONNRESET: the peer reset the connection", "ECONNRESET：对端复位了连接")                    \
  X(ErrTimedOut, "call.error.timed_out", "RFC 9293 3.8.3 R2",                                     \
    "ETIMEDOUT: the connection timed out (retransmissions or keepalive probes unanswered)",        \
    "ETIMEDOUT：连接超时（重传或保活探测没有回应）")                                               \
  X(RecvBlocks, "recv.blocks.no_data", "POSIX recv()", "recv blocks: no data and no FIN yet",      \
    "recv 阻塞：既没有数据也没有 FIN")                                                             \
  X(RecvData, "recv.returns.data", "RFC 9293 3.10.3", "recv returns the bytes that arrived",      \
    "recv 返回已到达的字节")                                                                       \
  X(RecvEof, "recv.returns.eof", "RFC 9293 3.10.7.4 (FIN: connection closing)",                   \
    "recv returns 0: the peer's FIN arrived, no more data will come", "recv 返回 0：对端的 FIN 已到达，不会再有数据") \
  X(ShutdownWr, "shutdown.wr.send_fin", "RFC 9293 3.10.4", "shutdown(SHUT_WR) sends a FIN; reading goes on", \
    "shutdown(SHUT_WR) 发送 FIN；仍可继续读")                                                    \
  X(ShutdownRd, "shutdown.rd", "Linux tcp_shutdown", "shutdown(SHUT_RD): later reads return 0; nothing is sent", \
    "shutdown(SHUT_RD)：之后的读返回 0；不发送任何报文")                                           \
  X(CloseFin, "close.send_fin", "RFC 9293 3.10.4",                                                \
    "close sends a FIN; the connection lives on without its socket until it ends",                 \
    "close 发送 FIN；连接在没有套接字的情况下继续，直到结束")                                      \
  X(CloseUnreadRst, "close.unread_data.send_rst", "RFC 2525 2.17; Linux tcp_close",               \
    "close with unread data: a RST instead of a FIN, the data is lost", "关闭时仍有未读数据：发送 RST 而不是 FIN，数据丢弃") \
  X(CloseLingerZeroRst, "close.linger_zero.send_rst", "Linux tcp_close (SO_LINGER {1, 0})",      \
    "SO_LINGER {1, 0}: close aborts with a RST, no TIME-WAIT", "SO_LINGER {1, 0}：close 以 RST 中止连接，不进入 TIME-WAIT") \
  X(CloseListener, "close.listener", "Linux inet_csk_listen_stop",                                 \
    "the listener closes: connections not yet accepted are reset, half-open ones forgotten",        \
    "关闭监听套接字：尚未 accept 的连接被复位，半连接被丢弃")                                      \
  X(CloseQuiet, "close.no_connection", "POSIX close()", "the socket is released", "套接字被释放") \
  X(CloseLingerBlocks, "close.linger.blocks", "Linux sk_wait_event (SO_LINGER {1, t})",           \
    "SO_LINGER {1, t}: close blocks until the FIN is acknowledged or t seconds pass",              \
    "SO_LINGER {1, t}：close 阻塞，直到 FIN 被确认或 t 秒过去")                                   \
  X(CloseLingerDone, "close.linger.returns", "Linux tcp_close", "close returns: the FIN was acknowledged", \
    "close 返回：FIN 已被确认")                                                                    \
  X(CloseLingerTimeout, "close.linger.timeout", "Linux tcp_close (sk_stream_wait_close)",           \
    "close returns 0 when the linger time runs out before the FIN is acknowledged; the connection goes on without its socket", \
    "linger 时间用完而 FIN 尚未被确认：close 返回 0，连接在没有套接字的情况下继续")               \
  /* the listener */                                                                               \
  X(ListenerNewRequest, "listener.syn.syn_queue", "RFC 9293 3.10.7.2; Linux tcp_conn_request",   \
    "a SYN for the listener: a new connection in SYN-RECEIVED joins the SYN queue",                \
    "监听端口收到 SYN：新连接进入 SYN-RECEIVED，加入半连接队列")                                   \
  X(ListenerSynQueueFull, "listener.syn_queue_full.drop", "Linux tcp_conn_request",              \
    "the SYN queue is full and SYN cookies are off: the SYN is dropped (the client will retry)",   \
    "半连接队列已满且未启用 SYN cookie：丢弃 SYN（客户端会重传）")                                 \
  X(ListenerAcceptQueueFullSyn, "listener.accept_queue_full.syn_drop", "Linux tcp_conn_request", \
    "the accept queue is full: the SYN is dropped, even with SYN cookies", "全连接队列已满：丢弃 SYN（即使启用 SYN cookie）") \
  X(ListenerToAcceptQueue, "listener.established.accept_queue",                                    \
    "RFC 9293 3.10.7.4; Linux inet_csk_complete_hashdance",                                        \
    "the handshake is complete: the connection moves from the SYN queue to the accept queue",      \
    "握手完成：连接从半连接队列移到全连接队列")                                                    \
  X(ListenerOverflowDropAck, "listener.accept_queue_full.ack_dropped", "Linux tcp_check_req (listen_overflow)", \
    "the accept queue is full: the final ACK is dropped; the server stays in SYN-RECEIVED and will resend its SYN,ACK", \
    "全连接队列已满：丢弃第三次握手的 ACK；服务器仍处于 SYN-RECEIVED，稍后重传 SYN,ACK")          \
  X(ListenerOverflowRst, "listener.accept_queue_full.abort_rst", "Linux tcp_check_req (tcp_abort_on_overflow)", \
    "the accept queue is full and tcp_abort_on_overflow is set: the final ACK is answered with a RST", \
    "全连接队列已满且设置了 tcp_abort_on_overflow：以 RST 回应第三次握手的 ACK")                   \
  X(ListenerRepeatedSyn, "listener.syn_again.resend_syn_ack", "Linux tcp_check_req",              \
    "the same SYN again: the SYN,ACK is sent again (RFC 9293 would answer with an ACK)",           \
    "再次收到相同的 SYN：重发 SYN,ACK（RFC 9293 会回 ACK）")                                       \
  X(ListenerRequestExpired, "listener.syn_ack_retries.expired", "Linux reqsk_timer_handler (tcp_synack_retries)", \
    "the SYN,ACK was retransmitted tcp_synack_retries times without an ACK: the half-open connection is forgotten, nothing sent", \
    "SYN,ACK 已重传 tcp_synack_retries 次仍无 ACK：半连接被丢弃，不发任何报文")                    \
  X(CookieSent, "listener.syn_cookie.sent", "Linux cookie_v4_init_sequence (RFC 4987 3.6)",       \
    "a SYN cookie: a SYN,ACK whose ISN encodes the connection, and nothing is kept; the SYN's options are lost (window scale, SACK), the MSS kept as one of four values", \
    "SYN cookie：SYN,ACK 的 ISN 编码了该连接，服务器不保存任何状态；SYN 的选项丢失（窗口缩放、SACK），MSS 只保留四档之一") \
  X(CookieValid, "listener.syn_cookie.valid", "Linux cookie_v4_check",                            \
    "the ACK carries a valid cookie (ACK - 1): the connection is rebuilt ESTABLISHED and joins the accept queue", \
    "ACK 携带有效的 cookie（ACK - 1）：连接被重建为 ESTABLISHED 并加入全连接队列")                 \
  X(CookieAcceptQueueFull, "listener.syn_cookie.accept_queue_full.drop", "Linux cookie_v4_check (syn_recv_sock fails)", \
    "a valid cookie but the accept queue is full: the ACK is dropped; nothing was kept, so nothing is resent", \
    "cookie 有效但全连接队列已满：丢弃该 ACK；服务器没有保存状态，因此不会重传")                  \
  X(CookieInvalid, "listener.syn_cookie.invalid", "RFC 9293 3.10.7.2; Linux cookie_v4_check",    \
    "an ACK for the listener without a valid cookie: answered with a RST", "发往监听端口的 ACK 不带有效 cookie：以 RST 回应") \
  X(TimeWaitReopened, "listener.time_wait.reopened_by_syn", "RFC 1122 4.2.2.13; Linux tcp_timewait_state_process", \
    "a new SYN above the old connection's numbers reopens the port in TIME-WAIT: the TIME-WAIT ends and the listener takes the SYN (ISN = old SND.NXT + 65537)", \
    "新的 SYN 序号高于旧连接：处于 TIME-WAIT 的端口被重新打开，TIME-WAIT 结束，由监听套接字处理该 SYN（ISN = 旧 SND.NXT + 65537）") \
  /* connections without a socket, timers */                                                       \
  X(OrphanDataRst, "orphan.data_after_close.send_rst", "Linux tcp_rcv_state_process (TCPAbortOnData)", \
    "data arrived for a socket already closed: nobody can read it, a RST answers it",              \
    "数据到达时套接字已关闭：没有人能读取，以 RST 回应")                                           \
  X(FinWait2Timeout, "orphan.fin_wait_2.timeout", "Linux tcp_fin_timeout",                        \
    "an orphaned FIN-WAIT-2 timed out (tcp_fin_timeout): the connection is dropped without a segment", \
    "无套接字的 FIN-WAIT-2 超时（tcp_fin_timeout）：连接被删除，不发报文")                         \
  X(KeepaliveProbe, "keepalive.probe", "RFC 9293 3.8.4; RFC 1122 4.2.3.6; Linux tcp_keepalive_timer", \
    "keepalive probe: an ACK with SEQ = SND.NXT - 1 that the peer must answer", "保活探测：SEQ = SND.NXT - 1 的 ACK，对端必须回应") \
  X(KeepaliveAnswered, "keepalive.answered", "RFC 1122 4.2.3.6", "the peer answered: the connection is alive", \
    "对端有回应：连接仍然存活")                                                                    \
  X(KeepaliveDead, "keepalive.timeout.reset", "Linux tcp_keepalive_timer (tcp_keepalive_probes)", \
    "no answer to tcp_keepalive_probes probes: the connection is reset (RST) and reports ETIMEDOUT", \
    "tcp_keepalive_probes 次探测都没有回应：连接被复位（RST），报告 ETIMEDOUT")                    \
  X(NoSocketRst, "host.no_socket.send_rst", "RFC 9293 3.10.7.1", "no socket for this port: a RST answers", \
    "该端口没有套接字：以 RST 回应")                                                               \
  /* hosts and the network */                                                                      \
  X(ProcessExit, "host.process_exit", "POSIX _exit()",                                            \
    "the process exits: the kernel closes its sockets (FIN, or RST where data was unread)",         \
    "进程退出：内核关闭它的套接字（发送 FIN，有未读数据时发送 RST）")                              \
  X(HostCrash, "host.crash", "RFC 9293 3.5.1 (half-open connections)",                            \
    "the host crashes: silence; its connections vanish without a segment",                         \
    "主机崩溃：一片沉默；它的连接消失，不发任何报文")                                              \
  X(HostReboot, "host.reboot", "RFC 9293 3.5.1", "the host is back with no connections: it answers anything with a RST", \
    "主机重启后没有任何连接：对任何报文都回 RST")                                                  \
  X(HostDown, "net.host_down", "", "the host is down: the segment is lost", "主机已宕机：报文丢失") \
  X(LinkDown, "net.link_down", "", "the link is down: the segment is lost", "链路已断开：报文丢失") \
  X(LinkUp, "net.link_up", "", "the link is up again", "链路恢复")                                \
  X(LinkDownNote, "net.link_down.begin", "", "the link goes down", "链路断开")                    \
  X(NoRoute, "net.no_such_host", "", "no host has this address: the segment vanishes",            \
    "没有主机使用这个地址：报文消失")                                                              \
  X(SpoofedSyn, "flood.spoofed_syn", "RFC 4987 2", "a spoofed SYN from an address that never answers", \
    "伪造源地址的 SYN，源地址永不回应")                                                            \
  X(Lost, "net.lost", "", "the network lost the segment", "网络丢失了该报文")                     \
  X(DroppedByRule, "net.dropped_by_rule", "", "a drop rule of the scenario took the segment", "场景的丢弃规则丢掉了该报文")

enum class SockReason : std::uint8_t {
#define TCPLAB_SOCK_REASON_ENUM(name, key, src, en, zh) name,
  TCPLAB_SOCK_REASONS(TCPLAB_SOCK_REASON_ENUM)
#undef TCPLAB_SOCK_REASON_ENUM
};

const char* sock_reason_key(SockReason r);
const char* sock_reason_source(SockReason r);
// The sentence in English (zh = false) or Simplified Chinese (zh = true).
const char* sock_reason_text(SockReason r, bool zh);
std::optional<SockReason> sock_reason_from_key(std::string_view key);
int sock_reason_count();

}  // namespace tcplab
