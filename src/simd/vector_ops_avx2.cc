// The vector ops compiled for AVX2 + FMA; see vector_ops.h.

#include "simd/dispatch.h"

#if VQS_X86_KERNELS

#include "simd/vector_ops.h"
#include "simd/vector_ops_kernels.h"

namespace vqsearch::internal {
namespace {

VQS_TARGET_AVX2 float SquaredNormAvx2(const float* x, int64_t n) { return SquaredNormLoop(x, n); }

VQS_TARGET_AVX2 float SquaredL2Avx2(const float* a, const float* b, int64_t n) {
  return SquaredL2Loop(a, b, n);
}

VQS_TARGET_AVX2 float DotAvx2(const float* a, const float* b, int64_t n) {
  return DotLoop(a, b, n);
}

VQS_TARGET_AVX2 float SubtractAndSquaredNormAvx2(const float* a, const float* b, int64_t n,
                                                 float* diff) {
  return SubtractAndSquaredNormLoop(a, b, n, diff);
}

VQS_TARGET_AVX2 double SquaredL2DoubleAvx2(const float* a, const float* b, int64_t n) {
  return SquaredL2DoubleLoop(a, b, n);
}

VQS_TARGET_AVX2 double DotDoubleAvx2(const float* a, const float* b, int64_t n) {
  return DotDoubleLoop(a, b, n);
}

VQS_TARGET_AVX2 void AccumulateAvx2(const float* x, int64_t n, float* sum) {
  return AccumulateLoop(x, n, sum);
}

VQS_TARGET_AVX2 void AccumulateDoubleAvx2(const float* x, int64_t n, double* sum) {
  return AccumulateDoubleLoop(x, n, sum);
}

VQS_TARGET_AVX2 bool AllFiniteAvx2(const float* x, size_t n) { return AllFiniteLoop(x, n); }

VQS_TARGET_AVX2 float MinWithOffsetsAvx2(const float* scores, const float* norms,
                                         int64_t norm_stride, float offset, int64_t n) {
  return MinWithOffsetsLoop(scores, norms, norm_stride, offset, n);
}

VQS_TARGET_AVX2 void AddScaledAvx2(const float* a, float scale, const float* b, size_t n,
                                   float* out) {
  return AddScaledLoop(a, scale, b, n, out);
}

VQS_TARGET_AVX2 void WeightedRowSumAvx2(const float* weights, float scale, const float* rows,
                                        int64_t count, size_t n, float* out) {
  return WeightedRowSumLoop(weights, scale, rows, count, n, out);
}

VQS_TARGET_AVX2 void NearestByDirectProductsAvx2(const float* points, int64_t point_stride,
                                                 int64_t count, int dim,
                                                 const float* transposed, const float* offsets,
                                                 int64_t k, int32_t* labels,
                                                 int64_t label_stride) {
  return NearestByDirectProductsLoop(points, point_stride, count, dim, transposed, offsets, k,
                                     labels, label_stride);
}

}  // namespace

const VectorOpsKernels kVectorOpsAvx2 = {
    SquaredNormAvx2,     SquaredL2Avx2,      DotAvx2,        SubtractAndSquaredNormAvx2,
    SquaredL2DoubleAvx2, DotDoubleAvx2,      AccumulateAvx2, AccumulateDoubleAvx2,
    AllFiniteAvx2,       MinWithOffsetsAvx2, AddScaledAvx2,  WeightedRowSumAvx2,
    NearestByDirectProductsAvx2};

}  // namespace vqsearch::internal

#endif
