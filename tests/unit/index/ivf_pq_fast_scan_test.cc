// IVF-PQ with 4-bit fast scan (`PQ<m>x4fs`): distances within the table quantization
// error of exact ones when the codebooks reproduce the vectors, with stored norm terms
// (data around the origin) and with per-list tables (data far from it), recall above a
// floor,
// blocks re-packed correctly by incremental adds and removals, spec errors (persistence
// is tested with the 8-bit codes in ivf_pq_index_test.cc).

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "io/index_file.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using testing::BuildIndex;
using testing::GaussianVectors;
using testing::IdRecall;

// 8000 points around 50 centres in 32 dimensions.
std::vector<float> ClusteredData(int dim) {
  const std::vector<float> centres = GaussianVectors(50, dim, 3);
  std::vector<float> data = GaussianVectors(8000, dim, 4);
  for (int i = 0; i < 8000; ++i) {
    for (int j = 0; j < dim; ++j) data[i * dim + j] += 3 * centres[(i % 50) * dim + j];
  }
  return data;
}

// id -> distance for every result row of `results`.
std::vector<std::map<int64_t, float>> ResultMaps(const SearchResults& results) {
  std::vector<std::map<int64_t, float>> maps(results.num_queries);
  for (int64_t q = 0; q < results.num_queries; ++q) {
    for (int i = 0; i < results.k; ++i) {
      if (results.ids_row(q)[i] >= 0) maps[q][results.ids_row(q)[i]] = results.distances_row(q)[i];
    }
  }
  return maps;
}

class FastScanMetricTest : public ::testing::TestWithParam<Metric> {};

