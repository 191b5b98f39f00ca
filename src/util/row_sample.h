// Deterministic row samples, for training steps that learn from at most a given number
// of vectors. Evenly spaced rows rather than the first ones: data often arrives sorted
// (by class, by time), and a prefix would then see only part of it.

#ifndef VQSEARCH_UTIL_ROW_SAMPLE_H_
#define VQSEARCH_UTIL_ROW_SAMPLE_H_

#include <cstdint>
#include <vector>

#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// min(rows, limit) row indices spread evenly over [0, rows), in increasing order.
std::vector<int64_t> EvenlySpacedRows(int64_t rows, int64_t limit);

// The listed rows of `vectors`, back to back (rows.size() x vectors.dim).
std::vector<float> GatherRows(MatrixView vectors, const std::vector<int64_t>& rows);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_UTIL_ROW_SAMPLE_H_
