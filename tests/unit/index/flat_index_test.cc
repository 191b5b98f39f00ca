// Flat against a naive double-precision reference, for every metric, with and without
// user ids; plus persistence, removal and every input error the interface promises.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <numeric>
#include <vector>

#include "gtest/gtest.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using testing::GaussianVectors;

// Exact k nearest ids of one query by double-precision brute force, closest first with
// ties by smaller id; returns (score, id) with score as the index reports it.
std::vector<std::pair<double, int64_t>> NaiveSearch(const std::vector<float>& data,
                                                    const std::vector<int64_t>& ids, int dim,
                                                    const float* query, int k, Metric metric) {
  const int64_t n = static_cast<int64_t>(ids.size());
  std::vector<std::pair<double, int64_t>> scored;  // key: smaller is closer
  double query_norm = 0;
  for (int j = 0; j < dim; ++j) query_norm += double{query[j]} * query[j];
  for (int64_t i = 0; i < n; ++i) {
    const float* x = data.data() + i * dim;
    double dot = 0, l2 = 0, x_norm = 0;
    for (int j = 0; j < dim; ++j) {
      dot += double{query[j]} * x[j];
      l2 += (double{query[j]} - x[j]) * (double{query[j]} - x[j]);
      x_norm += double{x[j]} * x[j];
    }
    double key = metric == Metric::kL2 ? l2
                 : metric == Metric::kInnerProduct
                     ? -dot
                     : -dot / std::sqrt(query_norm * x_norm);
    scored.emplace_back(key, ids[i]);
  }
  std::sort(scored.begin(), scored.end());
  scored.resize(std::min<int64_t>(k, n));
  if (metric != Metric::kL2) {
    for (auto& s : scored) s.first = -s.first;
  }
  return scored;
}

struct Case {
  Metric metric;
  bool user_ids;
};

class FlatAgainstNaiveTest : public ::testing::TestWithParam<Case> {};

TEST_P(FlatAgainstNaiveTest, SameNeighboursAsDoublePrecision) {
  const Case c = GetParam();
  // Sizes cross the internal block sizes (256 queries, 4096 vectors) on purpose.
  const int dim = 24, k = 15;
  const int64_t n = 5000, nq = 300;
  const std::vector<float> data = GaussianVectors(n, dim, 1);
  const std::vector<float> queries = GaussianVectors(nq, dim, 2);
  std::vector<int64_t> ids(n);
  for (int64_t i = 0; i < n; ++i) ids[i] = c.user_ids ? 1000000 + 7 * (n - i) : i;

  auto index = Index::Create("Flat", dim, c.metric);
  ASSERT_TRUE(index.ok()) << index.status();
  // Added in two batches to exercise appending.
  const int64_t half = n / 2;
  absl::Span<const int64_t> all_ids(ids);
  ASSERT_TRUE((*index)->Add(MatrixView(data.data(), half, dim),
                            c.user_ids ? all_ids.subspan(0, half) : absl::Span<const int64_t>())
                  .ok());
  ASSERT_TRUE((*index)->Add(MatrixView(data.data() + half * dim, n - half, dim),
                            c.user_ids ? all_ids.subspan(half) : absl::Span<const int64_t>())
                  .ok());
  ASSERT_EQ((*index)->size(), n);

  for (int threads : {1, 2}) {
    SearchParams params;
    params.num_threads = threads;
    SearchResults results;
    ASSERT_TRUE((*index)->Search(MatrixView(queries, dim), k, params, &results).ok());
    ASSERT_EQ(results.num_queries, nq);
    int mismatches = 0;
    for (int64_t q = 0; q < nq; ++q) {
      const auto expected = NaiveSearch(data, ids, dim, queries.data() + q * dim, k, c.metric);
      for (int i = 0; i < k; ++i) {
        const double tolerance = 1e-4 * std::max(1.0, std::abs(expected[i].first));
        EXPECT_NEAR(results.distances_row(q)[i], expected[i].first, tolerance);
        // float and double may order near-ties differently; then distances still agree.
        if (results.ids_row(q)[i] != expected[i].second) ++mismatches;
      }
    }
    EXPECT_LE(mismatches, nq * k / 1000) << "threads=" << threads;
  }
}

INSTANTIATE_TEST_SUITE_P(AllMetrics, FlatAgainstNaiveTest,
                         ::testing::Values(Case{Metric::kL2, false}, Case{Metric::kL2, true},
                                           Case{Metric::kInnerProduct, false},
                                           Case{Metric::kInnerProduct, true},
                                           Case{Metric::kCosine, false},
                                           Case{Metric::kCosine, true}));

