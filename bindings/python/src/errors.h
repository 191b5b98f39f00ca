// Turns a failed absl::Status into the Python exception its code calls for, carrying the
// C++ message: ValueError for bad arguments, OSError (FileNotFoundError, PermissionError)
// for missing, unreadable or damaged files and bytes, MemoryError, and RuntimeError for
// the rest (a call in the wrong state, a cancellation, an internal error).

#ifndef VQSEARCH_BINDINGS_PYTHON_ERRORS_H_
#define VQSEARCH_BINDINGS_PYTHON_ERRORS_H_

#include "absl/status/status.h"

namespace vqsearch::python {

// Raises (throws pybind11::error_already_set) unless `status` is OK. Needs the GIL.
void ThrowIfError(const absl::Status& status);

}  // namespace vqsearch::python

#endif  // VQSEARCH_BINDINGS_PYTHON_ERRORS_H_
