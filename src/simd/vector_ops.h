// Small vector loops on the hot paths (norms, sums, finite checks, score screening) that
// the compiler vectorizes well. Each is compiled for x86-64's baseline and for AVX2 + FMA
// (a kernel family of simd/dispatch.h): one binary, the wide version wherever the CPU has
// it.
//
// Results may differ in the last bits between the ISAs (float sums are reassociated into
// vector lanes); callers must not rely on bit-identical sums across machines.

#ifndef VQSEARCH_SIMD_VECTOR_OPS_H_
#define VQSEARCH_SIMD_VECTOR_OPS_H_

#include <cstddef>
#include <cstdint>

#include "vqsearch/isa.h"

namespace vqsearch::internal {

// sum of x[i]^2.
float SquaredNorm(const float* x, int64_t n);

// sum of (a[i] - b[i])^2.
float SquaredL2(const float* a, const float* b, int64_t n);

// sum of a[i] * b[i].
float Dot(const float* a, const float* b, int64_t n);

// diff[i] = a[i] - b[i]; returns the sum of diff[i]^2.
float SubtractAndSquaredNorm(const float* a, const float* b, int64_t n, float* diff);

// The same sums in double precision, for exact re-scoring.
double SquaredL2Double(const float* a, const float* b, int64_t n);
double DotDouble(const float* a, const float* b, int64_t n);

// sum[i] += x[i] in float.
void Accumulate(const float* x, int64_t n, float* sum);

// sum[i] += x[i], accumulating in double.
void AccumulateDouble(const float* x, int64_t n, double* sum);

// True when every value is finite (no NaN, no infinity).
bool AllFinite(const float* x, size_t n);

// The minimum over j < n of (scores[j] + norms[j * norm_stride]) + offset, summed in that
// order (the norm term only when norms is not null), without writing anything.
float MinWithOffsets(const float* scores, const float* norms, int64_t norm_stride, float offset,
                     int64_t n);

// out[i] = a[i] + scale * b[i].
void AddScaled(const float* a, float scale, const float* b, size_t n, float* out);

// out[j] = sum over t < count of (scale * weights[t]) * rows[t * n + j], for j < n: a
// weighted sum of `count` rows of n values, added row after row (no reassociation).
void WeightedRowSum(const float* weights, float scale, const float* rows, int64_t count,
                    size_t n, float* out);

// Dimensions NearestByDirectProducts handles: up to 8, sgemm's inner dimension is too
// short to amortize its packing (PQ sub-spaces of 1-8 dimensions).
inline constexpr int kMaxDirectProductDim = 8;

// For each of `count` points (point p: `dim` <= kMaxDirectProductDim values at
// points + p * point_stride), the index j < k of the smallest offsets[j] - 2 <x, c_j>, the
// first of equal ones, with the k centroids stored dimension by dimension (`transposed`:
// dim rows of k values), summed as offsets[j] + (-2 x_0) c_j0 + (-2 x_1) c_j1 + ..., into
// labels[p * label_stride]. With offsets ||c_j||^2 it is the nearest centroid by L2, with
// zeros the largest inner product. Points are scored 16 at a time, one per vector lane.
void NearestByDirectProducts(const float* points, int64_t point_stride, int64_t count, int dim,
                             const float* transposed, const float* offsets, int64_t k,
                             int32_t* labels, int64_t label_stride);

// The vector-ops family: the functions above for one ISA.
struct VectorOpsKernels {
  float (*squared_norm)(const float* x, int64_t n);
  float (*squared_l2)(const float* a, const float* b, int64_t n);
  float (*dot)(const float* a, const float* b, int64_t n);
  float (*subtract_and_squared_norm)(const float* a, const float* b, int64_t n, float* diff);
  double (*squared_l2_double)(const float* a, const float* b, int64_t n);
  double (*dot_double)(const float* a, const float* b, int64_t n);
  void (*accumulate)(const float* x, int64_t n, float* sum);
  void (*accumulate_double)(const float* x, int64_t n, double* sum);
  bool (*all_finite)(const float* x, size_t n);
  float (*min_with_offsets)(const float* scores, const float* norms, int64_t norm_stride,
                            float offset, int64_t n);
  void (*add_scaled)(const float* a, float scale, const float* b, size_t n, float* out);
  void (*weighted_row_sum)(const float* weights, float scale, const float* rows, int64_t count,
                           size_t n, float* out);
  void (*nearest_by_direct_products)(const float* points, int64_t point_stride, int64_t count,
                                     int dim, const float* transposed, const float* offsets,
                                     int64_t k, int32_t* labels, int64_t label_stride);
};
const VectorOpsKernels& VectorOpsKernelsFor(Isa isa);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_VECTOR_OPS_H_
