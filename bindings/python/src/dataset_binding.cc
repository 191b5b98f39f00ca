// Benchmark datasets from Python: ann-benchmarks HDF5 files as AnnDataset objects whose
// arrays are read-only numpy views of the C++ storage, recall@k computed by the C++
// code the runner uses, and TEXMEX vecs files.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "vqsearch/dataset.h"
#include "vqsearch/recall.h"

namespace py = pybind11;

namespace vqsearch::python {
namespace {

// A read-only (rows, cols) view of `data`, which `owner` keeps alive.
template <typename T>
py::array View(const T* data, int64_t rows, int64_t cols, const py::object& owner) {
  py::array_t<T> array({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)}, data, owner);
  array.attr("setflags")(py::arg("write") = false);
  return array;
}

// The getter of a property viewing the dataset's array `values`, `cols` wide.
template <typename T>
std::function<py::array(const py::object&)> ArrayView(std::vector<T> AnnDataset::*values,
                                                      int AnnDataset::*cols) {
  return [values, cols](const py::object& self) {
    const auto& dataset = self.cast<const AnnDataset&>();
    const std::vector<T>& array = dataset.*values;
    const int width = dataset.*cols;
    const int64_t rows = width > 0 ? static_cast<int64_t>(array.size()) / width : 0;
    return View(array.data(), rows, width, self);
  };
}

std::unique_ptr<AnnDataset> Read(const py::handle& path) {
  const std::string file = ToPath(path);
  absl::StatusOr<AnnDataset> dataset;
  {
    py::gil_scoped_release release;
    dataset = ReadAnnHdf5(file);
  }
  ThrowIfError(dataset.status());
  return std::make_unique<AnnDataset>(std::move(*dataset));
}

std::unique_ptr<AnnDataset> Create(const std::string& distance, const py::handle& train,
                                   const py::handle& test, const py::handle& neighbors,
                                   const py::handle& distances) {
  const InputMatrix train_matrix = ToMatrix(train, "train");
  const InputMatrix test_matrix = ToMatrix(test, "test");
  if (train_matrix.view.dim != test_matrix.view.dim) {
    throw py::value_error("train and test must have the same number of columns");
  }
  auto dataset = std::make_unique<AnnDataset>();
  dataset->distance = distance;
  dataset->dim = train_matrix.view.dim;
  dataset->train.assign(train_matrix.view.data, train_matrix.view.data + train_matrix.view.size());
  dataset->test.assign(test_matrix.view.data, test_matrix.view.data + test_matrix.view.size());
  if (neighbors.is_none() != distances.is_none()) {
    throw py::value_error("give both neighbors and distances, or neither");
  }
  if (!neighbors.is_none()) {
    const auto ids = ToIntegers<int32_t>(neighbors, "neighbors", 2);
    const InputMatrix gt = ToMatrix(distances, "distances");
    if (ids.shape(0) != test_matrix.view.rows || gt.view.rows != test_matrix.view.rows ||
        ids.shape(1) != gt.view.dim) {
      throw py::value_error("neighbors and distances must both have shape (len(test), gt_k)");
    }
    dataset->gt_k = gt.view.dim;
    dataset->neighbors.assign(ids.data(), ids.data() + ids.size());
    dataset->distances.assign(gt.view.data, gt.view.data + gt.view.size());
  }
  return dataset;
}

double Recall(const AnnDataset& dataset, const py::handle& ids, int k) {
  const auto id_array = ToIntegers<int64_t>(ids, "ids", 2);
  SearchResults results;
  results.num_queries = id_array.shape(0);
  results.k = static_cast<int>(id_array.shape(1));
  results.ids.assign(id_array.data(), id_array.data() + id_array.size());
  absl::StatusOr<double> recall;
  {
    py::gil_scoped_release release;
    recall = AnnRecall(dataset, results, k);
  }
  ThrowIfError(recall.status());
  return *recall;
}

py::array ReadFloatVecs(const py::handle& path, int64_t max_rows, bool bytes) {
  const std::string file = ToPath(path);
  absl::StatusOr<FloatMatrix> matrix;
  {
    py::gil_scoped_release release;
    matrix = bytes ? ReadBvecs(file, max_rows) : ReadFvecs(file, max_rows);
  }
  ThrowIfError(matrix.status());
  const int64_t rows = matrix->rows();
  return Adopt(std::move(matrix->values), {rows, matrix->dim});
}

py::array ReadIntVecs(const py::handle& path, int64_t max_rows) {
  const std::string file = ToPath(path);
  absl::StatusOr<IntMatrix> matrix;
  {
    py::gil_scoped_release release;
    matrix = ReadIvecs(file, max_rows);
  }
  ThrowIfError(matrix.status());
  const int64_t rows = matrix->rows();
  return Adopt(std::move(matrix->values), {rows, matrix->dim});
}

void WriteFloatVecs(const py::handle& path, const py::handle& x, bool bytes) {
  const std::string file = ToPath(path);
  const InputMatrix matrix = ToMatrix(x, "x");
  absl::Status status;
  {
    py::gil_scoped_release release;
    status = bytes ? WriteBvecs(file, matrix.view) : WriteFvecs(file, matrix.view);
  }
  ThrowIfError(status);
}

void WriteIntVecs(const py::handle& path, const py::handle& x) {
  const std::string file = ToPath(path);
  const auto values = ToIntegers<int32_t>(x, "x", 2);
  IntMatrix matrix;
  matrix.dim = static_cast<int>(values.shape(1));
  matrix.values.assign(values.data(), values.data() + values.size());
  absl::Status status;
  {
    py::gil_scoped_release release;
    status = WriteIvecs(file, matrix);
  }
  ThrowIfError(status);
}

}  // namespace

