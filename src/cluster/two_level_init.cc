// Two-level k-means initialization; see two_level_init.h.

#include "cluster/two_level_init.h"

#include <algorithm>
#include <cmath>

#include "util/row_sample.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

KMeansOptions LevelOptions(const KMeansOptions& options, int clusters, int iterations,
                           uint64_t seed) {
  KMeansOptions level;
  level.num_clusters = clusters;
  level.max_iterations = iterations;
  level.tolerance = options.tolerance;
  level.max_points_per_centroid = options.max_points_per_centroid;
  level.spherical = options.spherical;
  level.seed = seed;
  level.build.num_threads = options.build.num_threads;
  return level;
}

}  // namespace

std::vector<int> ClustersPerGroup(const std::vector<int64_t>& group_sizes, int k) {
  const int groups = static_cast<int>(group_sizes.size());
  int64_t total = 0;
  for (int64_t size : group_sizes) total += size;
  std::vector<int> clusters(groups, 0);
  std::vector<double> remainder(groups, 0.0);
  int assigned = 0;
  for (int g = 0; g < groups; ++g) {
    if (group_sizes[g] == 0) continue;
    const double share = static_cast<double>(k) * group_sizes[g] / total;
    clusters[g] = static_cast<int>(
        std::clamp<int64_t>(static_cast<int64_t>(share), 1, group_sizes[g]));
    remainder[g] = share - clusters[g];
    assigned += clusters[g];
  }
  // Rounding down (and the floor of one) leave a few clusters to hand out or take back,
  // fewer than the number of groups: one at a time, to the group its share favours most.
  while (assigned != k) {
    int chosen = -1;
    for (int g = 0; g < groups; ++g) {
      const bool eligible = assigned < k ? clusters[g] < group_sizes[g] : clusters[g] > 1;
      if (!eligible) continue;
      const bool better = chosen < 0 || (assigned < k ? remainder[g] > remainder[chosen]
                                                      : remainder[g] < remainder[chosen]);
      if (better) chosen = g;
    }
    const int step = assigned < k ? 1 : -1;
    clusters[chosen] += step;
    remainder[chosen] -= step;
    assigned += step;
  }
  return clusters;
}

absl::StatusOr<std::vector<float>> TwoLevelCentroids(MatrixView points,
                                                     const KMeansOptions& options,
                                                     int iterations) {
  const int k = options.num_clusters;
  const int dim = points.dim;
  const int top = std::clamp(static_cast<int>(std::lround(std::sqrt(k))), 1, k);
  // The top level trains on its own sample, as any k-means with few clusters would; every
  // point then joins its nearest top cluster.
  VQS_ASSIGN_OR_RETURN(const KMeansResult coarse,
                       KMeans(points, LevelOptions(options, top, iterations, options.seed)));
  VQS_ASSIGN_OR_RETURN(const std::vector<int64_t> labels,
                       AssignToCentroids(points, coarse.centroids_view(), options.spherical,
                                         options.build.num_threads));

  std::vector<std::vector<int64_t>> members(top);
  for (int64_t i = 0; i < points.rows; ++i) members[labels[i]].push_back(i);
  std::vector<int64_t> sizes(top);
  for (int g = 0; g < top; ++g) sizes[g] = static_cast<int64_t>(members[g].size());
  const std::vector<int> clusters = ClustersPerGroup(sizes, k);

  std::vector<float> centroids;
  centroids.reserve(static_cast<size_t>(k) * dim);
  for (int g = 0; g < top; ++g) {
    if (clusters[g] == 0) continue;
    const std::vector<float> group = GatherRows(points, members[g]);
    VQS_ASSIGN_OR_RETURN(
        const KMeansResult fine,
        KMeans(MatrixView(group, dim),
               LevelOptions(options, clusters[g], iterations, options.seed + 1 + g)));
    centroids.insert(centroids.end(), fine.centroids.begin(), fine.centroids.end());
  }
  return centroids;
}

}  // namespace vqsearch::internal
