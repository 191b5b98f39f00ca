// PyIndex: the C++ Index behind vqsearch.Index, shared by the files that add its methods
// (index_binding.cc, stored_vectors_binding.cc). Every call into C++ releases the GIL; a
// reader-writer lock per index lets any number of searches run at once while train, add
// and remove get the index to themselves (the C++ contract asks the caller for exactly
// that, and Python callers should not have to know).

#ifndef VQSEARCH_BINDINGS_PYTHON_PY_INDEX_H_
#define VQSEARCH_BINDINGS_PYTHON_PY_INDEX_H_

#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <utility>

#include "absl/status/statusor.h"
#include "errors.h"
#include "vqsearch/index.h"

namespace vqsearch::python {

class PyIndex {
 public:
  explicit PyIndex(std::unique_ptr<Index> index) : index_(std::move(index)) {}

  // Runs `f(const Index&)` without the GIL, alongside other readers.
  template <typename F>
  auto Read(F f) const {
    pybind11::gil_scoped_release release;
    std::shared_lock<std::shared_mutex> lock(mutex_);
    return f(static_cast<const Index&>(*index_));
  }
  // Runs `f(Index&)` without the GIL, alone.
  template <typename F>
  auto Write(F f) {
    pybind11::gil_scoped_release release;
    std::unique_lock<std::shared_mutex> lock(mutex_);
    return f(*index_);
  }

 private:
  std::unique_ptr<Index> index_;
  mutable std::shared_mutex mutex_;
};

// Unwraps a StatusOr made without the GIL, raising its error.
template <typename T>
T ValueOrThrow(absl::StatusOr<T> result) {
  ThrowIfError(result.status());
  return std::move(*result);
}

}  // namespace vqsearch::python

#endif  // VQSEARCH_BINDINGS_PYTHON_PY_INDEX_H_
