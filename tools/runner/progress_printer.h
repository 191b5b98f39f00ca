// Shows the library's build progress (vqsearch/progress.h: k-means iterations, codebooks,
// vectors added) on a stream. On a terminal it redraws one line per stage with a bar,
// the share done, the elapsed time and an estimate of the time left; on anything else
// (a log file, a pipe, CI) it prints one plain line when each stage ends, so logs stay
// short and readable.

#ifndef VQSEARCH_TOOLS_RUNNER_PROGRESS_PRINTER_H_
#define VQSEARCH_TOOLS_RUNNER_PROGRESS_PRINTER_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "vqsearch/build_options.h"

namespace vqsearch::bench {

class ProgressPrinter {
 public:
  // `terminal` chooses the redrawn bar over plain lines; `indent` starts every line.
  ProgressPrinter(std::FILE* out, bool terminal, std::string indent);
  // A printer for stderr that draws the bar when stderr is a terminal.
  explicit ProgressPrinter(std::string indent = "");
  ~ProgressPrinter() { Finish(); }
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;

  // A callback for BuildOptions::progress that reports to this printer (which must
  // outlive the calls). It never cancels.
  ProgressCallback Callback();
  // Ends the current stage's line; call when the build call returns.
  void Finish();

 private:
  void Report(const Progress& progress);
  std::string Describe(const Progress& progress, bool with_bar) const;

  std::FILE* out_;
  bool terminal_;
  std::string indent_;
  bool active_ = false;  // a stage has reported and its line is not ended yet
  Progress last_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace vqsearch::bench

#endif  // VQSEARCH_TOOLS_RUNNER_PROGRESS_PRINTER_H_
