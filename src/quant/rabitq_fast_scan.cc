// RaBitQ codes in fast-scan blocks and their two-stage scan; see rabitq_fast_scan.h.

#include "quant/rabitq_fast_scan.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace vqsearch::internal {
namespace {

// 16-bit tables: each group's row less its minimum, at one scale for all groups, split
// into the high bytes (`high`) and the low bytes (`low`). Returns the scale; *bias gets
// the sum of the minima.
float QuantizeWideTable(const float* table, int groups, uint8_t* high, uint8_t* low,
                        float* bias) {
  *bias = 0;
  float max_span = 0;
  for (int g = 0; g < groups; ++g) {
    const auto [lo, hi] = std::minmax_element(table + 16 * g, table + 16 * g + 16);
    *bias += *lo;
    max_span = std::max(max_span, *hi - *lo);
  }
  const float scale = max_span > 0 ? 65535.0f / max_span : 1.0f;
  for (int g = 0; g < groups; ++g) {
    const float* row = table + 16 * g;
    const float minimum = *std::min_element(row, row + 16);
    for (int p = 0; p < 16; ++p) {
      const float units = std::nearbyint((row[p] - minimum) * scale);
      const int v = units > 0 ? static_cast<int>(std::min(units, 65535.0f)) : 0;
      high[16 * g + p] = static_cast<uint8_t>(v >> 8);
      low[16 * g + p] = static_cast<uint8_t>(v & 0xFF);
    }
  }
  const size_t padded = 16 * static_cast<size_t>(FastScanPaddedSubspaces(groups));
  std::fill(high + 16 * groups, high + padded, 0);
  std::fill(low + 16 * groups, low + padded, 0);
  return scale;
}

}  // namespace

RaBitQFastScanFormat::RaBitQFastScanFormat(const RaBitQQuantizer& quantizer)
    : quantizer_(quantizer),
      one_bit_(*RaBitQQuantizer::Create(quantizer.padded_dim(), 1)),
      nibble_bytes_(FastScanBlockBytes(quantizer.padded_dim() / 4)) {
  entry_bytes_ = quantizer.code_size() + (quantizer.bits() > 1 ? sizeof(RaBitQFactors) : 0);
  tail_bytes_ = entry_bytes_ - quantizer.plane_bytes();
}

void RaBitQFastScanFormat::Encode(const float* r, uint8_t* entry) const {
  quantizer_.Encode(r, entry);
  if (quantizer_.bits() == 1) return;
  // The 1-bit code's plane is the b-bit code's plane 0; only its factors are kept.
  thread_local std::vector<uint8_t> one_bit;
  one_bit.resize(one_bit_.code_size());
  one_bit_.Encode(r, one_bit.data());
  std::memcpy(entry + quantizer_.code_size(), one_bit.data() + one_bit_.plane_bytes(),
              sizeof(RaBitQFactors));
}

RaBitQFactors RaBitQFastScanFormat::OneBitFactors(const uint8_t* entry) const {
  RaBitQFactors factors;
  std::memcpy(&factors, entry + entry_bytes_ - sizeof(RaBitQFactors), sizeof(factors));
  return factors;
}

size_t RaBitQFastScanFormat::TailOffset(int64_t index) const {
  return static_cast<size_t>(index / kFastScanBlock) * block_bytes() + nibble_bytes_ +
         static_cast<size_t>(index % kFastScanBlock) * tail_bytes_;
}

void RaBitQFastScanFormat::Pack(const uint8_t* entry, int64_t index, uint8_t* blocks) const {
  // The block's nibbles are a fast-scan block of their own.
  PackFastScanCode(entry, groups(), index % kFastScanBlock,
                   blocks + (index / kFastScanBlock) * block_bytes());
  std::memcpy(blocks + TailOffset(index), entry + quantizer_.plane_bytes(),
              tail_bytes_);
}

void RaBitQFastScanFormat::Unpack(const uint8_t* blocks, int64_t index, uint8_t* entry) const {
  UnpackFastScanCode(blocks + (index / kFastScanBlock) * block_bytes(), groups(),
                     index % kFastScanBlock, entry);
  std::memcpy(entry + quantizer_.plane_bytes(), blocks + TailOffset(index), tail_bytes_);
}

RaBitQFactors RaBitQFastScanFormat::StoredOneBitFactors(const uint8_t* blocks,
                                                        int64_t index) const {
  RaBitQFactors factors;
  std::memcpy(&factors, blocks + TailOffset(index) + tail_bytes_ - sizeof(RaBitQFactors),
              sizeof(factors));
  return factors;
}

