// Pieces the fast-scan kernel files (pq4_fast_scan_scalar.cc, pq4_fast_scan_avx2.cc,
// pq4_fast_scan_avx512.cc) share, and their tables. Internal to src/simd.

#ifndef VQSEARCH_SIMD_PQ4_FAST_SCAN_KERNELS_H_
#define VQSEARCH_SIMD_PQ4_FAST_SCAN_KERNELS_H_

#include <cstdint>

#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {

// The per-ISA tables FastScanKernelsFor picks from (pq4_fast_scan_scalar.cc,
// pq4_fast_scan_avx2.cc, pq4_fast_scan_avx512.cc).
extern const FastScanKernels kFastScanScalar;
extern const FastScanKernels kFastScanAvx2;
extern const FastScanKernels kFastScanAvx512;

// The AVX2 table quantization, which the AVX-512 table uses too.
QuantizedTable QuantizeFastScanTableAvx2(const float* table, int num_subspaces, uint8_t* lut);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_PQ4_FAST_SCAN_KERNELS_H_
