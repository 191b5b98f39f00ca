// Code sizes of the SQ layouts and the run-time choice of kernels; see sq_scan.h.

#include "simd/sq_scan.h"

#include "simd/dispatch.h"
#include "simd/sq_scan_kernels.h"

namespace vqsearch::internal {

size_t SqCodeSize(SqLayout layout, int dim) {
  switch (layout) {
    case SqLayout::kUint8:
    case SqLayout::kTable8:
      return static_cast<size_t>(dim);
    case SqLayout::kUint4:
    case SqLayout::kTable4:
      return (static_cast<size_t>(dim) + 1) / 2;
    case SqLayout::kFloat16:
      return 2 * static_cast<size_t>(dim);
  }
  return 0;
}

const SqScanKernels& SqScanKernelsFor(Isa isa) {
  return PickKernels(isa, kSqScanScalar, VQS_X86_TABLE(kSqScanAvx2), nullptr);
}

void SqScanL2(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* a,
              const float* b, const float* table, float* out) {
  ActiveKernels<SqScanKernels, SqScanKernelsFor>().l2(layout, codes, n, dim, a, b, table, out);
}

void SqScanDot(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* w,
               const float* table, float* out) {
  ActiveKernels<SqScanKernels, SqScanKernelsFor>().dot(layout, codes, n, dim, w, table, out);
}

}  // namespace vqsearch::internal
