// Adds and removes while searching (index.h, "Thread safety"): for every index type,
// writer threads add and remove batches while searcher threads search the same index.
// Every returned id must be -1 padding or a stored id, every distance must be the one a
// quiescent copy holding every vector computes for that query and id (the same codes, so
// the same distance even for compressed codecs), an id removed before a search started
// must not come back, and at the end the index holds exactly the ids added and not
// removed. The work is fixed (seeded data, fixed batch counts), so the time is bounded.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using testing::GaussianVectors;

constexpr int kDim = 16;
constexpr int64_t kInitial = 600;     // ids [0, kInitial), added before the threads start
constexpr int64_t kAddBatches = 30;   // then ids [kInitial, kInitial + 30 * 40)
constexpr int64_t kAddBatch = 40;
constexpr int64_t kRemoveBatches = 20;  // ids [0, 20 * 15), even ones only
constexpr int64_t kRemoveBatch = 15;
constexpr int64_t kTotal = kInitial + kAddBatches * kAddBatch;
constexpr int kQueries = 6;
constexpr int kK = 10;
constexpr int kSearchers = 3;

// The ids remover batch b removes: even ids in [2 * b * kRemoveBatch, 2 * (b + 1) * kRemoveBatch).
std::vector<int64_t> RemoveBatch(int64_t b) {
  std::vector<int64_t> ids;
  for (int64_t i = 0; i < kRemoveBatch; ++i) ids.push_back(2 * (b * kRemoveBatch + i));
  return ids;
}

// Parameters that make every stored vector a candidate: every list, for indexes with lists.
SearchParams EveryList(const Index& index, int num_threads) {
  SearchParams params;
  params.num_threads = num_threads;
  for (const SearchParamInfo& info : index.search_params()) {
    if (info.name == "nprobe") params.nprobe = info.max_value;
  }
  return params;
}

class ConcurrentAddSearchTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ConcurrentAddSearchTest, SearchesSeeWholeVectorsAndNoIdIsLost) {
  const std::string spec = GetParam();
  const std::vector<float> data = GaussianVectors(kTotal, kDim, 7);
  const std::vector<float> queries = GaussianVectors(kQueries, kDim, 8);
  std::vector<int64_t> all_ids(kTotal);
  for (int64_t i = 0; i < kTotal; ++i) all_ids[i] = i;

  std::unique_ptr<Index> index = *Index::Create(spec, kDim, Metric::kL2);
  BuildOptions build;
  build.num_threads = 1;
  ASSERT_TRUE(index->Train(MatrixView(data, kDim), build).ok());
  // The reference: a copy of the trained index holding every vector, searched alone.
  const std::unique_ptr<Index> reference = *vqsearch::Deserialize(*vqsearch::Serialize(*index));
  ASSERT_TRUE(reference->Add(MatrixView(data, kDim), all_ids, build).ok());
  const SearchParams everything = EveryList(*reference, 1);
  SearchResults all;
  ASSERT_TRUE(reference->Search(MatrixView(queries, kDim), static_cast<int>(kTotal), everything, &all).ok());
  std::vector<absl::flat_hash_map<int64_t, float>> expected(kQueries);
  for (int q = 0; q < kQueries; ++q) {
    for (int64_t i = 0; i < kTotal; ++i) expected[q][all.ids_row(q)[i]] = all.distances_row(q)[i];
  }

