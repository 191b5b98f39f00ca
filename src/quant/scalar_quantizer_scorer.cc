// Query-side folding of SQ decoding into the scan kernels; see scalar_quantizer_scorer.h.

#include "quant/scalar_quantizer_scorer.h"

#include "simd/sq_scan.h"

namespace vqsearch::internal {

void SqScorer::Reset(const ScalarQuantizer& sq, bool l2, const float* query, const float* offset) {
  sq_ = &sq;
  l2_ = l2;
  const int dim = sq.dim();
  weights_.resize(dim);
  const float* lows = sq.uniform() ? sq.lows().data() : nullptr;
  const float* steps = sq.uniform() ? sq.steps().data() : nullptr;
  // base_j: what a code's value is added to, offset_j + low_j.
  auto base = [&](int j) {
    return (offset != nullptr ? offset[j] : 0.0f) + (lows != nullptr ? lows[j] : 0.0f);
  };
  if (l2) {
    for (int j = 0; j < dim; ++j) weights_[j] = query[j] - base(j);
    return;
  }
  double constant = 0;
  for (int j = 0; j < dim; ++j) {
    weights_[j] = steps != nullptr ? query[j] * steps[j] : query[j];
    constant += double{query[j]} * base(j);
  }
  constant_ = static_cast<float>(constant);
}

void SqScorer::Score(const uint8_t* codes, int64_t n, float* out) const {
  const float* table = sq_->levels().data();
  if (l2_) {
    const float* steps = sq_->uniform() ? sq_->steps().data() : nullptr;
    SqScanL2(sq_->layout(), codes, n, sq_->dim(), weights_.data(), steps, table, out);
    return;
  }
  SqScanDot(sq_->layout(), codes, n, sq_->dim(), weights_.data(), table, out);
  for (int64_t i = 0; i < n; ++i) out[i] = -(constant_ + out[i]);
}

}  // namespace vqsearch::internal
