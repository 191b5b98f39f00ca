// vqsearch_ground_truth: completes an ann-benchmarks HDF5 file with its exact ground
// truth, the `neighbors` and `distances` of the k nearest train vectors of every test
// vector, and rewrites the file in place (atomically).
//
//   vqsearch_ground_truth --dataset=fashion-mnist-784-euclidean.hdf5 --k=100
//
// The Flat index finds the neighbours at BLAS speed and ranks its shortlist by scores
// recomputed in double, so the order is exact; the stored distances are recomputed in
// double from the vectors in the ann-benchmarks convention (euclidean: L2, angular:
// 1 - cosine similarity).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tool_main.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"
#include "vqsearch/index.h"
#include "vqsearch/recall.h"

ABSL_FLAG(std::string, dataset, "", "ann-benchmarks HDF5 file to complete; rewritten in place");
ABSL_FLAG(int, k, 100, "neighbours to record per test vector");
ABSL_FLAG(int, threads, 0, "search threads; 0 = all hardware threads");
ABSL_FLAG(bool, quiet, false, "do not print progress to stderr");

namespace vqsearch {
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

absl::Status ComputeGroundTruth(int k, int threads, bool quiet, AnnDataset* dataset) {
  VQS_ASSIGN_OR_RETURN(const Metric metric, FlatMetric(dataset->distance));
  const int64_t num_train = dataset->num_train();
  const int64_t num_test = dataset->num_test();
  if (k <= 0 || k > num_train) {
    return absl::InvalidArgumentError(
        absl::StrCat("--k=", k, " must be in [1, ", num_train, "], the number of train vectors"));
  }
  if (num_test == 0) return absl::InvalidArgumentError("the dataset has no test vectors");
  if (threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat("--threads=", threads, " is negative"));
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

absl::Status Run(const std::string& path, int k, int threads, bool quiet) {
  if (path.empty()) return absl::InvalidArgumentError("--dataset=FILE.hdf5 is required");
  VQS_ASSIGN_OR_RETURN(AnnDataset dataset, ReadAnnHdf5(path));
  VQS_RETURN_IF_ERROR(ComputeGroundTruth(k, threads, quiet, &dataset));
  VQS_RETURN_IF_ERROR(WriteAnnHdf5(path, dataset));
  if (!quiet) {
    absl::FPrintF(stderr, "ground truth: wrote %d x %d neighbours to %s\n", dataset.num_test(), k,
                  path);
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace vqsearch

int main(int argc, char** argv) {
  return vqsearch::bench::ToolMain(
      argc, argv, "vqsearch_ground_truth",
      "Adds exact k-nearest-neighbour ground truth to an ann-benchmarks HDF5 file.\n"
      "Usage: vqsearch_ground_truth --dataset=FILE.hdf5 [--k=100] [--threads=0] [--quiet]",
      [] {
        return vqsearch::Run(absl::GetFlag(FLAGS_dataset), absl::GetFlag(FLAGS_k),
                             absl::GetFlag(FLAGS_threads), absl::GetFlag(FLAGS_quiet));
      });
}
