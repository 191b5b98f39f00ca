// Tests for AnnRecall and AnnDistance on datasets small enough to check by hand: every
// expected value below follows from the coordinates, not from the code under test.

#include "vqsearch/recall.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vqsearch/dataset.h"
#include "vqsearch/search_params.h"

namespace vqsearch {
namespace {

using ::testing::HasSubstr;

// Points in the plane. Query 0 sits at the origin: train 1 and 2 are both at distance 1
// (a tie at its second neighbour), train 6 and 7 just beyond distance 1 (inside and
// outside the 1e-3 tolerance). Query 1 sits on train 3 with train 5 at distance 1.
AnnDataset EuclideanDataset() {
  AnnDataset dataset;
  dataset.distance = "euclidean";
  dataset.dim = 2;
  dataset.train = {0, 0,  1, 0,  0, 1,  3, 0,  0, 4,  2, 0,  1.0005f, 0,  1.002f, 0};
  dataset.test = {0, 0,  3, 0};
  dataset.gt_k = 2;
  dataset.neighbors = {0, 1,  3, 5};
  dataset.distances = {0, 1,  0, 1};
  return dataset;
}

SearchResults Results(int k, std::vector<int64_t> ids) {
  SearchResults results;
  results.k = k;
  results.num_queries = static_cast<int64_t>(ids.size()) / k;
  results.ids = std::move(ids);
  results.distances.assign(results.ids.size(), 0.0f);  // recall ignores reported distances
  return results;
}

double Recall(const AnnDataset& dataset, const SearchResults& results, int k) {
  const absl::StatusOr<double> recall = AnnRecall(dataset, results, k);
  EXPECT_TRUE(recall.ok()) << recall.status();
  return recall.value_or(-1.0);
}

TEST(AnnRecallTest, PerfectResultsGiveOne) {
  EXPECT_DOUBLE_EQ(Recall(EuclideanDataset(), Results(2, {0, 1, 3, 5}), 2), 1.0);
}

TEST(AnnRecallTest, HalfRightGivesOneHalf) {
  // Query 0: train 3 is at distance 3. Query 1: train 0 is at distance 3.
  EXPECT_DOUBLE_EQ(Recall(EuclideanDataset(), Results(2, {0, 3, 3, 0}), 2), 0.5);
  // Per-query fractions are averaged: 1 and 0.
  EXPECT_DOUBLE_EQ(Recall(EuclideanDataset(), Results(2, {0, 1, 0, 4}), 2), 0.5);
}

TEST(AnnRecallTest, TiesAtTheKthDistanceCount) {
  // Train 2 is not in query 0's ground truth but is as close as its 2nd neighbour.
  EXPECT_DOUBLE_EQ(Recall(EuclideanDataset(), Results(2, {0, 2, 3, 5}), 2), 1.0);
}

TEST(AnnRecallTest, ToleranceIsOneThousandth) {
  // Query 0's threshold is 1 + 1e-3: 1.0005 counts, 1.002 does not.
  EXPECT_DOUBLE_EQ(Recall(EuclideanDataset(), Results(2, {0, 6, 3, 5}), 2), 1.0);
  EXPECT_DOUBLE_EQ(Recall(EuclideanDataset(), Results(2, {0, 7, 3, 5}), 2), 0.75);
}

TEST(AnnRecallTest, OnlyTheFirstKResultsAndTheKthThresholdCount) {
  // k = 1: the threshold is the 1st ground-truth distance, 0, so train 1 (distance 1)
  // misses for query 0, and the later, correct results are not looked at.
  EXPECT_DOUBLE_EQ(Recall(EuclideanDataset(), Results(2, {1, 0, 3, 0}), 1), 0.5);
}

TEST(AnnRecallTest, PaddingIdsNeverCount) {
  EXPECT_DOUBLE_EQ(Recall(EuclideanDataset(), Results(2, {0, -1, -1, -1}), 2), 0.25);
}

TEST(AnnRecallTest, AngularUsesOneMinusCosineSimilarity) {
  AnnDataset dataset;
  dataset.distance = "angular";
  dataset.dim = 2;
  // Angular distances from the query (1, 0): 0, 1 - 1/sqrt(2), 1, 2, 0.
  dataset.train = {1, 0,  1, 1,  0, 1,  -1, 0,  2, 0};
  dataset.test = {1, 0};
  dataset.gt_k = 3;
  dataset.neighbors = {0, 4, 1};
  dataset.distances = {0, 0, static_cast<float>(1 - 1 / std::sqrt(2.0))};
  // k = 2: the threshold is 1e-3, so only same-direction vectors count, at any length.
  EXPECT_DOUBLE_EQ(Recall(dataset, Results(3, {4, 0, 2}), 2), 1.0);
  EXPECT_DOUBLE_EQ(Recall(dataset, Results(3, {0, 1, 2}), 2), 0.5);
  // k = 3: the 45-degree vector counts, the orthogonal and opposite ones do not.
  EXPECT_DOUBLE_EQ(Recall(dataset, Results(3, {2, 3, 1}), 3), 1.0 / 3.0);
}

TEST(AnnRecallTest, IdsOutOfRangeAreAnError) {
  for (const int64_t bad : {int64_t{8}, int64_t{-2}, int64_t{1} << 40}) {
    const absl::StatusOr<double> recall = AnnRecall(EuclideanDataset(), Results(2, {0, 1, bad, 5}), 2);
    EXPECT_EQ(recall.status().code(), absl::StatusCode::kOutOfRange) << bad;
    EXPECT_THAT(recall.status().message(), HasSubstr("query 1"));
  }
}

TEST(AnnRecallTest, InconsistentArgumentsAreErrors) {
  const AnnDataset dataset = EuclideanDataset();
  // k beyond the ground truth, beyond the results, or not positive.
  EXPECT_EQ(AnnRecall(dataset, Results(3, {0, 1, 2, 3, 5, 0}), 3).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AnnRecall(dataset, Results(1, {0, 3}), 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AnnRecall(dataset, Results(2, {0, 1, 3, 5}), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  // One query's results for two test vectors.
  EXPECT_EQ(AnnRecall(dataset, Results(2, {0, 1}), 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Fewer ids than num_queries x k claims.
  SearchResults short_ids = Results(2, {0, 1, 3, 5});
  short_ids.ids.pop_back();
  EXPECT_EQ(AnnRecall(dataset, short_ids, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(AnnRecallTest, UnsupportedDistanceIsNamed) {
  AnnDataset dataset = EuclideanDataset();
  dataset.distance = "hamming";
  const absl::StatusOr<double> recall = AnnRecall(dataset, Results(2, {0, 1, 3, 5}), 2);
  EXPECT_EQ(recall.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(recall.status().message(), HasSubstr("hamming"));
}

TEST(AnnDistanceTest, Euclidean) {
  const float a[] = {3, 4, 0};
  const float b[] = {0, 0, 0};
  EXPECT_DOUBLE_EQ(AnnDistance("euclidean", a, b, 3).value(), 5.0);
  EXPECT_DOUBLE_EQ(AnnDistance("euclidean", a, a, 3).value(), 0.0);
}

TEST(AnnDistanceTest, EuclideanIsComputedInDouble) {
  // The squares, about 1e41, overflow float but not double.
  const float a[] = {3e20f, 4e20f};
  const float b[] = {0, 0};
  const double expected = std::hypot(static_cast<double>(a[0]), static_cast<double>(a[1]));
  EXPECT_DOUBLE_EQ(AnnDistance("euclidean", a, b, 2).value(), expected);
}

TEST(AnnDistanceTest, Angular) {
  const float x[] = {2, 0};
  const float y[] = {0, 5};
  const float minus_x[] = {-1, 0};
  const float diagonal[] = {1, 1};
  const float zero[] = {0, 0};
  EXPECT_NEAR(AnnDistance("angular", x, x, 2).value(), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(AnnDistance("angular", x, y, 2).value(), 1.0);
  EXPECT_DOUBLE_EQ(AnnDistance("angular", x, minus_x, 2).value(), 2.0);
  EXPECT_NEAR(AnnDistance("angular", x, diagonal, 2).value(), 1.0 - std::sqrt(0.5), 1e-12);
  EXPECT_DOUBLE_EQ(AnnDistance("angular", x, zero, 2).value(), 1.0);
}

TEST(AnnDistanceTest, BadArgumentsAreErrors) {
  const float a[] = {1, 2};
  EXPECT_EQ(AnnDistance("cosine", a, a, 2).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AnnDistance("euclidean", a, a, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AnnDistance("euclidean", a, nullptr, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vqsearch
