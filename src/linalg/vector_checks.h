// Input validation shared by every index: the checks that turn bad input (a wrong
// dimension, NaN or Inf, a zero vector under cosine) into an error naming the problem
// before any state changes.

#ifndef VQSEARCH_LINALG_VECTOR_CHECKS_H_
#define VQSEARCH_LINALG_VECTOR_CHECKS_H_

#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// `what` names the argument in the message ("vectors", "queries", "training vectors").
// Checks a non-null pointer for a non-empty view, rows >= 0, dim == expected_dim and
// that every component is finite.
absl::Status CheckVectors(MatrixView vectors, int expected_dim, absl::string_view what);

// Checks that squared distances between rows, and to means of rows, stay finite in
// float: every row's squared norm is at most kMaxSquaredNorm. Larger finite values
// (|x| near 2e19) overflow ||x||^2 + ||c||^2 - 2 x.c to inf, which no nearest centroid
// can be chosen by; k-means needs this of its points.
inline constexpr float kMaxSquaredNorm = 2e37f;  // FLT_MAX / 16: room for 4 max-norm terms
absl::Status CheckSquaredNormsRepresentable(MatrixView vectors, absl::string_view what);

// Checks that no row has zero norm (such rows have no direction for cosine).
absl::Status CheckNonZeroRows(MatrixView vectors, absl::string_view what);

// k must be in [1, kMaxK].
inline constexpr int kMaxK = 1 << 20;
absl::Status CheckK(int k);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_LINALG_VECTOR_CHECKS_H_
