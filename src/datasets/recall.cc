// recall@k computed the way ann-benchmarks computes it (vqsearch/recall.h), so that the
// numbers vqsearch reports can be set beside published ann-benchmarks results.

#include "vqsearch/recall.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace vqsearch {
namespace {

using DistanceFunction = double (*)(const float* a, const float* b, int dim);

double EuclideanDistance(const float* a, const float* b, int dim) {
  double sum = 0.0;
  for (int i = 0; i < dim; ++i) {
    const double diff = static_cast<double>(a[i]) - static_cast<double>(b[i]);
    sum += diff * diff;
  }
  return std::sqrt(sum);
}

double AngularDistance(const float* a, const float* b, int dim) {
  double dot = 0.0;
  double norm_a = 0.0;
  double norm_b = 0.0;
  for (int i = 0; i < dim; ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    norm_a += static_cast<double>(a[i]) * a[i];
    norm_b += static_cast<double>(b[i]) * b[i];
  }
  // A zero vector has no direction. Scoring its similarity as 0 (distance 1) keeps the
  // result finite and agrees with cosine indexes, which leave such a vector at zero.
  if (norm_a == 0.0 || norm_b == 0.0) return 1.0;
  return 1.0 - dot / (std::sqrt(norm_a) * std::sqrt(norm_b));
}

absl::StatusOr<DistanceFunction> FindDistance(const std::string& distance) {
  if (distance == "euclidean") return EuclideanDistance;
  if (distance == "angular") return AngularDistance;
  return absl::InvalidArgumentError(absl::StrCat(
      "unsupported distance \"", distance, "\"; expected \"euclidean\" or \"angular\""));
}

}  // namespace

absl::StatusOr<double> AnnDistance(const std::string& distance, const float* a, const float* b,
                                   int dim) {
  VQS_ASSIGN_OR_RETURN(const DistanceFunction function, FindDistance(distance));
  if (dim <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("dimension ", dim, " is not positive"));
  }
  if (a == nullptr || b == nullptr) {
    return absl::InvalidArgumentError("AnnDistance needs two vectors; got a null pointer");
  }
  return function(a, b, dim);
}

absl::StatusOr<double> AnnRecall(const AnnDataset& dataset, const SearchResults& results,
                                 int k) {
  VQS_ASSIGN_OR_RETURN(const DistanceFunction distance, FindDistance(dataset.distance));
  if (k <= 0) return absl::InvalidArgumentError(absl::StrCat("k = ", k, " is not positive"));
  if (dataset.dim <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the dataset's dimension ", dataset.dim, " is not positive"));
  }
  const int64_t num_queries = dataset.num_test();
  if (num_queries == 0) {
    return absl::InvalidArgumentError("the dataset has no test vectors to measure recall on");
  }
  if (k > dataset.gt_k) {
    return absl::InvalidArgumentError(absl::StrCat(
        "k = ", k, " exceeds the ", dataset.gt_k, " ground-truth neighbours per query"));
  }
  if (dataset.distances.size() != static_cast<size_t>(num_queries) * dataset.gt_k) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the dataset holds ", dataset.distances.size(), " ground-truth distances; expected ",
        num_queries, " test vectors x gt_k ", dataset.gt_k));
  }
  if (results.num_queries != num_queries) {
    return absl::InvalidArgumentError(absl::StrCat("the results answer ", results.num_queries,
                                                   " queries but the dataset has ", num_queries,
                                                   " test vectors"));
  }
  if (k > results.k) {
    return absl::InvalidArgumentError(
        absl::StrCat("k = ", k, " exceeds the ", results.k, " results per query"));
  }
  if (results.ids.size() != static_cast<size_t>(num_queries) * results.k) {
    return absl::InvalidArgumentError(absl::StrCat("the results hold ", results.ids.size(),
                                                   " ids; expected ", num_queries, " queries x ",
                                                   results.k));
  }

  const int64_t num_train = dataset.num_train();
  const MatrixView train = dataset.train_view();
  const MatrixView test = dataset.test_view();
  double recall_sum = 0.0;
  for (int64_t q = 0; q < num_queries; ++q) {
    // The k-th true distance plus epsilon, so that results tied with the k-th neighbour
    // (and float rounding in whoever computed the ground truth) count as correct.
    const double threshold =
        static_cast<double>(dataset.distances[q * dataset.gt_k + k - 1]) + kRecallEpsilon;
    const int64_t* ids = results.ids_row(q);
    int counted = 0;
    for (int j = 0; j < k; ++j) {
      if (ids[j] == -1) continue;  // padding: the index found fewer than k vectors
      if (ids[j] < 0 || ids[j] >= num_train) {
        return absl::OutOfRangeError(absl::StrCat("result ", j, " of query ", q, " has id ",
                                                  ids[j], ", outside the train ids [0, ",
                                                  num_train, ")"));
      }
      if (distance(test.row(q), train.row(ids[j]), dataset.dim) <= threshold) ++counted;
    }
    recall_sum += static_cast<double>(counted) / k;
  }
  return recall_sum / static_cast<double>(num_queries);
}

}  // namespace vqsearch
