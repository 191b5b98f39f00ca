// Yinyang-bounded k-means assignment; see bounded_assignment.h.

#include "cluster/bounded_assignment.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <utility>

#include "linalg/gemm.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"

namespace vqsearch::internal {
namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();
// The cost of scoring a pair group by group relative to scoring it against all centroids.
constexpr int64_t kGroupPairCost = 2;
// Points per sgemm call: OpenBLAS packs the centroids on every call, so against all
// centroids many points per call amortize that (as in search/nearest_rows.cc); 6 MiB at
// dim 784.
constexpr int64_t kChunk = 2048;

// A squared distance computed as ||x||^2 + ||c||^2 - 2 x.c in float is off by up to
// about dim * epsilon * (||x||^2 + ||c||^2) (`slack`); a bound must not exceed the truth.
float LowerDistance(float squared, float slack) {
  return std::sqrt(std::max(squared - slack, 0.0f));
}

}  // namespace

BoundedAssignment::BoundedAssignment(MatrixView points, std::vector<int> group_of_centroid,
                                     bool spherical, int num_threads)
    : points_(points),
      spherical_(spherical),
      threads_(ResolveThreadCount(num_threads)),
      group_of_centroid_(std::move(group_of_centroid)) {
  const int64_t k = static_cast<int64_t>(group_of_centroid_.size());
  // Groups are renumbered in order of first use, so none is empty.
  std::vector<int> renumbered(
      1 + *std::max_element(group_of_centroid_.begin(), group_of_centroid_.end()), -1);
  num_groups_ = 0;
  for (int& group : group_of_centroid_) {
    if (renumbered[group] < 0) renumbered[group] = num_groups_++;
    group = renumbered[group];
  }
  group_begin_.assign(num_groups_ + 1, 0);
  for (int group : group_of_centroid_) ++group_begin_[group + 1];
  for (int g = 0; g < num_groups_; ++g) group_begin_[g + 1] += group_begin_[g];
  grouped_order_.resize(k);
  std::vector<int64_t> fill(group_begin_.begin(), group_begin_.end() - 1);
  for (int64_t c = 0; c < k; ++c) grouped_order_[fill[group_of_centroid_[c]]++] = c;

  point_norms_.resize(points.rows);
  SquaredNorms(points, point_norms_.data());
  // No centroid is known yet: every bound is uninformative, so the first Assign scores all.
  bounds_.assign(static_cast<size_t>(points.rows) * num_groups_, -kInfinity);
  labels_.assign(points.rows, -1);
  nearest_.resize(points.rows);
}

double BoundedAssignment::Assign(MatrixView centroids) {
  const int64_t n = points_.rows;
  const int dim = points_.dim;
  const int64_t k = centroids.rows;
  // Sums of `dim` non-negative float terms are within a factor of this of the truth.
  const float round_up = 1.0f + static_cast<float>(dim) * FLT_EPSILON;

  std::vector<float> norms(k);
  SquaredNorms(centroids, norms.data());
  grouped_centroids_.resize(static_cast<size_t>(k) * dim);
  grouped_norms_.resize(k);
  for (int64_t r = 0; r < k; ++r) {
    std::copy_n(centroids.row(grouped_order_[r]), dim, grouped_centroids_.data() + r * dim);
    grouped_norms_[r] = spherical_ ? 1.0f : norms[grouped_order_[r]];
  }
  max_norm_ = *std::max_element(grouped_norms_.begin(), grouped_norms_.end());

  // The largest move of a centroid in each group. Spherical distances are to unit
  // centroids; a zero centroid scores like a unit vector orthogonal to the point, so a
  // move from or to it is at most the sphere's diameter, 2.
  std::vector<float> group_move(num_groups_, 0.0f);
  if (!previous_.empty()) {
    for (int64_t c = 0; c < k; ++c) {
      const float* before = previous_.data() + c * dim;
      float move = std::sqrt(SquaredL2(before, centroids.row(c), dim)) * round_up;
      if (spherical_ && (norms[c] == 0.0f || SquaredNorm(before, dim) == 0.0f)) move = 2.0f;
      float& largest = group_move[group_of_centroid_[c]];
      largest = std::max(largest, move);
    }
  }
  previous_.assign(centroids.data, centroids.data + static_cast<size_t>(k) * dim);

  // Every bound drops by its group's largest move; each point starts from its current
  // centroid at its exact distance.
  const int64_t point_chunks = (n + kChunk - 1) / kChunk;
  ParallelFor(point_chunks, threads_, [&](int64_t chunk, int) {
    for (int64_t i = chunk * kChunk; i < std::min(n, (chunk + 1) * kChunk); ++i) {
      float* bound = bounds_.data() + i * num_groups_;
      for (int g = 0; g < num_groups_; ++g) bound[g] -= group_move[g];
      const int64_t label = labels_[i];
      if (label < 0) {
        nearest_[i] = {kInfinity, kInfinity, -1, -1, -kInfinity};
        continue;
      }
      // Spherical: ||x||^2 + 1 - 2 x.c, the distance to c as a unit vector (for a zero c,
      // to a unit vector orthogonal to x).
      const float squared = SquaredL2(points_.row(i), centroids.row(label), dim) +
                            (spherical_ ? 1.0f - norms[label] : 0.0f);
      const float distance = std::sqrt(std::max(squared, 0.0f));
      const int group = group_of_centroid_[label];
      nearest_[i] = {distance, distance / round_up, label, group, bound[group]};
    }
  });

  // The groups that may hold a closer centroid, point by point.
  std::vector<std::vector<int64_t>> members(num_groups_);
  std::vector<int64_t> any_member;
  int64_t pairs = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float* bound = bounds_.data() + i * num_groups_;
    const float distance = nearest_[i].distance * round_up;
    const size_t before = any_member.size();
    for (int g = 0; g < num_groups_; ++g) {
      if (bound[g] < distance) {
        members[g].push_back(i);
        pairs += group_begin_[g + 1] - group_begin_[g];
        if (any_member.size() == before) any_member.push_back(i);
      }
    }
  }
  // An sgemm against one group's centroids with gathered points costs about twice as much
  // per pair as one against all centroids, so when bounds prune little (the first call,
  // data without clusters) the points with any group to score are scored against all.
  const int64_t all_pairs = static_cast<int64_t>(any_member.size()) * k;
  if (all_pairs <= kGroupPairCost * pairs) {
    ScoreGroups(0, num_groups_, any_member, dim);
    pairs = all_pairs;
  } else {
    for (int g = 0; g < num_groups_; ++g) ScoreGroups(g, g + 1, members[g], dim);
  }
  scored_fraction_ = static_cast<double>(pairs) / (static_cast<double>(n) * k);

  double objective = 0;
  for (int64_t i = 0; i < n; ++i) {
    const Nearest& best = nearest_[i];
    bounds_[i * num_groups_ + best.group] = best.group_bound;
    labels_[i] = best.label;
    const double squared = double{best.distance} * best.distance;
    objective += spherical_ ? (1.0 - point_norms_[i] + squared) / 2 : squared;
  }
  return objective;
}

