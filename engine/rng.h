// The one PRNG of the engine: splitmix64. Small, fast, and the same on every
// platform (never std::*_distribution, whose output is implementation-defined).
#pragma once
#include <cstdint>

namespace tcplab {

struct Rng {
  std::uint64_t state = 0x9E3779B97F4A7C15ull;

  explicit Rng(std::uint64_t seed = 0) : state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(next() >> 32); }
  // Uniform in [0, n) for n > 0 (multiply-shift; no modulo bias worth noting).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next_u32()) * n) >> 32);
  }
  // True with probability ppm / 1e6.
  bool chance_ppm(std::uint32_t ppm) { return ppm > 0 && below(1000000u) < ppm; }
};

}  // namespace tcplab
