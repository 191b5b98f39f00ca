// Scoring RaBitQ codes against a quantized query; see rabitq_scorer.h.

#include "quant/rabitq_scorer.h"

#include <algorithm>
#include <cmath>

#include "simd/rabitq_scan.h"

namespace vqsearch::internal {

float RaBitQQueryVector(bool l2, const float* query, const float* centroid, int n, float* q,
                        float* constant) {
  double norm_sq = 0, centroid_dot = 0;
  for (int j = 0; j < n; ++j) {
    q[j] = l2 ? query[j] - centroid[j] : query[j];
    norm_sq += double{q[j]} * q[j];
    centroid_dot += double{query[j]} * centroid[j];
  }
  *constant = static_cast<float>(l2 ? norm_sq : -centroid_dot);
  return static_cast<float>(std::sqrt(norm_sq));
}

int RaBitQScorer::DefaultQueryBits(int code_bits) { return std::clamp(code_bits + 3, 4, 8); }

void RaBitQScorer::Reset(const RaBitQQuantizer& quantizer, bool l2, const float* query,
                         const float* centroid, int query_bits) {
  quantizer_ = &quantizer;
  l2_ = l2;
  query_bits_ = query_bits;
  const int n = quantizer.padded_dim();
  const int words = quantizer.words();
  thread_local std::vector<float> q;
  q.resize(n);
  query_norm_ = RaBitQQueryVector(l2, query, centroid, n, q.data(), &constant_);
  const auto [lo, hi] = std::minmax_element(q.begin(), q.end());
  const int top = (1 << query_bits) - 1;
  low_ = *lo;
  delta_ = *hi > *lo ? (*hi - *lo) / top : 1.0f;
  planes_.assign(static_cast<size_t>(query_bits) * words, 0);
  level_sum_ = 0;
  const float inverse = 1.0f / delta_;
  for (int w = 0; w < words; ++w) {
    uint64_t bits[8] = {};
    for (int b = 0; b < 64; ++b) {
      // Rounded to nearest (the value is not negative). A residual that overflowed (a
      // hostile file's huge but finite centroid, or a huge query) makes the range inf and
      // the level NaN, whose conversion to int is undefined: it is taken as level 0.
      const float level = (q[w * 64 + b] - low_) * inverse + 0.5f;
      const int v = level >= top ? top : level >= 0 ? static_cast<int>(level) : 0;
      level_sum_ += v;
      for (int p = 0; p < query_bits; ++p) bits[p] |= static_cast<uint64_t>((v >> p) & 1) << b;
    }
    for (int p = 0; p < query_bits; ++p) planes_[p * words + w] = bits[p];
  }
}

void RaBitQScorer::Score(const uint8_t* codes, int64_t n, float* out) const {
  const RaBitQQuantizer& quantizer = *quantizer_;
  const size_t code_size = quantizer.code_size();
  const int bits = quantizer.bits();
  thread_local std::vector<int64_t> dots;
  dots.resize(n);
  RaBitQDots(codes, n, code_size, quantizer.words(), bits, planes_.data(), query_bits_,
             dots.data());
  // 2 <y, v> = 2 <u, v> - (2^b - 1) sum_j v_j, an exact integer.
  const int64_t shift = ((int64_t{1} << bits) - 1) * level_sum_;
  const float half_delta = 0.5f * delta_;
  // The bound's half-width per unit of the error factor (ScoreBound).
  const float widening = (l2_ ? 2.0f : 1.0f) * lower_bound_eps0_ * query_norm_;
  for (int64_t i = 0; i < n; ++i) {
    const RaBitQFactors f = quantizer.Factors(codes + i * code_size);
    const float dot = f.rescale * (half_delta * static_cast<float>(2 * dots[i] - shift)) +
                      low_ * f.rescale_sum;
    out[i] = (l2_ ? f.norm_sq + constant_ - 2.0f * dot : constant_ - dot) - widening * f.error;
  }
}

float RaBitQScorer::ScoreBound(const uint8_t* code, float eps0) const {
  return (l2_ ? 2.0f : 1.0f) * quantizer_->ErrorBound(code, query_norm_, eps0);
}

}  // namespace vqsearch::internal
