// The Pareto frontier of measured search settings in (recall, QPS): the points no other
// point beats on both at once. These are the only configurations worth choosing between,
// so the runner prints them apart from the full table and Tune returns them.

#ifndef VQSEARCH_TUNE_PARETO_H_
#define VQSEARCH_TUNE_PARETO_H_

#include <algorithm>
#include <cstddef>
#include <vector>

namespace vqsearch::internal {

struct RecallQps {
  double recall = 0;
  double qps = 0;
};

// Indices into `points` of the frontier, by increasing recall. A point is dropped when
// another has recall and QPS both at least as high; of exact duplicates one is kept.
inline std::vector<size_t> ParetoFrontier(const std::vector<RecallQps>& points) {
  std::vector<size_t> order(points.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Highest recall first, and at equal recall the fastest first, so a single sweep that
  // remembers the best QPS so far decides each point.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (points[a].recall != points[b].recall) return points[a].recall > points[b].recall;
    return points[a].qps > points[b].qps;
  });
  std::vector<size_t> frontier;
  for (size_t i : order) {
    if (frontier.empty() || points[i].qps > points[frontier.back()].qps) frontier.push_back(i);
  }
  std::reverse(frontier.begin(), frontier.end());
  return frontier;
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_TUNE_PARETO_H_
