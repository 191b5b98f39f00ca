// Direct-product k-means assignment for small codebooks; see direct_assignment.h.

#include "cluster/direct_assignment.h"

#include <algorithm>
#include <limits>

#include "simd/vector_ops.h"
#include "util/parallel_for.h"

namespace vqsearch::internal {
namespace {

// Below this many dimensions sgemm loses to direct products (as in ProductQuantizer's
// encoding), and up to this many centroids scoring them all costs no more than bounds.
constexpr int kMaxDim = 7;
constexpr int64_t kMaxClusters = 256;
// Points per task: the objective is summed per task, in task order.
constexpr int64_t kChunk = 4096;

}  // namespace

int64_t NearestByDirectProducts(const float* x, int dim, const float* transposed,
                                const float* offsets, int64_t k, float* scores) {
  std::copy_n(offsets, k, scores);
  for (int t = 0; t < dim; ++t) {
    const float weight = -2.0f * x[t];
    const float* column = transposed + t * k;
    for (int64_t j = 0; j < k; ++j) scores[j] += weight * column[j];
  }
  int64_t label = 0;
  for (int64_t j = 1; j < k; ++j) {
    if (scores[j] < scores[label]) label = j;
  }
  return label;
}

bool DirectAssignment::Suits(int64_t num_clusters, int dim) {
  return dim <= kMaxDim && num_clusters <= kMaxClusters;
}

DirectAssignment::DirectAssignment(MatrixView points, bool spherical, int num_threads)
    : points_(points),
      spherical_(spherical),
      threads_(ResolveThreadCount(num_threads)),
      labels_(points.rows, 0) {}

double DirectAssignment::Assign(MatrixView centroids) {
  const int64_t k = centroids.rows;
  const int dim = points_.dim;
  // Scores ||c||^2 - 2 x.c (spherical: -2 x.c) rank the centroids as distances do.
  std::vector<float> transposed(static_cast<size_t>(dim) * k), offsets(k, 0.0f);
  for (int64_t c = 0; c < k; ++c) {
    for (int t = 0; t < dim; ++t) transposed[t * k + c] = centroids.row(c)[t];
    if (!spherical_) offsets[c] = SquaredNorm(centroids.row(c), dim);
  }
  const int64_t chunks = (points_.rows + kChunk - 1) / kChunk;
  std::vector<double> objectives(chunks, 0.0);
  std::vector<std::vector<float>> scores_of(threads_, std::vector<float>(k));
  ParallelFor(chunks, threads_, [&](int64_t chunk, int worker) {
    float* scores = scores_of[worker].data();
    const int64_t end = std::min(points_.rows, (chunk + 1) * kChunk);
    double objective = 0;
    for (int64_t i = chunk * kChunk; i < end; ++i) {
      const float* x = points_.row(i);
      const int64_t label =
          NearestByDirectProducts(x, dim, transposed.data(), offsets.data(), k, scores);
      labels_[i] = label;
      // The objective from the point and its centroid, not from the expanded score,
      // whose cancellation could make it rise between iterations that change nothing.
      objective += spherical_ ? 1.0 - Dot(x, centroids.row(label), dim)
                              : SquaredL2(x, centroids.row(label), dim);
    }
    objectives[chunk] = objective;
  });
  double total = 0;
  for (double objective : objectives) total += objective;
  return total;
}

}  // namespace vqsearch::internal
