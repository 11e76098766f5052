// SPDX-License-Identifier: MIT
#include "common/cow_vector.h"

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace salesbox {
namespace {

// Small chunks (4 elements) so the tests cross chunk boundaries.
using Small = CowVector<int, 2>;

Small Iota(int n) {
  Small v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

TEST(CowVectorTest, BehavesLikeAVectorAcrossChunks) {
  Small v = Iota(10);
  EXPECT_EQ(v.size(), 10u);
  EXPECT_EQ(v.chunk_count(), 3u);
  EXPECT_EQ(v[0], 0);
  EXPECT_EQ(v[9], 9);
  EXPECT_EQ(v.back(), 9);
  std::vector<int> seen(v.begin(), v.end());
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(std::lower_bound(v.begin(), v.end(), 6) - v.begin(), 6);
  v.pop_back();
  v.pop_back();
  EXPECT_EQ(v.size(), 8u);
  EXPECT_EQ(v.chunk_count(), 2u);
  v.resize(13, -1);
  EXPECT_EQ(v[12], -1);
  EXPECT_EQ(v[7], 7);
  const int more[] = {20, 21, 22, 23, 24, 25};
  v.AppendRange(more, 6);
  EXPECT_EQ(v.size(), 19u);
  EXPECT_EQ(v[13], 20);
  EXPECT_EQ(v[18], 25);
  size_t total = 0;
  v.ForEachChunk([&](const int*, size_t n) { total += n; });
  EXPECT_EQ(total, 19u);
  v.clear();
  EXPECT_TRUE(v.empty());
}

TEST(CowVectorTest, ACopySharesChunksUntilOneIsWritten) {
  const Small a = Iota(16);  // 4 chunks
  Small b = a;
  EXPECT_EQ(b.SharedChunks(a), 4u);
  b[5] = 50;  // chunk 1
  EXPECT_EQ(b.SharedChunks(a), 3u);
  EXPECT_EQ(a[5], 5);
  EXPECT_EQ(b[5], 50);
  b[6] = 60;  // the same chunk, now b's own: no further copy
  EXPECT_EQ(b.SharedChunks(a), 3u);
  b.push_back(16);  // a new chunk
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(b.size(), 17u);
  Small c = b;
  c.pop_back();
  c.pop_back();  // writes the last chunk: copied, b keeps its element
  EXPECT_EQ(b[15], 15);
  EXPECT_EQ(b[16], 16);
  EXPECT_EQ(c.size(), 15u);
  EXPECT_FALSE(a == b);
  Small d = a;
  d[0] = 0;  // copies chunk 0 with an equal value
  EXPECT_TRUE(a == d);
}

TEST(CowVectorTest, CopiesOnOtherThreadsNeverSeeAWrite) {
  Small base = Iota(4096);
  std::vector<std::thread> readers;
  std::vector<long> sums(4, 0);
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t, copy = base] {
      for (int round = 0; round < 20; ++round) {
        long sum = 0;
        for (int x : copy) sum += x;
        sums[static_cast<size_t>(t)] = sum;
      }
    });
  }
  for (size_t i = 0; i < base.size(); ++i) base[i] = -1;  // each chunk copied, never written shared
  for (std::thread& r : readers) r.join();
  for (long sum : sums) EXPECT_EQ(sum, 4095L * 4096 / 2);
  EXPECT_EQ(base[100], -1);
}

TEST(CowMapTest, CopiesShareUntilWritten) {
  CowMap<int, std::string> a;
  a[1] = "one";
  CowMap<int, std::string> b = a;
  EXPECT_TRUE(b.SharesWith(a));
  EXPECT_EQ(b.find(1)->second, "one");
  b[2] = "two";
  EXPECT_FALSE(b.SharesWith(a));
  EXPECT_FALSE(a.contains(2));
  EXPECT_EQ(b.size(), 2u);
  b.erase(2);
  EXPECT_TRUE(a == b);
}

}  // namespace
}  // namespace salesbox
