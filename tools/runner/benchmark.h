// The recall/QPS benchmark over an ann-benchmarks HDF5 dataset, measured in-process, as
// vqsearch_runner and `vqs bench` run it. For each index spec it builds the index on the
// train set, then for each point of a search-parameter grid searches the whole test set
// as one batched call, several times, and reports recall@k, the best and median QPS,
// build time and memory per vector, followed by the Pareto frontier over every spec and
// point. Tables go to stdout, progress to stderr.

#ifndef VQSEARCH_TOOLS_RUNNER_BENCHMARK_H_
#define VQSEARCH_TOOLS_RUNNER_BENCHMARK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "param_grid.h"

namespace vqsearch::bench {

struct BenchmarkOptions {
  std::string dataset_path;  // ann-benchmarks HDF5; ground truth is computed when absent
  std::vector<std::string> specs;
  std::vector<ParamPoint> grid;
  int k = 10;
  int threads = 1;        // per Search call; 0 = every CPU the process may use
  int build_threads = 0;  // for Train and Add
  int runs = 3;           // timed batched searches per point
  int64_t max_queries = 0;  // 0 = all test queries
  std::string out_path;     // CSV, or JSON when it ends in .json; empty = none
  bool quiet = false;       // no progress on stderr
};

// Specs separated by ';' (specs contain commas): "Flat;IVF1024,Flat".
absl::StatusOr<std::vector<std::string>> SplitSpecs(absl::string_view text);

// Options for `dataset_path` from the texts of --specs and --params (param_grid.h), the
// other fields at their defaults; errors name the flag.
absl::StatusOr<BenchmarkOptions> BenchmarkOptionsFor(std::string dataset_path,
                                                     absl::string_view specs,
                                                     absl::string_view params);

// Adds what a tool was doing to a library error, which names only the problem.
absl::Status Annotate(const absl::Status& status, absl::string_view context);

// Checks the options (InvalidArgument naming the flag), then runs the benchmark. Points
// measured before a failure are still printed and written.
absl::Status RunBenchmark(const BenchmarkOptions& options);

}  // namespace vqsearch::bench

#endif  // VQSEARCH_TOOLS_RUNNER_BENCHMARK_H_
