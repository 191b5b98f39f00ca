// The reconstruction error every codec reports (PQ, SQ): how far decoding the codes of
// vectors lands from the vectors, the figure the quantizers are trained to lower.

#ifndef VQSEARCH_QUANT_RECONSTRUCTION_ERROR_H_
#define VQSEARCH_QUANT_RECONSTRUCTION_ERROR_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "simd/vector_ops.h"
#include "util/status_macros.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// The mean over rows of ||x - decode(encode(x))||^2 for a codec with dim(), code_size(),
// Encode(vectors, codes, num_threads) and Decode(codes, rows, out).
template <typename Codec>
absl::StatusOr<double> MeanReconstructionError(const Codec& codec, MatrixView vectors,
                                               int num_threads) {
  std::vector<uint8_t> codes(static_cast<size_t>(vectors.rows) * codec.code_size());
  VQS_RETURN_IF_ERROR(codec.Encode(vectors, codes.data(), num_threads));
  std::vector<float> decoded(codec.dim());
  double total = 0;
  for (int64_t i = 0; i < vectors.rows; ++i) {
    codec.Decode(codes.data() + i * codec.code_size(), 1, decoded.data());
    total += SquaredL2(vectors.row(i), decoded.data(), codec.dim());
  }
  return vectors.rows > 0 ? total / vectors.rows : 0.0;
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_RECONSTRUCTION_ERROR_H_
