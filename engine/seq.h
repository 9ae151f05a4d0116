// Sequence-number arithmetic modulo 2^32 (RFC 9293 3.4).
// Comparisons are valid for numbers less than 2^31 apart, as in every real
// TCP: a < b means "b is after a in sequence space".
#pragma once
#include <cstdint>

namespace tcplab {

using Seq = std::uint32_t;

constexpr bool seq_lt(Seq a, Seq b) { return static_cast<std::int32_t>(a - b) < 0; }
constexpr bool seq_le(Seq a, Seq b) { return static_cast<std::int32_t>(a - b) <= 0; }
constexpr bool seq_gt(Seq a, Seq b) { return seq_lt(b, a); }
constexpr bool seq_ge(Seq a, Seq b) { return seq_le(b, a); }
// lo <= x < hi, in sequence space.
constexpr bool seq_in(Seq x, Seq lo, Seq hi) { return seq_le(lo, x) && seq_lt(x, hi); }

}  // namespace tcplab
