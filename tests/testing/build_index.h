// Test helpers over whole indexes: build one from a spec (create, train and add `data`,
// with `ids` when given, with gtest expectations on every step), and measure its
// neighbour overlap with exact results; copy one through its serialized form and compare
// two indexes' searches; and the one-thread build options small trainings use.

#ifndef VQSEARCH_TESTS_TESTING_BUILD_INDEX_H_
#define VQSEARCH_TESTS_TESTING_BUILD_INDEX_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch::testing {

// One thread: OpenMP's start-up and spinning cost more than the small trainings of the
// tests on a loaded machine, and no result depends on the thread count.
inline BuildOptions OneThread() {
  BuildOptions options;
  options.num_threads = 1;
  return options;
}

// `num_threads` as in BuildOptions; small indexes build faster on one thread than with
// OpenMP's start-up and spinning on a loaded machine.
inline std::unique_ptr<Index> BuildIndex(const std::string& spec, Metric metric,
                                         const std::vector<float>& data, int dim,
                                         absl::Span<const int64_t> ids = {},
                                         int num_threads = 0) {
  auto index = Index::Create(spec, dim, metric);
  EXPECT_TRUE(index.ok()) << index.status();
  if (!index.ok()) return nullptr;
  BuildOptions options;
  options.num_threads = num_threads;
  EXPECT_TRUE((*index)->Train(MatrixView(data, dim), options).ok());
  EXPECT_TRUE((*index)->Add(MatrixView(data, dim), ids, options).ok());
  return std::move(*index);
}

// `index` copied through Serialize and Deserialize, expecting both to succeed and the
// copy to report the same spec and memory use; null when a step failed.
inline std::unique_ptr<Index> SerializedCopy(const Index& index) {
  auto bytes = vqsearch::Serialize(index);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  if (!bytes.ok()) return nullptr;
  auto copy = vqsearch::Deserialize(*bytes);
  EXPECT_TRUE(copy.ok()) << copy.status();
  if (!copy.ok()) return nullptr;
  EXPECT_EQ((*copy)->spec(), index.spec());
  EXPECT_EQ((*copy)->MemoryUsageBytes(), index.MemoryUsageBytes());
  return std::move(*copy);
}

// Expects `a` and `b` to return the same ids and bit-identical distances.
inline void ExpectSameSearch(const Index& a, const Index& b, const std::vector<float>& queries,
                             int dim, int k, const SearchParams& params) {
  SearchResults from_a, from_b;
  ASSERT_TRUE(a.Search(MatrixView(queries, dim), k, params, &from_a).ok());
  ASSERT_TRUE(b.Search(MatrixView(queries, dim), k, params, &from_b).ok());
  EXPECT_EQ(from_a.ids, from_b.ids) << a.spec();
  EXPECT_EQ(from_a.distances, from_b.distances) << a.spec();
}

// The fraction of `truth`'s k ids per query that `got` also returned (recall by id).
inline double IdRecall(const SearchResults& got, const SearchResults& truth) {
  int64_t hits = 0;
  for (int64_t q = 0; q < got.num_queries; ++q) {
    const std::set<int64_t> expected(truth.ids_row(q), truth.ids_row(q) + truth.k);
    for (int i = 0; i < got.k; ++i) hits += expected.count(got.ids_row(q)[i]);
  }
  return static_cast<double>(hits) / (static_cast<double>(got.num_queries) * got.k);
}

// How many result slots hold another id than `truth` where no near-tie explains it: an id
// may sit at another rank of the same row only if the two ranks' true distances are within
// `tolerance` (relative, plus absolute), and an id outside the true top k only if its
// distance is within `tolerance` of the true k-th. Indexes that score in float32 and the
// double-precision reference may order near-ties either way; anything else is an error.
inline int64_t MismatchesBeyondNearTies(const SearchResults& got, const SearchResults& truth,
                                        double tolerance) {
  const auto close = [tolerance](double a, double b) {
    return std::abs(a - b) <= tolerance * (1 + std::abs(b));
  };
  int64_t mismatches = 0;
  for (int64_t q = 0; q < got.num_queries; ++q) {
    const int64_t* truth_ids = truth.ids_row(q);
    const float* truth_distances = truth.distances_row(q);
    for (int i = 0; i < got.k; ++i) {
      const int64_t id = got.ids_row(q)[i];
      if (id == truth_ids[i]) continue;
      const int64_t* found = std::find(truth_ids, truth_ids + truth.k, id);
      const bool explained =
          found != truth_ids + truth.k
              ? close(truth_distances[found - truth_ids], truth_distances[i])
              : close(got.distances_row(q)[i], truth_distances[truth.k - 1]);
      if (!explained) ++mismatches;
    }
  }
  return mismatches;
}

// Whether `index` takes the search parameter `name` (setting one it does not take is an
// error).
inline bool TakesSearchParam(const Index& index, std::string_view name) {
  for (const SearchParamInfo& param : index.search_params()) {
    if (param.name == name) return true;
  }
  return false;
}

}  // namespace vqsearch::testing

#endif  // VQSEARCH_TESTS_TESTING_BUILD_INDEX_H_
