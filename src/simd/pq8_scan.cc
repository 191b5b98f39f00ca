// The run-time choice of 8-bit scan; see pq8_scan.h.

#include "simd/pq8_scan.h"

#include "simd/dispatch.h"
#include "simd/pq8_scan_kernels.h"

namespace vqsearch::internal {

const Pq8ScanKernels& Pq8ScanKernelsFor(Isa isa) {
#if VQS_X86_KERNELS
  return PickKernels(isa, kPq8ScanScalar, &kPq8ScanAvx2, nullptr);
#else
  return PickKernels(isa, kPq8ScanScalar, nullptr, nullptr);
#endif
}

void ScanCodes8(const uint8_t* codes, int64_t n, int num_subspaces, const float* table,
                float offset, float* out) {
  static const Pq8ScanKernels& kernels = Pq8ScanKernelsFor(ActiveIsa());
  kernels.scan(codes, n, num_subspaces, table, offset, out);
}

}  // namespace vqsearch::internal
