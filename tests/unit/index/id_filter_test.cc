// Id filters (SearchParams::filter) on every index type. An index's filtered search must
// equal its own unfiltered ranking of every stored vector restricted to the allowed ids:
// the filter removes candidates and changes nothing else. Exact indexes (and full-probe
// IVF-Flat, Refine(Flat) re-ranking everything) must also equal exact search over an
// index holding only the allowed vectors. Ids are user ids given at add time, unlike
// the storage positions, so filtering by position would fail.

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/id_filter.h"
#include "vqsearch/index.h"

namespace vqsearch {
namespace {

using testing::BuildIndex;
using testing::GaussianVectors;

constexpr int kDim = 32;
constexpr int64_t kNumBase = 1500;
constexpr int64_t kNumQueries = 30;
constexpr int kK = 10;
constexpr int kNlist = 8;

// User id of the vector stored at position i.
int64_t UserId(int64_t i) { return 1000 + 3 * i; }

std::vector<int64_t> UserIds() {
  std::vector<int64_t> ids(kNumBase);
  for (int64_t i = 0; i < kNumBase; ++i) ids[i] = UserId(i);
  return ids;
}

// Parameters under which `index` ranks every stored vector: all lists probed, and Refine
// re-ranking as many candidates as there are vectors for a result of k.
SearchParams FullSearch(const Index& index, int k, int num_threads = 1) {
  SearchParams params;
  if (testing::TakesSearchParam(index, "nprobe")) params.nprobe = kNlist;
  if (testing::TakesSearchParam(index, "refine_factor")) {
    params.refine_factor = static_cast<int>((kNumBase + k - 1) / k);
  }
  params.num_threads = num_threads;
  return params;
}

SearchResults Search(const Index& index, const std::vector<float>& queries, int k,
                     const SearchParams& params) {
  SearchResults results;
  const absl::Status status = index.Search(MatrixView(queries, kDim), k, params, &results);
  EXPECT_TRUE(status.ok()) << status;
  return results;
}

// The first kK entries of each row of `all` (a ranking of every vector) that `filter`
// contains, padded like a search.
SearchResults Restricted(const SearchResults& all, const IdFilter& filter, float pad) {
  SearchResults out;
  out.num_queries = all.num_queries;
  out.k = kK;
  for (int64_t q = 0; q < all.num_queries; ++q) {
    int kept = 0;
    for (int i = 0; i < all.k && kept < kK; ++i) {
      const int64_t id = all.ids_row(q)[i];
      if (id < 0 || !filter.Contains(id)) continue;
      out.ids.push_back(id);
      out.distances.push_back(all.distances_row(q)[i]);
      ++kept;
    }
    for (; kept < kK; ++kept) {
      out.ids.push_back(-1);
      out.distances.push_back(pad);
    }
  }
  return out;
}

void ExpectSameResults(const SearchResults& got, const SearchResults& expected) {
  ASSERT_EQ(got.ids.size(), expected.ids.size());
  EXPECT_EQ(got.ids, expected.ids);
  for (size_t i = 0; i < got.distances.size(); ++i) {
    const float want = expected.distances[i];
    if (std::isinf(want)) {
      EXPECT_EQ(got.distances[i], want) << "slot " << i;
    } else {
      EXPECT_NEAR(got.distances[i], want, 1e-4f * (1.0f + std::abs(want))) << "slot " << i;
    }
  }
}

class IdFilterTest : public ::testing::TestWithParam<std::tuple<std::string, Metric>> {
 protected:
  void SetUp() override {
    const auto& [spec, metric] = GetParam();
    index_ = BuildIndex(spec, metric, data_, kDim, UserIds(), /*num_threads=*/1);
    ASSERT_NE(index_, nullptr);
    pad_ = metric == Metric::kL2 ? INFINITY : -INFINITY;
  }

