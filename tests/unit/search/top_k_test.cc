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

// A reservoir's threshold may lag the k-th best, but never passes below it: a candidate
// that belongs to the final k is never refused.
TEST(TopKTest, ReservoirThresholdNeverBelowKthBest) {
  const int k = 4 * TopK::kMaxHeapK;
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
    ASSERT_GE(top.threshold(), seen[k - 1]) << "after " << i + 1 << " pushes";
    lowered = lowered || top.threshold() < 1.0f;
    ASSERT_LE(top.size(), 2 * k);
  }
  EXPECT_TRUE(lowered);
}

}  // namespace
}  // namespace vqsearch::internal
