// The flat SQ indexes: results equal to exact search over the decoded vectors, recall
// floors against exact search on the raw vectors, thread independence, ids, removal,
// persistence and spec errors.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "linalg/gemm.h"
#include "quant/scalar_quantizer.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using internal::ScalarQuantizer;
using testing::BuildIndex;
using testing::GaussianVectors;
using testing::IdRecall;

constexpr const char* kTypes[] = {"SQ8", "SQ4", "SQfp16", "SQ8nu", "SQ4nu"};

std::vector<float> Normalized(std::vector<float> vectors, int dim) {
  internal::NormalizeRows(vectors.data(), static_cast<int64_t>(vectors.size()) / dim, dim);
  return vectors;
}

class SqIndexTest : public ::testing::TestWithParam<std::tuple<const char*, Metric>> {};

TEST_P(SqIndexTest, EqualsExactSearchOverDecodedVectors) {
  const auto [type, metric] = GetParam();
  const int dim = 27, k = 10;
  const std::vector<float> data = GaussianVectors(2000, dim, 1);
  const std::vector<float> queries = GaussianVectors(50, dim, 2);
  auto index = BuildIndex(type, metric, data, dim);
  ASSERT_NE(index, nullptr);

  // The reference: the same quantizer (trained on what the index sees: unit vectors
  // under cosine), its decoded vectors searched exactly by inner product or L2; cosine
  // scores them by L2 (index/codec_metric.h) and reports 1 - L2 / 2.
  const bool cosine = metric == Metric::kCosine;
  const std::vector<float> seen = cosine ? Normalized(data, dim) : data;
  auto sq = ScalarQuantizer::Create(dim, *ScalarQuantizer::ParseType(type));
  ASSERT_TRUE(sq->Train(MatrixView(seen, dim), 1).ok());
  std::vector<uint8_t> codes(2000 * sq->code_size());
  ASSERT_TRUE(sq->Encode(MatrixView(seen, dim), codes.data(), 1).ok());
  std::vector<float> decoded(seen.size());
  sq->Decode(codes.data(), 2000, decoded.data());
  auto exact = BuildIndex("Flat", cosine ? Metric::kL2 : metric, decoded, dim);
  const std::vector<float> exact_queries = cosine ? Normalized(queries, dim) : queries;

  SearchResults got, expected;
  ASSERT_TRUE(index->Search(MatrixView(queries, dim), k, {}, &got).ok());
  ASSERT_TRUE(exact->Search(MatrixView(exact_queries, dim), k, {}, &expected).ok());
  if (cosine) {
    for (float& distance : expected.distances) distance = 1 - distance / 2;
  }
  // Near-ties may swap between float and double scoring; the distance lists agree.
  EXPECT_GE(IdRecall(got, expected), 0.99);
  for (size_t i = 0; i < got.distances.size(); ++i) {
    EXPECT_NEAR(got.distances[i], expected.distances[i],
                1e-4 * (1 + std::abs(expected.distances[i])));
  }
}

INSTANTIATE_TEST_SUITE_P(AllTypesAndMetrics, SqIndexTest,
                         ::testing::Combine(::testing::ValuesIn(kTypes),
                                            ::testing::Values(Metric::kL2, Metric::kInnerProduct,
                                                              Metric::kCosine)));

TEST(SqIndexRecallTest, RecallAgainstExactSearchAboveFloors) {
  const int dim = 32, k = 10;
  const std::vector<float> data = GaussianVectors(5000, dim, 3);
  const std::vector<float> queries = GaussianVectors(200, dim, 4);
  auto flat = BuildIndex("Flat", Metric::kL2, data, dim);
  SearchResults truth;
  ASSERT_TRUE(flat->Search(MatrixView(queries, dim), k, {}, &truth).ok());
  // Measured: SQfp16 1.000, SQ8 0.984, SQ8nu 0.988, SQ4 0.810, SQ4nu 0.833.
  const std::pair<const char*, double> floors[] = {
      {"SQfp16", 0.99}, {"SQ8", 0.95}, {"SQ8nu", 0.95}, {"SQ4", 0.76}, {"SQ4nu", 0.78}};
  for (const auto& [type, floor] : floors) {
    auto index = BuildIndex(type, Metric::kL2, data, dim);
    SearchResults got;
    ASSERT_TRUE(index->Search(MatrixView(queries, dim), k, {}, &got).ok());
    EXPECT_GE(IdRecall(got, truth), floor) << type << " recall " << IdRecall(got, truth);
  }
}

