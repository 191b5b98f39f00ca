// The C API's datasets: reading ann-benchmarks HDF5 files and measuring recall on them.

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
