// File: vqsearch/tune.h
//
// Auto-tuning to a recall target: Tune finds the cheapest search parameters (the highest
// measured queries per second) with which an index reaches recall@k >= target on a sample
// of queries, by measuring the index itself. The sample may be real queries or a
// held-out part of the training data (vectors that were not added).
//
// The exact neighbours come from the caller (TuneOptions::ground_truth) or are computed
// by an exact Flat index over the vectors the index holds (TuneOptions::database).
//
// The search walks the parameters the index takes (Index::search_params) rather than a
// grid: the primary parameter (nprobe, or the only one) is raised by doubling until the
// target is met and then bisected down to the smallest value that meets it; the secondary
// one (refine_factor) steps through a geometric grid, and because more re-ranking never
// needs more lists, each step's bisection starts below the previous step's answer. The
// walk stops once the primary is at its minimum or the measured QPS has fallen for two
// grid steps. Every point measured is returned with the Pareto set among them.

#ifndef VQSEARCH_TUNE_H_
#define VQSEARCH_TUNE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "vqsearch/export.h"
#include "vqsearch/index.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/search_params.h"

namespace vqsearch {

struct TuneOptions {
  // Exact neighbours given by the caller: queries.rows x ground_truth_k ids (the ids the
  // index returns), closest first, ground_truth_k >= k. Leave empty to use `database`.
  absl::Span<const int64_t> ground_truth;
  int ground_truth_k = 0;
  // Or the vectors the index holds (all of them), from which a Flat index computes the
  // exact neighbours; `database_ids` when they were added with ids, else 0, 1, ...
  MatrixView database;
  absl::Span<const int64_t> database_ids;
  // Threads of every measured search (QPS depends on it): 1 = the calling thread.
  int num_threads = 1;
  // Timed searches of the whole sample per point; the fastest counts.
  int runs = 3;
  // The largest refine_factor tried.
  int max_refine_factor = 64;
};

// One measured setting: the value of each tuned parameter, by SetSearchParam's names.
struct TunePoint {
  std::vector<std::pair<std::string, int>> params;
  double recall = 0;  // recall@k on the sample
  double qps = 0;     // best of `runs` batched searches of the sample
};

struct TuneResult {
  // The fastest measured point reaching the target; when none does, the point with the
  // highest recall (then target_reached is false).
  TunePoint best;
  bool target_reached = false;
  // `best` as search parameters (num_threads left at its default).
  SearchParams params;
  std::vector<TunePoint> explored;  // every point measured, in the order measured
  std::vector<TunePoint> pareto;    // those no other beats on recall and QPS, by recall
};

// Errors: InvalidArgument for target_recall outside (0, 1], k < 1 or above the index's
// size, an empty sample or one of the wrong dimension, missing, doubled or mis-sized
// ground truth or database; FailedPrecondition for an untrained or empty index.
VQS_EXPORT absl::StatusOr<TuneResult> Tune(const Index& index, MatrixView queries, int k,
                                double target_recall, const TuneOptions& options = {});

}  // namespace vqsearch

#endif  // VQSEARCH_TUNE_H_
