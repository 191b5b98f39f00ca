// vqsearch_runner: the recall/QPS benchmark over an ann-benchmarks HDF5 dataset
// (tools/runner/benchmark.h, which `vqs bench` runs too), driven by flags.
//
//   vqsearch_runner --dataset=fashion-mnist-784-euclidean.hdf5 --specs="Flat;IVF1024,Flat"
//                   --params="nprobe=1,2,4,8" --out=results.csv

#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "benchmark.h"
#include "tool_main.h"
#include "util/status_macros.h"

ABSL_FLAG(std::string, dataset, "", "ann-benchmarks HDF5 file (train, test, neighbors, distances)");
ABSL_FLAG(
    std::string, specs, "Flat",
    "index factory specs separated by ';' (specs contain commas), e.g. \"Flat;IVF1024,Flat\"");
ABSL_FLAG(std::string, params, "",
          "search parameter grid, ';' between parameters and ',' between values, e.g. "
          "\"nprobe=1,2,4,8;refine_factor=0,4\" (the cartesian product); empty = defaults");
ABSL_FLAG(int, k, 10, "neighbours per query; recall@k is measured");
ABSL_FLAG(int, threads, 1, "search threads per Search call (0 = every CPU the process may use)");
ABSL_FLAG(int, build_threads, 0, "threads for Train and Add (0 = every CPU the process may use)");
ABSL_FLAG(int, runs, 3,
          "times each point searches the whole query set in one batched call; the fastest "
          "run's QPS is reported as best, as ann-benchmarks does, beside the median");
ABSL_FLAG(int64_t, max_queries, 0, "search N test queries spread evenly over the test set (0 = all)");
ABSL_FLAG(std::string, out, "results.csv",
          "file for every point: CSV, or JSON when the name ends in .json; empty = none");
ABSL_FLAG(bool, quiet, false, "print no progress on stderr");

namespace vqsearch::bench {
namespace {

absl::StatusOr<BenchmarkOptions> ReadOptions() {
  VQS_ASSIGN_OR_RETURN(BenchmarkOptions options,
                       BenchmarkOptionsFor(absl::GetFlag(FLAGS_dataset), absl::GetFlag(FLAGS_specs),
                                           absl::GetFlag(FLAGS_params)));
  options.k = absl::GetFlag(FLAGS_k);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.build_threads = absl::GetFlag(FLAGS_build_threads);
  options.runs = absl::GetFlag(FLAGS_runs);
  options.max_queries = absl::GetFlag(FLAGS_max_queries);
  options.out_path = absl::GetFlag(FLAGS_out);
  options.quiet = absl::GetFlag(FLAGS_quiet);
  return options;
}

}  // namespace
}  // namespace vqsearch::bench

int main(int argc, char** argv) {
  return vqsearch::bench::ToolMain(
      argc, argv, "vqsearch_runner",
      "recall/QPS benchmark of vqsearch index specs over an ann-benchmarks HDF5 dataset.\n"
      "Example: vqsearch_runner --dataset=fashion-mnist-784-euclidean.hdf5 "
      "--specs=\"Flat;IVF1024,Flat\" --params=\"nprobe=1,2,4,8\"",
      [] {
        absl::StatusOr<vqsearch::bench::BenchmarkOptions> options = vqsearch::bench::ReadOptions();
        return options.ok() ? vqsearch::bench::RunBenchmark(*options) : options.status();
      });
}
