// The 4-bit PQ fast scan (André, Kermarrec, Le Scouarnec, VLDB 2015; FAISS's
// IndexPQFastScan): with 16 centroids per sub-space, one sub-space's distance table fits
// in a 16-byte register once quantized to uint8, and a byte shuffle (pshufb) looks up 16
// or 32 codes at once. Memory traffic is half a byte per sub-space and code, and the
// lookups never leave the registers.
//
// Block layout. Codes are stored in blocks of 32 vectors. A block holds, for each of
// m_pad sub-spaces (M rounded up to even), 16 bytes: byte j carries vector j's code in
// its low nibble and vector j + 16's code in its high nibble. Sub-space m starts at byte
// 16 m, so two consecutive sub-spaces form one 32-byte AVX2 load (four, one AVX-512
// load), matching a table register holding their two (four) 16-byte tables side by side.
// The padding sub-space, when M is odd, has code 0 and a zero table.
//
// Tables. Each query's float table (M x 16) is quantized to uint8 with one scale for all
// sub-spaces and a per-sub-space minimum folded into a bias, so a code's distance is
// bias + (sum of its M uint8 entries) / scale. The sums are accumulated in 16 bits.
//
// Filtering. After each block, a SIMD compare against the current threshold (the
// quantized k-th distance) finds the survivors; only they are offered to a
// FastScanSink, which may lower the threshold.

#ifndef VQSEARCH_SIMD_PQ4_FAST_SCAN_H_
#define VQSEARCH_SIMD_PQ4_FAST_SCAN_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "vqsearch/isa.h"

namespace vqsearch::internal {

inline constexpr int kFastScanBlock = 32;

// Sub-spaces as stored: M rounded up to even.
inline int FastScanPaddedSubspaces(int num_subspaces) { return (num_subspaces + 1) & ~1; }
// Bytes of one block of 32 codes.
inline size_t FastScanBlockBytes(int num_subspaces) {
  return static_cast<size_t>(FastScanPaddedSubspaces(num_subspaces)) * 16;
}

// Where vector `index`'s code lies in the blocks: sub-space m's 4 bits are
// (blocks[offset + 16 m] >> shift) & 0x0F, offset being the returned byte offset.
inline size_t FastScanCodeOffset(int num_subspaces, int64_t index, int* shift) {
  const int lane = static_cast<int>(index % kFastScanBlock);
  *shift = lane < 16 ? 0 : 4;
  return static_cast<size_t>(index / kFastScanBlock) * FastScanBlockBytes(num_subspaces) +
         lane % 16;
}

// Writes the code of vector `index` into its block (blocks must cover index). `codes` is
// the product quantizer's packed 4-bit code (sub-space 2i in the low nibble of byte i).
void PackFastScanCode(const uint8_t* code, int num_subspaces, int64_t index, uint8_t* blocks);
// Reads vector `index`'s code back into the packed 4-bit form.
void UnpackFastScanCode(const uint8_t* blocks, int num_subspaces, int64_t index, uint8_t* code);

// A quantized table: m_pad x 16 uint8 entries, the padding sub-space zero.
struct QuantizedTable {
  float bias = 0;   // sum of the per-sub-space minima
  float scale = 1;  // uint8 units per distance unit
  // The float distance an accumulated uint16 sum stands for.
  float Distance(uint32_t sum) const { return bias + static_cast<float>(sum) / scale; }
};


// Receives the survivors of a scan: entries whose sum is <= threshold, in index order.
// Offer may lower threshold (the scan re-reads it); it must not raise it.
class FastScanSink {
 public:
  virtual ~FastScanSink() = default;
  virtual void Offer(int64_t index, uint16_t sum) = 0;
  // The survivors of one block, which the kernels hand over in one call: bit j of `mask`
  // marks entry base + j (ignored from n on), whose sum is sums[j]. Bits are taken in
  // ascending order and re-checked against the threshold as it falls, so the offers are
  // exactly those of a one-entry-at-a-time scan. A sink on the hot path overrides it to
  // keep its per-entry work inline (one indirect call a block, not one an entry).
  virtual void OfferBlock(uint32_t mask, const uint16_t* sums, int64_t base, int64_t n) {
    while (mask != 0) {
      const int j = __builtin_ctz(mask);
      mask &= mask - 1;
      if (base + j >= n) return;
      if (sums[j] <= threshold) Offer(base + j, sums[j]);
    }
  }
  uint16_t threshold = UINT16_MAX;
};

// Takes every sum of a scan: entry i's into sums[i] (the threshold stays at its maximum,
// so every entry survives). For scores that no one uint16 threshold can filter (RaBitQ's
// per-entry factors) and for selections made after the scan.
class AllSumsSink final : public FastScanSink {
 public:
  explicit AllSumsSink(uint16_t* sums) : sums_(sums) {}
  void Offer(int64_t index, uint16_t sum) override { sums_[index] = sum; }
  void OfferBlock(uint32_t /*mask*/, const uint16_t* sums, int64_t base, int64_t n) override {
    std::memcpy(sums_ + base, sums, std::min<int64_t>(kFastScanBlock, n - base) * sizeof(*sums));
  }

 private:
  uint16_t* sums_;
};

// Quantizes `table` (num_subspaces x 16 floats, all finite) into `lut`
// (FastScanPaddedSubspaces(num_subspaces) x 16 bytes). Rounding to nearest leaves each
// code's distance within num_subspaces / (2 scale) of its float table sum. Every kernel
// gives the same bytes, bias and scale.
QuantizedTable QuantizeFastScanTable(const float* table, int num_subspaces, uint8_t* lut);

// Scans the first n codes of `blocks` (ceil(n / 32) blocks) against `lut`, offering every
// entry whose sum is <= sink->threshold at the time it is reached. num_subspaces must be
// at most 256 so that sums fit in 16 bits.
void FastScan4(const uint8_t* blocks, int64_t n, int num_subspaces, const uint8_t* lut,
               FastScanSink* sink);

// The fast-scan kernel family (simd/dispatch.h): the functions above for one ISA. The
// scalar table is the reference the tests compare the others with: identical bytes, and
// identical offers in identical order. `scan` takes the blocks `block_stride` bytes apart
// (at least FastScanBlockBytes(num_subspaces)), so that a codec may keep data of its own
// after each block's codes (RaBitQ's per-entry factors: quant/rabitq_fast_scan.h).
struct FastScanKernels {
  QuantizedTable (*quantize)(const float* table, int num_subspaces, uint8_t* lut);
  void (*scan)(const uint8_t* blocks, int64_t n, int num_subspaces, const uint8_t* lut,
               size_t block_stride, FastScanSink* sink);
};
const FastScanKernels& FastScanKernelsFor(Isa isa);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_PQ4_FAST_SCAN_H_
