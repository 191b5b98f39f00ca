// File: vqsearch/kmeans.h
//
// k-means clustering, the coarse quantizer of every IVF index and the trainer of every
// codebook, usable on its own. Lloyd iterations with the assignment step done as exact
// nearest-centroid search through BLAS, skipping the points and centroid groups that
// triangle-inequality bounds prove cannot change a point's label (Yinyang k-means: the
// labels are those of the full search up to rounding between near-equal distances);
// k-means++, random or two-level initialization; training on a deterministic sample of at most
// max_points_per_centroid x k points; clusters that become empty are repaired by
// splitting a large cluster.
//
// Determinism: for a fixed seed the result is bit-identical for any thread count.
// The objective (sum of squared distances to the nearest centroid, or of 1 - cosine in
// spherical mode) never increases from one iteration to the next.

#ifndef VQSEARCH_KMEANS_H_
#define VQSEARCH_KMEANS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "vqsearch/export.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/build_options.h"

namespace vqsearch {

enum class KMeansInit {
  kRandom,        // k distinct sample points, the FAISS default: fast, good with many points
  kKMeansPlusPlus,  // D^2 sampling: better starts for small k or clustered data
  // sqrt(k) clusters, each split in proportion to its size, 10 iterations a level: for
  // large k, a start near convergence at the cost of a fraction of a Lloyd iteration
  kTwoLevel,
};

struct KMeansOptions {
  int num_clusters = 0;
  int max_iterations = 25;
  // Stop when the objective improves by less than this fraction from one iteration to
  // the next (0 runs every iteration).
  double tolerance = 1e-4;
  // Train on at most this many points per centroid, sampled with `seed` (0 = all).
  int max_points_per_centroid = 256;
  KMeansInit init = KMeansInit::kRandom;
  // Starting centroids (num_clusters x dim, row-major) instead of `init`'s: to continue
  // from an earlier run, e.g. one on fewer points. Normalized first when spherical.
  std::vector<float> initial_centroids;
  // Spherical k-means: centroids are kept at unit length and points are assigned by
  // largest inner product; for cosine and inner-product data.
  bool spherical = false;
  uint64_t seed = 1234;
  BuildOptions build;  // threads and progress (stage "kmeans", done = iteration)
};

struct KMeansResult {
  int dim = 0;
  std::vector<float> centroids;  // num_clusters x dim
  // Objective after each iteration's assignment step, on the training sample.
  std::vector<double> objective_history;
  // Times an empty cluster was repaired by splitting another.
  int64_t empty_cluster_splits = 0;
  // The points the iterations ran on: the rows of `points` the sample kept, increasing,
  // or empty when max_points_per_centroid kept every row.
  std::vector<int64_t> sample_rows;
  // The cluster of each of those points (sample_rows[i], or row i) in the last
  // assignment step, which saw the centroids before the final update: callers that
  // need the clusters of their training points (codecs of residuals) get them without
  // a search of their own, and only points whose nearest centroid changed in that update
  // differ from an exact assignment.
  std::vector<int64_t> labels;

  MatrixView centroids_view() const { return MatrixView(centroids, dim); }
  double objective() const { return objective_history.empty() ? 0.0 : objective_history.back(); }
};

// Clusters the rows of `points`. Errors: num_clusters < 1 or greater than the number of
// points, non-finite input, max_iterations < 1, negative tolerance, cancellation.
VQS_EXPORT absl::StatusOr<KMeansResult> KMeans(MatrixView points, const KMeansOptions& options);

// The index of the nearest centroid of each point (largest inner product when
// `spherical`), computed through BLAS; `num_threads` as in BuildOptions.
VQS_EXPORT absl::StatusOr<std::vector<int64_t>> AssignToCentroids(MatrixView points, MatrixView centroids,
                                                       bool spherical, int num_threads);

}  // namespace vqsearch

#endif  // VQSEARCH_KMEANS_H_
