// The per-ISA tables of the SQ kernel family that SqScanKernelsFor picks from
// (sq_scan_scalar.cc, sq_scan_avx2.cc). Internal to src/simd.

#ifndef VQSEARCH_SIMD_SQ_SCAN_KERNELS_H_
#define VQSEARCH_SIMD_SQ_SCAN_KERNELS_H_

#include "simd/sq_scan.h"

namespace vqsearch::internal {

extern const SqScanKernels kSqScanScalar;
extern const SqScanKernels kSqScanAvx2;

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_SQ_SCAN_KERNELS_H_
