// Input validation shared by every index.

#include "linalg/vector_checks.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "simd/vector_ops.h"

namespace vqsearch::internal {

absl::Status CheckVectors(MatrixView vectors, int expected_dim, absl::string_view what) {
  if (vectors.rows < 0) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": negative row count ", vectors.rows));
  }
  if (vectors.dim != expected_dim) {
    return absl::InvalidArgumentError(absl::StrCat(what, " have dimension ", vectors.dim,
                                                   ", the index has dimension ", expected_dim));
  }
  if (vectors.rows > 0 && vectors.data == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": null data for ", vectors.rows, " rows"));
  }
  // The vectorized scan first; the slow search for the culprit only when there is one.
  const size_t count = vectors.size();
  if (AllFinite(vectors.data, count)) return absl::OkStatus();
  for (size_t i = 0; i < count; ++i) {
    if (!std::isfinite(vectors.data[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " row ", i / vectors.dim, " component ", i % vectors.dim, " is ", vectors.data[i],
          ": only finite values are allowed"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSquaredNormsRepresentable(MatrixView vectors, absl::string_view what) {
  for (int64_t i = 0; i < vectors.rows; ++i) {
    const float* row = vectors.row(i);
    double squared_norm = 0;
    for (int j = 0; j < vectors.dim; ++j) squared_norm += double{row[j]} * row[j];
    if (squared_norm > kMaxSquaredNorm) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " row ", i, " has squared norm ", squared_norm, ", above ", kMaxSquaredNorm,
          ": its squared distances would overflow float; scale the data down"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckNonZeroRows(MatrixView vectors, absl::string_view what) {
  for (int64_t i = 0; i < vectors.rows; ++i) {
    const float* row = vectors.row(i);
    bool all_zero = true;
    for (int j = 0; j < vectors.dim && all_zero; ++j) all_zero = row[j] == 0.0f;
    if (all_zero) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " row ", i, " is the zero vector, which has no direction under the cosine metric"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckK(int k) {
  if (k < 1 || k > kMaxK) {
    return absl::InvalidArgumentError(absl::StrCat("k must be in [1, ", kMaxK, "], got ", k));
  }
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
