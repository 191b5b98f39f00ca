// PqDistanceTables' query tables against products computed in double, for one query
// (computed directly) and for a block (one sgemm per sub-space), under both metrics; the
// scores of codes of vectors against the decoded vectors.

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

TEST_P(PqDistanceTablesTest, CodesOfVectorsScoreTheReconstructionInEveryList) {
  // Codes of the vectors themselves: offset plus the code's table entries is
  // ||q - x^||^2 (L2) or -q.x^ (inner product) for x^ the decoded code, whatever the
  // list, and the table is the query's own.
  const auto [nbits, l2] = GetParam();
  constexpr int kDim = 24, kSubspaces = 6;
  const std::vector<float> data = GaussianVectors(600, kDim, 3);
  auto pq = ProductQuantizer::Create(kDim, kSubspaces, nbits);
  ASSERT_TRUE(pq.ok()) << pq.status();
  ASSERT_TRUE(pq->Train(MatrixView(data, kDim), 7, {}).ok());
  const std::vector<float> centroids = GaussianVectors(4, kDim, 5);
  const PqDistanceTables tables(&*pq, MatrixView(centroids, kDim), l2, nullptr, PqCodes::kVectors);
  EXPECT_TRUE(tables.list_independent());
  const std::vector<float> queries = GaussianVectors(12, kDim, 9);
  const int64_t rows = 12;
  std::vector<uint8_t> codes(rows * pq->code_size());
  ASSERT_TRUE(pq->Encode(MatrixView(data.data(), rows, kDim), codes.data(), 1).ok());
  std::vector<float> decoded(rows * kDim);
  pq->Decode(codes.data(), rows, decoded.data());
  for (const int64_t block : {int64_t{1}, int64_t{12}}) {  // direct and by sgemm
    std::vector<float> scratch, query_tables(block * tables.table_size()), list_scratch(tables.table_size());
    tables.QueryTables(MatrixView(queries.data(), block, kDim), &scratch, query_tables.data());
    for (int64_t q = 0; q < block; ++q) {
      const float* query = queries.data() + q * kDim;
      const float* query_table = query_tables.data() + q * tables.table_size();
      float query_norm = 0;
      for (int j = 0; j < kDim; ++j) query_norm += query[j] * query[j];
      for (int64_t list = 0; list < 4; ++list) {
        float offset = 0;
        const float* table = tables.ListTable(query, query_norm, query_table, list,
                                              centroids.data() + list * kDim, list_scratch.data(),
                                              &offset);
        EXPECT_EQ(table, query_table);
        for (int64_t i = 0; i < rows; ++i) {
          double score = offset, expected = 0;
          for (int m = 0; m < kSubspaces; ++m) {
            score += table[m * pq->codebook_size() + pq->CodeOf(codes.data() + i * pq->code_size(), m)];
          }
          for (int t = 0; t < kDim; ++t) {
            const double x = decoded[i * kDim + t];
            expected += l2 ? (query[t] - x) * (query[t] - x) : -query[t] * x;
          }
          ASSERT_NEAR(score, expected, 1e-4 * (1 + std::abs(expected)))
              << block << " queries, query " << q << ", list " << list << ", row " << i;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BitsAndMetrics, PqDistanceTablesTest,
                         ::testing::Combine(::testing::Values(4, 8), ::testing::Bool()));

}  // namespace
}  // namespace vqsearch::internal
