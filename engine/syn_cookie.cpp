#include "syn_cookie.h"

namespace tcplab {
namespace {

constexpr int COOKIE_BITS = 24;
constexpr std::uint32_t COOKIE_MASK = (1u << COOKIE_BITS) - 1;
constexpr std::uint32_t MAX_AGE = 2;  // Linux MAX_SYNCOOKIE_AGE

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint32_t cookie_hash(std::uint64_t secret, const CookieTuple& t, std::uint32_t count, int c) {
  std::uint64_t h = mix(secret + static_cast<std::uint64_t>(c) * 0x9E3779B97F4A7C15ull);
  h = mix(h ^ ((static_cast<std::uint64_t>(t.saddr) << 32) | t.daddr));
  h = mix(h ^ ((static_cast<std::uint64_t>(t.sport) << 16) | t.dport) ^
          (static_cast<std::uint64_t>(count) << 40));
  return static_cast<std::uint32_t>(h);
}

}  // namespace

Seq syn_cookie_make(std::uint64_t secret, const CookieTuple& t, Seq client_isn,
                    std::uint32_t minute, std::uint32_t mss_index) {
  return cookie_hash(secret, t, 0, 0) + client_isn + (minute << COOKIE_BITS) +
         ((cookie_hash(secret, t, minute, 1) + mss_index) & COOKIE_MASK);
}

int syn_cookie_check(std::uint64_t secret, const CookieTuple& t, Seq client_isn, Seq cookie,
                     std::uint32_t minute) {
  // Linux check_tcp_syn_cookie: strip the first hash and the client's ISN,
  // read the minute from the top 8 bits, then the MSS index from the rest.
  cookie -= cookie_hash(secret, t, 0, 0) + client_isn;
  const std::uint32_t diff = (minute - (cookie >> COOKIE_BITS)) & (0xFFFFFFFFu >> COOKIE_BITS);
  if (diff >= MAX_AGE) return -1;
  const std::uint32_t index = (cookie - cookie_hash(secret, t, minute - diff, 1)) & COOKIE_MASK;
  return index < 4 ? static_cast<int>(index) : -1;
}

}  // namespace tcplab
