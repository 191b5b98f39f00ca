// The scalar references of the SQ kernels, one dimension at a time through SqValue; see
// sq_scan.h.

#include "simd/sq_decode.h"
#include "simd/sq_scan.h"
#include "simd/sq_scan_kernels.h"

namespace vqsearch::internal {

void SqScanL2Reference(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* a,
                       const float* b, const float* table, float* out) {
  const size_t code_size = SqCodeSize(layout, dim);
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* code = codes + i * code_size;
    float sum = 0.0f;
    for (int j = 0; j < dim; ++j) {
      const float diff = a[j] - (b != nullptr ? b[j] : 1.0f) * SqValue(layout, code, j, table);
      sum += diff * diff;
    }
    out[i] = sum;
  }
}

void SqScanDotReference(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* w,
                        const float* table, float* out) {
  const size_t code_size = SqCodeSize(layout, dim);
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* code = codes + i * code_size;
    float sum = 0.0f;
    for (int j = 0; j < dim; ++j) sum += w[j] * SqValue(layout, code, j, table);
    out[i] = sum;
  }
}

const SqScanKernels kSqScanScalar = {SqScanL2Reference, SqScanDotReference};

}  // namespace vqsearch::internal
