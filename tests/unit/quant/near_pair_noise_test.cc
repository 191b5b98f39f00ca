// NearPairNoise against its definition: zero for exact estimates and for estimates off by
// a constant per query, the variance of a known per-row error otherwise, neighbours
// chosen by the exact score (errors beyond them and on the query itself do not count),
// under both scores.

#include "quant/near_pair_noise.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "testing/random_data.h"

namespace vqsearch::internal {
namespace {

constexpr int kDim = 6;
constexpr int64_t kRows = 500;

// The exact score of row `row` for query row `query` of `vectors`, ||q||^2 left out.
float Score(const std::vector<float>& vectors, int64_t query, int64_t row, bool l2) {
  double dot = 0, norm = 0;
  for (int t = 0; t < kDim; ++t) {
    dot += vectors[query * kDim + t] * vectors[row * kDim + t];
    norm += vectors[row * kDim + t] * vectors[row * kDim + t];
  }
  return static_cast<float>(l2 ? norm - 2 * dot : -dot);
}

// A fixed error per row: +a for even rows, -a for odd ones.
float RowError(int64_t row, float a) { return row % 2 == 0 ? a : -a; }

class NearPairNoiseTest : public ::testing::TestWithParam<bool> {};

TEST_P(NearPairNoiseTest, MeasuresTheSpreadOfErrorsOverEachQuerysNearestRows) {
  const bool l2 = GetParam();
  const std::vector<float> vectors = testing::GaussianVectors(kRows, kDim, 5);
  const MatrixView view(vectors, kDim);
  const std::vector<int64_t> queries = {0, 17, 250, 499};

  // The 16 nearest other rows of each query, by brute force.
  std::vector<std::vector<int64_t>> nearest(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    std::vector<int64_t> others;
    for (int64_t row = 0; row < kRows; ++row) {
      if (row != queries[i]) others.push_back(row);
    }
    std::sort(others.begin(), others.end(), [&](int64_t a, int64_t b) {
      return Score(vectors, queries[i], a, l2) < Score(vectors, queries[i], b, l2);
    });
    nearest[i].assign(others.begin(), others.begin() + 16);
    std::sort(nearest[i].begin(), nearest[i].end());
  }

  // Exact up to a constant per query: no noise.
  EXPECT_NEAR(NearPairNoise(view, queries, l2,
                            [&](int64_t query, absl::Span<const int64_t> rows, float* scores) {
                              for (size_t t = 0; t < rows.size(); ++t) {
                                scores[t] = Score(vectors, queries[query], rows[t], l2) + 3.0f * query;
                              }
                            }),
              0.0, 1e-9);

  // A +-a error on the nearest rows (anything on the others and on the query itself):
  // the variance of the errors of each query's 16 neighbours.
  const float a = 0.25f;
  double expected = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    double sum = 0, squares = 0;
    for (int64_t row : nearest[i]) {
      sum += RowError(row, a);
      squares += RowError(row, a) * RowError(row, a);
    }
    expected += squares / 16 - (sum / 16) * (sum / 16);
  }
  expected /= static_cast<double>(queries.size());
  const double measured = NearPairNoise(
      view, queries, l2, [&](int64_t query, absl::Span<const int64_t> rows, float* scores) {
        EXPECT_EQ(rows.size(), 16u);
        std::vector<int64_t> sorted(rows.begin(), rows.end());
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(sorted, nearest[query]) << "query " << query;
        for (size_t t = 0; t < rows.size(); ++t) {
          const bool neighbour = std::binary_search(nearest[query].begin(), nearest[query].end(), rows[t]);
          scores[t] = Score(vectors, queries[query], rows[t], l2) +
                      (neighbour ? RowError(rows[t], a) : 1000.0f);
        }
      });
  EXPECT_GT(expected, 0.0);
  EXPECT_NEAR(measured, expected, 1e-4 * expected);
}

TEST_P(NearPairNoiseTest, NothingToMeasureIsNoNoise) {
  const std::vector<float> one = {1, 2, 3, 4, 5, 6};
  auto never = [](int64_t, absl::Span<const int64_t>, float*) { FAIL(); };
  EXPECT_EQ(NearPairNoise(MatrixView(one, kDim), {0}, GetParam(), never), 0.0);
  const std::vector<float> vectors = testing::GaussianVectors(10, kDim, 1);
  EXPECT_EQ(NearPairNoise(MatrixView(vectors, kDim), {}, GetParam(), never), 0.0);
}

INSTANTIATE_TEST_SUITE_P(L2AndInnerProduct, NearPairNoiseTest, ::testing::Bool());

}  // namespace
}  // namespace vqsearch::internal