void RegisterDatasets(py::module_& m) {
  py::class_<AnnDataset>(m, "AnnDataset", R"doc(
An ann-benchmarks dataset in memory: train and test vectors and, when present, the exact
ground truth. Read one with vqsearch.read_ann_hdf5, or build one:

AnnDataset(distance, train, test, neighbors=None, distances=None)

distance: "euclidean" or "angular". train (n, dim) and test (nq, dim): real arrays
(copied). neighbors (nq, gt_k) integer rows of train, closest first, and distances
(nq, gt_k) in the ann-benchmarks convention (euclidean distance, or 1 - cosine for
angular), both or neither. The array attributes are read-only views, not copies.
)doc")
      .def(py::init(&Create), py::arg("distance"), py::arg("train"), py::arg("test"),
           py::arg("neighbors") = py::none(), py::arg("distances") = py::none())
      .def_readonly("distance", &AnnDataset::distance,
                    "The file's distance attribute: \"euclidean\", \"angular\", ...")
      .def_readonly("dim", &AnnDataset::dim, "Dimension of the vectors.")
      .def_readonly("gt_k", &AnnDataset::gt_k, "Ground-truth neighbours per test vector (0 = none).")
      .def_property_readonly(
          "metric",
          [](const AnnDataset& d) {
            const absl::StatusOr<Metric> metric = d.metric();
            ThrowIfError(metric.status());
            return std::string(MetricName(*metric));
          },
          "The vqsearch metric name (\"l2\", \"cosine\", ...) for the distance.")
      .def_property_readonly("train", ArrayView(&AnnDataset::train, &AnnDataset::dim),
                             "Train vectors, float32 (n, dim).")
      .def_property_readonly("test", ArrayView(&AnnDataset::test, &AnnDataset::dim),
                             "Test (query) vectors, float32 (nq, dim).")
      .def_property_readonly(
          "neighbors", ArrayView(&AnnDataset::neighbors, &AnnDataset::gt_k),
          "Exact neighbours, int32 (nq, gt_k) row numbers into train, closest first.")
      .def_property_readonly(
          "distances", ArrayView(&AnnDataset::distances, &AnnDataset::gt_k),
          "Exact neighbour distances, float32 (nq, gt_k), ann-benchmarks convention.")
      .def(
          "save",
          [](const AnnDataset& d, const py::handle& path) {
            const std::string file = ToPath(path);
            absl::Status status;
            {
              py::gil_scoped_release release;
              status = WriteAnnHdf5(file, d);
            }
            ThrowIfError(status);
          },
          py::arg("path"), "Writes the dataset as an ann-benchmarks HDF5 file, atomically.");

  m.def("read_ann_hdf5", &Read, py::arg("path"),
        "Reads an ann-benchmarks HDF5 file into an AnnDataset. A missing file raises "
        "FileNotFoundError.");
  m.def("recall", &Recall, py::arg("dataset"), py::arg("ids"), py::arg("k"), R"doc(
recall@k as ann-benchmarks computes it: the mean over test vectors of the fraction of the
first k returned ids whose true distance is within the k-th ground-truth distance plus
1e-3. ids: (len(dataset.test), >= k) integers, as Index.search returns for an index of
dataset.train added without ids; -1 never counts.
)doc");
  m.def(
      "ann_distance",
      [](const std::string& distance, const py::handle& a, const py::handle& b) {
        const py::object numpy = py::module_::import("numpy");
        const InputMatrix x = ToMatrix(numpy.attr("reshape")(a, py::make_tuple(1, -1)), "a");
        const InputMatrix y = ToMatrix(numpy.attr("reshape")(b, py::make_tuple(1, -1)), "b");
        if (x.view.dim != y.view.dim) throw py::value_error("a and b must have the same length");
        absl::StatusOr<double> result = AnnDistance(distance, x.view.data, y.view.data, x.view.dim);
        ThrowIfError(result.status());
        return *result;
      },
      py::arg("distance"), py::arg("a"), py::arg("b"),
      "The distance ann-benchmarks uses for distance (\"euclidean\": L2, \"angular\": "
      "1 - cosine similarity) between the vectors a and b, in double precision.");
  m.def(
      "read_fvecs", [](const py::handle& path, int64_t max_rows) { return ReadFloatVecs(path, max_rows, false); },
      py::arg("path"), py::arg("max_rows") = -1,
      "Reads a TEXMEX .fvecs file as float32 (rows, dim); max_rows < 0 reads all rows.");
  m.def(
      "read_bvecs", [](const py::handle& path, int64_t max_rows) { return ReadFloatVecs(path, max_rows, true); },
      py::arg("path"), py::arg("max_rows") = -1,
      "Reads a TEXMEX .bvecs file (uint8 components) as float32 (rows, dim).");
  m.def("read_ivecs", &ReadIntVecs, py::arg("path"), py::arg("max_rows") = -1,
        "Reads a TEXMEX .ivecs file as int32 (rows, dim).");
  m.def(
      "write_fvecs", [](const py::handle& path, const py::handle& x) { WriteFloatVecs(path, x, false); },
      py::arg("path"), py::arg("x"), "Writes a 2-D array of real numbers as a .fvecs file.");
  m.def(
      "write_bvecs", [](const py::handle& path, const py::handle& x) { WriteFloatVecs(path, x, true); },
      py::arg("path"), py::arg("x"),
      "Writes a 2-D array of integers in [0, 255] as a .bvecs file.");
  m.def("write_ivecs", &WriteIntVecs, py::arg("path"), py::arg("x"),
        "Writes a 2-D array of integers (converted to int32) as an .ivecs file.");
}

}  // namespace vqsearch::python
