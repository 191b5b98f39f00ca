// Pieces the SIMD fast-scan kernels (pq4_fast_scan_avx2.cc, pq4_fast_scan_avx512.cc)
// share with each other and with the scalar reference. Internal to src/simd.

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

QuantizedTable QuantizeFastScanTableScalar(const float* table, int num_subspaces, uint8_t* lut);
QuantizedTable QuantizeFastScanTableAvx2(const float* table, int num_subspaces, uint8_t* lut);

void FastScan4Scalar(const uint8_t* blocks, int64_t n, int num_subspaces, const uint8_t* lut,
                     FastScanSink* sink);
void FastScan4Avx2(const uint8_t* blocks, int64_t n, int num_subspaces, const uint8_t* lut,
                   FastScanSink* sink);
void FastScan4Avx512(const uint8_t* blocks, int64_t n, int num_subspaces, const uint8_t* lut,
                     FastScanSink* sink);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_PQ4_FAST_SCAN_KERNELS_H_
