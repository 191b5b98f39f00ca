// Progress from C++ work to Python callbacks and to sys.stderr.

#include "progress.h"

#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bindings.h"
#include "errors.h"

namespace py = pybind11;

namespace vqsearch::python {

ProgressBridge::ProgressBridge(int num_threads, py::object progress, bool verbose)
    : callback_(std::move(progress)), verbose_(verbose) {
  if (num_threads < 0) {
    throw py::value_error(absl::StrCat("num_threads must be >= 0 (0 = the default); got ", num_threads));
  }
  if (!callback_.is_none() && !PyCallable_Check(callback_.ptr())) {
    throw py::value_error("progress must be None or a callable taking a vqsearch.Progress");
  }
  options_.num_threads = num_threads;
  if (verbose_ || !callback_.is_none()) {
    options_.progress = [this](const Progress& p) { return Report(p); };
  }
}

bool ProgressBridge::Report(const Progress& progress) {
  py::gil_scoped_acquire gil;
  try {
    if (verbose_) {
      std::string line = absl::StrFormat("vqsearch: %s %d/%d (%.1f s)", progress.stage,
                                         progress.done, progress.total, progress.seconds);
      if (!std::isnan(progress.objective)) {
        absl::StrAppend(&line, absl::StrFormat(" objective %.6g", progress.objective));
      }
      py::module_::import("sys").attr("stderr").attr("write")(line + "\n");
    }
    if (callback_.is_none()) return true;
    const py::object answer = callback_(progress);
    // None (no return statement) means go on; only an explicit false value cancels.
    return answer.is_none() || py::bool_(answer);
  } catch (py::error_already_set& e) {
    error_.emplace(std::move(e));
    return false;
  }
}

void ProgressBridge::Finish(const absl::Status& status) {
  if (error_.has_value()) {
    py::error_already_set error = std::move(*error_);
    error_.reset();
    throw error;
  }
  ThrowIfError(status);
}

void RegisterProgress(py::module_& m) {
  py::class_<Progress>(m, "Progress",
                       "What a progress callback receives during train, add or kmeans.")
      .def_readonly("stage", &Progress::stage, "What is running: \"kmeans\" or \"add\".")
      .def_readonly("done", &Progress::done, "Units finished (k-means iterations, vectors added).")
      .def_readonly("total", &Progress::total, "Units expected; 0 when unknown.")
      .def_readonly("seconds", &Progress::seconds, "Seconds since the stage started.")
      .def_readonly("objective", &Progress::objective,
                    "The k-means objective after this iteration; NaN for other stages.")
      .def("__repr__", [](const Progress& p) {
        return absl::StrFormat("Progress(stage=%s, done=%d, total=%d, seconds=%.3f, objective=%g)",
                               p.stage, p.done, p.total, p.seconds, p.objective);
      });
}

}  // namespace vqsearch::python
