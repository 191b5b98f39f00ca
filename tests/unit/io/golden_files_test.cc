// Golden index files: one small file per index type and format version in
// tests/golden/v<version>/, each beside the queries and results it gave when written.
// Every reader must keep loading every version and return those results, so a change
// that breaks old files fails here.
//
// Regenerating (after a format version bump, or to add an index type) writes the files
// of the current version from fixed data:
//   VQS_REGENERATE_GOLDEN=1 build/tests/golden_files_test   (scripts/regenerate_golden.sh)

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "io/index_file.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using internal::IndexFileReader;
using internal::IndexFileWriter;

constexpr int kDim = 8;
constexpr int kK = 5;
constexpr int kNprobe = 2;

struct GoldenCase {
  const char* name;  // file name stem
  const char* spec;
  Metric metric;
  bool user_ids;  // with user ids, and one vector removed after the add
};

const GoldenCase kCases[] = {
    {"flat_l2", "Flat", Metric::kL2, false},
    {"flat_cosine_user_ids", "Flat", Metric::kCosine, true},
    {"sq8_ip", "SQ8", Metric::kInnerProduct, false},
    {"ivf_flat_l2_user_ids", "IVF4,Flat", Metric::kL2, true},
    {"ivf_pq_ip", "IVF4,PQ4", Metric::kInnerProduct, false},
    {"ivf_pq_fast_scan_l2", "IVF4,PQ4x4fs", Metric::kL2, false},
    {"ivf_rq_l2", "IVF4,RQ2x8", Metric::kL2, false},
    {"ivf_sq8_cosine", "IVF4,SQ8", Metric::kCosine, false},
    {"ivf_pq_fast_scan_cosine", "IVF4,PQ4x4fs", Metric::kCosine, false},
    {"ivf_rq_fast_scan_cosine", "IVF4,RQ3x4fs", Metric::kCosine, true},
    {"ivf_rq_refine_sq8_cosine", "IVF4,RQ2x8,Refine(SQ8)", Metric::kCosine, false},
    {"sq8_cosine", "SQ8", Metric::kCosine, false},
    {"opq_ivf_pq_l2", "OPQ4,IVF4,PQ4", Metric::kL2, true},
    {"ivf_pq_refine_flat_l2", "IVF4,PQ4,Refine(Flat)", Metric::kL2, false},
    {"ivf_flat_refine_sq8_ip", "IVF4,Flat,Refine(SQ8)", Metric::kInnerProduct, true},
    {"ivf_rabitq4_l2", "IVF4,RaBitQ4", Metric::kL2, false},
    {"rabitq1_cosine_user_ids", "RaBitQ1", Metric::kCosine, true},
    {"ivf_rabitq2_refine_flat_ip", "IVF4,RaBitQ2,Refine(Flat)", Metric::kInnerProduct, false},
    {"ivf_rabitq3fs_l2_user_ids", "IVF4,RaBitQ3fs", Metric::kL2, true},
    {"rabitq1fs16_cosine", "RaBitQ1fs16", Metric::kCosine, false},
};

std::string GoldenDirectory(uint32_t version) {
  return std::string(VQS_SOURCE_DIR) + "/tests/golden/v" + std::to_string(version);
}

SearchParams GoldenParams(const Index& index) {
  SearchParams params;
  if (testing::TakesSearchParam(index, "nprobe")) params.nprobe = kNprobe;
  params.num_threads = 1;
  return params;
}

// Builds the case's index from fixed data and writes it with its queries and results.
void Regenerate(const GoldenCase& golden) {
  const std::vector<float> data = testing::GaussianVectors(600, kDim, 7);
  std::vector<int64_t> ids;
  if (golden.user_ids) {
    for (int i = 0; i < 600; ++i) ids.push_back(1000 + 3 * i);
  }
  auto index = testing::BuildIndex(golden.spec, golden.metric, data, kDim, ids, 1);
  ASSERT_NE(index, nullptr);
  if (golden.user_ids) {
    ASSERT_EQ(*index->Remove({1003}), 1u);
  }
  const std::vector<float> queries = testing::GaussianVectors(10, kDim, 8);
  SearchResults results;
  ASSERT_TRUE(index->Search(MatrixView(queries, kDim), kK, GoldenParams(*index), &results).ok());

  const std::string directory = GoldenDirectory(internal::kIndexFormatVersion);
  std::filesystem::create_directories(directory);
  ASSERT_TRUE(vqsearch::Save(*index, directory + "/" + golden.name + ".vqs").ok());
  IndexFileWriter expected;
  expected.AddFloat32("queries", queries);
  expected.AddInt64("ids", results.ids);
  expected.AddFloat32("distances", results.distances);
  expected.AddInt64Scalar("size", index->size());
  ASSERT_TRUE(expected.WriteFile(directory + "/" + golden.name + ".expected").ok());
}

class GoldenFileTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenFileTest, EveryVersionLoadsAndSearchesAsWhenWritten) {
  const GoldenCase& golden = GetParam();
  if (std::getenv("VQS_REGENERATE_GOLDEN") != nullptr) Regenerate(golden);
  int versions_found = 0;
  for (uint32_t version = 1; version <= internal::kIndexFormatVersion; ++version) {
    const std::string stem = GoldenDirectory(version) + "/" + golden.name;
    if (!std::filesystem::exists(stem + ".vqs")) continue;
    ++versions_found;
    auto index = vqsearch::Load(stem + ".vqs");
    ASSERT_TRUE(index.ok()) << index.status();
    EXPECT_EQ((*index)->spec(), golden.spec);
    EXPECT_EQ((*index)->metric(), golden.metric);
    auto expected = IndexFileReader::FromFile(stem + ".expected");
    ASSERT_TRUE(expected.ok()) << expected.status();
    EXPECT_EQ((*index)->size(), *expected->Int64Scalar("size"));
    const auto queries = *expected->Float32("queries");
    const auto ids = *expected->Int64("ids");
    const auto distances = *expected->Float32("distances");
    SearchResults results;
    ASSERT_TRUE((*index)
                    ->Search(MatrixView(queries.data(), queries.size() / kDim, kDim), kK,
                             GoldenParams(**index), &results)
                    .ok());
    EXPECT_EQ(results.ids, std::vector<int64_t>(ids.begin(), ids.end())) << "version " << version;
    ASSERT_EQ(results.distances.size(), distances.size());
    for (size_t i = 0; i < distances.size(); ++i) {
      EXPECT_NEAR(results.distances[i], distances[i], 1e-5f * std::max(1.0f, std::abs(distances[i])))
          << "version " << version << " result " << i;
    }
  }
  EXPECT_GT(versions_found, 0) << "no golden file for " << golden.name;
}

INSTANTIATE_TEST_SUITE_P(EveryIndexType, GoldenFileTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace vqsearch
