// Scoring RaBitQ codes against a quantized query; see rabitq_scorer.h.

#include "quant/rabitq_scorer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "simd/rabitq_scan.h"

namespace vqsearch::internal {

float RaBitQQueryVector(bool l2, const float* query, const float* centroid, int n, float* q,
                        float* constant) {
  // Four partial sums of each kind: one double sum per kind would make every dimension
  // wait on the previous one's addition (n is a multiple of 64).
  double norm_sq[4] = {}, centroid_dot[4] = {};
  for (int j = 0; j < n; j += 4) {
    for (int lane = 0; lane < 4; ++lane) {
      const float value = l2 ? query[j + lane] - centroid[j + lane] : query[j + lane];
      q[j + lane] = value;
      norm_sq[lane] += double{value} * value;
      centroid_dot[lane] += double{query[j + lane]} * centroid[j + lane];
    }
  }
  const double norm = (norm_sq[0] + norm_sq[1]) + (norm_sq[2] + norm_sq[3]);
  const double dot = (centroid_dot[0] + centroid_dot[1]) + (centroid_dot[2] + centroid_dot[3]);
  *constant = static_cast<float>(l2 ? norm : -dot);
  return static_cast<float>(std::sqrt(norm));
}

int RaBitQScorer::DefaultQueryBits(int code_bits) { return std::clamp(code_bits + 3, 4, 8); }

void RaBitQScorer::Reset(const RaBitQQuantizer& quantizer, bool l2, const float* query,
                         const float* centroid, int query_bits) {
  quantizer_ = &quantizer;
  l2_ = l2;
  query_bits_ = query_bits;
  const int n = quantizer.padded_dim();
  const int words = quantizer.words();
  thread_local std::vector<float> q_storage;
  q_storage.resize(n);
  // Plain locals from here on: the level bytes written below may alias any object as far
  // as the compiler knows, which would reload members and vector pointers at every store.
  const float* q = q_storage.data();
  query_norm_ = RaBitQQueryVector(l2, query, centroid, n, q_storage.data(), &constant_);
  // Loops over lanes of 8: eight independent min, max and sum chains instead of one
  // serial chain each (the level loop below also compiles to vector instructions).
  constexpr int kLanes = 8;
  float lo[kLanes], hi[kLanes];
  for (int lane = 0; lane < kLanes; ++lane) lo[lane] = hi[lane] = q[lane];
  for (int j = 0; j < n; j += kLanes) {
    for (int lane = 0; lane < kLanes; ++lane) {
      // The operand order of x86's minps / maxps, so that these map onto them.
      lo[lane] = q[j + lane] < lo[lane] ? q[j + lane] : lo[lane];
      hi[lane] = q[j + lane] > hi[lane] ? q[j + lane] : hi[lane];
    }
  }
  const float low = *std::min_element(lo, lo + kLanes);
  const float high = *std::max_element(hi, hi + kLanes);
  const int top = (1 << query_bits) - 1;
  const float delta = high > low ? (high - low) / top : 1.0f;
  low_ = low;
  delta_ = delta;
  const float inverse = 1.0f / delta;
  // The levels first, then the planes 8 dimensions at a time: bit p of 8 level bytes,
  // masked to bit 0 of each byte, is gathered into one byte by a multiplication (byte i
  // lands on bit 56 + i; the other products fall outside bits 56-63 and never carry into
  // them).
  thread_local std::vector<uint8_t> level_storage;
  level_storage.resize(n);
  uint8_t* levels = level_storage.data();
  int32_t level_sums[kLanes] = {};
  for (int j = 0; j < n; j += kLanes) {
    for (int lane = 0; lane < kLanes; ++lane) {
      // Rounded to nearest (the value is not negative). A residual that overflowed (a
      // hostile file's huge but finite centroid, or a huge query) makes the range inf and
      // the level NaN, whose conversion to int is undefined: it is taken as level 0.
      const float level = (q[j + lane] - low) * inverse + 0.5f;
      const float at_least_zero = level >= 0 ? level : 0.0f;
      const float clamped = at_least_zero < top ? at_least_zero : static_cast<float>(top);
      const int v = static_cast<int>(clamped);
      levels[j + lane] = static_cast<uint8_t>(v);
      level_sums[lane] += v;
    }
  }
  int64_t level_sum = 0;
  for (int lane = 0; lane < kLanes; ++lane) level_sum += level_sums[lane];
  level_sum_ = level_sum;
  planes_.resize(static_cast<size_t>(query_bits) * words);
  constexpr uint64_t kBitZeroOfEachByte = 0x0101010101010101ULL;
  constexpr uint64_t kGather = 0x0102040810204080ULL;
  for (int w = 0; w < words; ++w) {
    uint64_t word_planes[8] = {};
    for (int byte = 0; byte < 8; ++byte) {
      uint64_t eight;
      std::memcpy(&eight, levels + w * 64 + byte * 8, sizeof(eight));
      for (int p = 0; p < query_bits; ++p) {
        const uint64_t gathered = (((eight >> p) & kBitZeroOfEachByte) * kGather) >> 56;
        word_planes[p] |= gathered << (8 * byte);
      }
    }
    for (int p = 0; p < query_bits; ++p) planes_[p * words + w] = word_planes[p];
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
