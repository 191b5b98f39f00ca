// How Python arguments cross into vqsearch, and how results come back.
//
// Matrices of vectors: a float32, C-contiguous, aligned 2-D numpy array is viewed in
// place, never copied. Any other array-like of real numbers (other float or integer
// dtypes, Fortran order, strided views, nested lists) is copied into a float32
// C-contiguous array first; InputCopies() counts these copies so tests can prove the
// fast path copies nothing. Anything else (bool, complex, object or string dtypes, not
// exactly 2 dimensions) is a ValueError.
//
// Results (distances, ids, centroids, ...) are vectors vqsearch filled; they are handed
// to numpy without a copy.

#ifndef VQSEARCH_BINDINGS_PYTHON_CONVERT_H_
#define VQSEARCH_BINDINGS_PYTHON_CONVERT_H_

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vqsearch/matrix_view.h"

namespace vqsearch::python {

// A matrix argument: `array` keeps the floats alive (the caller's array itself, or its
// float32 copy) while C++ reads them through `view`.
struct InputMatrix {
  pybind11::array array;
  MatrixView view;
};

// `name` names the argument in errors ("x", "queries"). Needs the GIL.
InputMatrix ToMatrix(const pybind11::handle& object, const char* name);

// Queries: a matrix as ToMatrix takes it, or a single vector (1-D) as one row, viewed
// without a copy when it is float32; *single_vector says which it was.
InputMatrix ToQueries(const pybind11::handle& object, bool* single_vector);

// An array-like of integers with `ndim` dimensions as a C-contiguous array of T (int64
// ids, int32 ground truth), converted when it is not one already.
template <typename T>
pybind11::array_t<T, pybind11::array::c_style> ToIntegers(const pybind11::handle& object,
                                                         const char* name, int ndim);

// A str or os.PathLike as a path string.
std::string ToPath(const pybind11::handle& object);

// A Python integer (or an object with __index__, such as numpy.int64) that fits in an int;
// bool and float are refused. ValueError otherwise.
int ToInt(const pybind11::handle& object, const std::string& name);

// Number of conversions ToMatrix has made since the module was loaded.
uint64_t InputCopies();

// Hands `values` to numpy as an array of `shape` without copying them.
template <typename T>
pybind11::array_t<T> Adopt(std::vector<T> values, std::vector<pybind11::ssize_t> shape) {
  auto owned = std::make_unique<std::vector<T>>(std::move(values));
  T* data = owned->data();
  pybind11::capsule base(owned.get(), [](void* p) { delete static_cast<std::vector<T>*>(p); });
  owned.release();
  return pybind11::array_t<T>(std::move(shape), data, base);
}

}  // namespace vqsearch::python

#endif  // VQSEARCH_BINDINGS_PYTHON_CONVERT_H_
