// Lloyd's k-means with BLAS assignment; see vqsearch/kmeans.h for the contract.

#include "vqsearch/kmeans.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>

#include "absl/strings/str_cat.h"
#include "cluster/bounded_assignment.h"
#include "cluster/direct_assignment.h"
#include "cluster/two_level_init.h"
#include "linalg/gemm.h"
#include "search/nearest_rows.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"
#include "util/progress_reporter.h"
#include "util/row_sample.h"
#include "util/status_macros.h"
#include "linalg/vector_checks.h"

namespace vqsearch {
namespace {

using internal::ParallelFor;
using internal::Accumulate;
using internal::AccumulateDouble;
using internal::GatherRows;

// Rows summed in float before their total joins the double-precision cluster sum.
constexpr int64_t kRowsPerPartial = 64;
// Centroids per group of the bounded assignment. Smaller groups have tighter bounds but
// make smaller, less efficient sgemm operands.
constexpr int kCentroidsPerGroup = 32;
// Lloyd iterations of each level of the two-level initialization (FAISS's IVF default).
constexpr int kTwoLevelIterations = 10;
using internal::ResolveThreadCount;

// Greedy k-means++: each next centroid is the best, by the resulting sum of squared
// distances, of 2 + ln(k) candidates drawn with probability proportional to their squared
// distance to the nearest centroid so far (D^2 sampling, Arthur & Vassilvitskii). Plain
// D^2 sampling picks a second seed inside an already-covered cluster surprisingly often
// once most clusters are covered; trying a few candidates makes that rare.
std::vector<float> KMeansPlusPlus(MatrixView points, int k, int num_threads, std::mt19937_64* rng) {
  const int dim = points.dim;
  const int candidates = 2 + static_cast<int>(std::log(k));
  std::vector<float> centroids(static_cast<size_t>(k) * dim);
  std::uniform_int_distribution<int64_t> first(0, points.rows - 1);
  std::copy_n(points.row(first(*rng)), dim, centroids.data());
  std::vector<double> nearest(points.rows);
  for (int64_t i = 0; i < points.rows; ++i) {
    nearest[i] = internal::SquaredL2(points.row(i), centroids.data(), dim);
  }
  // trial[t * n + i]: nearest[i] if candidate t were added.
  std::vector<double> trial(static_cast<size_t>(candidates) * points.rows);
  std::vector<int64_t> drawn(candidates);
  constexpr int64_t kChunk = 1024;
  const int64_t chunks = (points.rows + kChunk - 1) / kChunk;
  for (int c = 1; c < k; ++c) {
    const double total = std::accumulate(nearest.begin(), nearest.end(), 0.0);
    for (int t = 0; t < candidates; ++t) {
      double target = total > 0 ? std::uniform_real_distribution<double>(0.0, total)(*rng) : 0;
      drawn[t] = std::uniform_int_distribution<int64_t>(0, points.rows - 1)(*rng);
      for (int64_t i = 0; i < points.rows && total > 0; ++i) {
        target -= nearest[i];
        if (target < 0) {
          drawn[t] = i;
          break;
        }
      }
    }
    ParallelFor(chunks, num_threads, [&](int64_t chunk, int) {
      const int64_t end = std::min(points.rows, (chunk + 1) * kChunk);
      for (int t = 0; t < candidates; ++t) {
        const float* candidate = points.row(drawn[t]);
        for (int64_t i = chunk * kChunk; i < end; ++i) {
          trial[t * points.rows + i] =
              std::min<double>(nearest[i], internal::SquaredL2(points.row(i), candidate, dim));
        }
      }
    });
    int best = 0;
    double best_potential = std::numeric_limits<double>::infinity();
    for (int t = 0; t < candidates; ++t) {
      const double* row = trial.data() + t * points.rows;
      const double potential = std::accumulate(row, row + points.rows, 0.0);
      if (potential < best_potential) {
        best_potential = potential;
        best = t;
      }
    }
    std::copy_n(trial.data() + best * points.rows, points.rows, nearest.data());
    std::copy_n(points.row(drawn[best]), dim, centroids.data() + static_cast<size_t>(c) * dim);
  }
  return centroids;
}

// Sets every non-empty centroid to the mean of its points (normalized when spherical).
// `counts` receives the cluster sizes. Points are first ordered by cluster (a stable
// counting sort) so each cluster's sum streams through its rows in point order, in
// double: the result is the same whichever thread sums which cluster.
void UpdateCentroids(MatrixView points, const std::vector<int64_t>& labels, int k, bool spherical,
                     int num_threads, std::vector<float>* centroids, std::vector<int64_t>* counts) {
  const int dim = points.dim;
  counts->assign(k, 0);
  for (int64_t label : labels) ++(*counts)[label];
  std::vector<int64_t> begin(k + 1, 0);
  for (int c = 0; c < k; ++c) begin[c + 1] = begin[c] + (*counts)[c];
  std::vector<int64_t> order(points.rows);
  {
    std::vector<int64_t> fill(begin.begin(), begin.end() - 1);
    for (int64_t i = 0; i < points.rows; ++i) order[fill[labels[i]]++] = i;
  }
  const int threads = static_cast<int>(std::min<int64_t>(ResolveThreadCount(num_threads), k));
  std::vector<std::vector<double>> sums(threads, std::vector<double>(dim));
  std::vector<std::vector<float>> partials(threads, std::vector<float>(dim));
  ParallelFor(k, threads, [&](int64_t c, int worker) {
    if ((*counts)[c] == 0) return;
    double* sum = sums[worker].data();
    float* partial = partials[worker].data();
    std::fill_n(sum, dim, 0.0);
    // Runs of kRowsPerPartial rows are summed in float (twice the SIMD width of double),
    // each run's total then in double: float error stays that of a short sum.
    for (int64_t run = begin[c]; run < begin[c + 1]; run += kRowsPerPartial) {
      std::fill_n(partial, dim, 0.0f);
      const int64_t run_end = std::min(begin[c + 1], run + kRowsPerPartial);
      for (int64_t i = run; i < run_end; ++i) Accumulate(points.row(order[i]), dim, partial);
      AccumulateDouble(partial, dim, sum);
    }
    float* centroid = centroids->data() + c * dim;
    const double inverse = 1.0 / static_cast<double>((*counts)[c]);
    for (int j = 0; j < dim; ++j) centroid[j] = static_cast<float>(sum[j] * inverse);
  });
  if (spherical) internal::NormalizeRows(centroids->data(), k, dim);
}

// Moves each empty cluster's centroid next to the centroid of a cluster drawn with
// probability proportional to its size, and halves that cluster's count so later draws
// see the split. The split cluster keeps its centroid (its mean), so the objective of the
// current assignment is unchanged and the next assignment can only lower it.
int64_t SplitIntoEmptyClusters(int k, int dim, bool spherical, std::mt19937_64* rng,
                               std::vector<float>* centroids, std::vector<int64_t>* counts) {
  int64_t splits = 0;
  for (int empty = 0; empty < k; ++empty) {
    if ((*counts)[empty] != 0) continue;
    int64_t total = 0;
    for (int64_t count : *counts) total += std::max<int64_t>(count - 1, 0);
    if (total == 0) break;  // every cluster holds one point: nothing can be split
    int64_t target = std::uniform_int_distribution<int64_t>(0, total - 1)(*rng);
    int source = 0;
    for (; source < k; ++source) {
      target -= std::max<int64_t>((*counts)[source] - 1, 0);
      if (target < 0) break;
    }
    const float* from = centroids->data() + static_cast<size_t>(source) * dim;
    float* to = centroids->data() + static_cast<size_t>(empty) * dim;
    double rms = 0;
    for (int j = 0; j < dim; ++j) rms += double{from[j]} * from[j];
    // A small step in a random sign pattern: the two centroids then split the points.
    const float step = static_cast<float>(std::sqrt(rms / dim) / 1024.0 + 1e-7);
    std::bernoulli_distribution sign(0.5);
    for (int j = 0; j < dim; ++j) to[j] = from[j] + (sign(*rng) ? step : -step);
    if (spherical) internal::NormalizeRows(to, 1, dim);
    (*counts)[empty] = (*counts)[source] / 2;
    (*counts)[source] -= (*counts)[empty];
    ++splits;
  }
  return splits;
}

absl::Status CheckOptions(MatrixView points, const KMeansOptions& options) {
  if (options.num_clusters < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("k-means needs num_clusters >= 1, got ", options.num_clusters));
  }
  if (options.num_clusters > points.rows) {
    return absl::InvalidArgumentError(absl::StrCat("k-means cannot make ", options.num_clusters,
                                                   " clusters from ", points.rows, " points"));
  }
  if (options.max_iterations < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("k-means needs max_iterations >= 1, got ", options.max_iterations));
  }
  if (!(options.tolerance >= 0)) {
    return absl::InvalidArgumentError("k-means tolerance must be >= 0");
  }
  if (options.max_points_per_centroid < 0) {
    return absl::InvalidArgumentError("k-means max_points_per_centroid must be >= 0");
  }
  if (points.dim < 1) return absl::InvalidArgumentError("k-means needs dimension >= 1");
  if (!options.initial_centroids.empty()) {
    const size_t expected = static_cast<size_t>(options.num_clusters) * points.dim;
    if (options.initial_centroids.size() != expected) {
      return absl::InvalidArgumentError(absl::StrCat(
          "k-means initial_centroids holds ", options.initial_centroids.size(), " values; ",
          options.num_clusters, " centroids of dimension ", points.dim, " need ", expected));
    }
    VQS_RETURN_IF_ERROR(internal::CheckVectors(
        MatrixView(options.initial_centroids, points.dim), points.dim, "k-means initial centroids"));
  }
  VQS_RETURN_IF_ERROR(internal::CheckVectors(points, points.dim, "k-means points"));
  return internal::CheckSquaredNormsRepresentable(points, "k-means points");
}

