// RaBitQ fast scan (`RaBitQ<b>fs`): the sign plane of RaBitQ codes
// (quant/rabitq_quantizer.h) in the 4-bit fast-scan blocks of simd/pq4_fast_scan.h, so
// that the pshufb kernels give a 1-bit estimate of every code of a list, and only the
// codes whose 1-bit lower bound can still enter the top k get the b-bit estimate of the
// bitwise scorer (quant/rabitq_scorer.h).
//
// Nibbles. The D rotated dimensions form D / 4 groups of four; group g's nibble holds
// the signs of dimensions 4g..4g+3, dimension 4g + k at bit k, which makes plane 0 of a
// code (bit j % 8 of byte j / 8) already the packed 4-bit code the fast-scan blocks take.
// The 1-bit point is y1 = (bit - 1/2) per dimension, so group g's table holds, for each of
// the 16 patterns p, sum_k ((p >> k & 1) - 1/2) q_{4g+k} for the query vector q of the
// scorer (the rotated query residual under L2, the rotated query under inner product), and
// the kernel's sum is <y1, q> up to the table's quantization.
//
// Entries (the code_size bytes InvertedLists writes and reads through the layout): the
// b-bit RaBitQ code, then for b > 1 the factors of the 1-bit code of the same residual
// (its own rescale and error; for b = 1 the code's factors are those). Blocks of 32
// entries: FastScanBlockBytes(D / 4) bytes of nibbles, then 32 tails, each an entry less
// its plane 0, whose last 16 bytes are the 1-bit factors in both cases.
//
// Tables: uint8 (`fs`), one fast-scan pass, within groups / (2 scale) of <y1, q>; or 16
// bits (`fs16`), a high and a low byte table scanned in two passes and combined as
// 256 hi + lo, 256 times closer, for codes (b = 1) whose ranking is the estimate itself.
//
// Pruning (b > 1): an entry's b-bit estimate is computed only if its 1-bit lower bound,
// the estimate less its error bound at confidence kPruneEps0 and less the table's
// rounding, is below the heap's current k-th score.

#ifndef VQSEARCH_QUANT_RABITQ_FAST_SCAN_H_
#define VQSEARCH_QUANT_RABITQ_FAST_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "quant/rabitq_quantizer.h"
#include "quant/rabitq_scorer.h"
#include "search/candidate_filter.h"
#include "search/top_k.h"
#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {

// The layout of RaBitQ fast-scan entries and blocks for one quantizer.
class RaBitQFastScanFormat {
 public:
  // The largest padded dimension: D / 4 groups of at most 255 units each must sum within
  // 16 bits.
  static constexpr int kMaxPaddedDim = 1024;

  RaBitQFastScanFormat() = default;
  // `quantizer`: the b-bit codes (padded_dim <= kMaxPaddedDim, the caller checks).
  explicit RaBitQFastScanFormat(const RaBitQQuantizer& quantizer);

  const RaBitQQuantizer& quantizer() const { return quantizer_; }
  int groups() const { return quantizer_.padded_dim() / 4; }
  size_t entry_bytes() const { return entry_bytes_; }
  size_t block_bytes() const { return nibble_bytes_ + kFastScanBlock * tail_bytes_; }

  // Writes the entry of the rotated residual `r` (padded_dim floats) to `entry`.
  void Encode(const float* r, uint8_t* entry) const;
  // The 1-bit factors of an entry.
  RaBitQFactors OneBitFactors(const uint8_t* entry) const;

  // Stores `entry` at position `index` of the blocks, and reads it back.
  void Pack(const uint8_t* entry, int64_t index, uint8_t* blocks) const;
  void Unpack(const uint8_t* blocks, int64_t index, uint8_t* entry) const;
  // The 1-bit factors of the entry at position `index` of the blocks.
  RaBitQFactors StoredOneBitFactors(const uint8_t* blocks, int64_t index) const;

 private:
  // Where the tail of entry `index` starts in the blocks.
  size_t TailOffset(int64_t index) const;

  RaBitQQuantizer quantizer_;
  RaBitQQuantizer one_bit_;
  size_t nibble_bytes_ = 0;
  size_t tail_bytes_ = 0;
  size_t entry_bytes_ = 0;
};

// Scores the fast-scan blocks of one list for one query.
class RaBitQFastScanScorer {
 public:
  // The confidence of the 1-bit lower bound that prunes codes of b > 1 bits: about 99.9%
  // of pairs (rabitq_quantizer.h), so pruning changes few results of the b-bit scan.
  static constexpr float kPruneEps0 = 3.3f;

  // Prepares to score entries of `format` (which must outlive the scorer's use) as
  // RaBitQScorer::Reset does, with 16-bit tables when `high_accuracy`, through the
  // fast-scan kernels `kernels`; `query` and `centroid` must stay valid while the list is
  // scanned.
  void Reset(const RaBitQFastScanFormat& format, bool l2, const float* query,
             const float* centroid, bool high_accuracy, const FastScanKernels& kernels);

  // Makes the scores the lower ends of their bounds at confidence eps0 (0: the estimates).
  void set_lower_bound(float eps0);

  // Pushes into `heap` the scores of the `n` entries of `blocks` that `admitted` admits,
  // entry i as id first_entry + i.
  void Scan(const uint8_t* blocks, int64_t n, int64_t first_entry, CandidateFilter admitted,
            TopK* heap) const;

  // The 1-bit estimates of the first n entries (the scores of 1-bit codes without a
  // lower bound), and the bound on their distance from the float 1-bit estimate that the
  // table's rounding allows, per unit of the entry's 1-bit rescale.
  void OneBitScores(const uint8_t* blocks, int64_t n, float* out) const;
  float RoundingPerRescale() const { return (l2_ ? 2.0f : 1.0f) * rounding_; }

 private:
  // The kernel sums of the first n entries as float estimates of <y1, q>, into dots_.
  void OneBitDots(const uint8_t* blocks, int64_t n) const;
  // Resets bits_scorer_ for this list, once.
  void PrepareBitsScorer() const;

  const RaBitQFastScanFormat* format_ = nullptr;
  const FastScanKernels* kernels_ = nullptr;
  bool l2_ = true;
  bool high_accuracy_ = false;
  std::vector<uint8_t> lut_, lut_low_;  // the low-byte table of 16-bit tables
  float bias_ = 0, inverse_scale_ = 1;
  float rounding_ = 0;  // how far a dot may lie from <y1, q>
  float constant_ = 0;  // ||q||^2 (L2) or -<c, q> (inner product)
  float query_norm_ = 0;
  float lower_bound_eps0_ = 0;
  const float* query_ = nullptr;     // the Reset arguments, for bits_scorer_
  const float* centroid_ = nullptr;
  mutable RaBitQScorer bits_scorer_;  // the b-bit estimate of survivors, for b > 1
  mutable bool bits_scorer_ready_ = false;
  mutable std::vector<float> dots_;
  mutable std::vector<uint16_t> sums_, sums_low_;
  mutable std::vector<uint8_t> entry_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_RABITQ_FAST_SCAN_H_
