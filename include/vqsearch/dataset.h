// File: vqsearch/dataset.h
//
// Reading and writing benchmark datasets: the ann-benchmarks HDF5 layout (datasets
// `train`, `test`, `neighbors`, `distances` and the file attribute `distance`) and the
// TEXMEX fvecs / ivecs / bvecs formats, and NumPy .npy arrays. The runner, `vqs`, the
// dataset scripts and the Python helpers all load data through here.

#ifndef VQSEARCH_DATASET_H_
#define VQSEARCH_DATASET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vqsearch/export.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/metric.h"
#include "vqsearch/search_params.h"

namespace vqsearch {

// An ann-benchmarks dataset held in memory. `neighbors` and `distances` hold the exact
// ground truth: gt_k entries per test vector, closest first. `distances` uses the
// ann-benchmarks convention: euclidean distance (not squared) for "euclidean",
// 1 - cosine similarity for "angular".
struct AnnDataset {
  std::string distance;  // the file's `distance` attribute: "euclidean", "angular", ...
  int dim = 0;
  std::vector<float> train;  // num_train x dim
  std::vector<float> test;   // num_test x dim
  int gt_k = 0;
  std::vector<int32_t> neighbors;  // num_test x gt_k
  std::vector<float> distances;    // num_test x gt_k

  int64_t num_train() const { return dim > 0 ? static_cast<int64_t>(train.size()) / dim : 0; }
  int64_t num_test() const { return dim > 0 ? static_cast<int64_t>(test.size()) / dim : 0; }
  MatrixView train_view() const { return MatrixView(train, dim); }
  MatrixView test_view() const { return MatrixView(test, dim); }
  // The vqsearch metric matching `distance`.
  absl::StatusOr<Metric> metric() const { return ParseMetric(distance); }
};

// Reads an ann-benchmarks HDF5 file. `neighbors` / `distances` may be absent (gt_k = 0).
// Files are untrusted: every shape is checked against the bytes stored for it before
// anything is allocated, and the metadata is first parsed in a forked child process,
// because libhdf5 1.10 crashes or leaks on some damaged files; such a file is a
// DataLoss error.
VQS_EXPORT absl::StatusOr<AnnDataset> ReadAnnHdf5(const std::string& path);
// Writes one (atomically: a temporary file renamed over `path`). Ground truth is written
// only when gt_k > 0.
VQS_EXPORT absl::Status WriteAnnHdf5(const std::string& path, const AnnDataset& dataset);

// A matrix read from a vecs file, converted to float (fvecs, bvecs) or kept int32 (ivecs).
struct FloatMatrix {
  int dim = 0;
  std::vector<float> values;  // rows x dim
  int64_t rows() const { return dim > 0 ? static_cast<int64_t>(values.size()) / dim : 0; }
  MatrixView view() const { return MatrixView(values, dim); }
};
struct IntMatrix {
  int dim = 0;
  std::vector<int32_t> values;
  int64_t rows() const { return dim > 0 ? static_cast<int64_t>(values.size()) / dim : 0; }
};

// Each record is a little-endian int32 dimension followed by that many components
// (float32, int32 or uint8). Every record of a file must have the same dimension.
// max_rows < 0 reads all rows.
VQS_EXPORT absl::StatusOr<FloatMatrix> ReadFvecs(const std::string& path, int64_t max_rows = -1);
VQS_EXPORT absl::StatusOr<IntMatrix> ReadIvecs(const std::string& path, int64_t max_rows = -1);
VQS_EXPORT absl::StatusOr<FloatMatrix> ReadBvecs(const std::string& path, int64_t max_rows = -1);
VQS_EXPORT absl::Status WriteFvecs(const std::string& path, MatrixView matrix);
VQS_EXPORT absl::Status WriteIvecs(const std::string& path, const IntMatrix& matrix);
// Components must be integers in [0, 255].
VQS_EXPORT absl::Status WriteBvecs(const std::string& path, MatrixView matrix);

// Writes search results as an HDF5 file with datasets `neighbors` (int64, num_queries x k)
// and `distances` (float32), padding included (vqsearch/search_params.h), atomically.
VQS_EXPORT absl::Status WriteSearchResultsHdf5(const std::string& path, const SearchResults& results);

// Reads a NumPy .npy file holding a 2-D C-ordered array (rows, dim) of little-endian
// float32, float64, uint8, int8, int32 or int64, converted to float (float64 values
// rounded). The file is untrusted: a bad magic, version, header or a size that does not
// match the shape is DataLoss; an unsupported dtype, Fortran order or a shape that is not
// 2-D is InvalidArgument. max_rows < 0 reads all rows.
VQS_EXPORT absl::StatusOr<FloatMatrix> ReadNpy(const std::string& path, int64_t max_rows = -1);

}  // namespace vqsearch

#endif  // VQSEARCH_DATASET_H_
