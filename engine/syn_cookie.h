// SYN cookies (RFC 4987 3.6, Linux net/ipv4/syncookies.c): the listener
// answers a SYN without keeping anything; the ISN of its SYN,ACK encodes the
// connection and comes back, plus one, in the client's ACK.
//
// The layout is Linux's (secure_tcp_syn_cookie):
//   cookie = H1(4-tuple) + client ISN + (minute << 24)
//            + ((H2(4-tuple, minute) + mss_index) mod 2^24)
// A cookie is valid for the minute it was made and the next one
// (MAX_SYNCOOKIE_AGE 2). What it cannot keep: the SYN's options. The MSS
// survives as one of four values (msstab: 536, 1300, 1440, 1460); window
// scale and SACK-permitted are lost unless timestamps carry them. The hash
// here is splitmix64 keyed by a per-host secret from the seeded PRNG (Linux
// uses SipHash with a random key); only its unpredictability matters.
#pragma once
#include <cstdint>

#include "seq.h"

namespace tcplab {

constexpr std::uint32_t SYN_COOKIE_MSS[4] = {536, 1300, 1440, 1460};

struct CookieTuple {
  std::uint32_t saddr = 0, daddr = 0;  // client, server
  std::uint16_t sport = 0, dport = 0;
};

Seq syn_cookie_make(std::uint64_t secret, const CookieTuple& t, Seq client_isn,
                    std::uint32_t minute, std::uint32_t mss_index);
// `cookie` is SEG.ACK - 1 of the returning ACK, `client_isn` its SEG.SEQ - 1.
// Returns the MSS index (0-3) of a valid cookie, -1 otherwise.
int syn_cookie_check(std::uint64_t secret, const CookieTuple& t, Seq client_isn, Seq cookie,
                     std::uint32_t minute);

}  // namespace tcplab
