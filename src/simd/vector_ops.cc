// The run-time choice of vector ops; see vector_ops.h.

#include "simd/vector_ops.h"

#include "simd/dispatch.h"
#include "simd/vector_ops_kernels.h"

namespace vqsearch::internal {

const VectorOpsKernels& VectorOpsKernelsFor(Isa isa) {
  return PickKernels(isa, kVectorOpsScalar, VQS_X86_TABLE(kVectorOpsAvx2), nullptr);
}

namespace {

const VectorOpsKernels& ActiveVectorOps() {
  return ActiveKernels<VectorOpsKernels, VectorOpsKernelsFor>();
}

}  // namespace

float SquaredNorm(const float* x, int64_t n) { return ActiveVectorOps().squared_norm(x, n); }

float SquaredL2(const float* a, const float* b, int64_t n) {
  return ActiveVectorOps().squared_l2(a, b, n);
}

float Dot(const float* a, const float* b, int64_t n) { return ActiveVectorOps().dot(a, b, n); }

float SubtractAndSquaredNorm(const float* a, const float* b, int64_t n, float* diff) {
  return ActiveVectorOps().subtract_and_squared_norm(a, b, n, diff);
}

double SquaredL2Double(const float* a, const float* b, int64_t n) {
  return ActiveVectorOps().squared_l2_double(a, b, n);
}

double DotDouble(const float* a, const float* b, int64_t n) {
  return ActiveVectorOps().dot_double(a, b, n);
}

void Accumulate(const float* x, int64_t n, float* sum) {
  return ActiveVectorOps().accumulate(x, n, sum);
}

void AccumulateDouble(const float* x, int64_t n, double* sum) {
  return ActiveVectorOps().accumulate_double(x, n, sum);
}

bool AllFinite(const float* x, size_t n) { return ActiveVectorOps().all_finite(x, n); }

float MinWithOffsets(const float* scores, const float* norms, int64_t norm_stride, float offset,
                     int64_t n) {
  return ActiveVectorOps().min_with_offsets(scores, norms, norm_stride, offset, n);
}

void AddScaled(const float* a, float scale, const float* b, size_t n, float* out) {
  return ActiveVectorOps().add_scaled(a, scale, b, n, out);
}

void WeightedRowSum(const float* weights, float scale, const float* rows, int64_t count,
                    size_t n, float* out) {
  return ActiveVectorOps().weighted_row_sum(weights, scale, rows, count, n, out);
}

void NearestByDirectProducts(const float* points, int64_t point_stride, int64_t count, int dim,
                             const float* transposed, const float* offsets, int64_t k,
                             int32_t* labels, int64_t label_stride) {
  return ActiveVectorOps().nearest_by_direct_products(points, point_stride, count, dim,
                                                      transposed, offsets, k, labels,
                                                      label_stride);
}

}  // namespace vqsearch::internal
