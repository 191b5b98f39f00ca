// Refine(Flat): exact re-ranking turns a compressed index's candidates into exact
// results, keeps user ids through removal, and persists with its base.

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using testing::BuildIndex;
using testing::GaussianVectors;
using testing::IdRecall;

class RefineMetricTest : public ::testing::TestWithParam<Metric> {};

TEST_P(RefineMetricTest, EveryCandidateReRankedEqualsFlat) {
  const Metric metric = GetParam();
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(1000, dim, 1);
  const std::vector<float> queries = GaussianVectors(50, dim, 2);
  auto refined = BuildIndex("IVF8,PQ4,Refine(Flat)", metric, data, dim);
  auto flat = BuildIndex("Flat", metric, data, dim);
  SearchParams params;
  params.nprobe = 8;
  params.refine_factor = 100;  // 10 x 100 candidates: every stored vector
  SearchResults got, expected;
  ASSERT_TRUE(refined->Search(MatrixView(queries, dim), 10, params, &got).ok());
  ASSERT_TRUE(flat->Search(MatrixView(queries, dim), 10, {}, &expected).ok());
  EXPECT_EQ(got.ids, expected.ids);
  // Flat scores in double, re-ranking in float32: the same distances to a few ulps.
  ASSERT_EQ(got.distances.size(), expected.distances.size());
  for (size_t i = 0; i < got.distances.size(); ++i) {
    EXPECT_NEAR(got.distances[i], expected.distances[i], 1e-6f * std::abs(expected.distances[i]))
        << "result " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(AllMetrics, RefineMetricTest,
                         ::testing::Values(Metric::kL2, Metric::kInnerProduct, Metric::kCosine));

TEST(RefineIndexTest, RefinementRaisesRecall) {
  const int dim = 32;
  const std::vector<float> data = GaussianVectors(5000, dim, 3);
  const std::vector<float> queries = GaussianVectors(100, dim, 4);
  auto flat = BuildIndex("Flat", Metric::kL2, data, dim);
  auto pq = BuildIndex("IVF16,PQ8", Metric::kL2, data, dim);
  auto refined = BuildIndex("IVF16,PQ8,Refine(Flat)", Metric::kL2, data, dim);
  SearchParams params;
  params.nprobe = 16;
  params.refine_factor = 10;
  SearchResults truth, plain, better;
  ASSERT_TRUE(flat->Search(MatrixView(queries, dim), 10, {}, &truth).ok());
  SearchParams base_params = params;
  base_params.refine_factor.Reset();  // the base index takes no refine_factor
  ASSERT_TRUE(pq->Search(MatrixView(queries, dim), 10, base_params, &plain).ok());
  ASSERT_TRUE(refined->Search(MatrixView(queries, dim), 10, params, &better).ok());
  EXPECT_GT(IdRecall(better, truth), IdRecall(plain, truth) + 0.2);
  EXPECT_GE(IdRecall(better, truth), 0.9);
}

TEST(RefineIndexTest, UserIdsRemovalAndPersistence) {
  const int dim = 8;
  const std::vector<float> data = GaussianVectors(600, dim, 5);
  std::vector<int64_t> ids(600);
  for (int i = 0; i < 600; ++i) ids[i] = 1000 + 3 * i;
  auto index = BuildIndex("IVF4,PQ2,Refine(Flat)", Metric::kL2, data, dim, ids);
  auto removed = index->Remove({ids[0], ids[1], 12345});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2u);
  EXPECT_EQ(index->size(), 598);
  SearchParams params;
  params.nprobe = 4;
  params.refine_factor = 60;
  SearchResults results;
  ASSERT_TRUE(index->Search(MatrixView(data.data(), 3, dim), 1, params, &results).ok());
  EXPECT_NE(results.ids[0], ids[0]);
  EXPECT_NE(results.ids[1], ids[1]);
  EXPECT_EQ(results.ids[2], ids[2]);  // a kept vector finds itself
  auto copy = vqsearch::Deserialize(*vqsearch::Serialize(*index));
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ((*copy)->spec(), "IVF4,PQ2,Refine(Flat)");
  SearchResults again;
  ASSERT_TRUE((*copy)->Search(MatrixView(data.data(), 3, dim), 1, params, &again).ok());
  EXPECT_EQ(again.ids, results.ids);
  EXPECT_EQ(again.distances, results.distances);
}

TEST(RefineIndexTest, SpecErrors) {
  for (const char* spec : {"IVF8,PQ4,Refine(SQ6)", "Refine(Flat)", "IVF8,PQ4,Refine(Flat"}) {
    EXPECT_EQ(Index::Create(spec, 16, Metric::kL2).status().code(),
              absl::StatusCode::kInvalidArgument)
        << spec;
  }
}

}  // namespace
}  // namespace vqsearch
