// Index.reconstruct and Index.stored_ids: what an index holds, read back. They are what
// FAISS's reconstruct and id selectors over stored ids need (vqsearch.faiss), added to
// the Index class that index_binding.cc registers.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bindings.h"
#include "convert.h"
#include "py_index.h"
#include "vqsearch/reconstruct.h"

namespace py = pybind11;

namespace vqsearch::python {
namespace {

py::array_t<float> ReconstructIds(const PyIndex& self, const py::handle& ids) {
  const auto id_array = ToIntegers<int64_t>(ids, "ids", 1);
  const absl::Span<const int64_t> span(id_array.data(), static_cast<size_t>(id_array.size()));
  int dim = 0;
  std::vector<float> out;
  const absl::Status status = self.Read([&](const Index& index) {
    dim = index.dim();
    out.resize(span.size() * static_cast<size_t>(dim));
    return Reconstruct(index, span, out.data());
  });
  // The Python names of these two failures say more than the generic mapping would.
  if (status.code() == absl::StatusCode::kUnimplemented) {
    PyErr_SetString(PyExc_NotImplementedError, std::string(status.message()).c_str());
    throw py::error_already_set();
  }
  if (status.code() == absl::StatusCode::kNotFound) throw py::key_error(std::string(status.message()));
  ThrowIfError(status);
  return Adopt(std::move(out), {static_cast<py::ssize_t>(span.size()), dim});
}

py::array_t<int64_t> StoredIds(const PyIndex& self) {
  std::vector<int64_t> ids = self.Read([](const Index& index) {
    std::vector<int64_t> visited;
    visited.reserve(static_cast<size_t>(index.size()));
    index.ForEachId([&](int64_t id) { visited.push_back(id); });
    std::sort(visited.begin(), visited.end());
    return visited;
  });
  const auto count = static_cast<py::ssize_t>(ids.size());
  return Adopt(std::move(ids), {count});
}

}  // namespace

void RegisterStoredVectors(py::module_& m) {
  auto index = py::reinterpret_borrow<py::class_<PyIndex>>(m.attr("Index"));
  index.def("reconstruct", &ReconstructIds, py::arg("ids"), R"doc(
The stored vectors of ids (1-D integers): float32 (len(ids), dim), in the order given.

Decoded from what the index stores: exact for "Flat" and "Refine(Flat)", the codes'
approximation for PQ, RQ, SQ and RaBitQ (a RaBitQ code decodes to the point whose inner
product with a query is the index's estimate). Under cosine they are the unit-length
copies. Raises KeyError for an id that is not stored (removed ids included).
)doc");
  index.def("stored_ids", &StoredIds,
            "The ids of every stored vector (the ids search returns), ascending, int64.");
}

}  // namespace vqsearch::python