  ASSERT_TRUE(index->Add(MatrixView(data.data(), kInitial, kDim),
                         absl::MakeConstSpan(all_ids).subspan(0, kInitial), build).ok());
  // Batches whose Add has started (its ids may show up from then on) and whose Remove
  // has returned (its ids must be gone from every search that starts afterwards).
  std::atomic<int64_t> removed_batches{0}, started_batches{0};
  std::atomic<bool> writers_done{false};
  std::atomic<int64_t> searches{0}, checked_ids{0}, violations{0};
  std::string first_violation;
  std::atomic<bool> have_violation{false};
  auto violate = [&](std::string what) {
    ++violations;
    if (!have_violation.exchange(true)) first_violation = std::move(what);
  };

  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    for (int64_t b = 0; b < kAddBatches; ++b) {
      const int64_t first = kInitial + b * kAddBatch;
      started_batches.store(b + 1);
      const absl::Status added = index->Add(MatrixView(data.data() + first * kDim, kAddBatch, kDim),
                                            absl::MakeConstSpan(all_ids).subspan(first, kAddBatch), build);
      if (!added.ok()) violate("add: " + std::string(added.message()));
    }
  });
  threads.emplace_back([&] {
    for (int64_t b = 0; b < kRemoveBatches; ++b) {
      const absl::StatusOr<size_t> removed = index->Remove(RemoveBatch(b));
      if (!removed.ok() || *removed != static_cast<size_t>(kRemoveBatch)) violate("remove batch");
      removed_batches.store(b + 1);
      std::this_thread::yield();
    }
  });
  for (int s = 0; s < kSearchers; ++s) {
    threads.emplace_back([&, s] {
      const SearchParams params = EveryList(*index, 1);
      // Keep searching until both writers finished, and at least a few times.
      for (int round = 0; round < 5 || !writers_done.load(); ++round) {
        const int64_t removed_before = removed_batches.load();
        SearchResults results;
        const int k = kK + s;
        const absl::Status status = index->Search(MatrixView(queries, kDim), k, params, &results);
        if (!status.ok()) {
          violate("search: " + std::string(status.message()));
          continue;
        }
        ++searches;
        const int64_t stored_upper = kInitial + started_batches.load() * kAddBatch;
        for (int q = 0; q < kQueries; ++q) {
          int64_t returned = 0;
          for (int i = 0; i < k; ++i) {
            const int64_t id = results.ids_row(q)[i];
            const float distance = results.distances_row(q)[i];
            if (id == -1) continue;
            ++returned;
            ++checked_ids;
            if (id < 0 || id >= stored_upper) {
              violate("id " + std::to_string(id) + " was never added");
              continue;
            }
            if (id % 2 == 0 && id / 2 < removed_before * kRemoveBatch) {
              violate("id " + std::to_string(id) + " returned after its removal");
            }
            const float want = expected[q].at(id);
            if (!(std::abs(distance - want) <= 1e-4f * (1 + std::abs(want)))) {
              violate("id " + std::to_string(id) + " at distance " + std::to_string(distance) +
                      ", expected " + std::to_string(want));
            }
          }
          // At least kInitial - removed vectors are stored at any time, more than k.
          if (returned != k) violate("a search returned " + std::to_string(returned) + " ids");
        }
      }
    });
  }
  threads[0].join();
  threads[1].join();
  writers_done.store(true);
  for (size_t t = 2; t < threads.size(); ++t) threads[t].join();

  EXPECT_EQ(violations.load(), 0) << first_violation;
  EXPECT_GE(searches.load(), 5 * kSearchers);
  std::set<int64_t> want;
  for (int64_t id = 0; id < kTotal; ++id) want.insert(id);
  for (int64_t b = 0; b < kRemoveBatches; ++b) {
    for (int64_t id : RemoveBatch(b)) want.erase(id);
  }
  std::set<int64_t> stored;
  index->ForEachId([&](int64_t id) { stored.insert(id); });
  EXPECT_EQ(stored, want);
  EXPECT_EQ(index->size(), static_cast<int64_t>(want.size()));
  // The final index ranks its vectors as the quiescent reference does, restricted to
  // the ids it keeps (k = all of them, so that no shortlist or refinement depth differs).
  const int stored_count = static_cast<int>(want.size());
  SearchResults final_results;
  ASSERT_TRUE(index->Search(MatrixView(queries, kDim), stored_count, everything, &final_results).ok());
  for (int q = 0; q < kQueries; ++q) {
    std::vector<float> ranked;
    for (int64_t i = 0; i < kTotal; ++i) {
      if (want.count(all.ids_row(q)[i]) > 0) ranked.push_back(all.distances_row(q)[i]);
    }
    const std::vector<float> got(final_results.distances_row(q),
                                 final_results.distances_row(q) + stored_count);
    ASSERT_EQ(got.size(), ranked.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_NEAR(got[i], ranked[i], 1e-4f * (1 + std::abs(ranked[i])))
          << spec << " query " << q << " rank " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryIndexType, ConcurrentAddSearchTest,
                         ::testing::Values("Flat", "SQ8", "IVF8,Flat", "IVF8,SQ8", "IVF8,PQ4",
                                           "IVF8,PQ8x4fs", "IVF8,RQ2x8", "IVF8,PQ4,Refine(Flat)",
                                           "IVF8,PQ4,Refine(SQ8)", "OPQ4,IVF8,PQ4"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name;
                           for (const char* c = info.param; *c != '\0'; ++c) {
                             name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace vqsearch
