// Deterministic row samples, for training steps that learn from at most a given number
// of vectors. Evenly spaced or random rows rather than the first ones: data often arrives
// sorted (by class, by time), and a prefix would then see only part of it.

#ifndef VQSEARCH_UTIL_ROW_SAMPLE_H_
#define VQSEARCH_UTIL_ROW_SAMPLE_H_

#include <cstdint>
#include <random>
#include <vector>

#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// min(rows, limit) row indices spread evenly over [0, rows), in increasing order.
std::vector<int64_t> EvenlySpacedRows(int64_t rows, int64_t limit);

// `count` <= rows distinct indices of [0, rows), drawn with `rng`, in increasing order.
std::vector<int64_t> RandomRows(int64_t rows, int64_t count, std::mt19937_64* rng);

// The listed rows of `vectors`, back to back (rows.size() x vectors.dim).
std::vector<float> GatherRows(MatrixView vectors, const std::vector<int64_t>& rows);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_UTIL_ROW_SAMPLE_H_
