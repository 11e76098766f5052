// SPDX-License-Identifier: MIT
// A small deterministic random number generator (xoshiro256**, seeded through splitmix64) and the
// distributions the demo generator needs, written out here because std::*_distribution are
// implementation-defined: the same seed must give the same demo company on every build.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>

namespace salesbox::demo::internal {

// splitmix64 (Steele, Lea & Flood 2014): advances `*state` and returns the next output.
inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A well-mixed 64-bit key for the independent stream `stream` of item `index` under `seed`, so
// that every account (or lead, or campaign) draws from its own stream whatever is generated
// before it.
inline uint64_t StreamKey(uint64_t seed, uint64_t stream, uint64_t index) {
  uint64_t state = seed;
  uint64_t key = SplitMix64(&state);
  state = key ^ (stream * 0xd1b54a32d192ed03ULL);
  key = SplitMix64(&state);
  state = key ^ (index * 0x8cb92ba72f3d8dd7ULL);
  return SplitMix64(&state);
}

// xoshiro256** 1.0 (Blackman & Vigna 2018) with distribution helpers. Every helper consumes a
// number of draws that depends only on the draws themselves, never on the caller's data, so a
// stream stays aligned whatever dates the caller maps the values to.
class Random {
 public:
  explicit Random(uint64_t key) {
    uint64_t state = key;
    for (uint64_t& word : s_) word = SplitMix64(&state);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n). REQUIRES: n > 0 (and n < 2^53).
  int64_t Below(int64_t n) { return static_cast<int64_t>(Uniform() * static_cast<double>(n)); }
  // Uniform integer in [lo, hi] (both inclusive). REQUIRES: lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }
  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }

  // Standard normal (Marsaglia's polar method; uses only log and sqrt).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0;
    double v = 0;
    double s = 0;
    do {
      u = 2 * Uniform() - 1;
      v = 2 * Uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double factor = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }

  // exp(N(mu, sigma)): median exp(mu).
  double LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }
  // A log-normal with the given median.
  double LogNormalMedian(double median, double sigma) {
    return median * std::exp(sigma * Normal());
  }

  // Poisson(lambda): Knuth's product method below 30, a rounded normal above.
  int64_t Poisson(double lambda) {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const double limit = std::exp(-lambda);
      int64_t k = 0;
      double product = Uniform();
      while (product > limit) {
        ++k;
        product *= Uniform();
      }
      return k;
    }
    const double x = std::floor(lambda + std::sqrt(lambda) * Normal() + 0.5);
    return x < 0 ? 0 : static_cast<int64_t>(x);
  }

  // Index i with probability weights[i] / sum(weights). REQUIRES: a positive sum.
  template <typename W>
  int Weighted(std::span<const W> weights) {
    double total = 0;
    for (const W w : weights) total += static_cast<double>(w);
    double x = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      x -= static_cast<double>(weights[i]);
      if (x < 0) return static_cast<int>(i);
    }
    return static_cast<int>(weights.size()) - 1;
  }

  // A uniformly chosen element. REQUIRES: !items.empty().
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[static_cast<size_t>(Below(static_cast<int64_t>(items.size())))];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace salesbox::demo::internal
