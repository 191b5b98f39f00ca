// The C API's datasets: ann-benchmarks HDF5 files, recall and distances, vecs files.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "capi/convert.h"
#include "capi/guard.h"
#include "capi/handles.h"
#include "util/status_macros.h"
#include "vqsearch/recall.h"

using vqsearch::MatrixView;
using vqsearch::capi::CheckNotNull;
using vqsearch::capi::Guard;
using vqsearch::capi::ViewOf;

namespace {

void ExportMatrix(MatrixView view, const float** data, int64_t* rows, int* dim) {
  if (data != nullptr) *data = view.data;
  if (rows != nullptr) *rows = view.rows;
  if (dim != nullptr) *dim = view.dim;
}

}  // namespace

vqs_status vqs_dataset_read_ann_hdf5(const char* path, vqs_dataset** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{path, "path"}, {out, "out"}}));
    VQS_ASSIGN_OR_RETURN(vqsearch::AnnDataset dataset, vqsearch::ReadAnnHdf5(path));
    *out = new vqs_dataset{std::move(dataset)};
    return absl::OkStatus();
  });
}

vqs_status vqs_dataset_create(const char* distance, int dim, const float* train,
                              int64_t num_train, const float* test, int64_t num_test,
                              const int32_t* neighbors, const float* distances, int gt_k,
                              vqs_dataset** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{distance, "distance"}, {out, "out"}}));
    if (dim <= 0) return absl::InvalidArgumentError(absl::StrCat("dim = ", dim, " is not positive"));
    if (gt_k < 0) return absl::InvalidArgumentError(absl::StrCat("gt_k = ", gt_k, " is negative"));
    VQS_ASSIGN_OR_RETURN(const MatrixView train_view, ViewOf(train, num_train, dim, "train"));
    VQS_ASSIGN_OR_RETURN(const MatrixView test_view, ViewOf(test, num_test, dim, "test"));
    if (gt_k > 0) {
      VQS_RETURN_IF_ERROR(CheckNotNull({{neighbors, "neighbors"}, {distances, "distances"}}));
    }
    auto dataset = std::make_unique<vqs_dataset>();
    vqsearch::AnnDataset& d = dataset->dataset;
    d.distance = distance;
    d.dim = dim;
    d.train.assign(train_view.data, train_view.data + train_view.size());
    d.test.assign(test_view.data, test_view.data + test_view.size());
    d.gt_k = gt_k;
    const size_t gt_size = static_cast<size_t>(num_test) * static_cast<size_t>(gt_k);
    if (gt_k > 0) {
      d.neighbors.assign(neighbors, neighbors + gt_size);
      d.distances.assign(distances, distances + gt_size);
    }
    *out = dataset.release();
    return absl::OkStatus();
  });
}

vqs_status vqs_dataset_write_ann_hdf5(const vqs_dataset* dataset, const char* path) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{dataset, "dataset"}, {path, "path"}}));
    return vqsearch::WriteAnnHdf5(path, dataset->dataset);
  });
}

void vqs_dataset_free(vqs_dataset* dataset) { delete dataset; }

vqs_status vqs_dataset_distance(const vqs_dataset* dataset, const char** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{dataset, "dataset"}, {out, "out"}}));
    *out = dataset->dataset.distance.c_str();
    return absl::OkStatus();
  });
}

vqs_status vqs_dataset_metric(const vqs_dataset* dataset, vqs_metric* out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{dataset, "dataset"}, {out, "out"}}));
    VQS_ASSIGN_OR_RETURN(const vqsearch::Metric metric, dataset->dataset.metric());
    *out = vqsearch::capi::MetricToC(metric);
    return absl::OkStatus();
  });
}

vqs_status vqs_dataset_train(const vqs_dataset* dataset, const float** data, int64_t* rows,
                             int* dim) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{dataset, "dataset"}}));
    ExportMatrix(dataset->dataset.train_view(), data, rows, dim);
    return absl::OkStatus();
  });
}

vqs_status vqs_dataset_test(const vqs_dataset* dataset, const float** data, int64_t* rows,
                            int* dim) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{dataset, "dataset"}}));
    ExportMatrix(dataset->dataset.test_view(), data, rows, dim);
    return absl::OkStatus();
  });
}

