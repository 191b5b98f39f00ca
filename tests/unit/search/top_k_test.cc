// TopK against std::partial_sort on (distance, id), including many equal distances.

#include "search/top_k.h"

#include <algorithm>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace vqsearch::internal {
namespace {

using Pair = std::pair<float, int64_t>;

std::vector<Pair> Reference(std::vector<Pair> items, int k) {
  const size_t take = std::min<size_t>(k, items.size());
  std::partial_sort(items.begin(), items.begin() + take, items.end());
  items.resize(take);
  return items;
}

std::vector<Pair> RunTopK(const std::vector<Pair>& items, int k) {
  TopK top(k);
  for (const Pair& item : items) top.Push(item.first, item.second);
  std::vector<float> distances(k);
  std::vector<int64_t> ids(k);
  top.ExtractSorted(distances.data(), ids.data(), std::numeric_limits<float>::infinity());
  std::vector<Pair> out;
  for (int i = 0; i < k; ++i) {
    if (ids[i] >= 0) out.emplace_back(distances[i], ids[i]);
  }
  return out;
}

TEST(TopKTest, MatchesPartialSortWithDuplicateDistances) {
  std::mt19937 rng(7);
  for (int k : {1, 2, 10, 100, 1024, 1500}) {
    for (int n : {1, 5, 1000, 5000}) {
      // Few distinct distances: ties are everywhere, so the id tie-break is exercised.
      std::uniform_int_distribution<int> level(0, 20);
      std::vector<Pair> items;
      for (int i = 0; i < n; ++i) items.emplace_back(level(rng) * 0.5f, i);
      std::shuffle(items.begin(), items.end(), rng);
      EXPECT_EQ(RunTopK(items, k), Reference(items, k)) << "k=" << k << " n=" << n;
    }
  }
}

TEST(TopKTest, PadsWhenFewerThanK) {
  TopK top(4);
  top.Push(2.0f, 9);
  top.Push(1.0f, 3);
  std::vector<float> distances(4);
  std::vector<int64_t> ids(4);
  top.ExtractSorted(distances.data(), ids.data(), 99.0f);
  EXPECT_EQ(ids, (std::vector<int64_t>{3, 9, -1, -1}));
  EXPECT_EQ(distances, (std::vector<float>{1.0f, 2.0f, 99.0f, 99.0f}));
  EXPECT_EQ(top.size(), 0);
}

TEST(TopKTest, ThresholdIsWorstHeldOnceFull) {
  TopK top(2);
  EXPECT_EQ(top.threshold(), std::numeric_limits<float>::infinity());
  top.Push(5.0f, 0);
  top.Push(3.0f, 1);
  EXPECT_EQ(top.threshold(), 5.0f);
  top.Push(4.0f, 2);
  EXPECT_EQ(top.threshold(), 4.0f);
}

TEST(TopKTest, ArrivalOrderDoesNotChangeResult) {
  std::vector<Pair> items;
  for (int i = 0; i < 2000; ++i) items.emplace_back(static_cast<float>(i % 7), i);
  std::vector<Pair> reversed(items.rbegin(), items.rend());
  for (int k : {30, TopK::kMaxHeapK + 1, 300}) {
    EXPECT_EQ(RunTopK(items, k), RunTopK(reversed, k)) << "k=" << k;
  }
}

// Large reservoirs cut at a sampled pivot: distinct distances arriving in rising,
// falling and random order (a sample from one end of the range, or from the middle).
TEST(TopKTest, SampledCutsKeepTheKBestInAnyArrivalOrder) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<Pair> items;
  for (int i = 0; i < 20000; ++i) items.emplace_back(uniform(rng), i);
  std::vector<Pair> rising = items;
  std::sort(rising.begin(), rising.end());
  const std::vector<Pair> falling(rising.rbegin(), rising.rend());
  for (int k : {TopK::kMaxHeapK + 1, 128, 320, 1000}) {
    const std::vector<Pair> expected = Reference(items, k);
    EXPECT_EQ(RunTopK(items, k), expected) << "k=" << k;
    EXPECT_EQ(RunTopK(rising, k), expected) << "k=" << k;
    EXPECT_EQ(RunTopK(falling, k), expected) << "k=" << k;
  }
}

