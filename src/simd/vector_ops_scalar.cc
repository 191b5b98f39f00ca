// The vector ops compiled for the x86-64 baseline (or any other CPU); see vector_ops.h.

#include "simd/vector_ops.h"
#include "simd/vector_ops_kernels.h"

namespace vqsearch::internal {
namespace {

float SquaredNormScalar(const float* x, int64_t n) { return SquaredNormLoop(x, n); }

float SquaredL2Scalar(const float* a, const float* b, int64_t n) { return SquaredL2Loop(a, b, n); }

float DotScalar(const float* a, const float* b, int64_t n) { return DotLoop(a, b, n); }

float SubtractAndSquaredNormScalar(const float* a, const float* b, int64_t n, float* diff) {
  return SubtractAndSquaredNormLoop(a, b, n, diff);
}

double SquaredL2DoubleScalar(const float* a, const float* b, int64_t n) {
  return SquaredL2DoubleLoop(a, b, n);
}

double DotDoubleScalar(const float* a, const float* b, int64_t n) { return DotDoubleLoop(a, b, n); }

void AccumulateScalar(const float* x, int64_t n, float* sum) { return AccumulateLoop(x, n, sum); }

void AccumulateDoubleScalar(const float* x, int64_t n, double* sum) {
  return AccumulateDoubleLoop(x, n, sum);
}

bool AllFiniteScalar(const float* x, size_t n) { return AllFiniteLoop(x, n); }

float MinWithOffsetsScalar(const float* scores, const float* norms, int64_t norm_stride,
                           float offset, int64_t n) {
  return MinWithOffsetsLoop(scores, norms, norm_stride, offset, n);
}

void AddScaledScalar(const float* a, float scale, const float* b, size_t n, float* out) {
  return AddScaledLoop(a, scale, b, n, out);
}

}  // namespace

const VectorOpsKernels kVectorOpsScalar = {
    SquaredNormScalar,     SquaredL2Scalar,      DotScalar,        SubtractAndSquaredNormScalar,
    SquaredL2DoubleScalar, DotDoubleScalar,      AccumulateScalar, AccumulateDoubleScalar,
    AllFiniteScalar,       MinWithOffsetsScalar, AddScaledScalar};

}  // namespace vqsearch::internal
