// File: vqsearch/recall.h
//
// recall@k exactly as ann-benchmarks computes it: for each query, a returned neighbour
// counts when its true distance to the query (recomputed from the vectors, in the
// dataset's distance) is at most the k-th ground-truth distance plus epsilon = 1e-3.
// Counting by distance, not by id, makes ties at the k-th distance count correctly.

#ifndef VQSEARCH_RECALL_H_
#define VQSEARCH_RECALL_H_

#include "absl/status/statusor.h"
#include "vqsearch/dataset.h"
#include "vqsearch/export.h"
#include "vqsearch/search_params.h"

namespace vqsearch {

inline constexpr double kRecallEpsilon = 1e-3;

// The mean over queries of (counted neighbours among the first k results) / k.
// `results` must hold dataset.num_test() queries with at least k results each, ids
// indexing dataset.train; k must not exceed dataset.gt_k. Ids of -1 never count.
VQS_EXPORT absl::StatusOr<double> AnnRecall(const AnnDataset& dataset, const SearchResults& results, int k);

// The distance ann-benchmarks uses for `distance` ("euclidean": L2, "angular":
// 1 - cosine similarity) between two vectors of length dim, in double precision.
VQS_EXPORT absl::StatusOr<double> AnnDistance(const std::string& distance, const float* a, const float* b,
                                   int dim);

}  // namespace vqsearch

#endif  // VQSEARCH_RECALL_H_