// The cut samples every (size / 64)-th entry of the reservoir: streams whose sampled
// slots hold the smallest distances (a pivot with fewer than k at or below it) or the
// largest (a pivot that frees almost nothing) must still keep the k best.
TEST(TopKTest, SampledCutsSurviveMisleadingSamples) {
  const int k = 128;  // the first cut holds 2k = 256 entries and samples slots 0, 4, 8, ...
  for (const bool sampled_smallest : {true, false}) {
    std::vector<Pair> items;
    for (int i = 0; i < 2 * k; ++i) {
      const bool sampled = i % 4 == 0;
      const float distance = (sampled == sampled_smallest) ? 0.001f * i : 1000.0f + i;
      items.emplace_back(distance, i);
    }
    for (int i = 2 * k; i < 10 * k; ++i) items.emplace_back(500.0f + i, i);
    EXPECT_EQ(RunTopK(items, k), Reference(items, k)) << "sampled_smallest=" << sampled_smallest;
  }
}

// A reservoir's threshold may lag the k-th best, but never passes below it: a candidate
// that belongs to the final k is never refused.
TEST(TopKTest, ReservoirThresholdNeverBelowKthBest) {
  for (const int k : {4 * TopK::kMaxHeapK, 320}) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    TopK top(k);
    std::vector<float> seen;
    bool lowered = false;
    for (int i = 0; i < 20 * k; ++i) {
      const float distance = uniform(rng);
      top.Push(distance, i);
      seen.push_back(distance);
      if (static_cast<int>(seen.size()) < k) {
        ASSERT_EQ(top.threshold(), std::numeric_limits<float>::infinity());
        continue;
      }
      std::nth_element(seen.begin(), seen.begin() + (k - 1), seen.end());
      ASSERT_GE(top.threshold(), seen[k - 1]) << "k=" << k << " after " << i + 1 << " pushes";
      lowered = lowered || top.threshold() < 1.0f;
      ASSERT_LE(top.size(), 2 * k);
    }
    EXPECT_TRUE(lowered) << "k=" << k;
  }
}

// A bound the caller vouches for refuses a reservoir's candidates above it before its
// first cut, and leaves the extracted k unchanged; a heap needs none and ignores it.
TEST(TopKTest, BoundLowersAReservoirsThresholdOnly) {
  const int k = 2 * TopK::kMaxHeapK;
  TopK reservoir(k);
  for (int i = 0; i < k + 5; ++i) reservoir.Push(static_cast<float>(i), i);
  ASSERT_EQ(reservoir.threshold(), std::numeric_limits<float>::infinity());
  reservoir.Bound(static_cast<float>(k - 1));  // entries 0 .. k-1 are held
  EXPECT_EQ(reservoir.threshold(), static_cast<float>(k - 1));
  reservoir.Push(static_cast<float>(k), 1000);  // above the bound: refused
  EXPECT_EQ(reservoir.size(), k + 5);
  reservoir.Bound(static_cast<float>(k + 3));  // a looser bound does not raise it
  EXPECT_EQ(reservoir.threshold(), static_cast<float>(k - 1));
  reservoir.Push(0.5f, 2000);
  std::vector<float> distances(k);
  std::vector<int64_t> ids(k);
  ASSERT_EQ(reservoir.ExtractSorted(distances.data(), ids.data(), 0.0f), k);
  EXPECT_EQ(ids[0], 0);
  EXPECT_EQ(ids[1], 2000);
  EXPECT_EQ(ids[k - 1], k - 2);

  TopK heap(4);
  heap.Push(1.0f, 1);
  heap.Bound(0.5f);
  EXPECT_EQ(heap.threshold(), std::numeric_limits<float>::infinity());
}

}  // namespace
}  // namespace vqsearch::internal
