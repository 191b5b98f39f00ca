// CollectScores against pushing every completed score into a TopK, on rows long enough
// for the empty-heap bound and short ones, with norms, offsets, many equal scores, NaN
// and a filter.

#include "search/collect_scores.h"

#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "vqsearch/id_filter.h"

namespace vqsearch::internal {
namespace {

using Result = std::vector<std::pair<float, int64_t>>;

Result Extract(TopK* heap) {
  const int k = heap->k();
  std::vector<float> distances(k);
  std::vector<int64_t> ids(k);
  const int held = heap->ExtractSorted(distances.data(), ids.data(),
                                       std::numeric_limits<float>::infinity());
  Result out;
  for (int i = 0; i < held; ++i) out.emplace_back(distances[i], ids[i]);
  return out;
}

// Every score completed as CollectScores documents it, pushed one by one.
Result Reference(const std::vector<float>& scores, const std::vector<float>& norms, float offset,
                 int64_t first_id, int k, const IdFilter* filter, const std::vector<int64_t>& ids) {
  TopK heap(k);
  for (size_t j = 0; j < scores.size(); ++j) {
    if (filter != nullptr && !filter->Contains(ids[j])) continue;
    const float score = (scores[j] + (norms.empty() ? 0.0f : norms[j])) + offset;
    if (!std::isnan(score)) heap.Push(score, first_id + static_cast<int64_t>(j));
  }
  return Extract(&heap);
}

Result Collect(const std::vector<float>& scores, const std::vector<float>& norms, float offset,
               int64_t first_id, int k, const IdFilter* filter, const std::vector<int64_t>& ids) {
  TopK heap(k);
  const CandidateFilter admitted =
      filter == nullptr ? CandidateFilter() : CandidateFilter(filter, ids.data());
  CollectScores(scores.data(), norms.empty() ? nullptr : norms.data(), 1, offset, first_id,
                static_cast<int64_t>(scores.size()), &heap, admitted);
  return Extract(&heap);
}

TEST(CollectScoresTest, MatchesPushingEveryScore) {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> few_values(0, 7);
  for (int64_t count : {1, 31, 100, 1024, 1500, 4096}) {
    for (int k : {1, 10, 32, 64, 100, 200}) {
      for (bool with_norms : {false, true}) {
        for (bool ties : {false, true}) {
          std::vector<float> scores(count), norms;
          for (float& s : scores) s = ties ? static_cast<float>(few_values(rng)) : normal(rng);
          if (with_norms) {
            norms.resize(count);
            for (float& n : norms) n = ties ? 1.0f : std::abs(normal(rng));
          }
          const float offset = with_norms ? 0.37f : 0.0f;
          const std::vector<int64_t> ids;
          EXPECT_EQ(Collect(scores, norms, offset, 5, k, nullptr, ids),
                    Reference(scores, norms, offset, 5, k, nullptr, ids))
              << "count " << count << " k " << k << " norms " << with_norms << " ties " << ties;
        }
      }
    }
  }
}

TEST(CollectScoresTest, NanScoresAndFiltersKeepTheExactResult) {
  std::mt19937 rng(12);
  std::normal_distribution<float> normal;
  const int64_t count = 2048;
  std::vector<float> scores(count);
  for (float& s : scores) s = normal(rng);
  // NaN in many chunks, a whole chunk of NaN at the front.
  for (int64_t j = 0; j < count; j += 37) scores[j] = std::numeric_limits<float>::quiet_NaN();
  for (int64_t j = 0; j < 16; ++j) scores[j] = std::numeric_limits<float>::quiet_NaN();
  std::vector<int64_t> ids(count);
  std::vector<int64_t> even;
  for (int64_t j = 0; j < count; ++j) {
    ids[j] = 1000 + j;
    if (j % 2 == 0) even.push_back(ids[j]);
  }
  const IdSetFilter filter(even);
  for (int k : {1, 10, 64}) {
    EXPECT_EQ(Collect(scores, {}, 0.0f, 0, k, nullptr, ids),
              Reference(scores, {}, 0.0f, 0, k, nullptr, ids));
    EXPECT_EQ(Collect(scores, {}, 0.0f, 0, k, &filter, ids),
              Reference(scores, {}, 0.0f, 0, k, &filter, ids));
  }
}

TEST(CollectScoresTest, AHeapThatAlreadyHoldsEntriesKeepsThem) {
  std::mt19937 rng(13);
  std::normal_distribution<float> normal;
  std::vector<float> first(1024), second(1024);
  for (float& s : first) s = normal(rng);
  for (float& s : second) s = normal(rng) - 0.5f;
  TopK heap(32), reference(32);
  CollectScores(first.data(), nullptr, 1, 0.0f, 0, 1024, &heap);
  CollectScores(second.data(), nullptr, 1, 0.0f, 1024, 1024, &heap);
  for (int64_t j = 0; j < 1024; ++j) reference.Push(first[j], j);
  for (int64_t j = 0; j < 1024; ++j) reference.Push(second[j], 1024 + j);
  EXPECT_EQ(Extract(&heap), Extract(&reference));
}

}  // namespace
}  // namespace vqsearch::internal
