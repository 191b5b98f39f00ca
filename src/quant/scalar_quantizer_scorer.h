// SqScorer: distances between one float query and codes of a ScalarQuantizer, through
// the SIMD kernels of simd/sq_scan.h. Every SQ index scores codes with it: the flat SQ
// index, IVF-SQ lists (direct or residual codes) and Refine(SQ...) re-ranking.
//
// The quantizer's decoding is affine per dimension, x_j = low_j + step_j * c_j (uniform)
// or x_j = v_j (fp16, non-uniform), so it folds into the query once per Reset:
//   L2:            ||q - x||^2 = sum_j (a_j - step_j * c_j)^2,  a = q - offset - low
//   inner product: q.x         = q.(offset + low) + sum_j (q_j step_j) c_j
// where `offset` is what the codes are relative to (an IVF list's centroid for residual
// codes, nothing otherwise). Scores are complete, not up to a per-query constant.

#ifndef VQSEARCH_QUANT_SCALAR_QUANTIZER_SCORER_H_
#define VQSEARCH_QUANT_SCALAR_QUANTIZER_SCORER_H_

#include <cstdint>
#include <vector>

#include "quant/scalar_quantizer.h"

namespace vqsearch::internal {

class SqScorer {
 public:
  // Prepares to score `query` (dim floats) against codes of `sq` (trained; it must
  // outlive the scorer's use) under squared L2 (`l2`) or inner product. `offset` (dim
  // floats or null) is added to every decoded code.
  void Reset(const ScalarQuantizer& sq, bool l2, const float* query, const float* offset);

  // out[i] = score of code i of `codes` (n consecutive codes), smaller is closer: the
  // squared L2 distance, or the negated inner product.
  void Score(const uint8_t* codes, int64_t n, float* out) const;

 private:
  const ScalarQuantizer* sq_ = nullptr;
  bool l2_ = true;
  std::vector<float> weights_;  // a for L2, the product weights for inner product
  float constant_ = 0.0f;       // inner product: q.(offset + low)
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_SCALAR_QUANTIZER_SCORER_H_
