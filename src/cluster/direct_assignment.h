// The k-means assignment step for codebooks of a few low-dimensional centroids, the
// sub-spaces of product quantizers (1-8 dimensions, 16-256 codewords): each point's
// distances to every centroid by direct products against the centroids stored dimension
// by dimension (simd/vector_ops.h, vectorized across points). There sgemm's inner
// dimension is too short to amortize its packing, and the bookkeeping of
// bounded_assignment.h (a point's own distance, its bounds, their updates) costs as much
// as scoring all of 16 centroids: on 100-d word vectors' 2-d sub-spaces it took 2.4 ns a
// (point, centroid) pair.
//
// Labels are those of an exact search up to float rounding between near-equal distances.
// Results do not depend on the thread count.

#ifndef VQSEARCH_CLUSTER_DIRECT_ASSIGNMENT_H_
#define VQSEARCH_CLUSTER_DIRECT_ASSIGNMENT_H_

#include <cstdint>
#include <vector>

#include "cluster/assignment_step.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

class DirectAssignment : public AssignmentStep {
 public:
  // Whether this step is the faster one for `num_clusters` centroids of `dim` dimensions.
  static bool Suits(int64_t num_clusters, int dim);

  // `points` (checked, finite) must outlive this object.
  DirectAssignment(MatrixView points, bool spherical, int num_threads);

  double Assign(MatrixView centroids) override;
  const std::vector<int64_t>& labels() const override { return labels_; }

 private:
  MatrixView points_;
  bool spherical_;
  int threads_;
  std::vector<int64_t> labels_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_CLUSTER_DIRECT_ASSIGNMENT_H_
