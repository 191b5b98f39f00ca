// Nearest rows by sgemm: for every query, the k rows of a matrix that score best. A block
// of queries times a block of rows is one sgemm, and under L2 the rows' squared norms turn
// inner products into distances (||q - x||^2 = ||q||^2 - 2 q.x + ||x||^2). Blocks bound
// the scratch memory for any number of rows and queries; query blocks are spread over the
// call's threads.
//
// Every exact scan of float rows is this function: Flat search, k-means assignment, and
// IVF's probing and assignment against its coarse quantizer.

#ifndef VQSEARCH_SEARCH_NEAREST_ROWS_H_
#define VQSEARCH_SEARCH_NEAREST_ROWS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "vqsearch/id_filter.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/search_params.h"

namespace vqsearch::internal {

// The rows to search.
struct SearchedRows {
  MatrixView rows;
  // Under L2, ||x||^2 of each row; null for inner product.
  const float* squared_norms = nullptr;
  // The id reported (and filtered) for each row; null: the row's position.
  const int64_t* ids = nullptr;
};

struct NearestRowsOptions {
  // Squared L2 distances (squared_norms set) or inner products (similarities).
  bool l2 = true;
  // Re-scores a shortlist in double precision (search/exact_rerank.h); callers that only
  // need approximate order (k-means assignment, IVF probing) turn it off.
  bool exact_rerank = true;
  // Normalizes each block of queries first (cosine on unit-length rows).
  bool normalize_queries = false;
  // Only rows whose ids it contains enter the results; null: all.
  const IdFilter* filter = nullptr;
  int num_threads = 1;
};

// Fills `results` with the k best rows of `rows` for each query (checked by the caller:
// dimension, finite values; k >= 1), padded as SearchResults documents.
void NearestRows(MatrixView queries, const SearchedRows& rows, int k,
                 const NearestRowsOptions& options, SearchResults* results);

// The nearest row of each query (the ids of a k = 1 search), or an error naming the first
// query that has none. Finite queries and rows can still leave one without: coordinates
// near the float range overflow its inner products to inf, inf - inf is NaN, and a NaN
// score never enters the top-k. `what` names the queries ("vector", "point").
absl::StatusOr<std::vector<int64_t>> NearestRowLabels(SearchResults nearest,
                                                      absl::string_view what);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_NEAREST_ROWS_H_
