// One measured point of the recall/QPS runner and the file every point is written to:
// CSV, or JSON (an array of objects with the CSV's column names as keys) when the path
// ends in ".json". bench/ann/plot.py reads both.

#ifndef VQSEARCH_TOOLS_RUNNER_RESULT_FILE_H_
#define VQSEARCH_TOOLS_RUNNER_RESULT_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace vqsearch::bench {

// What is the same for every point of one run of the runner.
struct RunContext {
  std::string dataset;  // file name without directory and ".hdf5"
  int k = 10;
  int64_t num_queries = 0;
  int runs = 1;
  std::string hostname;
  int nproc = 0;
  std::string date;  // RFC 3339, local time
};

struct PointResult {
  std::string spec;
  std::string params;  // ParamPointLabel of the grid point
  int threads = 1;     // SearchParams::num_threads the point ran with
  double train_seconds = 0;
  double add_seconds = 0;
  double bytes_per_vector = 0;
  double recall = 0;
  double qps_best = 0;
  double qps_median = 0;
  double cpu_per_wall = 0;  // process CPU seconds per wall second while searching
};

namespace internal {

// `value` as a JSON string literal (quotes, backslashes and control characters escaped).
std::string JsonString(const std::string& value);

}  // namespace internal

// Checks that WriteResultFile will be able to create its temporary file next to `path`,
// without touching `path` itself.
absl::Status CheckWritable(const std::string& path);

// Writes every point to `path`, atomically (a temporary file renamed over it) so an
// interrupted run never leaves half a file where a previous result was.
absl::Status WriteResultFile(const std::string& path, const RunContext& context,
                             const std::vector<PointResult>& points);

}  // namespace vqsearch::bench

#endif  // VQSEARCH_TOOLS_RUNNER_RESULT_FILE_H_