void RaBitQFastScanScorer::Reset(const RaBitQFastScanFormat& format, bool l2, const float* query,
                                 const float* centroid, bool high_accuracy,
                                 const FastScanKernels& kernels) {
  format_ = &format;
  kernels_ = &kernels;
  l2_ = l2;
  high_accuracy_ = high_accuracy;
  const RaBitQQuantizer& quantizer = format.quantizer();
  const int n = quantizer.padded_dim();
  const int groups = format.groups();
  thread_local std::vector<float> q, table;
  q.resize(n);
  query_norm_ = RaBitQQueryVector(l2, query, centroid, n, q.data(), &constant_);
  table.resize(16 * static_cast<size_t>(groups));
  // sum_k ((p >> k & 1) - 1/2) q_k is the sum of the subset p of the group's q_k less
  // half their total; each subset sum is another's plus one q_k (short lists make this
  // set-up as costly as their scan).
  for (int g = 0; g < groups; ++g) {
    const float* qg = q.data() + 4 * g;
    float* row = table.data() + 16 * g;
    row[0] = -0.5f * (qg[0] + qg[1] + qg[2] + qg[3]);
    for (int p = 1; p < 16; ++p) row[p] = row[p & (p - 1)] + qg[__builtin_ctz(p)];
  }
  lut_.resize(16 * static_cast<size_t>(FastScanPaddedSubspaces(groups)));
  float scale;
  if (high_accuracy) {
    lut_low_.resize(lut_.size());
    scale = QuantizeWideTable(table.data(), groups, lut_.data(), lut_low_.data(), &bias_);
  } else {
    const QuantizedTable quantized = kernels.quantize(table.data(), groups, lut_.data());
    bias_ = quantized.bias;
    scale = quantized.scale;
  }
  inverse_scale_ = 1.0f / scale;
  rounding_ = 0.5f * groups * inverse_scale_;
  // The b-bit scorer is set up on the list's first survivor.
  query_ = query;
  centroid_ = centroid;
  bits_scorer_ready_ = false;
}

void RaBitQFastScanScorer::set_lower_bound(float eps0) {
  lower_bound_eps0_ = eps0;
  bits_scorer_.set_lower_bound(eps0);
}

void RaBitQFastScanScorer::PrepareBitsScorer() const {
  if (bits_scorer_ready_) return;
  const RaBitQQuantizer& quantizer = format_->quantizer();
  bits_scorer_.Reset(quantizer, l2_, query_, centroid_,
                     RaBitQScorer::DefaultQueryBits(quantizer.bits()));
  bits_scorer_ready_ = true;
}

void RaBitQFastScanScorer::OneBitDots(const uint8_t* blocks, int64_t n) const {
  const int groups = format_->groups();
  sums_.resize(n);
  dots_.resize(n);
  AllSumsSink sink(sums_.data());
  kernels_->scan(blocks, n, groups, lut_.data(), format_->block_bytes(), &sink);
  if (high_accuracy_) {
    sums_low_.resize(n);
    AllSumsSink low(sums_low_.data());
    kernels_->scan(blocks, n, groups, lut_low_.data(), format_->block_bytes(), &low);
    for (int64_t i = 0; i < n; ++i) {
      dots_[i] = bias_ + (256.0f * sums_[i] + sums_low_[i]) * inverse_scale_;
    }
  } else {
    for (int64_t i = 0; i < n; ++i) dots_[i] = bias_ + sums_[i] * inverse_scale_;
  }
}

void RaBitQFastScanScorer::OneBitScores(const uint8_t* blocks, int64_t n, float* out) const {
  OneBitDots(blocks, n);
  for (int64_t i = 0; i < n; ++i) {
    const RaBitQFactors f = format_->StoredOneBitFactors(blocks, i);
    const float dot = f.rescale * dots_[i];
    out[i] = l2_ ? f.norm_sq + constant_ - 2.0f * dot : constant_ - dot;
  }
}

void RaBitQFastScanScorer::Scan(const uint8_t* blocks, int64_t n, int64_t first_entry,
                                CandidateFilter admitted, TopK* heap) const {
  OneBitDots(blocks, n);
  const float factor = l2_ ? 2.0f : 1.0f;
  const bool one_bit = format_->quantizer().bits() == 1;
  // Score less this many error factors: the lower bound a score or a pruning asks for.
  const float widening = factor * (one_bit ? lower_bound_eps0_ : kPruneEps0) * query_norm_;
  const float rounding = factor * rounding_;
  entry_.resize(format_->entry_bytes());
  for (int64_t i = 0; i < n; ++i) {
    if (!admitted.Admits(i)) continue;
    const RaBitQFactors f = format_->StoredOneBitFactors(blocks, i);
    const float dot = f.rescale * dots_[i];
    const float estimate = (l2_ ? f.norm_sq + constant_ - 2.0f * dot : constant_ - dot) -
                           widening * f.error;
    if (one_bit) {
      heap->Push(estimate, first_entry + i);
      continue;
    }
    if (estimate - rounding * f.rescale >= heap->threshold()) continue;
    PrepareBitsScorer();
    format_->Unpack(blocks, i, entry_.data());
    float score;
    bits_scorer_.Score(entry_.data(), 1, &score);
    heap->Push(score, first_entry + i);
  }
}

}  // namespace vqsearch::internal
