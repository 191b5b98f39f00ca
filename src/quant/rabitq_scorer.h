// RaBitQScorer: estimated distances between one query and RaBitQ codes of one list
// (quant/rabitq_quantizer.h), through the bitwise kernels of simd/rabitq_scan.h.
//
// Reset takes the rotated query q' (P q) and the list's rotated centroid (P c) and forms
// the query vector the estimator needs: q_r = q' - P c under L2, q' itself under inner
// product. q_r is quantized to B bits (4 to 8), uniformly between its minimum lo and
// maximum: q_r,j ~ lo + delta v_j with integer v_j, stored as B bit planes. Then
//   <y, q_r> ~ delta <y, v> + lo sum_j y_j,   <y, v> = <u, v> - (2^b - 1)/2 sum_j v_j,
// where <u, v> is the kernel's exact integer; lo sum_j y_j is a per-code factor times a
// per-query constant (rescale_sum). Scores, smaller is closer:
//   L2:            ||r||^2 + ||q_r||^2 - 2 rescale <y, q_r>
//   inner product: -(<c, q> + rescale <y, q'>)
// Rounding the query adds an error of about delta / sqrt(12) per dimension (a fraction
// 1 / (2^B - 1) of its range): with the default B it adds at most a quarter to the mean
// error of codes up to 7 bits, and half to 8-bit codes (rabitq_quantizer_test).

#ifndef VQSEARCH_QUANT_RABITQ_SCORER_H_
#define VQSEARCH_QUANT_RABITQ_SCORER_H_

#include <cstdint>
#include <vector>

#include "quant/rabitq_quantizer.h"

namespace vqsearch::internal {

// The query vector an estimate takes, q_r = q' - P c under L2 (`l2`) and q' under inner
// product, for the rotated query q' (`query`) and rotated centroid P c (`centroid`), n
// floats each (n a multiple of 4), written to `q`; returns ||q_r|| and stores the score's
// constant, ||q_r||^2 or -<c, q>, in *constant.
float RaBitQQueryVector(bool l2, const float* query, const float* centroid, int n, float* q,
                        float* constant);

class RaBitQScorer {
 public:
  // The query bits used with b-bit codes: b + 3, within [4, 8].
  static int DefaultQueryBits(int code_bits);

  // Prepares to score codes of `quantizer` (which must outlive the scorer's use) under
  // squared L2 (`l2`) or inner product, for the rotated query `query` and the rotated
  // centroid `centroid` of the list (padded_dim floats each), with `query_bits` in [4, 8].
  void Reset(const RaBitQQuantizer& quantizer, bool l2, const float* query,
             const float* centroid, int query_bits);

  // Makes Score give the lower end of each score's bound at confidence eps0 (0: the
  // estimates themselves, as after construction).
  void set_lower_bound(float eps0) { lower_bound_eps0_ = eps0; }

  // out[i] = the estimated score of code i of `codes` (n consecutive codes), or its lower
  // bound (set_lower_bound).
  void Score(const uint8_t* codes, int64_t n, float* out) const;

  // The half-width of the bound on code `code`'s score at confidence eps0 (the estimate's
  // bound from rabitq_quantizer.h, doubled under L2), rounding of the query aside.
  float ScoreBound(const uint8_t* code, float eps0) const;

  // ||q_r||, the norm of the query vector the estimates use.
  float query_norm() const { return query_norm_; }

 private:
  const RaBitQQuantizer* quantizer_ = nullptr;
  bool l2_ = true;
  int query_bits_ = 0;
  std::vector<uint64_t> planes_;  // query_bits x words
  float delta_ = 0, low_ = 0;
  int64_t level_sum_ = 0;  // sum_j v_j
  float constant_ = 0;     // ||q_r||^2 (L2) or -<c, q> (inner product)
  float query_norm_ = 0;
  float lower_bound_eps0_ = 0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_RABITQ_SCORER_H_
