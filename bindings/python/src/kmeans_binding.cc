// k-means on its own: the clustering and nearest-centroid assignment, GIL released.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "progress.h"
#include "vqsearch/kmeans.h"

namespace py = pybind11;

namespace vqsearch::python {
namespace {

KMeansInit ParseInit(const std::string& init) {
  if (init == "random") return KMeansInit::kRandom;
  if (init == "kmeans++") return KMeansInit::kKMeansPlusPlus;
  if (init == "two-level") return KMeansInit::kTwoLevel;
  throw py::value_error(absl::StrCat("unknown init \"", init,
                                     "\": expected \"random\", \"kmeans++\" or \"two-level\""));
}

py::array_t<int64_t> Assign(const InputMatrix& points, const InputMatrix& centroids,
                            bool spherical, int num_threads) {
  absl::StatusOr<std::vector<int64_t>> labels;
  {
    py::gil_scoped_release release;
    labels = AssignToCentroids(points.view, centroids.view, spherical, num_threads);
  }
  ThrowIfError(labels.status());
  return Adopt(std::move(*labels), {points.view.rows});
}

// (centroids, assignments of every point, objective history, empty-cluster splits); the
// Python package turns the tuple into a KMeansResult.
py::tuple KMeansAll(const py::handle& x, int k, int max_iterations, double tolerance,
                    int max_points_per_centroid, const std::string& init, bool spherical,
                    uint64_t seed, int num_threads, py::object progress, bool verbose) {
  const InputMatrix points = ToMatrix(x, "x");
  KMeansOptions options;
  options.num_clusters = k;
  options.max_iterations = max_iterations;
  options.tolerance = tolerance;
  options.max_points_per_centroid = max_points_per_centroid;
  options.init = ParseInit(init);
  options.spherical = spherical;
  options.seed = seed;
  ProgressBridge bridge(num_threads, std::move(progress), verbose);
  options.build = bridge.options();
  absl::StatusOr<KMeansResult> result;
  {
    py::gil_scoped_release release;
    result = KMeans(points.view, options);
  }
  bridge.Finish(result.status());
  const InputMatrix centroids = ToMatrix(
      Adopt(std::move(result->centroids), {k, result->dim}), "centroids");
  return py::make_tuple(centroids.array, Assign(points, centroids, spherical, num_threads),
                        result->objective_history, result->empty_cluster_splits);
}

}  // namespace

void RegisterKMeans(py::module_& m) {
  const KMeansOptions defaults;
  m.def("_kmeans", &KMeansAll, py::arg("x"), py::arg("k"), py::kw_only(),
        py::arg("max_iterations") = defaults.max_iterations,
        py::arg("tolerance") = defaults.tolerance,
        py::arg("max_points_per_centroid") = defaults.max_points_per_centroid,
        py::arg("init") = "random", py::arg("spherical") = defaults.spherical,
        py::arg("seed") = defaults.seed, py::arg("num_threads") = defaults.build.num_threads,
        py::arg("progress") = py::none(), py::arg("verbose") = false,
        "k-means; see vqsearch.kmeans, which wraps the result.");
  m.def(
      "assign",
      [](const py::handle& x, const py::handle& centroids, bool spherical, int num_threads) {
        return Assign(ToMatrix(x, "x"), ToMatrix(centroids, "centroids"), spherical, num_threads);
      },
      py::arg("x"), py::arg("centroids"), py::kw_only(), py::arg("spherical") = false,
      py::arg("num_threads") = 0,
      "The index of the nearest centroid (n,) int64 of each row of x (n, dim) among centroids "
      "(k, dim), by exact search; largest inner product when spherical. Input arrays follow "
      "the rules of Index (float32 C-contiguous is not copied).");
}

}  // namespace vqsearch::python
