#include "progress_printer.h"

#include <unistd.h>

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vqsearch::bench {
namespace {

constexpr int kBarWidth = 24;
// Redraws closer together than this only cost terminal output.
constexpr std::chrono::milliseconds kRedrawInterval(100);

}  // namespace

ProgressPrinter::ProgressPrinter(std::FILE* out, bool terminal, std::string indent)
    : out_(out), terminal_(terminal), indent_(std::move(indent)) {}

ProgressPrinter::ProgressPrinter(std::string indent)
    : ProgressPrinter(stderr, isatty(STDERR_FILENO) == 1, std::move(indent)) {}

ProgressCallback ProgressPrinter::Callback() {
  return [this](const Progress& progress) {
    Report(progress);
    return true;
  };
}

std::string ProgressPrinter::Describe(const Progress& progress, bool with_bar) const {
  std::string line = absl::StrCat(indent_, progress.stage, " ");
  const bool known = progress.total > 0;
  const double fraction =
      known ? std::min(1.0, static_cast<double>(progress.done) / progress.total) : 0.0;
  if (with_bar && known) {
    const int filled = static_cast<int>(fraction * kBarWidth);
    absl::StrAppend(&line, "[", std::string(filled, '#'), std::string(kBarWidth - filled, '.'),
                    "] ", absl::StrFormat("%3.0f%% ", 100 * fraction));
  }
  absl::StrAppend(&line, progress.done);
  if (known) absl::StrAppend(&line, "/", progress.total);
  absl::StrAppendFormat(&line, ", %.1f s", progress.seconds);
  if (with_bar && known && progress.done > 0 && progress.done < progress.total) {
    absl::StrAppendFormat(&line, ", ETA %.1f s", progress.seconds / fraction - progress.seconds);
  }
  if (!std::isnan(progress.objective)) {
    absl::StrAppendFormat(&line, ", objective %.6g", progress.objective);
  }
  return line;
}

void ProgressPrinter::Report(const Progress& progress) {
  // A new stage, or the same stage started over (each PQ sub-space runs its own k-means).
  if (active_ && (progress.stage != last_.stage || progress.done < last_.done)) Finish();
  const bool first = !active_;
  active_ = true;
  last_ = progress;
  if (!terminal_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool finished = progress.total > 0 && progress.done >= progress.total;
  if (!first && !finished && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  // "\x1b[K" clears what a longer previous line left on the right.
  absl::FPrintF(out_, "\r%s\x1b[K", Describe(progress, /*with_bar=*/true));
  std::fflush(out_);
}

void ProgressPrinter::Finish() {
  if (!active_) return;
  active_ = false;
  if (terminal_) {
    absl::FPrintF(out_, "\r%s\x1b[K\n", Describe(last_, /*with_bar=*/true));
  } else {
    absl::FPrintF(out_, "%s\n", Describe(last_, /*with_bar=*/false));
  }
  std::fflush(out_);
}

}  // namespace vqsearch::bench
