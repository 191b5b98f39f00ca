// vqsearch_kmeans: times vqsearch's k-means on the train set of an ann-benchmarks HDF5
// file and prints one JSON line, the same line bench/baselines/faiss_kmeans.py prints for
// FAISS, so that bench/baselines/compare_kmeans.sh can set the two side by side.
//
//   vqsearch_kmeans --dataset=fashion-mnist-784-euclidean.hdf5 --k=1024 --iterations=20
//
// Every iteration runs (tolerance 0), as FAISS runs all of its niter. "objective" is the
// last entry of the objective history: the sum of squared distances of iteration N's
// assignment step, before its update, which is what FAISS's obj[-1] is.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tool_main.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"
#include "vqsearch/kmeans.h"
#include "vqsearch/progress.h"

ABSL_FLAG(std::string, dataset, "", "ann-benchmarks HDF5 file; its train set is clustered");
ABSL_FLAG(int, k, 1024, "clusters");
ABSL_FLAG(int, iterations, 20, "Lloyd iterations, all run");
ABSL_FLAG(int, threads, 1, "threads (0 = all hardware threads)");
ABSL_FLAG(uint64_t, seed, 1234, "seed of the sample and the initialization");
ABSL_FLAG(std::string, init, "random", "initialization: random, kmeans++ or two-level");
ABSL_FLAG(int, max_points_per_centroid, 256,
          "train on at most this many points per centroid (0 = all)");
ABSL_FLAG(bool, quiet, false, "print no per-iteration progress on stderr");

namespace vqsearch {
namespace {

absl::StatusOr<KMeansInit> ParseInit(const std::string& name) {
  if (name == "random") return KMeansInit::kRandom;
  if (name == "kmeans++") return KMeansInit::kKMeansPlusPlus;
  if (name == "two-level") return KMeansInit::kTwoLevel;
  return absl::InvalidArgumentError(
      absl::StrCat("--init=", name, ": expected \"random\", \"kmeans++\" or \"two-level\""));
}

// The typical time of one iteration: the median gap between consecutive progress reports,
// so that the sampling and initialization before the first report are left out (as they
// are from the per-iteration figure faiss_kmeans.py derives from FAISS's statistics).
double MedianIterationSeconds(const std::vector<double>& report_seconds) {
  if (report_seconds.size() < 2) return report_seconds.empty() ? 0.0 : report_seconds[0];
  std::vector<double> gaps;
  for (size_t i = 1; i < report_seconds.size(); ++i) {
    gaps.push_back(report_seconds[i] - report_seconds[i - 1]);
  }
  std::sort(gaps.begin(), gaps.end());
  const size_t middle = gaps.size() / 2;
  return gaps.size() % 2 == 1 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2;
}

absl::Status Run() {
  const std::string path = absl::GetFlag(FLAGS_dataset);
  if (path.empty()) return absl::InvalidArgumentError("--dataset=FILE.hdf5 is required");
  KMeansOptions options;
  options.num_clusters = absl::GetFlag(FLAGS_k);
  options.max_iterations = absl::GetFlag(FLAGS_iterations);
  options.tolerance = 0;
  options.max_points_per_centroid = absl::GetFlag(FLAGS_max_points_per_centroid);
  options.seed = absl::GetFlag(FLAGS_seed);
  VQS_ASSIGN_OR_RETURN(options.init, ParseInit(absl::GetFlag(FLAGS_init)));
  options.build.num_threads = absl::GetFlag(FLAGS_threads);
  if (options.build.num_threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--threads must be >= 0, got ", options.build.num_threads));
  }
  const bool quiet = absl::GetFlag(FLAGS_quiet);

  VQS_ASSIGN_OR_RETURN(const AnnDataset dataset, ReadAnnHdf5(path));
  std::vector<double> report_seconds;
  options.build.progress = [&report_seconds, quiet](const Progress& progress) {
    report_seconds.push_back(progress.seconds);
    if (!quiet) {
      absl::FPrintF(stderr, "iteration %d/%d: objective %.10g, %.2f s\n", progress.done,
                    progress.total, progress.objective, progress.seconds);
    }
    return true;
  };

  const auto start = std::chrono::steady_clock::now();
  VQS_ASSIGN_OR_RETURN(const KMeansResult result, KMeans(dataset.train_view(), options));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const int64_t sample =
      options.max_points_per_centroid > 0
          ? std::min<int64_t>(dataset.num_train(),
                              int64_t{options.max_points_per_centroid} * options.num_clusters)
          : dataset.num_train();
  absl::PrintF(
      "{\"library\": \"vqsearch\", \"k\": %d, \"iterations\": %d, \"seconds\": %.4f, "
      "\"seconds_per_iteration\": %.4f, \"objective\": %.10g, \"threads\": %d, "
      "\"points\": %d, \"dim\": %d, \"init\": \"%s\", \"empty_cluster_splits\": %d}\n",
      options.num_clusters, result.objective_history.size(), seconds,
      MedianIterationSeconds(report_seconds), result.objective(), options.build.num_threads, sample,
      dataset.dim, absl::GetFlag(FLAGS_init), result.empty_cluster_splits);
  return absl::OkStatus();
}

}  // namespace
}  // namespace vqsearch

int main(int argc, char** argv) {
  return vqsearch::bench::ToolMain(
      argc, argv, "vqsearch_kmeans",
      "Times vqsearch k-means on an ann-benchmarks train set; prints one JSON line.\n"
      "Usage: vqsearch_kmeans --dataset=FILE.hdf5 [--k=1024] [--iterations=20] [--threads=1] "
      "[--seed=1234] [--init=random|kmeans++|two-level] [--quiet]",
      vqsearch::Run);
}
