// ProgressReporter: the bookkeeping every long loop shares when it reports progress
// (vqsearch/progress.h): when its stage started, one Progress per report, and the
// callback's verdict. Without a callback it reports nothing and never cancels.

#ifndef VQSEARCH_UTIL_PROGRESS_REPORTER_H_
#define VQSEARCH_UTIL_PROGRESS_REPORTER_H_

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "vqsearch/build_options.h"
#include "vqsearch/progress.h"

namespace vqsearch::internal {

class ProgressReporter {
 public:
  // `callback` must outlive the reporter.
  ProgressReporter(std::string stage, int64_t total, const ProgressCallback& callback)
      : stage_(std::move(stage)),
        total_(total),
        callback_(callback),
        start_(std::chrono::steady_clock::now()) {}

  // Reports `done` units (and the objective, when the stage optimizes one); false when
  // the callback asks to cancel.
  bool Report(int64_t done, double objective = std::numeric_limits<double>::quiet_NaN()) const {
    if (!callback_) return true;
    Progress progress;
    progress.stage = stage_;
    progress.done = done;
    progress.total = total_;
    progress.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    progress.objective = objective;
    return callback_(progress);
  }

 private:
  std::string stage_;
  int64_t total_;
  const ProgressCallback& callback_;
  std::chrono::steady_clock::time_point start_;
};

// `options` with its progress reported under `stage` instead of the stage's own name, for
// a step that runs another one twice (or the same one as a different part of the work).
// `options` must outlive the result.
inline BuildOptions WithProgressStage(const BuildOptions& options, std::string stage) {
  BuildOptions renamed = options;
  if (options.progress) {
    renamed.progress = [&options, stage = std::move(stage)](const Progress& progress) {
      Progress copy = progress;
      copy.stage = stage;
      return options.progress(copy);
    };
  }
  return renamed;
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_UTIL_PROGRESS_REPORTER_H_
