// Distance kernels over scalar-quantized codes (quant/scalar_quantizer.h): a float query
// against n codes, each decoded dimension by dimension in registers, never written out.
//
// A code of `dim` dimensions decodes dimension j to a value v_j that depends on the layout:
//   kUint8    one byte per dimension, v_j = the byte (a uniform level)
//   kUint4    two dimensions per byte, the even one in the low nibble, v_j = the nibble
//   kFloat16  two bytes per dimension, an IEEE half, v_j = its value
//   kTable8   one byte per dimension, v_j = table[j * 256 + byte]
//   kTable4   nibbles as in kUint4, v_j = table[j * 16 + nibble]
// and the kernels compute, for i < n,
//   SqScanL2:  out[i] = sum_j (a[j] - b[j] * v_j)^2    (b null: b[j] = 1)
//   SqScanDot: out[i] = sum_j w[j] * v_j
// The scalar quantizer folds its per-dimension affine decoding into a, b and w, so one
// kernel per layout serves every metric and both direct and residual codes.
//
// SqScanL2 / SqScanDot run the kernels of the active ISA (simd/dispatch.h); the scalar
// references SqScanL2Reference / SqScanDotReference are also the tests' oracle. Results
// differ from the reference by float reassociation only.

#ifndef VQSEARCH_SIMD_SQ_SCAN_H_
#define VQSEARCH_SIMD_SQ_SCAN_H_

#include <cstddef>
#include <cstdint>

#include "vqsearch/isa.h"

namespace vqsearch::internal {

enum class SqLayout { kUint8, kUint4, kFloat16, kTable8, kTable4 };

// Bytes of one code of `dim` dimensions.
size_t SqCodeSize(SqLayout layout, int dim);

void SqScanL2(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* a,
              const float* b, const float* table, float* out);
void SqScanDot(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* w,
               const float* table, float* out);

void SqScanL2Reference(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* a,
                       const float* b, const float* table, float* out);
void SqScanDotReference(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* w,
                        const float* table, float* out);

// The SQ kernel family: the two scans for one ISA (the scalar table holds the references).
struct SqScanKernels {
  void (*l2)(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* a,
             const float* b, const float* table, float* out);
  void (*dot)(SqLayout layout, const uint8_t* codes, int64_t n, int dim, const float* w,
              const float* table, float* out);
};
const SqScanKernels& SqScanKernelsFor(Isa isa);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_SQ_SCAN_H_
