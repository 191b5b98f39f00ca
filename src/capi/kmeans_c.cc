// The C API's k-means: options, the clustering call, its result and nearest-centroid
// assignment.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "capi/convert.h"
#include "capi/guard.h"
#include "capi/handles.h"
#include "util/status_macros.h"

using vqsearch::MatrixView;
using vqsearch::capi::CheckNotNull;
using vqsearch::capi::Guard;
using vqsearch::capi::ViewOf;

namespace {

// Runs `set` on the options after checking the handle: the shape of every setter.
template <typename Setter>
vqs_status SetOption(const char* function, vqs_kmeans_options* options, Setter set) {
  return Guard(function, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{options, "options"}}));
    set(&options->options);
    return absl::OkStatus();
  });
}

}  // namespace

vqs_status vqs_kmeans_options_create(int num_clusters, vqs_kmeans_options** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{out, "out"}}));
    auto* options = new vqs_kmeans_options();
    options->options.num_clusters = num_clusters;
    *out = options;
    return absl::OkStatus();
  });
}

void vqs_kmeans_options_free(vqs_kmeans_options* options) { delete options; }

vqs_status vqs_kmeans_options_set_max_iterations(vqs_kmeans_options* options, int value) {
  return SetOption(__func__, options,
                   [&](vqsearch::KMeansOptions* o) { o->max_iterations = value; });
}

vqs_status vqs_kmeans_options_set_tolerance(vqs_kmeans_options* options, double value) {
  return SetOption(__func__, options, [&](vqsearch::KMeansOptions* o) { o->tolerance = value; });
}

vqs_status vqs_kmeans_options_set_max_points_per_centroid(vqs_kmeans_options* options,
                                                          int value) {
  return SetOption(__func__, options,
                   [&](vqsearch::KMeansOptions* o) { o->max_points_per_centroid = value; });
}

vqs_status vqs_kmeans_options_set_init(vqs_kmeans_options* options, vqs_kmeans_init init) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{options, "options"}}));
    const int64_t value = vqsearch::capi::EnumValue(init);
    switch (value) {
      case VQS_KMEANS_INIT_RANDOM:
        options->options.init = vqsearch::KMeansInit::kRandom;
        return absl::OkStatus();
      case VQS_KMEANS_INIT_KMEANS_PLUS_PLUS:
        options->options.init = vqsearch::KMeansInit::kKMeansPlusPlus;
        return absl::OkStatus();
      case VQS_KMEANS_INIT_TWO_LEVEL:
        options->options.init = vqsearch::KMeansInit::kTwoLevel;
        return absl::OkStatus();
    }
    return absl::InvalidArgumentError(
        absl::StrCat("unknown init value ", value,
                     ": expected VQS_KMEANS_INIT_RANDOM, VQS_KMEANS_INIT_KMEANS_PLUS_PLUS or "
                     "VQS_KMEANS_INIT_TWO_LEVEL"));
  });
}

vqs_status vqs_kmeans_options_set_spherical(vqs_kmeans_options* options, int spherical) {
  return SetOption(__func__, options,
                   [&](vqsearch::KMeansOptions* o) { o->spherical = spherical != 0; });
}

vqs_status vqs_kmeans_options_set_seed(vqs_kmeans_options* options, uint64_t seed) {
  return SetOption(__func__, options, [&](vqsearch::KMeansOptions* o) { o->seed = seed; });
}

vqs_status vqs_kmeans_options_set_build_options(vqs_kmeans_options* options,
                                                const vqs_build_options* build) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{options, "options"}, {build, "build"}}));
    options->options.build = build->options;
    return absl::OkStatus();
  });
}

vqs_status vqs_kmeans(const float* points, int64_t n, int dim,
                      const vqs_kmeans_options* options, vqs_kmeans_result** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{options, "options"}, {out, "out"}}));
    if (dim <= 0) return absl::InvalidArgumentError(absl::StrCat("dim = ", dim, " is not positive"));
    VQS_ASSIGN_OR_RETURN(const MatrixView view, ViewOf(points, n, dim, "points"));
    VQS_ASSIGN_OR_RETURN(vqsearch::KMeansResult result, vqsearch::KMeans(view, options->options));
    *out = new vqs_kmeans_result{std::move(result)};
    return absl::OkStatus();
  });
}

void vqs_kmeans_result_free(vqs_kmeans_result* result) { delete result; }

vqs_status vqs_kmeans_result_centroids(const vqs_kmeans_result* result, const float** centroids,
                                       int* num_clusters, int* dim) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{result, "result"}}));
    const MatrixView view = result->result.centroids_view();
    if (centroids != nullptr) *centroids = view.data;
    if (num_clusters != nullptr) *num_clusters = static_cast<int>(view.rows);
    if (dim != nullptr) *dim = view.dim;
    return absl::OkStatus();
  });
}

vqs_status vqs_kmeans_result_objective_history(const vqs_kmeans_result* result,
                                               const double** history, size_t* length) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{result, "result"}, {history, "history"}, {length, "length"}}));
    *history = result->result.objective_history.data();
    *length = result->result.objective_history.size();
    return absl::OkStatus();
  });
}

vqs_status vqs_kmeans_result_empty_cluster_splits(const vqs_kmeans_result* result,
                                                  int64_t* out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{result, "result"}, {out, "out"}}));
    *out = result->result.empty_cluster_splits;
    return absl::OkStatus();
  });
}

vqs_status vqs_assign_to_centroids(const float* points, int64_t n, const float* centroids,
                                   int num_centroids, int dim, int spherical, int num_threads,
                                   int64_t* labels) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{labels, "labels"}}));
    if (dim <= 0) return absl::InvalidArgumentError(absl::StrCat("dim = ", dim, " is not positive"));
    VQS_ASSIGN_OR_RETURN(const MatrixView point_view, ViewOf(points, n, dim, "points"));
    VQS_ASSIGN_OR_RETURN(const MatrixView centroid_view,
                         ViewOf(centroids, num_centroids, dim, "centroids"));
    VQS_ASSIGN_OR_RETURN(const std::vector<int64_t> assigned,
                         vqsearch::AssignToCentroids(point_view, centroid_view, spherical != 0,
                                                     num_threads));
    std::copy(assigned.begin(), assigned.end(), labels);
    return absl::OkStatus();
  });
}
