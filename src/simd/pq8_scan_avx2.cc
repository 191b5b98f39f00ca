// The 8-bit scan compiled for AVX2; see pq8_scan.h.

#include "simd/dispatch.h"

#if VQS_X86_KERNELS

#include "simd/pq8_scan.h"
#include "simd/pq8_scan_kernels.h"

namespace vqsearch::internal {
namespace {

VQS_TARGET_AVX2 void ScanCodes8Avx2(const uint8_t* codes, int64_t n, int num_subspaces,
                                    const float* table, float offset, float* out) {
  ScanCodes8Loop(codes, n, num_subspaces, table, offset, out);
}

}  // namespace

const Pq8ScanKernels kPq8ScanAvx2 = {ScanCodes8Avx2};

}  // namespace vqsearch::internal

#endif
