// PqDistanceTables' query tables against products computed in double, for one query
// (computed directly) and for a block (one sgemm per sub-space), under both metrics.

#include "quant/pq_distance_tables.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "testing/random_data.h"

namespace vqsearch::internal {
namespace {

using testing::GaussianVectors;

// q_m . C_m[j] for every sub-space m and word j, in double.
std::vector<double> ReferenceTable(const ProductQuantizer& pq, const float* query) {
  const int ksub = pq.codebook_size(), d = pq.sub_dim();
  std::vector<double> table(static_cast<size_t>(pq.num_subspaces()) * ksub);
  for (int m = 0; m < pq.num_subspaces(); ++m) {
    for (int j = 0; j < ksub; ++j) {
      const float* word = pq.centroids().data() + (static_cast<size_t>(m) * ksub + j) * d;
      double sum = 0;
      for (int t = 0; t < d; ++t) sum += static_cast<double>(query[m * d + t]) * word[t];
      table[m * ksub + j] = sum;
    }
  }
  return table;
}

class PqDistanceTablesTest : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(PqDistanceTablesTest, QueryTablesMatchDoublePrecisionForOneQueryAndForABlock) {
  const auto [nbits, l2] = GetParam();
  constexpr int kDim = 24, kSubspaces = 6;
  const std::vector<float> data = GaussianVectors(600, kDim, 3);
  auto pq = ProductQuantizer::Create(kDim, kSubspaces, nbits);
  ASSERT_TRUE(pq.ok()) << pq.status();
  ASSERT_TRUE(pq->Train(MatrixView(data, kDim), 7, {}).ok());
  const std::vector<float> centroids = GaussianVectors(4, kDim, 5);
  const PqDistanceTables tables(&*pq, MatrixView(centroids, kDim), l2);
  const std::vector<float> queries = GaussianVectors(20, kDim, 9);
  const double sign = l2 ? 1.0 : -1.0;

  for (const int64_t rows : {int64_t{1}, int64_t{3}, int64_t{20}}) {
    std::vector<float> scratch, computed(rows * tables.table_size());
    tables.QueryTables(MatrixView(queries.data(), rows, kDim), &scratch, computed.data());
    for (int64_t q = 0; q < rows; ++q) {
      const std::vector<double> expected = ReferenceTable(*pq, queries.data() + q * kDim);
      for (size_t e = 0; e < expected.size(); ++e) {
        ASSERT_NEAR(computed[q * tables.table_size() + e], sign * expected[e],
                    1e-4 * (1 + std::abs(expected[e])))
            << rows << " rows, query " << q << ", entry " << e;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BitsAndMetrics, PqDistanceTablesTest,
                         ::testing::Combine(::testing::Values(4, 8), ::testing::Bool()));

}  // namespace
}  // namespace vqsearch::internal
