#include "state.h"

#include <string>

namespace tcplab {

const char* state_name(State s) {
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

const char* state_ss_name(State s) {
  switch (s) {
    case State::Closed: return "UNCONN";
    case State::Listen: return "LISTEN";
    case State::SynSent: return "SYN-SENT";
    case State::SynReceived: return "SYN-RECV";
    case State::Established: return "ESTAB";
    case State::FinWait1: return "FIN-WAIT-1";
    case State::FinWait2: return "FIN-WAIT-2";
    case State::CloseWait: return "CLOSE-WAIT";
    case State::Closing: return "CLOSING";
    case State::LastAck: return "LAST-ACK";
    case State::TimeWait: return "TIME-WAIT";
  }
  return "?";
}

const char* state_netstat_name(State s) {
  switch (s) {
    case State::Closed: return "CLOSE";
    case State::Listen: return "LISTEN";
    case State::SynSent: return "SYN_SENT";
    case State::SynReceived: return "SYN_RECV";
    case State::Established: return "ESTABLISHED";
    case State::FinWait1: return "FIN_WAIT1";
    case State::FinWait2: return "FIN_WAIT2";
    case State::CloseWait: return "CLOSE_WAIT";
    case State::Closing: return "CLOSING";
    case State::LastAck: return "LAST_ACK";
    case State::TimeWait: return "TIME_WAIT";
  }
  return "?";
}

const char* state_bsd_name(State s) {
  switch (s) {
    case State::Closed: return "CLOSED";
    case State::Listen: return "LISTEN";
    case State::SynSent: return "SYN_SENT";
    case State::SynReceived: return "SYN_RCVD";
    case State::Established: return "ESTABLISHED";
    case State::FinWait1: return "FIN_WAIT_1";
    case State::FinWait2: return "FIN_WAIT_2";
    case State::CloseWait: return "CLOSE_WAIT";
    case State::Closing: return "CLOSING";
    case State::LastAck: return "LAST_ACK";
    case State::TimeWait: return "TIME_WAIT";
  }
  return "?";
}

bool is_synchronized(State s) {
  switch (s) {
    case State::Closed:
    case State::Listen:
    case State::SynSent:
    case State::SynReceived:
      return false;
    case State::Established:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      return true;
  }
  return false;
}

std::optional<ParsedState> parse_state(std::string_view text) {
  // Fold case and drop separators: "syn_recv", "SYN-RECV" and "Syn Recv"
  // all become "SYNRECV".
  std::string k;
  for (char c : text) {
    if (c == '-' || c == '_' || c == ' ' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    k.push_back(c);
  }
  struct Alias {
    const char* key;
    State state;
    bool misspelling;
  };
  static const Alias ALIASES[] = {
      {"CLOSED", State::Closed, false},        {"CLOSE", State::Closed, false},
      {"UNCONN", State::Closed, false},        {"LISTEN", State::Listen, false},
      {"SYNSENT", State::SynSent, false},      {"SYNSEND", State::SynSent, true},
      {"SYNRECEIVED", State::SynReceived, false}, {"SYNRECV", State::SynReceived, false},
      {"SYNRCVD", State::SynReceived, false},  {"SYNRCV", State::SynReceived, false},
      {"SYNRECEIVE", State::SynReceived, true}, {"SYNRECIEVED", State::SynReceived, true},
      {"ESTABLISHED", State::Established, false}, {"ESTAB", State::Established, false},
      {"ESTABLISH", State::Established, true}, {"FINWAIT1", State::FinWait1, false},
      {"FINWAIT2", State::FinWait2, false},    {"CLOSEWAIT", State::CloseWait, false},
      {"CLOSING", State::Closing, false},      {"LASTACK", State::LastAck, false},
      {"TIMEWAIT", State::TimeWait, false},
      // Typos of the source articles and of Windows' documentation, flagged
      // like SYN_SEND rather than refused as unknown.
      {"CLOSTWAIT", State::CloseWait, true},   {"SYNRCVE", State::SynReceived, true},
      {"TIMEDWAIT", State::TimeWait, true},
  };
  for (const Alias& a : ALIASES)
    if (k == a.key) return ParsedState{a.state, a.misspelling};
  return std::nullopt;
}

bool diagram_has_arc(State from, State to) {
  if (from == to) return false;
  // Every state with a TCB can reach CLOSED: ABORT, RST, timeouts (3.10.5,
  // 3.10.7.4, 3.10.8).
  if (to == State::Closed) return from != State::Closed;
  switch (from) {
    case State::Closed: return to == State::Listen || to == State::SynSent;
    case State::Listen: return to == State::SynReceived || to == State::SynSent;
    case State::SynSent: return to == State::SynReceived || to == State::Established;
    case State::SynReceived:
      return to == State::Established || to == State::FinWait1 || to == State::Listen ||
             to == State::CloseWait;
    case State::Established: return to == State::FinWait1 || to == State::CloseWait;
    case State::FinWait1:
      return to == State::FinWait2 || to == State::Closing || to == State::TimeWait;
    case State::FinWait2: return to == State::TimeWait;
    case State::CloseWait: return to == State::LastAck;
    case State::Closing: return to == State::TimeWait;
    case State::LastAck: return false;
    case State::TimeWait: return false;
  }
  return false;
}

}  // namespace tcplab
