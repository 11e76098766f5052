// SPDX-License-Identifier: MIT
// Design notes: counter-based draws.
//
// (1) The uniform of deal key (lo, hi) in trial t: x = lo + t·φ (mod 2³², φ = 0x9e3779b9, odd),
//     then a two-round 32-bit integer hash (xorshift-multiply, the low-bias constants found by
//     C. Wellons' hash prospector) with `hi` xored in between the rounds. For a fixed deal the
//     map t → x is a bijection and so is the hash, so a deal's trials are a permutation-like
//     walk over 2³² values; two deals differ in lo (and almost surely in hi), so their inputs in
//     one trial differ. Independence is checked statistically by the tests (moments of 500
//     deals, quantiles against the exact distribution at 400,000 trials).
// (2) Speed: sixteen trials per step in 32-bit lanes (two multiplies, four shift-xors, one
//     compare), the hit mask widened to two 8 × 64-bit halves and and-ed with the amount. No
//     branch; GCC vector extensions, compiled for AVX-512 (x86-64-v4), AVX2 and the baseline
//     (target_clones; the same arithmetic in each). 10⁹ draws take about 0.25 s with AVX-512
//     and 0.6 s with AVX2 on one core (bench/forecast_bench).
#include "analytics/forecast/draws.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#pragma GCC diagnostic ignored "-Wpsabi"

namespace salesbox::analytics::forecast::internal {
namespace {

constexpr uint32_t kWeyl = 0x9e3779b9u;
constexpr uint32_t kMul1 = 0x21f0aaadu;
constexpr uint32_t kMul2 = 0x735a2d97u;

uint64_t Mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

using U32x16 = uint32_t __attribute__((vector_size(64)));
using I32x16 = int32_t __attribute__((vector_size(64)));
using I32x8 = int32_t __attribute__((vector_size(32)));
using I64x8 = int64_t __attribute__((vector_size(64)));

// Note (1)'s hash of x, for one uint32_t or a vector of them. Always inlined into each target
// clone, so the vector's calling convention (-Wpsabi, silenced for this file) never applies.
template <typename T>
[[gnu::always_inline]] inline T Hash(T h, uint32_t hi) {
  h ^= h >> 16;
  h *= kMul1;
  h ^= h >> 15;
  h ^= hi;
  h *= kMul2;
  h ^= h >> 15;
  return h;
}

}  // namespace

StreamKey KeyOf(uint64_t seed, uint64_t stream) {
  const uint64_t k = Mix64(Mix64(seed) ^ Mix64(stream ^ 0x5851f42d4c957f2dULL));
  return StreamKey{static_cast<uint32_t>(k), static_cast<uint32_t>(k >> 32)};
}

uint64_t ThresholdOf(double q) {
  if (!(q > 0)) return 0;
  if (q >= 1) return kAlways;
  const double scaled = std::nearbyint(std::ldexp(q, 32));
  return static_cast<uint64_t>(std::clamp(scaled, 1.0, 4294967295.0));
}

uint32_t Uniform(StreamKey key, uint32_t trial) {
  return Hash(key.lo + trial * kWeyl, key.hi);
}

// Sixteen trials per step: one 512-bit vector with AVX-512, two 256-bit ones with AVX2.
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void AddDraws(
    StreamKey key, uint32_t threshold, int64_t amount, uint32_t first, size_t count,
    int64_t* const* rows, size_t row_count) {
  U32x16 x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  x = (x + first) * kWeyl + key.lo;
  const I64x8 amounts = {amount, amount, amount, amount, amount, amount, amount, amount};
  size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    const U32x16 h = Hash(x, key.hi);
    x += 16 * kWeyl;
    const I32x16 hit = (I32x16)(h < threshold);  // -1 where won
    I32x8 low, high;
    std::memcpy(&low, &hit, sizeof(low));
    std::memcpy(&high, reinterpret_cast<const char*>(&hit) + sizeof(low), sizeof(high));
    const I64x8 add_low = __builtin_convertvector(low, I64x8) & amounts;
    const I64x8 add_high = __builtin_convertvector(high, I64x8) & amounts;
    for (size_t r = 0; r < row_count; ++r) {
      int64_t* out = rows[r] + i;
      I64x8 a, b;
      std::memcpy(&a, out, sizeof(a));
      std::memcpy(&b, out + 8, sizeof(b));
      a += add_low;
      b += add_high;
      std::memcpy(out, &a, sizeof(a));
      std::memcpy(out + 8, &b, sizeof(b));
    }
  }
  for (; i < count; ++i) {  // the last eight, when count is not a multiple of 16
    const uint32_t u = Uniform(key, first + static_cast<uint32_t>(i));
    const int64_t add = u < threshold ? amount : 0;
    for (size_t r = 0; r < row_count; ++r) rows[r][i] += add;
  }
}

}  // namespace salesbox::analytics::forecast::internal
