// SPDX-License-Identifier: MIT
// CowVector<T>: a vector in fixed-size chunks that copies share. Copying one costs a pointer per
// chunk; writing an element copies only the chunk that holds it, and only when another copy
// still shares that chunk. The live fact model (service/facts) keeps each snapshot's large
// arrays in these, so a delta that touches a few deals copies a few chunks, not the company.
//
//   CowVector<Row> a = ...;
//   CowVector<Row> b = a;   // shares every chunk
//   b[7].x = 1;             // copies chunk 0 into b; a is unchanged
//
// Thread safety: like std::vector, concurrent const access is safe and a non-const access
// needs the only reference to the object. Copies of one CowVector may be used and written from
// different threads: a chunk shared by two copies is never written, it is copied first.
//
// Design note: a chunk is written in place only when its use count is 1. Another copy cannot
// raise that count without holding a copy of this object, which the caller owns; a copy on
// another thread can only lower it (release), at worst leading to one needless copy.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/check.h"

namespace salesbox {

template <typename T, int kChunkBits = 12>
class CowVector {
 public:
  using value_type = T;
  using size_type = size_t;
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;

  // Random access over the elements, read only.
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    const_iterator() = default;
    const_iterator(const CowVector* v, size_t i) : v_(v), i_(i) {}
    reference operator*() const { return (*v_)[i_]; }
    pointer operator->() const { return &(*v_)[i_]; }
    reference operator[](difference_type n) const { return (*v_)[i_ + n]; }
    const_iterator& operator++() { ++i_; return *this; }
    const_iterator operator++(int) { const_iterator t = *this; ++i_; return t; }
    const_iterator& operator--() { --i_; return *this; }
    const_iterator operator--(int) { const_iterator t = *this; --i_; return t; }
    const_iterator& operator+=(difference_type n) { i_ += n; return *this; }
    const_iterator& operator-=(difference_type n) { i_ -= n; return *this; }
    friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
    friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
    friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.i_ == b.i_; }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.i_ <=> b.i_; }

   private:
    const CowVector* v_ = nullptr;
    size_t i_ = 0;
  };

  CowVector() = default;
  CowVector(std::initializer_list<T> values) {
    for (const T& value : values) push_back(value);
  }
  CowVector(size_t n, const T& value) { resize(n, value); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  const T& operator[](size_t i) const { return (*chunks_[i >> kChunkBits])[i & kMask]; }
  // Copies the element's chunk first when another copy shares it.
  T& operator[](size_t i) { return (*Own(i >> kChunkBits))[i & kMask]; }
  const T& at(size_t i) const {
    SB_CHECK(i < size_);
    return (*this)[i];
  }
  const T& back() const { return (*this)[size_ - 1]; }
  T& back() { return (*this)[size_ - 1]; }

  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size_); }

  // Capacity is kept per chunk; only the chunk list is reserved.
  void reserve(size_t n) { chunks_.reserve((n + kMask) >> kChunkBits); }

  void push_back(T value) {
    if ((size_ & kMask) == 0) {
      chunks_.push_back(std::make_shared<Chunk>());
      chunks_.back()->reserve(kChunkSize);
    }
    Own(size_ >> kChunkBits)->push_back(std::move(value));
    ++size_;
  }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    push_back(T(std::forward<Args>(args)...));
    return back();
  }
  void pop_back() {
    SB_CHECK(size_ > 0);
    --size_;
    Own(size_ >> kChunkBits)->pop_back();
    if ((size_ & kMask) == 0) chunks_.pop_back();
  }

  void resize(size_t n, const T& value = T()) {
    while (size_ > n) pop_back();
    while (size_ < n) push_back(value);
  }
  void assign(size_t n, const T& value) {
    clear();
    resize(n, value);
  }
  template <typename It>
    requires(!std::is_integral_v<It>)
  void assign(It first, It last) {
    clear();
    for (; first != last; ++first) push_back(*first);
  }
  void clear() {
    chunks_.clear();
    size_ = 0;
  }

  // Appends [first, last) of `other` (which may be *this).
  void append(const CowVector& other, size_t first, size_t last) {
    for (size_t i = first; i < last; ++i) push_back(other[i]);
  }

  // Appends n elements from `data`.
  void AppendRange(const T* data, size_t n) {
    while (n > 0) {
      if ((size_ & kMask) == 0) {
        chunks_.push_back(std::make_shared<Chunk>());
        chunks_.back()->reserve(kChunkSize);
      }
      Chunk* chunk = Own(size_ >> kChunkBits);
      const size_t take = std::min(n, kChunkSize - chunk->size());
      chunk->insert(chunk->end(), data, data + take);
      size_ += take;
      data += take;
      n -= take;
    }
  }
  // Calls f(const T* first, size_t count) for each chunk in order.
  template <typename F>
  void ForEachChunk(F f) const {
    for (const auto& chunk : chunks_) f(chunk->data(), chunk->size());
  }
  void shrink_to_fit() {}

  // How many chunks this shares with `other` (for tests and measurements).
  size_t SharedChunks(const CowVector& other) const {
    size_t shared = 0;
    for (size_t c = 0; c < chunks_.size() && c < other.chunks_.size(); ++c) {
      shared += chunks_[c] == other.chunks_[c] ? 1 : 0;
    }
    return shared;
  }
  size_t chunk_count() const { return chunks_.size(); }

  friend bool operator==(const CowVector& a, const CowVector& b) {
    if (a.size_ != b.size_) return false;
    for (size_t c = 0; c < a.chunks_.size(); ++c) {
      if (a.chunks_[c] != b.chunks_[c] && *a.chunks_[c] != *b.chunks_[c]) return false;
    }
    return true;
  }

 private:
  using Chunk = std::vector<T>;
  static constexpr size_t kMask = kChunkSize - 1;

  Chunk* Own(size_t c) {
    std::shared_ptr<Chunk>& chunk = chunks_[c];
    if (chunk.use_count() > 1) {
      auto copy = std::make_shared<Chunk>();
      copy->reserve(kChunkSize);
      copy->assign(chunk->begin(), chunk->end());
      chunk = std::move(copy);
    }
    return chunk.get();
  }

  std::vector<std::shared_ptr<Chunk>> chunks_;
  size_t size_ = 0;
};