  const std::vector<float> data_ = GaussianVectors(kNumBase, kDim, 11);
  const std::vector<float> queries_ = GaussianVectors(kNumQueries, kDim, 12);
  std::unique_ptr<Index> index_;
  float pad_ = 0;
};

TEST_P(IdFilterTest, FilteredEqualsFullRankingRestrictedToTheFilter) {
  // Every vector ranked by the index itself (Refine: re-ranking all of them).
  SearchParams rank_all = FullSearch(*index_, kNumBase);
  if (testing::TakesSearchParam(*index_, "refine_factor")) rank_all.refine_factor = 1;
  const SearchResults all = Search(*index_, queries_, kNumBase, rank_all);

  // Scattered ids (1 in 7), and ids so few that most rows need padding.
  std::vector<int64_t> sevenths, three;
  for (int64_t i = 0; i < kNumBase; i += 7) sevenths.push_back(UserId(i));
  three = {UserId(5), UserId(700), UserId(1499)};
  for (const std::vector<int64_t>* ids : {&sevenths, &three}) {
    SCOPED_TRACE(::testing::Message() << ids->size() << " allowed ids");
    const IdSetFilter filter(*ids);
    SearchParams params = FullSearch(*index_, kK);
    params.filter = &filter;
    const SearchResults got = Search(*index_, queries_, kK, params);
    ExpectSameResults(got, Restricted(all, filter, pad_));
  }
}

TEST_P(IdFilterTest, RangeAndSetOfTheSameIdsAgreeOnAnyThreadCount) {
  // Positions [400, 900): the range also spans ids between them that no vector has.
  std::vector<int64_t> ids;
  for (int64_t i = 400; i < 900; ++i) ids.push_back(UserId(i));
  const IdRangeFilter range(UserId(400), UserId(900));
  const IdSetFilter set(ids);
  // Few lists probed, so that allowed ids also sit in lists a query does not scan.
  SearchParams params;
  if (testing::TakesSearchParam(*index_, "nprobe")) params.nprobe = 2;
  params.filter = &range;
  const SearchResults by_range = Search(*index_, queries_, kK, params);
  for (int64_t id : by_range.ids) {
    if (id >= 0) {
      EXPECT_TRUE(range.Contains(id)) << id;
    }
  }
  params.filter = &set;
  ExpectSameResults(Search(*index_, queries_, kK, params), by_range);
  params.num_threads = 2;
  ExpectSameResults(Search(*index_, queries_, kK, params), by_range);
}

TEST_P(IdFilterTest, AFilterThatAllowsNothingPadsEveryRow) {
  const IdSetFilter nothing(std::vector<int64_t>{});
  // Every storage position and no user id.
  const IdRangeFilter positions_not_ids(0, UserId(0));
  for (const IdFilter* filter : {static_cast<const IdFilter*>(&nothing),
                                 static_cast<const IdFilter*>(&positions_not_ids)}) {
    SearchParams params = FullSearch(*index_, kK);
    params.filter = filter;
    const SearchResults got = Search(*index_, queries_, kK, params);
    EXPECT_EQ(got.ids, std::vector<int64_t>(kNumQueries * kK, -1));
    EXPECT_EQ(got.distances, std::vector<float>(kNumQueries * kK, pad_));
  }
}

TEST_P(IdFilterTest, AFilterOfEveryIdChangesNothing) {
  SearchParams params;
  const SearchResults plain = Search(*index_, queries_, kK, params);
  const IdRangeFilter everything(0, UserId(kNumBase));
  params.filter = &everything;
  ExpectSameResults(Search(*index_, queries_, kK, params), plain);
}

std::string ParamName(const ::testing::TestParamInfo<std::tuple<std::string, Metric>>& info) {
  std::string name = std::get<0>(info.param) + "_" + std::string(MetricName(std::get<1>(info.param)));
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    EveryIndexType, IdFilterTest,
    ::testing::Combine(::testing::Values("Flat", "IVF8,Flat", "IVF8,PQ8", "IVF8,PQ8x4fs", "PQ8x4fs",
                                         "IVF8,RaBitQ4", "RaBitQ1", "IVF8,RaBitQ4fs", "RaBitQ1fs16", "IVF8,RaBitQ2,Refine(SQ8)",
                                         "IVF8,SQ8", "SQ8", "IVF8,RQ4x8", "IVF8,RQ4x4fs",
                                         "IVF8,PQ8,Refine(Flat)", "IVF8,PQ8x4fs,Refine(SQ8)",
                                         "OPQ8,IVF8,PQ8x4fs", "OPQ8,IVF8,PQ8,Refine(Flat)"),
                       ::testing::Values(Metric::kL2, Metric::kInnerProduct, Metric::kCosine)),
    ParamName);

// Exact indexes under a filter equal exact search over only the allowed vectors.
TEST(IdFilterExactTest, ExactIndexesEqualFlatOverTheAllowedVectors) {
  const std::vector<float> data = GaussianVectors(kNumBase, kDim, 21);
  const std::vector<float> queries = GaussianVectors(kNumQueries, kDim, 22);
  std::vector<int64_t> allowed_ids;
  std::vector<float> allowed_data;
  for (int64_t i = 0; i < kNumBase; i += 5) {
    allowed_ids.push_back(UserId(i));
    allowed_data.insert(allowed_data.end(), data.begin() + i * kDim, data.begin() + (i + 1) * kDim);
  }
  const IdSetFilter filter(allowed_ids);
  for (Metric metric : {Metric::kL2, Metric::kInnerProduct}) {
    auto subset = BuildIndex("Flat", metric, allowed_data, kDim, allowed_ids, 1);
    const SearchResults expected = Search(*subset, queries, kK, FullSearch(*subset, kK));
    for (const char* spec : {"Flat", "IVF8,Flat", "IVF8,PQ8,Refine(Flat)"}) {
      SCOPED_TRACE(spec);
      auto index = BuildIndex(spec, metric, data, kDim, UserIds(), 1);
      SearchParams params = FullSearch(*index, kK);
      params.filter = &filter;
      ExpectSameResults(Search(*index, queries, kK, params), expected);
    }
  }
}

}  // namespace
}  // namespace vqsearch