TEST_P(FastScanMetricTest, DistancesWithinQuantizationErrorOfExact) {
  // 16 vectors and 16 codewords per sub-space: every residual is a codeword, so the only
  // error left is the uint8 table quantization, at most M/2 units of max span / 255 each.
  const Metric metric = GetParam();
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(16, dim, 1);
  const std::vector<float> queries = GaussianVectors(20, dim, 2);
  for (const char* spec : {"PQ4x4fs", "PQ8x4fs"}) {
    auto fs = BuildIndex(spec, metric, data, dim);
    auto flat = BuildIndex("Flat", metric, data, dim);
    SearchResults got, expected;
    ASSERT_TRUE(fs->Search(MatrixView(queries, dim), 16, {}, &got).ok());
    ASSERT_TRUE(flat->Search(MatrixView(queries, dim), 16, {}, &expected).ok());
    const auto got_maps = ResultMaps(got);
    const auto expected_maps = ResultMaps(expected);
    for (int64_t q = 0; q < got.num_queries; ++q) {
      ASSERT_EQ(got_maps[q].size(), 16u);
      float low = expected.distances_row(q)[0], high = expected.distances_row(q)[15];
      if (low > high) std::swap(low, high);
      for (const auto& [id, distance] : got_maps[q]) {
        EXPECT_NEAR(distance, expected_maps[q].at(id), 0.02f * (high - low) + 1e-4f)
            << spec << " q=" << q << " id=" << id;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllMetrics, FastScanMetricTest,
                         ::testing::Values(Metric::kL2, Metric::kInnerProduct, Metric::kCosine));

// The "ivfpq.norm_subcodes" section of `index` saved.
int64_t SavedNormSubcodes(const Index& index) {
  auto bytes = vqsearch::Serialize(index);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  auto reader = internal::IndexFileReader::FromBytes(*bytes);
  EXPECT_TRUE(reader.ok()) << reader.status();
  auto subcodes = reader->Int64Scalar("ivfpq.norm_subcodes");
  EXPECT_TRUE(subcodes.ok()) << subcodes.status();
  return subcodes.value_or(-1);
}

TEST(IvfPqFastScanTest, NormTermsNearTheOriginPerListTablesFarFromIt) {
  // Shifted far from the origin, per-query tables would lose most of their uint8
  // precision to the cancellation of q.r against c.r: the index keeps per-list tables
  // there. Either way distances stay within the quantization error of exact ones, and a
  // saved index scores as it did.
  const int dim = 16;
  const std::vector<float> queries = GaussianVectors(20, dim, 2);
  for (const float shift : {0.0f, 40.0f}) {
    std::vector<float> data = ClusteredData(dim), shifted_queries = queries;
    for (float& value : data) value += shift;
    for (float& value : shifted_queries) value += shift;
    auto fs = BuildIndex("IVF16,PQ16x4fs", Metric::kL2, data, dim);
    EXPECT_EQ(SavedNormSubcodes(*fs), shift == 0 ? 2 : 0) << "shift " << shift;
    auto flat = BuildIndex("Flat", Metric::kL2, data, dim);
    SearchParams params;
    params.nprobe = 16;
    SearchResults got, expected;
    ASSERT_TRUE(fs->Search(MatrixView(shifted_queries, dim), 10, params, &got).ok());
    ASSERT_TRUE(flat->Search(MatrixView(shifted_queries, dim), 10, {}, &expected).ok());
    // One sub-space a dimension: 0.78 measured near the origin, 0.80 far from it.
    EXPECT_GE(testing::IdRecall(got, expected), 0.7) << "shift " << shift;
    auto bytes = vqsearch::Serialize(*fs);
    ASSERT_TRUE(bytes.ok());
    auto loaded = vqsearch::Deserialize(*bytes);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    SearchResults again;
    ASSERT_TRUE((*loaded)->Search(MatrixView(shifted_queries, dim), 10, params, &again).ok());
    EXPECT_EQ(again.ids, got.ids);
    EXPECT_EQ(again.distances, got.distances);
  }
}

TEST(IvfPqFastScanTest, RecallAboveFloorOnClusteredData) {
  const int dim = 32;
  const std::vector<float> data = ClusteredData(dim);
  const std::vector<float> queries(data.begin(), data.begin() + 200 * dim);
  auto flat = BuildIndex("Flat", Metric::kL2, data, dim);
  SearchResults truth;
  ASSERT_TRUE(flat->Search(MatrixView(queries, dim), 10, {}, &truth).ok());
  SearchParams params;
  params.nprobe = 8;
  SearchResults got;
  auto fs = BuildIndex("IVF32,PQ32x4fs", Metric::kL2, data, dim);
  ASSERT_TRUE(fs->Search(MatrixView(queries, dim), 10, params, &got).ok());
  // 16 bytes for 32 dimensions (one sub-space of 16 codewords per dimension): 0.814
  // measured; re-ranked, 1.000.
  EXPECT_GE(IdRecall(got, truth), 0.75);
  auto refined = BuildIndex("IVF32,PQ32x4fs,Refine(Flat)", Metric::kL2, data, dim);
  params.refine_factor = 10;
  ASSERT_TRUE(refined->Search(MatrixView(queries, dim), 10, params, &got).ok());
  EXPECT_GE(IdRecall(got, truth), 0.98);
}

TEST(IvfPqFastScanTest, IncrementalAddsEqualOneAdd) {
  // Training is deterministic, so two indexes trained alike hold the same codes; one
  // receives the vectors in uneven batches, which re-packs partly filled blocks.
  const int dim = 32;
  const std::vector<float> data = ClusteredData(dim);
  const std::vector<float> queries = GaussianVectors(25, dim, 8);
  auto whole = BuildIndex("IVF16,PQ16x4fs", Metric::kL2, data, dim);
  auto pieces = *Index::Create("IVF16,PQ16x4fs", dim, Metric::kL2);
  ASSERT_TRUE(pieces->Train(MatrixView(data, dim)).ok());
  int64_t added = 0;
  for (int64_t batch : {1, 7, 31, 33, 64, 500}) {
    ASSERT_TRUE(pieces->Add(MatrixView(data.data() + added * dim, batch, dim)).ok());
    added += batch;
  }
  ASSERT_TRUE(pieces->Add(MatrixView(data.data() + added * dim, 8000 - added, dim)).ok());
  SearchParams params;
  params.nprobe = 4;
  SearchResults a, b;
  ASSERT_TRUE(whole->Search(MatrixView(queries, dim), 20, params, &a).ok());
  ASSERT_TRUE(pieces->Search(MatrixView(queries, dim), 20, params, &b).ok());
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.distances, b.distances);
}

TEST(IvfPqFastScanTest, RemovalKeepsTheOtherCodes) {
  // After removing every third vector, a search for all of them returns exactly the rest,
  // each at the distance it had before: the re-packed codes are the same codes.
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(300, dim, 9);
  const std::vector<float> queries = GaussianVectors(3, dim, 10);
  auto index = BuildIndex("IVF4,PQ8x4fs", Metric::kL2, data, dim);
  SearchParams params;
  params.nprobe = 4;
  SearchResults before, after;
  ASSERT_TRUE(index->Search(MatrixView(queries, dim), 300, params, &before).ok());
  std::vector<int64_t> doomed;
  for (int64_t id = 0; id < 300; id += 3) doomed.push_back(id);
  ASSERT_EQ(*index->Remove(doomed), doomed.size());
  EXPECT_EQ(index->size(), 200);
  ASSERT_TRUE(index->Search(MatrixView(queries, dim), 300, params, &after).ok());
  const auto before_maps = ResultMaps(before);
  const auto after_maps = ResultMaps(after);
  for (int64_t q = 0; q < 3; ++q) {
    ASSERT_EQ(after_maps[q].size(), 200u);
    for (const auto& [id, distance] : after_maps[q]) {
      EXPECT_NE(id % 3, 0) << id;
      EXPECT_NEAR(distance, before_maps[q].at(id), 1e-3f * (1 + std::abs(distance)));
    }
    // k beyond the stored vectors pads with id -1.
    EXPECT_EQ(after.ids_row(q)[299], -1);
  }
}

TEST(IvfPqFastScanTest, SpecErrors) {
  EXPECT_TRUE(Index::Create("PQ8x4fs", 16, Metric::kL2).ok());
  EXPECT_TRUE(Index::Create("IVF8,PQ16x4fs,Refine(Flat)", 16, Metric::kL2).ok());
  for (const char* spec : {"PQ8x4", "IVF8,PQ8x8fs", "IVF8,PQ5x4fs", "PQ8fs", "IVF8,PQ8x4fsx"}) {
    auto index = Index::Create(spec, 16, Metric::kL2);
    EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument) << spec;
  }
  auto too_many = Index::Create("PQ300x4fs", 300, Metric::kL2);
  EXPECT_NE(too_many.status().message().find("256"), std::string::npos) << too_many.status();
}

}  // namespace
}  // namespace vqsearch
