// The assignment step of Lloyd's k-means, as KMeans drives it: one object per training
// run, holding the training points, called once per iteration with that iteration's
// centroids. Implementations differ in how they find each point's nearest centroid
// (bounded_assignment.h for the general case, direct_assignment.h for codebooks of a few
// low-dimensional centroids), not in the labels they give.

#ifndef VQSEARCH_CLUSTER_ASSIGNMENT_STEP_H_
#define VQSEARCH_CLUSTER_ASSIGNMENT_STEP_H_

#include <cstdint>
#include <vector>

#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

class AssignmentStep {
 public:
  virtual ~AssignmentStep() = default;

  // Assigns every point to its nearest row of `centroids` (ties to the lower index) and
  // returns the objective: the sum of squared distances, or of 1 - inner product when
  // spherical (unit centroids ranked by inner product).
  virtual double Assign(MatrixView centroids) = 0;
  virtual const std::vector<int64_t>& labels() const = 0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_CLUSTER_ASSIGNMENT_STEP_H_
