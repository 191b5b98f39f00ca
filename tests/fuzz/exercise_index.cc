// See exercise_index.h.

#include "exercise_index.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "vqsearch/id_filter.h"
#include "vqsearch/search_params.h"
#include "vqsearch/io.h"

namespace vqsearch::fuzz {
namespace {

constexpr int kNumQueries = 3;

// Three different non-zero queries (cosine rejects zero vectors), the same on every run.
std::vector<float> Queries(int dim) {
  std::vector<float> queries(static_cast<size_t>(kNumQueries) * dim);
  for (int j = 0; j < dim; ++j) {
    queries[j] = 0.5f;
    queries[dim + j] = j % 2 == 0 ? 1.0f : -1.0f;
    queries[2 * dim + j] = static_cast<float>(j + 1) / static_cast<float>(dim);
  }
  return queries;
}

// The parameter sets a search is tried with: defaults, each IVF extreme, a refine
// factor, and both kinds of filter (the range is the one a Refine crash needed).
struct SearchCase {
  int k;
  SearchParams params;
};
std::vector<SearchCase> SearchCases(const IdFilter* range, const IdFilter* set) {
  std::vector<SearchCase> cases(5);
  cases[0].k = 1;
  cases[1].k = 10;
  cases[1].params.nprobe = 1;
  cases[2].k = 7;
  cases[2].params.nprobe = 1 << 16;
  cases[2].params.refine_factor = 3;
  cases[3].k = 5;
  cases[3].params.filter = range;
  cases[4].k = 4;
  cases[4].params.filter = set;
  return cases;
}

void CheckResults(const Index& index, const SearchCase& search, const SearchResults& results) {
  const size_t expected = static_cast<size_t>(kNumQueries) * search.k;
  FUZZ_CHECK(results.num_queries == kNumQueries && results.k == search.k &&
                 results.ids.size() == expected && results.distances.size() == expected,
             "%s: results shaped %lld x %d with %zu ids and %zu distances", index.spec().c_str(),
             static_cast<long long>(results.num_queries), results.k, results.ids.size(),
             results.distances.size());
  const float padding = IsSimilarity(index.metric()) ? -INFINITY : INFINITY;
  for (int64_t q = 0; q < kNumQueries; ++q) {
    bool padded = false;
    for (int i = 0; i < search.k; ++i) {
      const int64_t id = results.ids_row(q)[i];
      const float distance = results.distances_row(q)[i];
      if (id == -1) {
        FUZZ_CHECK(distance == padding, "%s: query %lld rank %d is padding with distance %g",
                   index.spec().c_str(), static_cast<long long>(q), i, distance);
        padded = true;
        continue;
      }
      FUZZ_CHECK(id >= 0 && !padded, "%s: query %lld rank %d returned id %lld%s",
                 index.spec().c_str(), static_cast<long long>(q), i, static_cast<long long>(id),
                 padded ? " after padding" : "");
      FUZZ_CHECK(search.params.filter == nullptr || search.params.filter->Contains(id),
                 "%s: id %lld returned despite the filter", index.spec().c_str(),
                 static_cast<long long>(id));
    }
  }
}

// Runs every search case, checking each successful result; returns the ids of every
// successful search, one after another, for comparison with a reloaded copy.
std::vector<int64_t> SearchAll(const Index& index, const std::vector<float>& queries) {
  const IdRangeFilter range(0, 50);
  const std::vector<int64_t> some_ids = {0, 1, 2, 3, 5, 8, 13, 21, 34, 55};
  const IdSetFilter set(some_ids);
  std::vector<int64_t> all_ids;
  for (const SearchCase& search : SearchCases(&range, &set)) {
    SearchResults results;
    const absl::Status status =
        index.Search(MatrixView(queries.data(), kNumQueries, index.dim()), search.k, search.params,
                     &results);
    if (!status.ok()) {
      FUZZ_CHECK(!status.message().empty(), "%s: a search failed without a message",
                 index.spec().c_str());
      continue;
    }
    CheckResults(index, search, results);
    all_ids.insert(all_ids.end(), results.ids.begin(), results.ids.end());
  }
  return all_ids;
}

// A loaded index must survive its own save: whatever the loader accepted, the writer
// must write and the loader must accept again, searching the same.
void CheckReload(const Index& index, const std::vector<float>& queries,
                 const std::vector<int64_t>& ids) {
  const absl::StatusOr<std::string> bytes = vqsearch::Serialize(index);
  FUZZ_CHECK(bytes.ok(), "%s: Serialize failed: %s", index.spec().c_str(),
             std::string(bytes.status().message()).c_str());
  const absl::StatusOr<std::unique_ptr<Index>> copy = vqsearch::Deserialize(*bytes);
  FUZZ_CHECK(copy.ok(), "%s: its own serialization does not load: %s", index.spec().c_str(),
             std::string(copy.status().message()).c_str());
  FUZZ_CHECK((*copy)->spec() == index.spec() && (*copy)->size() == index.size(),
             "%s (%lld vectors) reloaded as %s (%lld vectors)", index.spec().c_str(),
             static_cast<long long>(index.size()), (*copy)->spec().c_str(),
             static_cast<long long>((*copy)->size()));
  FUZZ_CHECK(SearchAll(**copy, queries) == ids, "%s: the reloaded copy searches differently",
             index.spec().c_str());
}

}  // namespace

void ExerciseIndex(Index& index) {
  const std::vector<float> queries = Queries(index.dim());
  CheckReload(index, queries, SearchAll(index, queries));

  // An add (without ids: refused by indexes that hold user ids) and a remove, each
  // followed by searches, reach the lists' append and erase paths on the loaded state.
  BuildOptions one_thread;
  one_thread.num_threads = 1;
  if (index.Add(MatrixView(queries.data(), kNumQueries, index.dim()), {}, one_thread).ok()) {
    SearchAll(index, queries);
  }
  const std::vector<int64_t> removed = {0, 1, 2};
  if (index.Remove(removed).ok()) SearchAll(index, queries);
}

}  // namespace vqsearch::fuzz