// The nearest centroid of every (already checked) point: ids are centroid indices,
// distances squared L2 or, when spherical, inner products.
absl::StatusOr<SearchResults> NearestCentroids(MatrixView points, MatrixView centroids,
                                               bool spherical, int num_threads) {
  // Approximate GEMM scores are enough to pick a centroid: no exact re-ranking.
  internal::NearestRowsOptions options;
  options.l2 = !spherical;
  options.exact_rerank = false;
  options.num_threads = num_threads;
  std::vector<float> squared_norms;
  if (options.l2) {
    squared_norms.resize(centroids.rows);
    internal::SquaredNorms(centroids, squared_norms.data());
  }
  SearchResults results;
  internal::NearestRows(points, internal::SearchedRows{centroids, squared_norms.data()}, 1,
                        options, &results);
  return results;
}

// The groups of the bounded assignment: a small k-means of the initial centroids, so a
// group's centroids are near one another and a point far from one is far from all.
// The bounds take at most as much memory as the points (no more groups than dim).
absl::StatusOr<std::vector<int>> GroupCentroids(MatrixView centroids, uint64_t seed,
                                                int num_threads) {
  const int groups = static_cast<int>(std::min<int64_t>(
      centroids.dim, std::max<int64_t>(1, centroids.rows / kCentroidsPerGroup)));
  if (groups == 1) return std::vector<int>(centroids.rows, 0);
  KMeansOptions options;
  options.num_clusters = groups;
  options.max_iterations = 5;
  options.max_points_per_centroid = 0;
  options.seed = seed;
  options.build.num_threads = num_threads;
  VQS_ASSIGN_OR_RETURN(const KMeansResult grouping, KMeans(centroids, options));
  VQS_ASSIGN_OR_RETURN(const std::vector<int64_t> labels,
                       AssignToCentroids(centroids, grouping.centroids_view(), false, num_threads));
  return std::vector<int>(labels.begin(), labels.end());
}

}  // namespace