// CowMap<K, V>: an unordered map that copies share until one of them is written (then that one
// copies the whole map). For the small per-account tables of the fact model that a delta
// rarely changes.
template <typename K, typename V>
class CowMap {
 public:
  using Map = std::unordered_map<K, V>;
  using const_iterator = typename Map::const_iterator;

  CowMap() : map_(std::make_shared<Map>()) {}

  size_t size() const { return map_->size(); }
  bool empty() const { return map_->empty(); }
  const_iterator begin() const { return map_->cbegin(); }
  const_iterator end() const { return map_->cend(); }
  const_iterator find(const K& key) const { return map_->find(key); }
  bool contains(const K& key) const { return map_->contains(key); }
  size_t count(const K& key) const { return map_->count(key); }
  const V& at(const K& key) const { return map_->at(key); }

  // The writes copy the map first when another copy shares it.
  V& operator[](const K& key) { return Own()[key]; }
  size_t erase(const K& key) { return Own().erase(key); }
  template <typename P>
  auto insert(P&& value) { return Own().insert(std::forward<P>(value)); }
  template <typename... Args>
  auto emplace(Args&&... args) { return Own().emplace(std::forward<Args>(args)...); }
  template <typename... Args>
  auto try_emplace(const K& key, Args&&... args) {
    return Own().try_emplace(key, std::forward<Args>(args)...);
  }
  void reserve(size_t n) { Own().reserve(n); }
  void clear() { Own().clear(); }
  Map& Own() {
    if (map_.use_count() > 1) map_ = std::make_shared<Map>(*map_);
    return *map_;
  }
  const Map& map() const { return *map_; }
  bool SharesWith(const CowMap& other) const { return map_ == other.map_; }

  friend bool operator==(const CowMap& a, const CowMap& b) {
    return a.map_ == b.map_ || *a.map_ == *b.map_;
  }

 private:
  std::shared_ptr<Map> map_;
};

}  // namespace salesbox
