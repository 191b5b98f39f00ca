// Tests for Tune: the parameters it chooses on one sample reach the target on a separate
// sample (scored against brute-force neighbours computed here), with a stated
// tolerance; it measures far fewer points than the grid it walks; and its errors.

#include "vqsearch/tune.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"

namespace vqsearch {
namespace {

constexpr int kDim = 32;
constexpr int kK = 10;
// Recall on a second sample of 400 queries x 10 neighbours drawn like the first differs
// from the tuning sample's by a few hundredths at most (binomial sd ~0.005 per point, and
// the chosen point is the cheapest passing one, so it sits just above the target).
constexpr double kTolerance = 0.03;

// Gaussian clusters, so that inverted lists matter as they do on real data.
std::vector<float> ClusteredVectors(int64_t rows, uint32_t seed) {
  const std::vector<float> centers = testing::GaussianVectors(64, kDim, 7);
  std::vector<float> noise = testing::GaussianVectors(rows, kDim, seed);
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t center = (i * 2654435761u + seed) % 64;
    for (int d = 0; d < kDim; ++d) {
      noise[i * kDim + d] = 3.0f * centers[center * kDim + d] + noise[i * kDim + d];
    }
  }
  return noise;
}

// The k nearest rows of `base` to each query by L2, by brute force.
std::vector<int64_t> BruteForce(const std::vector<float>& base, const std::vector<float>& queries,
                                int k) {
  const int64_t n = static_cast<int64_t>(base.size()) / kDim;
  const int64_t nq = static_cast<int64_t>(queries.size()) / kDim;
  std::vector<int64_t> out;
  std::vector<std::pair<double, int64_t>> scored(n);
  for (int64_t q = 0; q < nq; ++q) {
    for (int64_t i = 0; i < n; ++i) {
      double d = 0;
      for (int j = 0; j < kDim; ++j) {
        const double diff = queries[q * kDim + j] - base[i * kDim + j];
        d += diff * diff;
      }
      scored[i] = {d, i};
    }
    std::partial_sort(scored.begin(), scored.begin() + k, scored.end());
    for (int j = 0; j < k; ++j) out.push_back(scored[j].second);
  }
  return out;
}

double RecallOf(const Index& index, const std::vector<float>& queries,
                const std::vector<int64_t>& truth, const SearchParams& params) {
  SearchResults results;
  EXPECT_TRUE(index.Search(MatrixView(queries, kDim), kK, params, &results).ok());
  int64_t found = 0;
  for (int64_t q = 0; q < results.num_queries; ++q) {
    const int64_t* row = results.ids_row(q);
    for (int j = 0; j < kK; ++j) {
      found += std::count(truth.begin() + q * kK, truth.begin() + (q + 1) * kK, row[j]);
    }
  }
  return static_cast<double>(found) / (static_cast<double>(results.num_queries) * kK);
}

class TuneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The index holds 8000 vectors; 800 more of the same distribution are held out and
    // split into the tuning sample and the validation sample.
    const std::vector<float> all = ClusteredVectors(8800, 11);
    base_.assign(all.begin(), all.begin() + 8000 * kDim);
    tuning_.assign(all.begin() + 8000 * kDim, all.begin() + 8400 * kDim);
    validation_.assign(all.begin() + 8400 * kDim, all.end());
  }

  TuneOptions WithDatabase() const {
    TuneOptions options;
    options.database = MatrixView(base_, kDim);
    options.runs = 1;
    return options;
  }

  std::vector<float> base_, tuning_, validation_;
};

TEST_F(TuneTest, ChosenParametersReachTheTargetOnASeparateSample) {
  auto index = testing::BuildIndex("IVF64,PQ8,Refine(Flat)", Metric::kL2, base_, kDim, {}, 1);
  ASSERT_NE(index, nullptr);
  const std::vector<int64_t> truth = BruteForce(base_, validation_, kK);
  for (double target : {0.8, 0.95}) {
    auto result = Tune(*index, MatrixView(tuning_, kDim), kK, target, WithDatabase());
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result->target_reached);
    EXPECT_GE(result->best.recall, target);
    ASSERT_EQ(result->best.params.size(), 2u);
    EXPECT_EQ(result->best.params[0].first, "nprobe");
    EXPECT_EQ(result->best.params[1].first, "refine_factor");
    EXPECT_EQ(result->params.nprobe.value(), result->best.params[0].second);
    EXPECT_EQ(result->params.refine_factor.value(), result->best.params[1].second);
    EXPECT_GE(RecallOf(*index, validation_, truth, result->params), target - kTolerance)
        << "target " << target;
    // The walk measures a small part of the 64 x 12 grid it covers.
    EXPECT_LT(result->explored.size(), 60u);
    // The Pareto set comes by increasing recall and decreasing QPS, and holds the choice.
    ASSERT_FALSE(result->pareto.empty());
    for (size_t i = 1; i < result->pareto.size(); ++i) {
      EXPECT_GT(result->pareto[i].recall, result->pareto[i - 1].recall);
      EXPECT_LT(result->pareto[i].qps, result->pareto[i - 1].qps);
    }
  }
}