absl::StatusOr<std::vector<int64_t>> AssignToCentroids(MatrixView points, MatrixView centroids,
                                                       bool spherical, int num_threads) {
  const internal::SingleThreadedBlas single_threaded_blas;
  if (centroids.rows < 1) return absl::InvalidArgumentError("no centroids to assign to");
  VQS_RETURN_IF_ERROR(internal::CheckVectors(centroids, centroids.dim, "centroids"));
  VQS_RETURN_IF_ERROR(internal::CheckVectors(points, centroids.dim, "points"));
  if (points.rows == 0) return std::vector<int64_t>();
  VQS_ASSIGN_OR_RETURN(SearchResults nearest,
                       NearestCentroids(points, centroids, spherical, num_threads));
  return internal::NearestRowLabels(std::move(nearest), "point");
}

absl::StatusOr<KMeansResult> KMeans(MatrixView points, const KMeansOptions& options) {
  const internal::SingleThreadedBlas single_threaded_blas;
  VQS_RETURN_IF_ERROR(CheckOptions(points, options));
  const internal::ProgressReporter progress("kmeans", options.max_iterations, options.build.progress);
  const int k = options.num_clusters;
  const int dim = points.dim;
  const int threads = ResolveThreadCount(options.build.num_threads);
  std::mt19937_64 rng(options.seed);

  // Train on a deterministic sample when there are many more points than needed.
  KMeansResult result;
  result.dim = dim;
  std::vector<float> sample;
  const int64_t sample_size = static_cast<int64_t>(options.max_points_per_centroid) * k;
  if (options.max_points_per_centroid > 0 && points.rows > sample_size) {
    result.sample_rows = internal::RandomRows(points.rows, sample_size, &rng);
    sample = GatherRows(points, result.sample_rows);
    points = MatrixView(sample, dim);
  }

  if (!options.initial_centroids.empty()) {
    result.centroids = options.initial_centroids;
  } else if (options.init == KMeansInit::kKMeansPlusPlus) {
    result.centroids = KMeansPlusPlus(points, k, threads, &rng);
  } else if (options.init == KMeansInit::kTwoLevel) {
    VQS_ASSIGN_OR_RETURN(result.centroids,
                         internal::TwoLevelCentroids(points, options, kTwoLevelIterations));
  } else {
    result.centroids = GatherRows(points, internal::RandomRows(points.rows, k, &rng));
  }
  if (options.spherical) internal::NormalizeRows(result.centroids.data(), k, dim);

  std::unique_ptr<internal::AssignmentStep> step;
  if (internal::DirectAssignment::Suits(k, dim)) {
    step = std::make_unique<internal::DirectAssignment>(points, options.spherical, threads);
  } else {
    VQS_ASSIGN_OR_RETURN(std::vector<int> groups,
                         GroupCentroids(result.centroids_view(), options.seed, threads));
    step = std::make_unique<internal::BoundedAssignment>(points, std::move(groups),
                                                         options.spherical, threads);
  }
  internal::AssignmentStep& assignment = *step;
  std::vector<int64_t> counts;
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    const double objective = assignment.Assign(result.centroids_view());
    result.objective_history.push_back(objective);

    UpdateCentroids(points, assignment.labels(), k, options.spherical, threads, &result.centroids,
                    &counts);
    result.empty_cluster_splits +=
        SplitIntoEmptyClusters(k, dim, options.spherical, &rng, &result.centroids, &counts);

    if (!progress.Report(iteration + 1, objective)) {
      return absl::CancelledError(absl::StrCat("k-means cancelled after iteration ", iteration + 1));
    }
    if (iteration > 0) {
      const double previous = result.objective_history[iteration - 1];
      if (previous - objective <= options.tolerance * std::abs(previous)) break;
    }
  }
  result.labels = assignment.labels();
  return result;
}

}  // namespace vqsearch