vqs_status vqs_dataset_ground_truth(const vqs_dataset* dataset, const int32_t** neighbors,
                                    const float** distances, int* gt_k) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{dataset, "dataset"}}));
    if (neighbors != nullptr) *neighbors = dataset->dataset.neighbors.data();
    if (distances != nullptr) *distances = dataset->dataset.distances.data();
    if (gt_k != nullptr) *gt_k = dataset->dataset.gt_k;
    return absl::OkStatus();
  });
}

vqs_status vqs_ann_recall(const vqs_dataset* dataset, const int64_t* ids, int results_k, int k,
                          double* recall) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{dataset, "dataset"}, {ids, "ids"}, {recall, "recall"}}));
    if (results_k <= 0) return absl::InvalidArgumentError("results_k must be positive");
    vqsearch::SearchResults results;
    results.num_queries = dataset->dataset.num_test();
    results.k = results_k;
    results.ids.assign(ids, ids + results.num_queries * results_k);
    VQS_ASSIGN_OR_RETURN(*recall, vqsearch::AnnRecall(dataset->dataset, results, k));
    return absl::OkStatus();
  });
}

vqs_status vqs_ann_distance(const char* distance, const float* a, const float* b, int dim,
                            double* out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{distance, "distance"}, {a, "a"}, {b, "b"}, {out, "out"}}));
    VQS_ASSIGN_OR_RETURN(*out, vqsearch::AnnDistance(distance, a, b, dim));
    return absl::OkStatus();
  });
}

namespace {

// The shape of every vecs reader: check the pointers, read, and hand the values to the
// caller as a malloc'd buffer.
template <typename T, typename Reader>
vqs_status ReadVecs(const char* function, const char* path, int64_t max_rows, T** data,
                    int64_t* rows, int* dim, Reader read) {
  return Guard(function, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{path, "path"}, {data, "data"}, {rows, "rows"}, {dim, "dim"}}));
    VQS_ASSIGN_OR_RETURN(const auto matrix, read(path, max_rows));
    VQS_ASSIGN_OR_RETURN(void* buffer, vqsearch::capi::CopyToBuffer(
                                           matrix.values.data(), matrix.values.size() * sizeof(T)));
    *data = static_cast<T*>(buffer);
    *rows = matrix.rows();
    *dim = matrix.dim;
    return absl::OkStatus();
  });
}

// The shape of the float vecs writers.
template <typename Writer>
vqs_status WriteFloatVecs(const char* function, const char* path, const float* data,
                          int64_t rows, int dim, Writer write) {
  return Guard(function, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{path, "path"}}));
    VQS_ASSIGN_OR_RETURN(const MatrixView view, ViewOf(data, rows, dim, "data"));
    return write(path, view);
  });
}

}  // namespace

vqs_status vqs_read_fvecs(const char* path, int64_t max_rows, float** data, int64_t* rows,
                          int* dim) {
  return ReadVecs(__func__, path, max_rows, data, rows, dim, vqsearch::ReadFvecs);
}

vqs_status vqs_read_bvecs(const char* path, int64_t max_rows, float** data, int64_t* rows,
                          int* dim) {
  return ReadVecs(__func__, path, max_rows, data, rows, dim, vqsearch::ReadBvecs);
}

vqs_status vqs_read_ivecs(const char* path, int64_t max_rows, int32_t** data, int64_t* rows,
                          int* dim) {
  return ReadVecs(__func__, path, max_rows, data, rows, dim, vqsearch::ReadIvecs);
}

vqs_status vqs_write_fvecs(const char* path, const float* data, int64_t rows, int dim) {
  return WriteFloatVecs(__func__, path, data, rows, dim, vqsearch::WriteFvecs);
}

vqs_status vqs_write_bvecs(const char* path, const float* data, int64_t rows, int dim) {
  return WriteFloatVecs(__func__, path, data, rows, dim, vqsearch::WriteBvecs);
}

vqs_status vqs_write_ivecs(const char* path, const int32_t* data, int64_t rows, int dim) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{path, "path"}}));
    if (dim <= 0) return absl::InvalidArgumentError(absl::StrCat("dim = ", dim, " is not positive"));
    if (rows < 0) return absl::InvalidArgumentError(absl::StrCat("rows = ", rows, " is negative"));
    if (data == nullptr && rows > 0) return absl::InvalidArgumentError("argument data is NULL");
    vqsearch::IntMatrix matrix;
    matrix.dim = dim;
    matrix.values.assign(data, data + rows * dim);
    return vqsearch::WriteIvecs(path, matrix);
  });
}