TEST(FlatIndexTest, OneAndTwoThreadsGiveIdenticalResults) {
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(3000, dim, 3);
  const std::vector<float> queries = GaussianVectors(700, dim, 4);
  auto index = *Index::Create("Flat", dim, Metric::kL2);
  ASSERT_TRUE(index->Add(MatrixView(data, dim)).ok());
  SearchParams one, two;
  two.num_threads = 2;
  SearchResults a, b;
  ASSERT_TRUE(index->Search(MatrixView(queries, dim), 10, one, &a).ok());
  ASSERT_TRUE(index->Search(MatrixView(queries, dim), 10, two, &b).ok());
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.distances, b.distances);
}

TEST(FlatIndexTest, TiesAreBrokenBySmallerId) {
  const int dim = 2;
  // Five copies of the same point: all at distance 0 from the query.
  const std::vector<float> data(10, 1.0f);
  const std::vector<int64_t> ids = {50, 10, 40, 20, 30};
  auto index = *Index::Create("Flat", dim, Metric::kL2);
  ASSERT_TRUE(index->Add(MatrixView(data, dim), ids).ok());
  SearchResults results;
  const std::vector<float> query = {1.0f, 1.0f};
  ASSERT_TRUE(index->Search(MatrixView(query, dim), 3, {}, &results).ok());
  EXPECT_EQ(results.ids, (std::vector<int64_t>{10, 20, 30}));
}

TEST(FlatIndexTest, KLargerThanSizePadsWithMinusOne) {
  const int dim = 4;
  const std::vector<float> data = GaussianVectors(3, dim, 5);
  for (Metric metric : {Metric::kL2, Metric::kInnerProduct}) {
    auto index = *Index::Create("Flat", dim, metric);
    ASSERT_TRUE(index->Add(MatrixView(data, dim)).ok());
    SearchResults results;
    ASSERT_TRUE(index->Search(MatrixView(data.data(), 1, dim), 5, {}, &results).ok());
    EXPECT_EQ(results.ids[3], -1);
    EXPECT_EQ(results.ids[4], -1);
    EXPECT_TRUE(std::isinf(results.distances[4]));
    EXPECT_EQ(results.distances[4] > 0, metric == Metric::kL2);
  }
}

TEST(FlatIndexTest, SaveLoadAndSerializeRoundTrip) {
  const int dim = 8;
  const std::vector<float> data = GaussianVectors(500, dim, 6);
  const std::vector<float> queries = GaussianVectors(20, dim, 7);
  for (Metric metric : {Metric::kL2, Metric::kInnerProduct, Metric::kCosine}) {
    auto index = *Index::Create("Flat", dim, metric);
    ASSERT_TRUE(index->Add(MatrixView(data, dim)).ok());
    const std::string path = ::testing::TempDir() + "/vqs_flat_roundtrip.vqs";
    ASSERT_TRUE(vqsearch::Save(*index, path).ok());
    auto loaded = vqsearch::Load(path);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    auto bytes = vqsearch::Serialize(*index);
    ASSERT_TRUE(bytes.ok());
    auto copied = vqsearch::Deserialize(*bytes);
    ASSERT_TRUE(copied.ok()) << copied.status();
    std::remove(path.c_str());
    for (const auto* restored : {loaded->get(), copied->get()}) {
      EXPECT_EQ(restored->spec(), "Flat");
      EXPECT_EQ(restored->metric(), metric);
      EXPECT_EQ(restored->size(), 500);
      SearchResults a, b;
      ASSERT_TRUE(index->Search(MatrixView(queries, dim), 10, {}, &a).ok());
      ASSERT_TRUE(restored->Search(MatrixView(queries, dim), 10, {}, &b).ok());
      EXPECT_EQ(a.ids, b.ids);
      EXPECT_EQ(a.distances, b.distances);
    }
  }
}

TEST(FlatIndexTest, RemovedIdsNeverComeBack) {
  const int dim = 4;
  const std::vector<float> data = GaussianVectors(100, dim, 8);
  auto index = *Index::Create("Flat", dim, Metric::kL2);
  ASSERT_TRUE(index->Add(MatrixView(data, dim)).ok());
  std::vector<int64_t> doomed;
  for (int64_t i = 0; i < 100; i += 3) doomed.push_back(i);
  auto removed = index->Remove(doomed);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, doomed.size());
  EXPECT_EQ(index->size(), 100 - static_cast<int64_t>(doomed.size()));
  SearchResults results;
  ASSERT_TRUE(index->Search(MatrixView(data, dim), 100, {}, &results).ok());
  for (int64_t id : results.ids) {
    if (id >= 0) {
      EXPECT_NE(id % 3, 0) << id;
    }
  }
  // A removed vector queried exactly finds itself no more; a kept one still does.
  EXPECT_NE(results.ids_row(0)[0], 0);
  EXPECT_EQ(results.ids_row(1)[0], 1);
  // New sequential ids continue after the largest ever handed out.
  ASSERT_TRUE(index->Add(MatrixView(data.data(), 1, dim)).ok());
  SearchResults again;
  ASSERT_TRUE(index->Search(MatrixView(data.data(), 1, dim), 1, {}, &again).ok());
  EXPECT_EQ(again.ids[0], 100);
}

