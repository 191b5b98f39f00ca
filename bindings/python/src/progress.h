// The BuildOptions of one train, add or kmeans call made from Python: a thread count,
// plus progress reported to a Python callable and/or printed (verbose). A callable
// returning False cancels the work; one that raises cancels it too, and its exception
// is re-raised to the caller instead of the cancellation error.

#ifndef VQSEARCH_BINDINGS_PYTHON_PROGRESS_H_
#define VQSEARCH_BINDINGS_PYTHON_PROGRESS_H_

#include <pybind11/pybind11.h>

#include <optional>

#include "absl/status/status.h"
#include "vqsearch/build_options.h"

namespace vqsearch::python {

class ProgressBridge {
 public:
  // `progress` is None or a callable taking a vqsearch.Progress. Needs the GIL.
  ProgressBridge(int num_threads, pybind11::object progress, bool verbose);
  ProgressBridge(const ProgressBridge&) = delete;
  ProgressBridge& operator=(const ProgressBridge&) = delete;

  // For the C++ call, made with the GIL released; the callback takes the GIL itself.
  const BuildOptions& options() const { return options_; }

  // After the call, with the GIL held: raises the callback's exception if it raised,
  // else the error of `status` if any.
  void Finish(const absl::Status& status);

 private:
  bool Report(const Progress& progress);

  BuildOptions options_;
  pybind11::object callback_;
  bool verbose_;
  std::optional<pybind11::error_already_set> error_;
};

}  // namespace vqsearch::python

#endif  // VQSEARCH_BINDINGS_PYTHON_PROGRESS_H_
