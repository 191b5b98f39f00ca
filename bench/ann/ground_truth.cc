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

#include <string>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "ground_truth.h"
#include "tool_main.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"

ABSL_FLAG(std::string, dataset, "", "ann-benchmarks HDF5 file to complete; rewritten in place");
ABSL_FLAG(int, k, 100, "neighbours to record per test vector");
ABSL_FLAG(int, threads, 0, "search threads; 0 = all hardware threads");
ABSL_FLAG(bool, quiet, false, "do not print progress to stderr");

namespace vqsearch {
namespace {

absl::Status Run(const std::string& path, int k, int threads, bool quiet) {
  if (path.empty()) return absl::InvalidArgumentError("--dataset=FILE.hdf5 is required");
  VQS_ASSIGN_OR_RETURN(AnnDataset dataset, ReadAnnHdf5(path));
  VQS_RETURN_IF_ERROR(bench::ComputeGroundTruth(k, threads, quiet, &dataset));
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
