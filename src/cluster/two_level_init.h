// Starting centroids for k-means with many clusters, from a two-level clustering: the
// points are first split into about sqrt(k) clusters, then each of those into clusters
// of its own, as many as its share of the points. Each point is compared with
// ~sqrt(k) + k_i centroids instead of k, so an iteration of either level costs about
// 2 / sqrt(k) of a Lloyd iteration over all k (1/16 at k = 1024), and the centroids it
// gives are already near a local optimum: the Lloyd iterations that follow move them
// little, which is what lets Yinyang bounds (bounded_assignment.h) skip most of their
// work, and a few of them do what ten do from random rows. (FAISS offers the same
// scheme as a Python recipe, contrib.clustering.two_level_clustering.)
//
// Deterministic for a seed, whatever the thread count.

#ifndef VQSEARCH_CLUSTER_TWO_LEVEL_INIT_H_
#define VQSEARCH_CLUSTER_TWO_LEVEL_INIT_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "vqsearch/kmeans.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// How many of `k` clusters each group of points gets: in proportion to `group_sizes`
// (largest remainders first), at least one for every non-empty group and never more
// than its points. Requires k <= the sum of the sizes and k >= the non-empty groups.
std::vector<int> ClustersPerGroup(const std::vector<int64_t>& group_sizes, int k);

// options.num_clusters centroids (row-major) for the rows of `points` (already checked
// and sampled). Uses options' seed, spherical mode and threads; each level runs
// `iterations` Lloyd iterations from random rows, silently.
absl::StatusOr<std::vector<float>> TwoLevelCentroids(MatrixView points,
                                                     const KMeansOptions& options,
                                                     int iterations);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_CLUSTER_TWO_LEVEL_INIT_H_
