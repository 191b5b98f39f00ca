// The assignment step of Lloyd's k-means with Yinyang bounds (Ding et al., "Yinyang
// K-Means", ICML 2015), kept GEMM-shaped.
//
// Between two Lloyd iterations most centroids move little, so most points provably keep
// their centroid. The centroids are partitioned into groups; each point keeps, per group,
// a lower bound on its distance to the group's centroids other than its own. When the
// centroids move, a bound drops by the largest move within its group (triangle
// inequality), and the point's exact distance to its own centroid (one O(dim) product,
// also its share of the objective) is compared with each bound: only the groups whose
// bound is below it can hold a closer centroid. Those (point, group) pairs are gathered,
// group by group, into blocks scored by sgemm, as the plain assignment scores all pairs;
// when bounds prune little (always in the first call), the points with any group left
// are scored against all centroids in one product instead.
//
// On Fashion-MNIST (k = 1024, groups of ~32) 31-37% of the pairs are scored in
// iterations 2-4 and 6% by iteration 20, where Hamerly's single bound per point (one
// group) prunes almost nothing: in 784 dimensions the second-nearest centroid is nearly
// as close as the nearest one.
//
// The labels are those of an exact nearest-centroid search (AssignToCentroids) up to
// float rounding between near-equal distances: bounds derived from sgemm scores are
// lowered by a bound on that rounding, and ties go to the lower index. Spherical mode
// ranks unit centroids by inner product, i.e. by the Euclidean distance to them.
// Results do not depend on the thread count.

#ifndef VQSEARCH_CLUSTER_BOUNDED_ASSIGNMENT_H_
#define VQSEARCH_CLUSTER_BOUNDED_ASSIGNMENT_H_

#include <cstdint>
#include <vector>

#include "cluster/assignment_step.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

class BoundedAssignment : public AssignmentStep {
 public:
  // `points` (checked, finite) must outlive this object; `group_of_centroid[c] >= 0` names
  // the fixed group of centroid c.
  BoundedAssignment(MatrixView points, std::vector<int> group_of_centroid, bool spherical,
                    int num_threads);

  // `centroids`: as many rows as groups were given for, each call's centroids the
  // previous call's, moved by any amount.
  double Assign(MatrixView centroids) override;

  const std::vector<int64_t>& labels() const override { return labels_; }
  // The share of all (point, centroid) distances the last Assign scored by sgemm.
  double scored_fraction() const { return scored_fraction_; }

 private:
  // The running nearest centroid of a point while the groups are scored.
  struct Nearest {
    float distance;        // to the centroid `label`
    float lower_distance;  // `distance` lowered by its rounding bound
    int64_t label;
    int group;
    float group_bound;  // lower bound on the other centroids of `group`
  };

  // Scores the points `members` against the centroids of groups [first_group, end_group)
  // by sgemm, and offers each group's result to each point.
  void ScoreGroups(int first_group, int end_group, const std::vector<int64_t>& members, int dim);
  // Updates point i's nearest centroid and bounds with `products`, -2 x_i.c for the
  // centroids of `group` in grouped order.
  void Offer(int64_t i, int group, const float* products, int dim);

  MatrixView points_;
  bool spherical_;
  int threads_;
  int num_groups_ = 0;
  std::vector<int> group_of_centroid_;
  std::vector<int64_t> group_begin_;      // group g's centroids: [begin[g], begin[g + 1])
  std::vector<int64_t> grouped_order_;    // centroid ids, group by group
  std::vector<float> grouped_centroids_;  // the centroids in grouped_order_
  std::vector<float> grouped_norms_;      // their squared norms (1 when spherical)
  float max_norm_ = 0;
  std::vector<float> point_norms_;       // ||x||^2
  std::vector<float> previous_;          // the last call's centroids, for their moves
  std::vector<float> bounds_;            // points x groups lower bounds
  std::vector<int64_t> labels_;
  std::vector<Nearest> nearest_;
  double scored_fraction_ = 1.0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_CLUSTER_BOUNDED_ASSIGNMENT_H_
