// NearPairNoise: how much a codec's estimated scores blur the order of near neighbours,
// the pairs a k-nearest-neighbour search has to rank. Used to choose between codecs
// (IVF-PQ codes of residuals or of the vectors themselves) by what the search's first
// stage sees rather than by mean squared error: a reconstruction x^ = x - e shifts a
// query's L2 estimate by ||e||^2 + 2 (q - x).e, and near the query the spread of ||e||^2
// from vector to vector decides the order. Two codecs of nearly equal mean error can
// differ threefold in that spread (residuals of 384-d word vectors against unit
// centroids, whose lengths, and so errors, vary far more than the unit vectors' own).

#ifndef VQSEARCH_QUANT_NEAR_PAIR_NOISE_H_
#define VQSEARCH_QUANT_NEAR_PAIR_NOISE_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "absl/types/span.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// Writes the estimated score (smaller closer) of each of `rows` (rows of the vectors)
// for query `query` (an index into the query rows) into `scores`.
using ScoreEstimator =
    absl::FunctionRef<void(int64_t query, absl::Span<const int64_t> rows, float* scores)>;

// For each of `query_rows` (rows of `vectors`), the variance over its kNearPairs nearest
// other rows (by the exact score: L2 when `l2`, else the negated inner product) of the
// estimated score minus the exact one; the mean over the queries. The variance within
// one query's neighbours leaves out what shifts them all alike (a constant in the
// estimate), which does not change their order. The neighbours are only as near as
// `vectors` are dense: a sparse sample has farther pairs, whose order other terms
// decide. 0 without queries or with fewer than two rows.
double NearPairNoise(MatrixView vectors, absl::Span<const int64_t> query_rows, bool l2,
                     ScoreEstimator estimate);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_NEAR_PAIR_NOISE_H_
