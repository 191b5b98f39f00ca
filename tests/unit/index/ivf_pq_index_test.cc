// IVF-PQ: ADC scores equal exact distances when the codebooks reproduce the vectors,
// recall above a floor on clustered data, persistence, and spec errors.

#include <cmath>
#include <memory>
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
using testing::IdRecall;

class IvfPqMetricTest : public ::testing::TestWithParam<Metric> {};

TEST_P(IvfPqMetricTest, AdcEqualsExactDistanceWhenCodebooksReproduceVectors) {
  // 256 vectors and 256 codewords per sub-space: every training residual becomes a
  // codeword, so decoding is exact and ADC must give the exact distances.
  const Metric metric = GetParam();
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(256, dim, 1);
  const std::vector<float> queries = GaussianVectors(40, dim, 2);
  auto pq = BuildIndex("IVF4,PQ4", metric, data, dim);
  auto flat = BuildIndex("Flat", metric, data, dim);
  SearchParams params;
  params.nprobe = 4;
  SearchResults got, expected;
  ASSERT_TRUE(pq->Search(MatrixView(queries, dim), 10, params, &got).ok());
  ASSERT_TRUE(flat->Search(MatrixView(queries, dim), 10, {}, &expected).ok());
  EXPECT_EQ(got.ids, expected.ids);
  for (size_t i = 0; i < got.distances.size(); ++i) {
    EXPECT_NEAR(got.distances[i], expected.distances[i], 1e-4 * (1 + std::abs(expected.distances[i])));
  }
}

INSTANTIATE_TEST_SUITE_P(AllMetrics, IvfPqMetricTest,
                         ::testing::Values(Metric::kL2, Metric::kInnerProduct, Metric::kCosine));

TEST(IvfPqIndexTest, RecallAboveFloorOnClusteredData) {
  const int dim = 32;
  const std::vector<float> centres = GaussianVectors(50, dim, 3);
  std::vector<float> data = GaussianVectors(8000, dim, 4);
  for (int i = 0; i < 8000; ++i) {
    for (int j = 0; j < dim; ++j) data[i * dim + j] = 3 * centres[(i % 50) * dim + j] + data[i * dim + j];
  }
  const std::vector<float> queries(data.begin(), data.begin() + 200 * dim);
  auto pq = BuildIndex("IVF32,PQ16", Metric::kL2, data, dim);
  auto flat = BuildIndex("Flat", Metric::kL2, data, dim);
  SearchParams params;
  params.nprobe = 8;
  SearchResults got, truth;
  ASSERT_TRUE(pq->Search(MatrixView(queries, dim), 10, params, &got).ok());
  ASSERT_TRUE(flat->Search(MatrixView(queries, dim), 10, {}, &truth).ok());
  // 16 bytes for 32 dimensions (2 per sub-space, 256 codewords each): 0.84 measured.
  EXPECT_GE(IdRecall(got, truth), 0.75);
}

TEST(IvfPqIndexTest, SaveLoadRoundTrip) {
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(3000, dim, 5);
  const std::vector<float> queries = GaussianVectors(30, dim, 6);
  for (const std::string spec : {"IVF8,PQ8", "IVF8,PQ16x4fs"}) {
    for (Metric metric : {Metric::kL2, Metric::kInnerProduct}) {
      auto index = BuildIndex(spec, metric, data, dim);
      auto copy = testing::SerializedCopy(*index);
      ASSERT_NE(copy, nullptr) << spec;
      SearchParams params;
      params.nprobe = 3;
      testing::ExpectSameSearch(*index, *copy, queries, dim, 5, params);
    }
  }
}

TEST(IvfPqIndexTest, SpecErrors) {
  EXPECT_TRUE(Index::Create("IVF8,PQ4x8", 16, Metric::kL2).ok());
  for (const char* spec : {"IVF8,PQ5", "IVF8,PQ0", "IVF8,PQ4x6", "IVF8,PQx8", "IVF8,PQ4x"}) {
    auto index = Index::Create(spec, 16, Metric::kL2);
    EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument) << spec;
  }
  auto not_divisible = Index::Create("IVF8,PQ5", 16, Metric::kL2);
  EXPECT_NE(not_divisible.status().message().find("divides"), std::string::npos)
      << not_divisible.status();
  auto index = *Index::Create("IVF8,PQ4", 16, Metric::kL2);
  const std::vector<float> few = GaussianVectors(100, 16, 7);  // < 256 codewords
  auto too_few = index->Train(MatrixView(few, 16));
  EXPECT_EQ(too_few.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(index->is_trained());
}

}  // namespace
}  // namespace vqsearch
