// Scalar references of the SQ kernels and the run-time choice between them and the AVX2
// versions; see sq_scan.h.

#include "simd/sq_scan.h"

#include "simd/sq_decode.h"

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

void SqScanL2(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* a,
              const float* b, const float* table, float* out) {
  static const bool avx2 = SqScanHasAvx2();
  if (avx2) {
    SqScanL2Avx2(layout, codes, n, dim, a, b, table, out);
  } else {
    SqScanL2Reference(layout, codes, n, dim, a, b, table, out);
  }
}

void SqScanDot(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* w,
               const float* table, float* out) {
  static const bool avx2 = SqScanHasAvx2();
  if (avx2) {
    SqScanDotAvx2(layout, codes, n, dim, w, table, out);
  } else {
    SqScanDotReference(layout, codes, n, dim, w, table, out);
  }
}

}  // namespace vqsearch::internal