TEST(SqIndexRecallTest, ThreadsDoNotChangeResults) {
  const int dim = 19;
  const std::vector<float> data = GaussianVectors(3000, dim, 5);
  const std::vector<float> queries = GaussianVectors(64, dim, 6);
  auto index = BuildIndex("SQ8", Metric::kL2, data, dim);
  SearchParams one, two;
  two.num_threads = 2;
  SearchResults a, b;
  ASSERT_TRUE(index->Search(MatrixView(queries, dim), 7, one, &a).ok());
  ASSERT_TRUE(index->Search(MatrixView(queries, dim), 7, two, &b).ok());
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.distances, b.distances);
}

TEST(SqIndexRecallTest, UserIdsRemovalAndPersistence) {
  const int dim = 12;
  const std::vector<float> data = GaussianVectors(500, dim, 7);
  std::vector<int64_t> ids(500);
  for (int i = 0; i < 500; ++i) ids[i] = 7000 + 2 * i;
  for (const char* type : kTypes) {
    auto index = BuildIndex(type, Metric::kL2, data, dim, ids);
    EXPECT_LT(index->MemoryUsageBytes(), 500 * (2 * dim + 8) + 1u) << type;
    auto removed = index->Remove({ids[0], ids[2], 1});
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(*removed, 2u);
    EXPECT_EQ(index->size(), 498);
    SearchResults results;
    ASSERT_TRUE(index->Search(MatrixView(data.data(), 4, dim), 1, {}, &results).ok());
    EXPECT_NE(results.ids[0], ids[0]) << type;
    EXPECT_EQ(results.ids[1], ids[1]) << type;  // a kept vector finds itself
    EXPECT_NE(results.ids[2], ids[2]) << type;
    EXPECT_EQ(results.ids[3], ids[3]) << type;

    const std::string path = ::testing::TempDir() + "/sq_index_test.vqs";
    ASSERT_TRUE(vqsearch::Save(*index, path).ok());
    auto loaded = vqsearch::Load(path);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ((*loaded)->spec(), type);
    EXPECT_EQ((*loaded)->size(), 498);
    SearchResults again;
    ASSERT_TRUE((*loaded)->Search(MatrixView(data.data(), 4, dim), 1, {}, &again).ok());
    EXPECT_EQ(again.ids, results.ids);
    EXPECT_EQ(again.distances, results.distances);
    // Ids stay user ids after loading: adding without ids is refused.
    EXPECT_FALSE((*loaded)->Add(MatrixView(data.data(), 1, dim)).ok());
  }
}

TEST(SqIndexRecallTest, SpecAndUsageErrors) {
  for (const char* spec : {"SQ", "SQ6", "SQ8x", "SQfp32", "SQ8,Flat", "Flat,SQ8", "IVF8,SQ3",
                           "IVF8,SQ", "IVF8,SQ8,SQ8", "SQ8,Refine(SQ7)", "SQ8,Refine(SQ8"}) {
    auto index = Index::Create(spec, 16, Metric::kL2);
    EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument) << spec;
  }
  auto bad = Index::Create("IVF8,SQ6", 16, Metric::kL2);
  EXPECT_NE(bad.status().message().find("SQ8, SQ4, SQfp16, SQ8nu or SQ4nu"), std::string::npos)
      << bad.status();
  auto index = *Index::Create("SQ8", 4, Metric::kL2);
  const std::vector<float> data = GaussianVectors(10, 4, 8);
  EXPECT_EQ(index->Add(MatrixView(data, 4)).code(), absl::StatusCode::kFailedPrecondition);
  // fp16 learns nothing: vectors can be added untrained.
  auto fp16 = *Index::Create("SQfp16", 4, Metric::kL2);
  EXPECT_TRUE(fp16->Add(MatrixView(data, 4)).ok());
}

}  // namespace
}  // namespace vqsearch
