// absl::StatusCode -> Python exception type.

#include "errors.h"

#include <pybind11/pybind11.h>

#include <string>

namespace vqsearch::python {
namespace {

PyObject* ExceptionType(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return PyExc_ValueError;
    case absl::StatusCode::kNotFound:
      return PyExc_FileNotFoundError;
    case absl::StatusCode::kPermissionDenied:
      return PyExc_PermissionError;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kAlreadyExists:
      return PyExc_OSError;
    case absl::StatusCode::kResourceExhausted:
      return PyExc_MemoryError;
    // A RuntimeError too: what this build leaves out (HDF5 without VQSEARCH_WITH_HDF5).
    case absl::StatusCode::kUnimplemented:
      return PyExc_NotImplementedError;
    default:
      return PyExc_RuntimeError;
  }
}

}  // namespace

void ThrowIfError(const absl::Status& status) {
  if (status.ok()) return;
  PyErr_SetString(ExceptionType(status.code()), std::string(status.message()).c_str());
  throw pybind11::error_already_set();
}

}  // namespace vqsearch::python
