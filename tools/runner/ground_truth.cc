#include "ground_truth.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "util/status_macros.h"
#include "vqsearch/index.h"
#include "vqsearch/recall.h"

namespace vqsearch::bench {
namespace {

// Queries per Search call: small enough for steady progress reports, large enough for
// Flat's blocked sgemm to run at full speed.
constexpr int64_t kQueriesPerBlock = 1000;

// The metric Flat ranks by for each ann-benchmarks distance this tool supports.
absl::StatusOr<Metric> FlatMetric(const std::string& distance) {
  if (distance == "euclidean") return Metric::kL2;
  if (distance == "angular") return Metric::kCosine;
  return absl::InvalidArgumentError(absl::StrCat("the dataset's distance is \"", distance,
                                                 "\"; ground truth supports \"euclidean\" and "
                                                 "\"angular\""));
}

// Records one query's neighbours with their distances in the ann-benchmarks convention,
// recomputed in double from the vectors (Flat already ranked them by exact scores).
absl::Status RecordQuery(const AnnDataset& dataset, int64_t query, const int64_t* ids, int k,
                         int32_t* neighbors, float* distances) {
  const float* query_vector = dataset.test_view().row(query);
  for (int j = 0; j < k; ++j) {
    if (ids[j] < 0 || ids[j] >= dataset.num_train()) {
      return absl::InternalError(absl::StrCat("Flat returned id ", ids[j], " for query ", query,
                                              " with ", dataset.num_train(), " train vectors"));
    }
    VQS_ASSIGN_OR_RETURN(const double distance,
                         AnnDistance(dataset.distance, query_vector,
                                     dataset.train_view().row(ids[j]), dataset.dim));
    distances[j] = static_cast<float>(distance);
    neighbors[j] = static_cast<int32_t>(ids[j]);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ComputeGroundTruth(int k, int threads, bool quiet, AnnDataset* dataset) {
  VQS_ASSIGN_OR_RETURN(const Metric metric, FlatMetric(dataset->distance));
  const int64_t num_train = dataset->num_train();
  const int64_t num_test = dataset->num_test();
  if (k <= 0 || k > num_train) {
    return absl::InvalidArgumentError(
        absl::StrCat("k=", k, " must be in [1, ", num_train, "], the number of train vectors"));
  }
  if (num_test == 0) return absl::InvalidArgumentError("the dataset has no test vectors");
  if (threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat("threads=", threads, " is negative"));
  }
  // Train ids must fit the int32 `neighbors` dataset.
  if (num_train > INT32_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat(num_train, " train vectors exceed the int32 ids of `neighbors`"));
  }

  const absl::Time start = absl::Now();
  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> index, Index::Create("Flat", dataset->dim, metric));
  VQS_RETURN_IF_ERROR(index->Add(dataset->train_view()));
  if (!quiet) {
    absl::FPrintF(stderr, "ground truth: %d train vectors of dimension %d added in %.1f s\n",
                  num_train, dataset->dim, absl::ToDoubleSeconds(absl::Now() - start));
  }

  SearchParams params;
  params.num_threads = threads;
  std::vector<int32_t> neighbors(static_cast<size_t>(num_test) * k);
  std::vector<float> distances(neighbors.size());
  const MatrixView test = dataset->test_view();
  for (int64_t begin = 0; begin < num_test; begin += kQueriesPerBlock) {
    const int64_t count = std::min(kQueriesPerBlock, num_test - begin);
    SearchResults results;
    VQS_RETURN_IF_ERROR(index->Search(test.Slice(begin, count), k, params, &results));
    for (int64_t q = 0; q < count; ++q) {
      const size_t offset = static_cast<size_t>(begin + q) * k;
      VQS_RETURN_IF_ERROR(RecordQuery(*dataset, begin + q, results.ids_row(q), k,
                                      &neighbors[offset], &distances[offset]));
    }
    if (!quiet) {
      absl::FPrintF(stderr, "ground truth: %d / %d queries, %.1f s\n", begin + count, num_test,
                    absl::ToDoubleSeconds(absl::Now() - start));
    }
  }
  dataset->gt_k = k;
  dataset->neighbors = std::move(neighbors);
  dataset->distances = std::move(distances);
  return absl::OkStatus();
}

}  // namespace vqsearch::bench
