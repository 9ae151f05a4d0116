// The names of the states (RFC 9293 3.3.2 and those learners meet in ss,
// netstat and BSD/Stevens), parse_state, and the other names the engine
// publishes (reason keys, calls, timers, flags).
#include <set>
#include <string>

#include "fixtures.h"

using namespace tcplab;

namespace {

const State ALL_STATES[STATE_COUNT] = {
    State::Closed,      State::Listen,   State::SynSent,   State::SynReceived,
    State::Established, State::FinWait1, State::FinWait2,  State::CloseWait,
    State::Closing,     State::LastAck,  State::TimeWait,
};

std::string str(const char* s) { return s ? s : "(null)"; }

// parse_state(text) as "STATE" or "STATE (misspelling)"; "rejected" for nullopt.
std::string parsed(std::string_view text) {
  std::optional<ParsedState> p = parse_state(text);
  if (!p) return "rejected";
  std::string out = test_state_name(p->state);
  if (p->misspelling) out += " (misspelling)";
  return out;
}

}  // namespace

TEST_SUITE("names") {

// RFC 9293 3.3.2 spells the states with hyphens.
TEST_CASE("state_name gives the RFC 9293 names") {
  CHECK(str(state_name(State::Closed)) == "CLOSED");
  CHECK(str(state_name(State::Listen)) == "LISTEN");
  CHECK(str(state_name(State::SynSent)) == "SYN-SENT");
  CHECK(str(state_name(State::SynReceived)) == "SYN-RECEIVED");
  CHECK(str(state_name(State::Established)) == "ESTABLISHED");
  CHECK(str(state_name(State::FinWait1)) == "FIN-WAIT-1");
  CHECK(str(state_name(State::FinWait2)) == "FIN-WAIT-2");
  CHECK(str(state_name(State::CloseWait)) == "CLOSE-WAIT");
  CHECK(str(state_name(State::Closing)) == "CLOSING");
  CHECK(str(state_name(State::LastAck)) == "LAST-ACK");
  CHECK(str(state_name(State::TimeWait)) == "TIME-WAIT");
  for (State s : ALL_STATES) CHECK(str(state_name(s)) == test_state_name(s));
}

// iproute2 ss (misc/ss.c sstate_name): "UNCONN" for a closed socket.
TEST_CASE("state_ss_name gives the Linux ss names") {
  CHECK(str(state_ss_name(State::Closed)) == "UNCONN");
  CHECK(str(state_ss_name(State::Listen)) == "LISTEN");
  CHECK(str(state_ss_name(State::SynSent)) == "SYN-SENT");
  CHECK(str(state_ss_name(State::SynReceived)) == "SYN-RECV");
  CHECK(str(state_ss_name(State::Established)) == "ESTAB");
  CHECK(str(state_ss_name(State::FinWait1)) == "FIN-WAIT-1");
  CHECK(str(state_ss_name(State::FinWait2)) == "FIN-WAIT-2");
  CHECK(str(state_ss_name(State::CloseWait)) == "CLOSE-WAIT");
  CHECK(str(state_ss_name(State::Closing)) == "CLOSING");
  CHECK(str(state_ss_name(State::LastAck)) == "LAST-ACK");
  CHECK(str(state_ss_name(State::TimeWait)) == "TIME-WAIT");
}

// netstat writes underscores. Linux net-tools spells CLOSED "CLOSE" and the
// FIN-WAITs "FIN_WAIT1"; other netstats differ there, so only the names all
// of them agree on are pinned; the others must merely use underscores and
// parse back.
TEST_CASE("state_netstat_name gives the netstat names") {
  CHECK(str(state_netstat_name(State::Listen)) == "LISTEN");
  CHECK(str(state_netstat_name(State::SynSent)) == "SYN_SENT");
  CHECK(str(state_netstat_name(State::SynReceived)) == "SYN_RECV");
  CHECK(str(state_netstat_name(State::Established)) == "ESTABLISHED");
  CHECK(str(state_netstat_name(State::CloseWait)) == "CLOSE_WAIT");
  CHECK(str(state_netstat_name(State::Closing)) == "CLOSING");
  CHECK(str(state_netstat_name(State::LastAck)) == "LAST_ACK");
  CHECK(str(state_netstat_name(State::TimeWait)) == "TIME_WAIT");
  for (State s : ALL_STATES) {
    CAPTURE(s);
    CHECK(str(state_netstat_name(s)).find('-') == std::string::npos);
  }
}

// BSD tcp_fsm.h tcpstates[], as in Stevens' TCP/IP Illustrated.
TEST_CASE("state_bsd_name gives the BSD/Stevens names") {
  CHECK(str(state_bsd_name(State::Closed)) == "CLOSED");
  CHECK(str(state_bsd_name(State::Listen)) == "LISTEN");
  CHECK(str(state_bsd_name(State::SynSent)) == "SYN_SENT");
  CHECK(str(state_bsd_name(State::SynReceived)) == "SYN_RCVD");
  CHECK(str(state_bsd_name(State::Established)) == "ESTABLISHED");
  CHECK(str(state_bsd_name(State::FinWait1)) == "FIN_WAIT_1");
  CHECK(str(state_bsd_name(State::FinWait2)) == "FIN_WAIT_2");
  CHECK(str(state_bsd_name(State::CloseWait)) == "CLOSE_WAIT");
  CHECK(str(state_bsd_name(State::Closing)) == "CLOSING");
  CHECK(str(state_bsd_name(State::LastAck)) == "LAST_ACK");
  CHECK(str(state_bsd_name(State::TimeWait)) == "TIME_WAIT");
}

TEST_CASE("parse_state reads back every name the engine writes") {
  for (State s : ALL_STATES) {
    CAPTURE(s);
    CHECK(parsed(state_name(s)) == test_state_name(s));
    CHECK(parsed(state_ss_name(s)) == test_state_name(s));
    CHECK(parsed(state_netstat_name(s)) == test_state_name(s));
    CHECK(parsed(state_bsd_name(s)) == test_state_name(s));
  }
}

TEST_CASE("parse_state accepts RFC, ss, netstat and BSD spellings") {
  SUBCASE("RFC 9293") {
    CHECK(parsed("CLOSED") == "CLOSED");
    CHECK(parsed("LISTEN") == "LISTEN");
    CHECK(parsed("SYN-SENT") == "SYN-SENT");
    CHECK(parsed("SYN-RECEIVED") == "SYN-RECEIVED");
    CHECK(parsed("ESTABLISHED") == "ESTABLISHED");
    CHECK(parsed("FIN-WAIT-1") == "FIN-WAIT-1");
    CHECK(parsed("FIN-WAIT-2") == "FIN-WAIT-2");
    CHECK(parsed("CLOSE-WAIT") == "CLOSE-WAIT");
    CHECK(parsed("CLOSING") == "CLOSING");
    CHECK(parsed("LAST-ACK") == "LAST-ACK");
    CHECK(parsed("TIME-WAIT") == "TIME-WAIT");
  }
  SUBCASE("the labels of Figure 5") {
    CHECK(parsed("SYN RCVD") == "SYN-RECEIVED");
    CHECK(parsed("SYN SENT") == "SYN-SENT");
    CHECK(parsed("ESTAB") == "ESTABLISHED");
    CHECK(parsed("FIN WAIT-1") == "FIN-WAIT-1");
    CHECK(parsed("FINWAIT-2") == "FIN-WAIT-2");
    CHECK(parsed("CLOSE WAIT") == "CLOSE-WAIT");
    CHECK(parsed("TIME WAIT") == "TIME-WAIT");
  }
  SUBCASE("Linux ss") {
    CHECK(parsed("SYN-RECV") == "SYN-RECEIVED");
    CHECK(parsed("ESTAB") == "ESTABLISHED");
    CHECK(parsed("UNCONN") == "CLOSED");
  }
  SUBCASE("netstat") {
    CHECK(parsed("SYN_RECV") == "SYN-RECEIVED");
    CHECK(parsed("TIME_WAIT") == "TIME-WAIT");
    CHECK(parsed("FIN_WAIT1") == "FIN-WAIT-1");
    CHECK(parsed("FIN_WAIT2") == "FIN-WAIT-2");
    CHECK(parsed("CLOSE_WAIT") == "CLOSE-WAIT");
    CHECK(parsed("LAST_ACK") == "LAST-ACK");
    CHECK(parsed("SYN_SENT") == "SYN-SENT");
  }
  SUBCASE("BSD / Stevens") {
    CHECK(parsed("SYN_RCVD") == "SYN-RECEIVED");
    CHECK(parsed("FIN_WAIT_1") == "FIN-WAIT-1");
    CHECK(parsed("FIN_WAIT_2") == "FIN-WAIT-2");
  }
  SUBCASE("any case") {
    CHECK(parsed("syn-received") == "SYN-RECEIVED");
    CHECK(parsed("Syn-Received") == "SYN-RECEIVED");
    CHECK(parsed("tImE_wAiT") == "TIME-WAIT");
    CHECK(parsed("estab") == "ESTABLISHED");
    CHECK(parsed("syn_rcvd") == "SYN-RECEIVED");
    CHECK(parsed("listen") == "LISTEN");
  }
  SUBCASE("hyphen, underscore, space or none") {
    CHECK(parsed("SYN-RECEIVED") == "SYN-RECEIVED");
    CHECK(parsed("SYN_RECEIVED") == "SYN-RECEIVED");
    CHECK(parsed("SYN RECEIVED") == "SYN-RECEIVED");
    CHECK(parsed("SYNRECEIVED") == "SYN-RECEIVED");
    CHECK(parsed("FIN WAIT 2") == "FIN-WAIT-2");
    CHECK(parsed("FINWAIT1") == "FIN-WAIT-1");
    CHECK(parsed("last ack") == "LAST-ACK");
    CHECK(parsed("closewait") == "CLOSE-WAIT");
  }
}

TEST_CASE("parse_state recognises SYN_SEND as a misspelling of SYN-SENT") {
  CHECK(parsed("SYN_SEND") == "SYN-SENT (misspelling)");
  CHECK(parsed("syn-send") == "SYN-SENT (misspelling)");
  CHECK(parsed("Syn Send") == "SYN-SENT (misspelling)");
  // The right spellings are not misspellings.
  CHECK(parsed("SYN_SENT") == "SYN-SENT");
  for (State s : ALL_STATES) {
    CAPTURE(s);
    std::optional<ParsedState> p = parse_state(state_name(s));
    REQUIRE(p.has_value());
    CHECK_FALSE(p->misspelling);
  }
}

TEST_CASE("parse_state rejects anything else") {
  CHECK(parsed("") == "rejected");
  CHECK(parsed(" ") == "rejected");
  CHECK(parsed("-") == "rejected");
  CHECK(parsed("SYN") == "rejected");
  CHECK(parsed("FIN") == "rejected");
  CHECK(parsed("WAIT") == "rejected");
  CHECK(parsed("ESTABLISHMENT") == "rejected");
  CHECK(parsed("ESTABLISHEDX") == "rejected");
  CHECK(parsed("FIN-WAIT-3") == "rejected");
  CHECK(parsed("FIN-WAIT") == "rejected");
  CHECK(parsed("TIME-WAIT-2") == "rejected");
  CHECK(parsed("SYN_SEN") == "rejected");
  CHECK(parsed("OPEN") == "rejected");
  CHECK(parsed("42") == "rejected");
  CHECK(parsed("hello world") == "rejected");
}

// RFC 9293 3.5.2: LISTEN, SYN-SENT and SYN-RECEIVED are the non-synchronized
// states (and CLOSED has no connection at all).
TEST_CASE("is_synchronized: ESTABLISHED and after") {
  CHECK_FALSE(is_synchronized(State::Closed));
  CHECK_FALSE(is_synchronized(State::Listen));
  CHECK_FALSE(is_synchronized(State::SynSent));
  CHECK_FALSE(is_synchronized(State::SynReceived));
  CHECK(is_synchronized(State::Established));
  CHECK(is_synchronized(State::FinWait1));
  CHECK(is_synchronized(State::FinWait2));
  CHECK(is_synchronized(State::CloseWait));
  CHECK(is_synchronized(State::Closing));
  CHECK(is_synchronized(State::LastAck));
  CHECK(is_synchronized(State::TimeWait));
}

// RFC 9293 Figure 5, plus the RST / ABORT / timeout arcs to CLOSED and the
// RST arc SYN-RECEIVED -> LISTEN.
TEST_CASE("diagram_has_arc follows Figure 5") {
  SUBCASE("the arcs of the figure") {
    CHECK(diagram_has_arc(State::Closed, State::Listen));
    CHECK(diagram_has_arc(State::Closed, State::SynSent));
    CHECK(diagram_has_arc(State::Listen, State::SynReceived));
    CHECK(diagram_has_arc(State::Listen, State::SynSent));
    CHECK(diagram_has_arc(State::Listen, State::Closed));
    CHECK(diagram_has_arc(State::SynSent, State::SynReceived));
    CHECK(diagram_has_arc(State::SynSent, State::Established));
    CHECK(diagram_has_arc(State::SynSent, State::Closed));
    CHECK(diagram_has_arc(State::SynReceived, State::Established));
    CHECK(diagram_has_arc(State::SynReceived, State::FinWait1));
    CHECK(diagram_has_arc(State::SynReceived, State::Listen));
    CHECK(diagram_has_arc(State::Established, State::FinWait1));
    CHECK(diagram_has_arc(State::Established, State::CloseWait));
    CHECK(diagram_has_arc(State::FinWait1, State::FinWait2));
    CHECK(diagram_has_arc(State::FinWait1, State::Closing));
    CHECK(diagram_has_arc(State::FinWait2, State::TimeWait));
    CHECK(diagram_has_arc(State::CloseWait, State::LastAck));
    CHECK(diagram_has_arc(State::Closing, State::TimeWait));
    CHECK(diagram_has_arc(State::LastAck, State::Closed));
    CHECK(diagram_has_arc(State::TimeWait, State::Closed));
  }
  SUBCASE("every connection state can reach CLOSED (RST, ABORT, timeout)") {
    for (State s : ALL_STATES) {
      CAPTURE(s);
      if (s != State::Closed) CHECK(diagram_has_arc(s, State::Closed));
    }
  }
  SUBCASE("no arcs the figure lacks") {
    CHECK_FALSE(diagram_has_arc(State::Closed, State::Established));
    CHECK_FALSE(diagram_has_arc(State::Closed, State::SynReceived));
    CHECK_FALSE(diagram_has_arc(State::Listen, State::Established));
    CHECK_FALSE(diagram_has_arc(State::Established, State::Listen));
    CHECK_FALSE(diagram_has_arc(State::Established, State::SynReceived));
    CHECK_FALSE(diagram_has_arc(State::Established, State::TimeWait));
    CHECK_FALSE(diagram_has_arc(State::CloseWait, State::FinWait1));
    CHECK_FALSE(diagram_has_arc(State::FinWait2, State::Closing));
    CHECK_FALSE(diagram_has_arc(State::LastAck, State::TimeWait));
    CHECK_FALSE(diagram_has_arc(State::TimeWait, State::Established));
    CHECK_FALSE(diagram_has_arc(State::TimeWait, State::Listen));
  }
}

TEST_CASE("reason keys are unique and parse back") {
  REQUIRE(reason_count() > 0);
  std::set<std::string> seen;
  for (int i = 0; i < reason_count(); ++i) {
    Reason r = static_cast<Reason>(i);
    std::string k = str(reason_key(r));
    CAPTURE(k);
    CHECK_FALSE(k.empty());
    CHECK(seen.insert(k).second);
    std::optional<Reason> back = reason_from_key(k);
    REQUIRE(back.has_value());
    CHECK(static_cast<int>(*back) == i);
  }
  CHECK_FALSE(reason_from_key("no.such.reason").has_value());
  CHECK_FALSE(reason_from_key("").has_value());
  CHECK(str(reason_key(Reason::ListenSynSendSynAck)) == "listen.syn.send_syn_ack");
  CHECK(str(reason_rfc(Reason::ListenSynSendSynAck)) == "3.10.7.2");
  CHECK(str(reason_rfc(Reason::RstChallengeAck)) == "3.10.7.4 (RFC 5961 3.2)");
  CHECK(str(reason_rfc(Reason::NetLost)) == "");
  CHECK(reason_rejects(Reason::ListenRstIgnore));
  CHECK(reason_rejects(Reason::SeqUnacceptableSendAck));
  CHECK_FALSE(reason_rejects(Reason::SynSentSynAckEstablished));
  CHECK_FALSE(reason_rejects(Reason::FinTimeWait));
}

TEST_CASE("call, timer and flag names") {
  CHECK(str(call_name(Call::OpenPassive)) == "open_passive");
  CHECK(str(call_name(Call::OpenActive)) == "open_active");
  CHECK(str(call_name(Call::Send)) == "send");
  CHECK(str(call_name(Call::Close)) == "close");
  CHECK(str(call_name(Call::Abort)) == "abort");
  CHECK(str(timer_name(TimerKind::Retransmit)) == "retransmit");
  CHECK(str(timer_name(TimerKind::TimeWait)) == "time_wait");
  CHECK(str(timer_name(TimerKind::DelayedAck)) == "delayed_ack");
  CHECK(flags_text(FLAG_SYN | FLAG_ACK) == "SYN,ACK");
  CHECK(flags_text(FLAG_FIN | FLAG_ACK) == "FIN,ACK");
  CHECK(flags_text(FLAG_RST) == "RST");
  CHECK(flags_text(FLAG_RST | FLAG_ACK) == "RST,ACK");
  CHECK(flags_text(0) == "none");
  CHECK(segment_label(fx::seg(FLAG_SYN | FLAG_ACK, 5000, 1001)) == "SYN,ACK seq=5000 ack=1001");
  CHECK(segment_label(fx::seg(FLAG_ACK, 1001, 5001, 100)) == "ACK seq=1001 ack=5001 len=100");
}

}  // TEST_SUITE
