#include "tune/exact_neighbors.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {
namespace {

// Neighbours beyond the k-th that the Flat search returns so that ties with the k-th can
// be recognised; more ties than this are counted as if they were not.
constexpr int kTieSlack = 8;

// Whether `distance` is as close as the k-th one, within float rounding.
bool TiedOrCloser(float distance, float kth, Metric metric) {
  const float tolerance = 1e-5f * std::max(1.0f, std::fabs(kth));
  return metric == Metric::kL2 ? distance <= kth + tolerance : distance >= kth - tolerance;
}

}  // namespace

void ExactNeighbors::AddQuery(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids_.insert(ids_.end(), ids.begin(), ids.end());
  ++filled_;
  offsets_[filled_] = static_cast<int64_t>(ids_.size());
}

absl::StatusOr<ExactNeighbors> ExactNeighbors::FromGroundTruth(absl::Span<const int64_t> ids,
                                                               int64_t num_queries,
                                                               int ground_truth_k, int k) {
  if (ground_truth_k < k) {
    return absl::InvalidArgumentError(absl::StrCat("the ground truth holds ", ground_truth_k,
                                                   " neighbours per query, fewer than k = ", k));
  }
  if (static_cast<int64_t>(ids.size()) != num_queries * ground_truth_k) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the ground truth holds ", ids.size(), " ids; ", num_queries, " queries x ",
        ground_truth_k, " neighbours need ", num_queries * ground_truth_k));
  }
  ExactNeighbors neighbors(k, num_queries);
  for (int64_t q = 0; q < num_queries; ++q) {
    const int64_t* row = ids.data() + q * ground_truth_k;
    neighbors.AddQuery(std::vector<int64_t>(row, row + k));
  }
  return neighbors;
}

absl::StatusOr<ExactNeighbors> ExactNeighbors::FromDatabase(MatrixView database,
                                                            absl::Span<const int64_t> database_ids,
                                                            Metric metric, MatrixView queries,
                                                            int k, int num_threads) {
  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> flat, Index::Create("Flat", database.dim, metric));
  BuildOptions build;
  build.num_threads = num_threads;
  VQS_RETURN_IF_ERROR(flat->Add(database, database_ids, build));
  const int depth = static_cast<int>(std::min<int64_t>(flat->size(), int64_t{k} + kTieSlack));
  SearchParams params;
  params.num_threads = num_threads;
  SearchResults results;
  VQS_RETURN_IF_ERROR(flat->Search(queries, depth, params, &results));
  ExactNeighbors neighbors(k, queries.rows);
  for (int64_t q = 0; q < queries.rows; ++q) {
    const float* distances = results.distances_row(q);
    const int64_t* ids = results.ids_row(q);
    const int size = results.row_size(q);
    std::vector<int64_t> exact;
    for (int j = 0; j < size; ++j) {
      if (j >= k && !TiedOrCloser(distances[j], distances[k - 1], metric)) break;
      exact.push_back(ids[j]);
    }
    neighbors.AddQuery(std::move(exact));
  }
  return neighbors;
}

double ExactNeighbors::Recall(const SearchResults& results) const {
  if (filled_ == 0) return 0;
  int64_t found = 0;
  for (int64_t q = 0; q < filled_ && q < results.num_queries; ++q) {
    const auto begin = ids_.begin() + offsets_[q];
    const auto end = ids_.begin() + offsets_[q + 1];
    const int64_t* row = results.ids_row(q);
    for (int j = 0; j < std::min(k_, results.k); ++j) {
      if (row[j] >= 0 && std::binary_search(begin, end, row[j])) ++found;
    }
  }
  return static_cast<double>(found) / (static_cast<double>(filled_) * k_);
}

}  // namespace vqsearch::internal
