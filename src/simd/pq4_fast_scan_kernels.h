// Pieces the fast-scan kernel files (pq4_fast_scan_scalar.cc, pq4_fast_scan_avx2.cc,
// pq4_fast_scan_avx512.cc) share, and their tables. Internal to src/simd.

#ifndef VQSEARCH_SIMD_PQ4_FAST_SCAN_KERNELS_H_
#define VQSEARCH_SIMD_PQ4_FAST_SCAN_KERNELS_H_

#include <cstdint>

#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {

// Offers the survivors of one block: bit j of `mask` marks vector base + j, whose sum is
// sums[j]. Bits are visited in ascending order and re-checked against the threshold as
// it falls, so the offers are exactly those of a one-entry-at-a-time scan.
inline void OfferSurvivors(uint32_t mask, const uint16_t* sums, int64_t base, int64_t n,
                           FastScanSink* sink) {
  while (mask != 0) {
    const int j = __builtin_ctz(mask);
    mask &= mask - 1;
    if (base + j >= n) return;
    if (sums[j] <= sink->threshold) sink->Offer(base + j, sums[j]);
  }
}

// The per-ISA tables FastScanKernelsFor picks from (pq4_fast_scan_scalar.cc,
// pq4_fast_scan_avx2.cc, pq4_fast_scan_avx512.cc).
extern const FastScanKernels kFastScanScalar;
extern const FastScanKernels kFastScanAvx2;
extern const FastScanKernels kFastScanAvx512;

// The AVX2 table quantization, which the AVX-512 table uses too.
QuantizedTable QuantizeFastScanTableAvx2(const float* table, int num_subspaces, uint8_t* lut);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_PQ4_FAST_SCAN_KERNELS_H_
