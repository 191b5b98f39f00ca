// File: vqsearch/progress.h
//
// Progress reporting and cancellation for long work (k-means training, adding millions of
// vectors). The library never prints: callers that want progress (the runner, a CLI, a
// notebook) pass a callback (in BuildOptions, vqsearch/build_options.h); callers that pass
// none get silence.

#ifndef VQSEARCH_PROGRESS_H_
#define VQSEARCH_PROGRESS_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <string>

namespace vqsearch {

struct Progress {
  std::string stage;   // what is running: "kmeans", "add", ...
  int64_t done = 0;    // units finished (iterations, vectors)
  int64_t total = 0;   // units expected, 0 when unknown
  double seconds = 0;  // since the stage started
  // The quantity being optimized, when there is one (the k-means objective); NaN otherwise.
  double objective = std::numeric_limits<double>::quiet_NaN();
};

// Called from the thread that started the work. Returning false cancels it: the call
// then returns absl::CancelledError and leaves the index as it was before the call.
using ProgressCallback = std::function<bool(const Progress&)>;

}  // namespace vqsearch

#endif  // VQSEARCH_PROGRESS_H_