TEST(FlatIndexTest, BadInputGivesClearErrors) {
  const int dim = 4;
  auto index = *Index::Create("Flat", dim, Metric::kL2);
  const std::vector<float> query(dim, 0.5f);
  SearchResults results;

  auto empty = index->Search(MatrixView(query, dim), 1, {}, &results);
  EXPECT_EQ(empty.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(empty.message().find("empty"), std::string::npos);

  const std::vector<float> data = GaussianVectors(10, dim, 9);
  ASSERT_TRUE(index->Add(MatrixView(data, dim)).ok());

  auto wrong_dim = index->Search(MatrixView(query.data(), 1, 3), 1, {}, &results);
  EXPECT_EQ(wrong_dim.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wrong_dim.message().find("dimension"), std::string::npos);
  EXPECT_EQ(index->Add(MatrixView(data.data(), 2, 5)).code(), absl::StatusCode::kInvalidArgument);

  for (int k : {0, -3}) {
    auto bad_k = index->Search(MatrixView(query, dim), k, {}, &results);
    EXPECT_EQ(bad_k.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(bad_k.message().find("k must be"), std::string::npos);
  }

  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    std::vector<float> poisoned = data;
    poisoned[13] = bad;
    auto add = index->Add(MatrixView(poisoned, dim));
    EXPECT_EQ(add.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(add.message().find("finite"), std::string::npos);
    std::vector<float> bad_query = query;
    bad_query[2] = bad;
    EXPECT_EQ(index->Search(MatrixView(bad_query, dim), 1, {}, &results).code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(index->size(), 10);  // failed adds changed nothing

  // Ids: wrong count, negative, and mixing with an index filled without ids.
  const std::vector<int64_t> two_ids = {1, 2};
  EXPECT_FALSE(index->Add(MatrixView(data.data(), 3, dim), two_ids).ok());
  EXPECT_FALSE(index->Add(MatrixView(data.data(), 2, dim), two_ids).ok());
  auto with_ids = *Index::Create("Flat", dim, Metric::kL2);
  const std::vector<int64_t> negative = {5, -2};
  EXPECT_FALSE(with_ids->Add(MatrixView(data.data(), 2, dim), negative).ok());
  ASSERT_TRUE(with_ids->Add(MatrixView(data.data(), 2, dim), two_ids).ok());
  EXPECT_FALSE(with_ids->Add(MatrixView(data.data(), 2, dim)).ok());

  auto cosine = *Index::Create("Flat", dim, Metric::kCosine);
  const std::vector<float> zero(dim, 0.0f);
  auto zero_add = cosine->Add(MatrixView(zero, dim));
  EXPECT_EQ(zero_add.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(zero_add.message().find("zero vector"), std::string::npos);
}

TEST(FactoryTest, UnknownSpecsAndDimensionsAreErrors) {
  for (const char* spec : {"", "Foo", "Flat,Flat", "IVF,Flat", "flat"}) {
    auto index = Index::Create(spec, 8, Metric::kL2);
    EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument) << spec;
    EXPECT_NE(index.status().message().find("Flat"), std::string::npos) << index.status();
  }
  EXPECT_TRUE(Index::Create(" Flat ", 8, Metric::kL2).ok());
  EXPECT_FALSE(Index::Create("Flat", 0, Metric::kL2).ok());
  EXPECT_FALSE(Index::Create("Flat", -1, Metric::kL2).ok());
}

TEST(IndexLoadTest, MissingAndMalformedFilesAreErrors) {
  const std::string dir = ::testing::TempDir();
  EXPECT_EQ(vqsearch::Load(dir + "/vqs_no_such_file.vqs").status().code(), absl::StatusCode::kNotFound);
  const std::string garbage = dir + "/vqs_garbage.vqs";
  FILE* f = std::fopen(garbage.c_str(), "wb");
  std::fputs("this is not an index", f);
  std::fclose(f);
  auto loaded = vqsearch::Load(garbage);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(loaded.status().message().find(garbage), std::string::npos);
  std::remove(garbage.c_str());
  EXPECT_FALSE(vqsearch::Deserialize("").ok());
}

}  // namespace
}  // namespace vqsearch
