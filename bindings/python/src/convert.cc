// Argument conversion rules (see convert.h) and the copy counter.

#include "convert.h"

#include <atomic>
#include <climits>

#include "absl/strings/str_cat.h"
#include "bindings.h"

namespace py = pybind11;

namespace vqsearch::python {
namespace {

std::atomic<uint64_t> input_copies{0};

// The argument as a numpy array (an array stays itself), refusing dtypes that are not
// real numbers and shapes of the wrong rank.
py::array RealArray(const py::handle& object, const char* name, int ndim) {
  py::array array = py::array::ensure(object);
  if (!array) {
    PyErr_Clear();
    throw py::value_error(absl::StrCat(name, " must be an array of numbers"));
  }
  const char kind = array.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u') {
    throw py::value_error(absl::StrCat(name, " has dtype ", std::string(py::str(array.dtype())),
                                       "; expected real numbers (float32 is used without a copy)"));
  }
  if (array.ndim() != ndim) {
    throw py::value_error(absl::StrCat(name, " must have ", ndim, " dimension(s); got ",
                                       array.ndim()));
  }
  return array;
}

// A C-contiguous, aligned copy of `array` converted to `dtype` (as forcecast converts).
py::array AlignedCopy(const py::array& array, const py::dtype& dtype) {
  return py::array::ensure(array.attr("astype")(dtype, py::arg("order") = "C"));
}

}  // namespace

InputMatrix ToMatrix(const py::handle& object, const char* name) {
  py::array array = RealArray(object, name, 2);
  const bool usable = py::isinstance<py::array_t<float, py::array::c_style>>(array) &&
                      (array.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_) != 0;
  if (!usable) {
    // astype, not array_t::ensure: ensure keeps a misaligned float32 array as it is, and
    // the library reads floats (and SIMD loads) from aligned addresses only.
    array = AlignedCopy(array, py::dtype::of<float>());
    ++input_copies;
  }
  if (array.shape(1) > INT_MAX) {
    throw py::value_error(absl::StrCat(name, " has ", array.shape(1), " columns, too many"));
  }
  const auto* data = static_cast<const float*>(array.data());
  return InputMatrix{array, MatrixView(data, array.shape(0), static_cast<int>(array.shape(1)))};
}

InputMatrix ToQueries(const py::handle& object, bool* single_vector) {
  py::array array = py::array::ensure(object);
  *single_vector = array && array.ndim() == 1;
  if (!*single_vector) {
    PyErr_Clear();
    return ToMatrix(object, "queries");
  }
  return ToMatrix(array.attr("reshape")(1, array.shape(0)), "queries");
}

template <typename T>
py::array_t<T, py::array::c_style> ToIntegers(const py::handle& object, const char* name,
                                              int ndim) {
  py::array array = RealArray(object, name, ndim);
  if (array.dtype().kind() == 'f') {
    throw py::value_error(absl::StrCat(name, " must hold integers; got dtype ",
                                       std::string(py::str(array.dtype()))));
  }
  const bool usable = py::isinstance<py::array_t<T, py::array::c_style>>(array) &&
                      (array.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_) != 0;
  if (!usable) array = AlignedCopy(array, py::dtype::of<T>());
  return py::array_t<T, py::array::c_style>::ensure(array);
}

template py::array_t<int64_t, py::array::c_style> ToIntegers<int64_t>(const py::handle&,
                                                                       const char*, int);
template py::array_t<int32_t, py::array::c_style> ToIntegers<int32_t>(const py::handle&,
                                                                       const char*, int);

std::string ToPath(const py::handle& object) {
  return py::cast<std::string>(py::module_::import("os").attr("fsdecode")(object));
}

int ToInt(const py::handle& object, const std::string& name) {
  // bool and float have __index__ / __int__ semantics that would silently accept True
  // or truncate 2.5; refuse them before asking for an integer.
  const bool refused = py::isinstance<py::bool_>(object) || py::isinstance<py::float_>(object);
  PyObject* index = refused ? nullptr : PyNumber_Index(object.ptr());
  if (index == nullptr) {
    PyErr_Clear();
    throw py::value_error(absl::StrCat(name, " must be an integer; got ",
                                       std::string(py::str(object.get_type().attr("__name__")))));
  }
  int overflow = 0;
  const long long value = PyLong_AsLongLongAndOverflow(index, &overflow);
  Py_DECREF(index);
  if (overflow != 0 || value < INT_MIN || value > INT_MAX) {
    throw py::value_error(absl::StrCat(name, " is out of range"));
  }
  return static_cast<int>(value);
}

uint64_t InputCopies() { return input_copies.load(); }

void RegisterConversions(py::module_& m) {
  m.def("_input_copies", &InputCopies,
        "Testing hook: how many input matrices the bindings have copied (converted to "
        "float32 C-contiguous) since import. Passing float32 C-contiguous arrays leaves it "
        "unchanged.");
}

}  // namespace vqsearch::python
