// The 11 connection states of RFC 9293 3.3.2 and the names learners meet
// for them elsewhere (Linux ss, netstat, BSD/Stevens).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace tcplab {

enum class State : std::uint8_t {
  Closed,
  Listen,
  SynSent,
  SynReceived,
  Established,
  FinWait1,
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
};
constexpr int STATE_COUNT = 11;

const char* state_name(State s);          // RFC 9293: "SYN-RECEIVED"
const char* state_ss_name(State s);       // Linux ss: "SYN-RECV", "ESTAB", "UNCONN" for CLOSED
const char* state_netstat_name(State s);  // netstat: "SYN_RECV", "ESTABLISHED"
const char* state_bsd_name(State s);      // BSD/Stevens: "SYN_RCVD"

// True in the states where both sequence spaces are synchronized
// (RFC 9293 3.5.2: ESTABLISHED and later, i.e. not CLOSED, LISTEN,
// SYN-SENT, SYN-RECEIVED).
bool is_synchronized(State s);

struct ParsedState {
  State state;
  bool misspelling;  // the input was a known misspelling (SYN_SEND)
};
// Accepts the RFC names, ss/netstat/BSD aliases, hyphens, underscores,
// spaces or none, any case. Returns nullopt for anything else.
std::optional<ParsedState> parse_state(std::string_view text);

// Is there an arc from `from` to `to` in the RFC 9293 state diagram
// (Figure 5), counting the RST/ABORT/timeout arcs to CLOSED and LISTEN?
bool diagram_has_arc(State from, State to);

}  // namespace tcplab