TEST_F(TuneTest, GivenGroundTruthMatchesTheBruteForceRecall) {
  auto index = testing::BuildIndex("IVF64,Flat", Metric::kL2, base_, kDim, {}, 1);
  ASSERT_NE(index, nullptr);
  const std::vector<int64_t> truth = BruteForce(base_, tuning_, kK);
  TuneOptions options;
  options.ground_truth = truth;
  options.ground_truth_k = kK;
  options.runs = 1;
  auto result = Tune(*index, MatrixView(tuning_, kDim), kK, 0.9, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->target_reached);
  // Every reported recall is the recall of that point's parameters on the sample.
  for (const TunePoint& point : result->explored) {
    SearchParams params;
    ASSERT_TRUE(SetSearchParam("nprobe", point.params.at(0).second, &params).ok());
    EXPECT_DOUBLE_EQ(point.recall, RecallOf(*index, tuning_, truth, params));
  }
  // Recall grows with nprobe, so the cheapest passing nprobe is the smallest one: the one
  // below it misses the target.
  const int chosen = result->best.params[0].second;
  if (chosen > 1) {
    SearchParams below;
    below.nprobe = chosen - 1;
    EXPECT_LT(RecallOf(*index, tuning_, truth, below), 0.9);
  }
}

TEST_F(TuneTest, IndexWithoutParametersIsMeasuredOnce) {
  auto index = testing::BuildIndex("Flat", Metric::kL2, base_, kDim, {}, 1);
  ASSERT_NE(index, nullptr);
  auto result = Tune(*index, MatrixView(tuning_, kDim), kK, 1.0, WithDatabase());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->target_reached);
  EXPECT_EQ(result->explored.size(), 1u);
  EXPECT_TRUE(result->best.params.empty());
  EXPECT_DOUBLE_EQ(result->best.recall, 1.0);
}

TEST_F(TuneTest, UnreachableTargetReturnsTheHighestRecall) {
  auto index = testing::BuildIndex("IVF16,PQ4", Metric::kL2, base_, kDim, {}, 1);
  ASSERT_NE(index, nullptr);
  auto result = Tune(*index, MatrixView(tuning_, kDim), kK, 1.0, WithDatabase());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->target_reached);
  for (const TunePoint& point : result->explored) EXPECT_LE(point.recall, result->best.recall);
  EXPECT_LT(result->best.recall, 1.0);
}

TEST_F(TuneTest, Errors) {
  auto index = testing::BuildIndex("IVF64,Flat", Metric::kL2, base_, kDim, {}, 1);
  ASSERT_NE(index, nullptr);
  const MatrixView queries(tuning_, kDim);
  for (double target : {0.0, -0.5, 1.01, std::nan("")}) {
    EXPECT_EQ(Tune(*index, queries, kK, target, WithDatabase()).status().code(),
              absl::StatusCode::kInvalidArgument)
        << target;
  }
  EXPECT_EQ(Tune(*index, queries, 0, 0.9, WithDatabase()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Tune(*index, queries, kK, 0.9, TuneOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
  TuneOptions short_database = WithDatabase();
  short_database.database = short_database.database.Slice(0, 100);
  EXPECT_EQ(Tune(*index, queries, kK, 0.9, short_database).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Tune(*index, MatrixView(), kK, 0.9, WithDatabase()).status().code(),
            absl::StatusCode::kInvalidArgument);

  auto untrained = Index::Create("IVF64,Flat", kDim, Metric::kL2);
  ASSERT_TRUE(untrained.ok());
  EXPECT_EQ(Tune(**untrained, queries, kK, 0.9, WithDatabase()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto empty = Index::Create("Flat", kDim, Metric::kL2);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(Tune(**empty, queries, kK, 0.9, WithDatabase()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace vqsearch
