// The exact neighbours a tuning sample is scored against, and recall@k against them. Per
// query they are the k nearest ids and, when computed here, every further id tied with
// the k-th distance, so that which of several equidistant vectors an index returns does
// not count against it (held-out training data often holds duplicates).

#ifndef VQSEARCH_TUNE_EXACT_NEIGHBORS_H_
#define VQSEARCH_TUNE_EXACT_NEIGHBORS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/metric.h"
#include "vqsearch/search_params.h"

namespace vqsearch::internal {

class ExactNeighbors {
 public:
  // From caller-given ground truth: num_queries x ground_truth_k ids, closest first; the
  // first k of each row count.
  static absl::StatusOr<ExactNeighbors> FromGroundTruth(absl::Span<const int64_t> ids,
                                                        int64_t num_queries, int ground_truth_k,
                                                        int k);
  // Computed by a Flat index holding `database` (with `database_ids`, or 0, 1, ...).
  static absl::StatusOr<ExactNeighbors> FromDatabase(MatrixView database,
                                                     absl::Span<const int64_t> database_ids,
                                                     Metric metric, MatrixView queries, int k,
                                                     int num_threads);

  // The mean over queries of (returned ids among the first k that are true neighbours) / k.
  double Recall(const SearchResults& results) const;

 private:
  ExactNeighbors(int k, int64_t num_queries) : k_(k), offsets_(1 + num_queries, 0) {}
  // Appends one query's true ids (sorted here).
  void AddQuery(std::vector<int64_t> ids);

  int k_;
  std::vector<int64_t> offsets_;  // query q's ids are ids_[offsets_[q], offsets_[q + 1])
  std::vector<int64_t> ids_;
  int64_t filled_ = 0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_TUNE_EXACT_NEIGHBORS_H_
