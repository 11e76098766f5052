// SPDX-License-Identifier: MIT
// Helpers that make one likelihood evaluation cheap: dense ids for repeated keys (so equal
// customers share one term) and a logarithm of a long product taken once.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace salesbox::analytics::clv::internal {

// 64-bit mixer (splitmix64's finaliser).
inline uint64_t Mix64(uint64_t v) {
  v ^= v >> 30;
  v *= 0xbf58476d1ce4e5b9ULL;
  v ^= v >> 27;
  v *= 0x94d049bb133111ebULL;
  return v ^ (v >> 31);
}

// Gives each distinct key a dense id 0, 1, 2, ... in first-seen order. Open addressing with
// linear probing; `hash(key)` must be well mixed. Not thread-safe; used while building.
template <typename Key, typename Hash>
class DenseIds {
 public:
  explicit DenseIds(size_t expected_keys, Hash hash = Hash())
      : hash_(hash), slots_(std::bit_ceil(2 * expected_keys + 16), -1) {
    keys_.reserve(expected_keys);
  }

  // The id of `key`, which is added with the next id when new.
  int32_t IdOf(const Key& key) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash_(key) & mask;; i = (i + 1) & mask) {
      const int32_t id = slots_[i];
      if (id < 0) {
        if (2 * (keys_.size() + 1) > slots_.size()) {
          Grow();
          return IdOf(key);
        }
        slots_[i] = static_cast<int32_t>(keys_.size());
        keys_.push_back(key);
        return slots_[i];
      }
      if (keys_[static_cast<size_t>(id)] == key) return id;
    }
  }

  const std::vector<Key>& keys() const { return keys_; }

 private:
  void Grow() {
    std::vector<int32_t> bigger(slots_.size() * 2, -1);
    const size_t mask = bigger.size() - 1;
    for (size_t id = 0; id < keys_.size(); ++id) {
      size_t i = hash_(keys_[id]) & mask;
      while (bigger[i] >= 0) i = (i + 1) & mask;
      bigger[i] = static_cast<int32_t>(id);
    }
    slots_.swap(bigger);
  }

  Hash hash_;
  std::vector<int32_t> slots_;
  std::vector<Key> keys_;
};

// Items ordered by ascending frequency x, ties in input order: a counting sort over the distinct
// x (usually a few dozen), O(n).
struct FrequencyLayout {
  struct Range {
    int64_t x;
    size_t begin, end;
  };
  std::vector<size_t> position;  // item i goes to position[i]
  std::vector<Range> ranges;     // one per distinct x, ascending
};

inline FrequencyLayout LayOutByFrequency(std::span<const int64_t> xs) {
  struct Hash {
    size_t operator()(int64_t x) const { return Mix64(static_cast<uint64_t>(x)); }
  };
  DenseIds<int64_t, Hash> ids(64);
  std::vector<int32_t> id_of(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) id_of[i] = ids.IdOf(xs[i]);
  const std::vector<int64_t>& distinct = ids.keys();
  std::vector<size_t> rank(distinct.size());
  for (size_t k = 0; k < distinct.size(); ++k) rank[k] = k;
  std::sort(rank.begin(), rank.end(),
            [&distinct](size_t l, size_t r) { return distinct[l] < distinct[r]; });
  FrequencyLayout out;
  std::vector<size_t> next(distinct.size(), 0);  // by id: next free position
  std::vector<size_t> size(distinct.size(), 0);
  for (int32_t id : id_of) ++size[static_cast<size_t>(id)];
  size_t offset = 0;
  for (size_t id : rank) {
    out.ranges.push_back({distinct[id], offset, offset + size[id]});
    next[id] = offset;
    offset += size[id];
  }
  out.position.resize(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) out.position[i] = next[static_cast<size_t>(id_of[i])]++;
  return out;
}

// Accumulates ln Π f_i with a single log at the end, for sums of many logarithms in a
// likelihood. Four partial products are kept, so consecutive multiplications do not wait for
// each other; after each factor a partial product is moved back to [1, 2) and its binary
// exponent is kept as an integer, so nothing overflows or underflows. The absolute error of the
// result is about (number of factors) · 2^-53, ~1e-10 for a million factors: far inside what a
// log-likelihood sum of that size needs. A factor that is not in [2^-1000, 2^1000] (zero,
// negative, NaN, inf) makes Log() NaN.
class LogProduct {
 public:
  void Multiply(double f) {
    if (!(f >= 0x1p-1000 && f <= 0x1p1000)) [[unlikely]] {
      invalid_ = true;
      return;
    }
    double& lane = lanes_[next_++ & 3];
    const uint64_t bits = std::bit_cast<uint64_t>(lane * f);
    exponent_ += static_cast<int64_t>(bits >> 52) - 1023;  // the sign bit is 0
    lane = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  }
  double Log() const {
    if (invalid_) return std::nan("");
    return std::log(lanes_[0] * lanes_[1]) + std::log(lanes_[2] * lanes_[3]) +
           static_cast<double>(exponent_) * 0.69314718055994530942;
  }

 private:
  double lanes_[4] = {1.0, 1.0, 1.0, 1.0};
  uint32_t next_ = 0;
  int64_t exponent_ = 0;
  bool invalid_ = false;
};

}  // namespace salesbox::analytics::clv::internal
