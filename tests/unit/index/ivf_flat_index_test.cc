// IVF-Flat: equal to Flat when every list is probed, recall that grows with nprobe,
// removal, persistence, ids, cancellation and parameter errors.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <vector>

#include "gtest/gtest.h"
#include "index/inverted_lists.h"
#include "index/ivf_index.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"
#include "vqsearch/kmeans.h"

namespace vqsearch {
namespace {

using testing::BuildIndex;
using testing::GaussianVectors;
using testing::IdRecall;
using testing::MismatchesBeyondNearTies;

// Clustered data, the shape IVF is meant for: 64 blobs in `dim` dimensions.
std::vector<float> ClusteredVectors(int64_t rows, int dim, uint32_t seed) {
  const std::vector<float> centres = GaussianVectors(64, dim, seed + 1000);
  std::vector<float> noise = GaussianVectors(rows, dim, seed);
  for (int64_t i = 0; i < rows; ++i) {
    for (int j = 0; j < dim; ++j) noise[i * dim + j] = 4 * centres[(i % 64) * dim + j] + noise[i * dim + j];
  }
  return noise;
}

class IvfFlatMetricTest : public ::testing::TestWithParam<Metric> {};

TEST_P(IvfFlatMetricTest, ProbingEveryListEqualsFlat) {
  const Metric metric = GetParam();
  const int dim = 20, k = 10;
  const std::vector<float> data = ClusteredVectors(6000, dim, 1);
  const std::vector<float> queries = ClusteredVectors(300, dim, 2);
  auto ivf = BuildIndex("IVF32,Flat", metric, data, dim);
  auto flat = *Index::Create("Flat", dim, metric);
  ASSERT_TRUE(flat->Add(MatrixView(data, dim)).ok());

  SearchParams params;
  params.nprobe = 32;
  SearchResults got, expected;
  for (int threads : {1, 2}) {
    params.num_threads = threads;
    ASSERT_TRUE(ivf->Search(MatrixView(queries, dim), k, params, &got).ok());
    ASSERT_TRUE(flat->Search(MatrixView(queries, dim), k, {}, &expected).ok());
    // Flat re-scores in double; IVF-Flat's residual expansion is float32, so near-ties
    // (cosine's clustered unit vectors have many) may be ordered either way.
    EXPECT_EQ(MismatchesBeyondNearTies(got, expected, 1e-5), 0) << "threads=" << threads;
    for (size_t i = 0; i < got.distances.size(); ++i) {
      EXPECT_NEAR(got.distances[i], expected.distances[i], 1e-5 * (1 + std::abs(expected.distances[i])));
    }
  }
  // nprobe beyond nlist means every list.
  params.nprobe = 1000;
  SearchResults every_list;
  ASSERT_TRUE(ivf->Search(MatrixView(queries, dim), k, params, &every_list).ok());
  EXPECT_EQ(every_list.ids, got.ids);
}

TEST_P(IvfFlatMetricTest, RecallNeverDropsAsNprobeGrows) {
  const Metric metric = GetParam();
  const int dim = 16, k = 10;
  const std::vector<float> data = ClusteredVectors(8000, dim, 3);
  const std::vector<float> queries = ClusteredVectors(200, dim, 4);
  auto ivf = BuildIndex("IVF64,Flat", metric, data, dim);
  auto flat = *Index::Create("Flat", dim, metric);
  ASSERT_TRUE(flat->Add(MatrixView(data, dim)).ok());
  SearchResults truth;
  ASSERT_TRUE(flat->Search(MatrixView(queries, dim), k, {}, &truth).ok());
  double previous = 0;
  for (int nprobe : {1, 2, 4, 8, 16, 32, 64}) {
    SearchParams params;
    params.nprobe = nprobe;
    SearchResults got;
    ASSERT_TRUE(ivf->Search(MatrixView(queries, dim), k, params, &got).ok());
    const double recall = IdRecall(got, truth);
    EXPECT_GE(recall, previous) << "nprobe=" << nprobe;
    previous = recall;
  }
  EXPECT_EQ(previous, 1.0);
}

INSTANTIATE_TEST_SUITE_P(AllMetrics, IvfFlatMetricTest,
                         ::testing::Values(Metric::kL2, Metric::kInnerProduct, Metric::kCosine));

TEST(IvfFlatIndexTest, ListsAreBalancedOnClusteredData) {
  const int dim = 8;
  const std::vector<float> data = ClusteredVectors(6400, dim, 5);
  auto index = Index::Create("IVF64,Flat", dim, Metric::kL2);
  ASSERT_TRUE((*index)->Train(MatrixView(data, dim)).ok());
  ASSERT_TRUE((*index)->Add(MatrixView(data, dim)).ok());
  EXPECT_EQ((*index)->size(), 6400);
  const auto* ivf = dynamic_cast<const internal::IvfIndex*>(index->get());
  ASSERT_NE(ivf, nullptr);
  const internal::ListStatistics stats = ivf->list_statistics();
  EXPECT_EQ(stats.total, 6400);
  EXPECT_EQ(stats.empty_lists, 0);
  EXPECT_GE(stats.max_size, 100);
  // 64 equal blobs into 64 lists: random-start k-means may merge a few blobs and split
  // others, but lists stay far from the worst case (imbalance 64, one full list).
  EXPECT_GE(stats.imbalance_factor, 1.0);
  EXPECT_LT(stats.imbalance_factor, 2.0);
}

TEST(IvfFlatIndexTest, RemovedIdsNeverComeBackAndUserIdsAreReturned) {
  const int dim = 8;
  const std::vector<float> data = ClusteredVectors(2000, dim, 6);
  std::vector<int64_t> ids(2000);
  for (int i = 0; i < 2000; ++i) ids[i] = 10 * i + 7;
  auto index = *Index::Create("IVF16,Flat", dim, Metric::kL2);
  ASSERT_TRUE(index->Train(MatrixView(data, dim)).ok());
  ASSERT_TRUE(index->Add(MatrixView(data, dim), ids).ok());
  std::vector<int64_t> doomed;
  for (int i = 0; i < 2000; i += 2) doomed.push_back(ids[i]);
  auto removed = index->Remove(doomed);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1000u);
  EXPECT_EQ(index->size(), 1000);
  EXPECT_EQ(*index->Remove(doomed), 0u);  // already gone
  SearchParams params;
  params.nprobe = 16;
  SearchResults results;
  ASSERT_TRUE(index->Search(MatrixView(data, dim), 5, params, &results).ok());
  const std::set<int64_t> gone(doomed.begin(), doomed.end());
  for (int64_t q = 0; q < results.num_queries; ++q) {
    for (int i = 0; i < 5; ++i) {
      const int64_t id = results.ids_row(q)[i];
      EXPECT_EQ(gone.count(id), 0u) << id;
      EXPECT_EQ(id % 10, 7) << id;
    }
    // Every kept vector finds itself first.
    if (q % 2 == 1) {
      EXPECT_EQ(results.ids_row(q)[0], ids[q]);
    }
  }
}

TEST(IvfFlatIndexTest, SaveLoadRoundTrip) {
  const int dim = 12;
  const std::vector<float> data = ClusteredVectors(3000, dim, 7);
  const std::vector<float> queries = ClusteredVectors(50, dim, 8);
  for (Metric metric : {Metric::kL2, Metric::kCosine}) {
    auto index = BuildIndex("IVF20,Flat", metric, data, dim);
    const std::string path = ::testing::TempDir() + "/vqs_ivf_roundtrip.vqs";
    ASSERT_TRUE(vqsearch::Save(*index, path).ok());
    auto loaded = vqsearch::Load(path);
    std::remove(path.c_str());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ((*loaded)->spec(), "IVF20,Flat");
    EXPECT_EQ((*loaded)->size(), 3000);
    SearchParams params;
    params.nprobe = 4;
    SearchResults a, b;
    ASSERT_TRUE(index->Search(MatrixView(queries, dim), 10, params, &a).ok());
    ASSERT_TRUE((*loaded)->Search(MatrixView(queries, dim), 10, params, &b).ok());
    EXPECT_EQ(a.ids, b.ids);
    EXPECT_EQ(a.distances, b.distances);
    // An untrained index round-trips too and stays untrained.
    auto untrained = *Index::Create("IVF20,Flat", dim, metric);
    auto bytes = vqsearch::Serialize(*untrained);
    ASSERT_TRUE(bytes.ok());
    auto copy = vqsearch::Deserialize(*bytes);
    ASSERT_TRUE(copy.ok()) << copy.status();
    EXPECT_FALSE((*copy)->is_trained());
  }
}

TEST(IvfFlatIndexTest, CancelledAddLeavesIndexUnchanged) {
  const int dim = 4;
  const std::vector<float> data = GaussianVectors(70000, dim, 9);
  auto index = *Index::Create("IVF8,Flat", dim, Metric::kL2);
  ASSERT_TRUE(index->Train(MatrixView(data.data(), 1000, dim)).ok());
  ASSERT_TRUE(index->Add(MatrixView(data.data(), 10, dim)).ok());
  BuildOptions options;
  options.progress = [](const Progress& p) { return p.done < 65536; };  // stop after chunk 1
  EXPECT_EQ(index->Add(MatrixView(data, dim), {}, options).code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(index->size(), 10);
  ASSERT_TRUE(index->Add(MatrixView(data.data(), 1, dim)).ok());
  SearchResults results;
  SearchParams params;
  params.nprobe = 8;
  ASSERT_TRUE(index->Search(MatrixView(data.data(), 1, dim), 11, params, &results).ok());
  EXPECT_EQ(*std::max_element(results.ids.begin(), results.ids.end()), 10);  // ids not burnt
}

// Finite coordinates near the float range make every inner product with a centroid
// inf - inf = NaN: such a vector has no nearest list, and Add refuses it (before, it was
// filed under list -1 and its code written before the first list's memory).
TEST(IvfFlatIndexTest, VectorsWhoseDistancesOverflowAreRefused) {
  const int dim = 4;
  std::vector<float> data = GaussianVectors(200, dim, 12);
  for (float& x : data) x += 100;  // every centroid positive
  const std::vector<float> huge = {3e38f, 3e38f, -3e38f, -3e38f};
  for (const char* spec : {"IVF4,Flat", "IVF4,PQ2x4fs", "IVF4,RaBitQ1fs", "IVF4,SQ8"}) {
    auto index = BuildIndex(spec, Metric::kL2, data, dim);
    const int64_t before = index->size();
    const absl::Status added = index->Add(MatrixView(huge, dim));
    EXPECT_EQ(added.code(), absl::StatusCode::kInvalidArgument) << spec;
    EXPECT_NE(added.message().find("overflow"), std::string::npos) << spec << ": " << added;
    EXPECT_EQ(index->size(), before) << spec;
  }
  auto labels = AssignToCentroids(MatrixView(huge, dim), MatrixView(data.data(), 4, dim), false, 1);
  EXPECT_EQ(labels.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(IvfFlatIndexTest, BadParametersAreErrors) {
  const int dim = 4;
  for (const char* spec : {"IVF0,Flat", "IVF-3,Flat", "IVF,Flat", "IVF8", "IVF8,Foo", "IVF8,Flat,Flat"}) {
    auto index = Index::Create(spec, dim, Metric::kL2);
    EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument) << spec;
  }
  const std::vector<float> data = GaussianVectors(100, dim, 10);
  auto index = *Index::Create("IVF200,Flat", dim, Metric::kL2);
  auto too_few = index->Train(MatrixView(data, dim));
  EXPECT_EQ(too_few.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(too_few.message().find("200"), std::string::npos);
  EXPECT_EQ(index->Add(MatrixView(data, dim)).code(), absl::StatusCode::kFailedPrecondition);

  auto small = *Index::Create("IVF4,Flat", dim, Metric::kL2);
  ASSERT_TRUE(small->Train(MatrixView(data, dim)).ok());
  SearchResults results;
  EXPECT_EQ(small->Search(MatrixView(data, dim), 1, {}, &results).code(),
            absl::StatusCode::kFailedPrecondition);  // empty
  ASSERT_TRUE(small->Add(MatrixView(data, dim)).ok());
  SearchParams params;
  params.nprobe = 0;
  auto bad_nprobe = small->Search(MatrixView(data, dim), 1, params, &results);
  EXPECT_EQ(bad_nprobe.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_nprobe.message().find("nprobe"), std::string::npos);
  EXPECT_EQ(small->Train(MatrixView(data, dim)).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(InvertedListsTest, AppendRemoveStatistics) {
  internal::InvertedLists lists(3, 2);
  const uint8_t codes[] = {1, 2, 3, 4, 5, 6};
  const int64_t ids[] = {10, 11, 12};
  lists.Append(0, codes, ids, 3);
  lists.Append(2, codes, ids, 1);
  EXPECT_EQ(lists.total_size(), 4);
  auto stats = lists.Statistics();
  EXPECT_EQ(stats.max_size, 3);
  EXPECT_EQ(stats.min_size, 0);
  EXPECT_EQ(stats.empty_lists, 1);
  EXPECT_DOUBLE_EQ(stats.imbalance_factor, 3.0 * (9 + 1) / 16);
  EXPECT_EQ(lists.Remove({11, 10}), 3u);  // id 10 is in two lists
  ASSERT_EQ(lists.list_size(0), 1);
  EXPECT_EQ(lists.ids(0)[0], 12);
  EXPECT_EQ(lists.codes(0)[0], 5);
  EXPECT_EQ(lists.codes(0)[1], 6);
  EXPECT_EQ(lists.list_size(2), 0);
}

}  // namespace
}  // namespace vqsearch
