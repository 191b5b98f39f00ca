// The run-time choice of 8-bit scan; see pq8_scan.h.

#include "simd/pq8_scan.h"

#include "simd/dispatch.h"
#include "simd/pq8_scan_kernels.h"

namespace vqsearch::internal {

const Pq8ScanKernels& Pq8ScanKernelsFor(Isa isa) {
  return PickKernels(isa, kPq8ScanScalar, VQS_X86_TABLE(kPq8ScanAvx2), nullptr);
}

void ScanCodes8(const uint8_t* codes, int64_t n, int num_subspaces, const float* table,
                float offset, float* out) {
  ActiveKernels<Pq8ScanKernels, Pq8ScanKernelsFor>().scan(codes, n, num_subspaces, table, offset, out);
}

}  // namespace vqsearch::internal
