// A query searched alone gets the results it gets inside a batch: the one-row paths
// (sgemv probing and scanning, directly computed PQ tables, per-block scratch sizes)
// agree with the batched ones for every index type.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"

namespace vqsearch {
namespace {

using testing::BuildIndex;
using testing::GaussianVectors;

class SingleQueryTest : public ::testing::TestWithParam<std::tuple<std::string, Metric>> {};

TEST_P(SingleQueryTest, AloneEqualsItsRowOfTheBatch) {
  const auto& [spec, metric] = GetParam();
  constexpr int kDim = 16, kK = 10;
  const std::vector<float> data = GaussianVectors(2000, kDim, 1);
  const std::vector<float> queries = GaussianVectors(12, kDim, 2);
  const auto index = BuildIndex(spec, metric, data, kDim, {}, /*num_threads=*/1);
  ASSERT_NE(index, nullptr);
  SearchParams params;
  if (spec != "Flat") params.nprobe = 3;
  SearchResults batch, alone;
  ASSERT_TRUE(index->Search(MatrixView(queries, kDim), kK, params, &batch).ok());
  for (int64_t q = 0; q < 12; ++q) {
    ASSERT_TRUE(index->Search(MatrixView(queries.data() + q * kDim, 1, kDim), kK, params, &alone).ok());
    ASSERT_EQ(alone.num_queries, 1);
    for (int i = 0; i < kK; ++i) {
      EXPECT_EQ(alone.ids[i], batch.ids_row(q)[i]) << "query " << q << ", rank " << i;
      EXPECT_NEAR(alone.distances[i], batch.distances_row(q)[i],
                  1e-4 * (1 + std::abs(batch.distances_row(q)[i])));
    }
  }
}

// A large k: a list-major batch scans each query's nearest lists alone until they hold 2k
// codes (here 2 of the 3 probed lists of ~250 codes), then the rest list by list.
TEST(SingleQueryTest, LargeKAloneEqualsItsRowOfTheListMajorBatch) {
  constexpr int kDim = 16, kK = 200;
  const std::vector<float> data = GaussianVectors(2000, kDim, 1);
  const std::vector<float> queries = GaussianVectors(12, kDim, 2);
  const auto index = BuildIndex("IVF8,PQ8x4fs", Metric::kL2, data, kDim, {}, /*num_threads=*/1);
  ASSERT_NE(index, nullptr);
  SearchParams params;
  params.nprobe = 3;
  SearchResults batch, alone;
  ASSERT_TRUE(index->Search(MatrixView(queries, kDim), kK, params, &batch).ok());
  for (int64_t q = 0; q < 12; ++q) {
    ASSERT_TRUE(index->Search(MatrixView(queries.data() + q * kDim, 1, kDim), kK, params, &alone).ok());
    for (int i = 0; i < kK; ++i) {
      EXPECT_EQ(alone.ids[i], batch.ids_row(q)[i]) << "query " << q << ", rank " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    IndexTypes, SingleQueryTest,
    ::testing::Combine(::testing::Values("Flat", "IVF8,Flat", "IVF8,SQ8", "IVF8,PQ4",
                                         "IVF8,PQ8x4fs,Refine(Flat)", "IVF8,PQ4,Refine(SQ8)",
                                         "IVF8,RaBitQ4",
                                         // Batches of these go list by list (lists of
                                         // ~250 codes), one query alone query by query.
                                         "IVF8,PQ8x4fs", "IVF8,RQ4x4fs"),
                       ::testing::Values(Metric::kL2, Metric::kInnerProduct)));

}  // namespace
}  // namespace vqsearch