void BoundedAssignment::ScoreGroups(int first_group, int end_group,
                                    const std::vector<int64_t>& members, int dim) {
  const int64_t begin = group_begin_[first_group];
  const int64_t size = group_begin_[end_group] - begin;
  if (members.empty()) return;
  const MatrixView centroids(grouped_centroids_.data() + begin * dim, size, dim);
  const int64_t count = static_cast<int64_t>(members.size());
  const int64_t chunks = (count + kChunk - 1) / kChunk;
  const int threads = static_cast<int>(std::min<int64_t>(threads_, chunks));
  // Scratch lives for this call only: kept thread_local, a gather block and a score tile
  // (~8 MiB at d = 784) stayed resident in every worker after training.
  struct Scratch {
    std::vector<float> block, tile;
  };
  std::vector<Scratch> scratch(std::max(threads, 1));
  ParallelFor(chunks, threads, [&](int64_t chunk, int worker) {
    std::vector<float>& block = scratch[worker].block;
    std::vector<float>& tile = scratch[worker].tile;
    const int64_t first = chunk * kChunk;
    const int64_t rows = std::min(kChunk, count - first);
    const int64_t* ids = members.data() + first;
    MatrixView points = points_.Slice(ids[0], rows);
    if (ids[rows - 1] - ids[0] != rows - 1) {  // not a run of consecutive points: gather
      block.resize(static_cast<size_t>(rows) * dim);
      for (int64_t r = 0; r < rows; ++r) std::copy_n(points_.row(ids[r]), dim, block.data() + r * dim);
      points = MatrixView(block.data(), rows, dim);
    }
    tile.resize(static_cast<size_t>(rows) * size);
    InnerProducts(points, centroids, -2.0f, 0.0f, tile.data(), size);
    for (int64_t r = 0; r < rows; ++r) {
      for (int group = first_group; group < end_group; ++group) {
        Offer(ids[r], group, tile.data() + r * size + (group_begin_[group] - begin), dim);
      }
    }
  });
}

void BoundedAssignment::Offer(int64_t i, int group, const float* products, int dim) {
  // Scores ||c||^2 - 2 x.c order the centroids by ||x - c||. Most groups hold no closer
  // centroid and only need their minimum (vectorized) for their bound.
  const int64_t begin = group_begin_[group];
  const int64_t size = group_begin_[group + 1] - begin;
  const float* norms = grouped_norms_.data() + begin;
  const float norm = point_norms_[i];
  const float slack = static_cast<float>(dim) * FLT_EPSILON * (norm + max_norm_);
  Nearest& best = nearest_[i];
  const float minimum = MinWithOffsets(products, norms, 1, 0.0f, size);
  if (best.group != group && std::sqrt(std::max(norm + minimum, 0.0f)) > best.distance) {
    bounds_[i * num_groups_ + group] = LowerDistance(norm + minimum, slack);
    return;
  }
  float first_score = kInfinity, second_score = kInfinity;
  int64_t first_index = 0;
  for (int64_t j = 0; j < size; ++j) {
    const float score = products[j] + norms[j];
    if (score < first_score) {
      second_score = first_score;
      first_score = score;
      first_index = j;
    } else if (score < second_score) {
      second_score = score;
    }
  }
  const float distance = std::sqrt(std::max(norm + first_score, 0.0f));
  const float lower = LowerDistance(norm + first_score, slack);
  const int64_t label = grouped_order_[begin + first_index];
  // Ties go to the lower centroid index, as in AssignToCentroids. A point without a
  // label takes the first candidate whatever its distance, so every point gets one.
  if (best.group == group || best.label < 0 || distance < best.distance ||
      (distance == best.distance && label < best.label)) {
    // The old nearest, unless in this group, now bounds its group's other centroids.
    if (best.group >= 0 && best.group != group) {
      bounds_[i * num_groups_ + best.group] = std::min(best.group_bound, best.lower_distance);
    }
    best = {distance, lower, label, group, LowerDistance(norm + second_score, slack)};
  } else {
    bounds_[i * num_groups_ + group] = lower;
  }
}

}  // namespace vqsearch::internal
