// Direct-product k-means assignment for small codebooks; see direct_assignment.h.

#include "cluster/direct_assignment.h"

#include <algorithm>
#include <limits>

#include "simd/vector_ops.h"
#include "util/parallel_for.h"

namespace vqsearch::internal {
namespace {

// Up to this many centroids scoring them all costs no more than bounds.
constexpr int64_t kMaxClusters = 256;
// Points per task: the objective is summed per task, in task order.
constexpr int64_t kChunk = 4096;

}  // namespace

bool DirectAssignment::Suits(int64_t num_clusters, int dim) {
  return dim <= kMaxDirectProductDim && num_clusters <= kMaxClusters;
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
  std::vector<std::vector<int32_t>> labels_of(threads_, std::vector<int32_t>(kChunk));
  ParallelFor(chunks, threads_, [&](int64_t chunk, int worker) {
    int32_t* chunk_labels = labels_of[worker].data();
    const int64_t begin = chunk * kChunk, end = std::min(points_.rows, begin + kChunk);
    NearestByDirectProducts(points_.row(begin), dim, end - begin, dim, transposed.data(),
                            offsets.data(), k, chunk_labels, 1);
    double objective = 0;
    for (int64_t i = begin; i < end; ++i) {
      const float* x = points_.row(i);
      const int64_t label = chunk_labels[i - begin];
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
