// The words of the lesson: every trace event as a sentence, in English or
// Simplified Chinese. The log, the feedback of the quizzes and the screen
// reader all say the same thing because they all come from here.
#pragma once
#include <string>

#include "reason.h"
#include "state.h"
#include "trace.h"

namespace tcplab {

enum class Lang : unsigned char { En, Zh };

// "client"/"server" (or "A"/"B" when roles are not set) in the language.
struct HostNames {
  const char* name[2][2] = {{"the client", "客户端"}, {"the server", "服务器"}};
};

// One short clause saying what the rule means, e.g. for
// listen.syn.send_syn_ack: "it answers SYN,ACK and moves to SYN-RECEIVED".
const char* reason_text(Reason r, Lang lang);

// A whole sentence for a trace event, e.g. "The server received SYN seq=1000
// in LISTEN: it answers SYN,ACK and moves to SYN-RECEIVED (RFC 9293 3.10.7.2)."
std::string describe_event(const Event& e, Lang lang, const HostNames& names = HostNames{});

// A state name with its Linux alias: "SYN-RECEIVED (ss: SYN-RECV)".
std::string state_with_alias(State s);

// The RFC reference of a reason as the log prints it, without brackets:
// "RFC 9293 3.10.7.2", "RFC 9293 3.10.7.4; RFC 5961 3.2",
// "RFC 9293 3.10.7.4, Figure 8" ("图 8" in Chinese); empty when the reason
// has none (network events).
std::string rfc_citation(Reason r, Lang lang);

// What the user of a host is told for a Signal event with this reason:
// "connection reset", "connection refused", "connection timed out", "the
// peer has closed its side" (Chinese: "连接被复位（connection reset）"...);
// nullptr for a reason that is never signalled.
const char* signal_text(Reason r, Lang lang);

// The user call as RFC 9293 names it: "OPEN (passive)", "SEND", "CLOSE".
const char* call_text(Call c, Lang lang);

// "retransmission timer", "TIME-WAIT timer (2*MSL)", "delayed-ACK timer".
const char* timer_text(TimerKind k, Lang lang);

}  // namespace tcplab
