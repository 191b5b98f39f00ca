// vqsearch_single_query_time: the C++ side of bench/ann_benchmarks/python_overhead.py.
// Loads an index file and searches each vector of an fvecs file alone (one row per
// Search call, one thread), and prints the CPU time per call in microseconds: the best
// of --rounds passes over the queries, timed with the thread's CPU clock so that other
// processes on a loaded machine do not count. The Python script times the same calls
// through the bindings and reports the difference.

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "tool_main.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

ABSL_FLAG(std::string, index, "", "index file written by Index::Save (vqsearch.Index.save)");
ABSL_FLAG(std::string, queries, "", "fvecs file of queries, searched one per call");
ABSL_FLAG(int, k, 10, "neighbours per query");
ABSL_FLAG(int, nprobe, 0, "nprobe (0: not set, for indexes that do not take it)");
ABSL_FLAG(int, refine_factor, 0, "refine_factor (0: not set)");
ABSL_FLAG(int, rounds, 3, "passes over the queries; the fastest counts");

namespace vqsearch::bench {
namespace {

double ThreadSeconds() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

absl::Status Run() {
  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> index, vqsearch::Load(absl::GetFlag(FLAGS_index)));
  VQS_ASSIGN_OR_RETURN(FloatMatrix queries, ReadFvecs(absl::GetFlag(FLAGS_queries)));
  SearchParams params;
  params.num_threads = 1;
  if (absl::GetFlag(FLAGS_nprobe) > 0) params.nprobe = absl::GetFlag(FLAGS_nprobe);
  if (absl::GetFlag(FLAGS_refine_factor) > 0) {
    params.refine_factor = absl::GetFlag(FLAGS_refine_factor);
  }
  const int k = absl::GetFlag(FLAGS_k);
  SearchResults results;
  double best = std::numeric_limits<double>::infinity();
  for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
    const double start = ThreadSeconds();
    for (int64_t q = 0; q < queries.rows(); ++q) {
      const MatrixView row(queries.values.data() + q * queries.dim, 1, queries.dim);
      VQS_RETURN_IF_ERROR(index->Search(row, k, params, &results));
    }
    best = std::min(best, (ThreadSeconds() - start) / static_cast<double>(queries.rows()));
  }
  absl::PrintF("%.3f\n", best * 1e6);
  return absl::OkStatus();
}

}  // namespace
}  // namespace vqsearch::bench

int main(int argc, char** argv) {
  return vqsearch::bench::ToolMain(
      argc, argv, "vqsearch_single_query_time",
      "Prints the CPU microseconds of one single-row search of an index file.\n"
      "  vqsearch_single_query_time --index=F.vqs --queries=Q.fvecs [--k=10 --nprobe=8 ...]",
      [] { return vqsearch::bench::Run(); });
}
