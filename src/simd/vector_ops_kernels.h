// The loops of the vector-ops family (vector_ops.h), written once: each ISA's file
// (vector_ops_scalar.cc, vector_ops_avx2.cc) wraps them in functions of its own target,
// into which they are inlined and vectorized for that target. Also the per-ISA tables
// VectorOpsKernelsFor picks from. Internal to src/simd.

#ifndef VQSEARCH_SIMD_VECTOR_OPS_KERNELS_H_
#define VQSEARCH_SIMD_VECTOR_OPS_KERNELS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "simd/vector_ops.h"

#define VQS_VECTOR_LOOP __attribute__((always_inline)) inline

namespace vqsearch::internal {

extern const VectorOpsKernels kVectorOpsScalar;
extern const VectorOpsKernels kVectorOpsAvx2;

VQS_VECTOR_LOOP float SquaredNormLoop(const float* x, int64_t n) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += x[i] * x[i];
  return sum;
}

VQS_VECTOR_LOOP float SquaredL2Loop(const float* a, const float* b, int64_t n) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return sum;
}

VQS_VECTOR_LOOP float DotLoop(const float* a, const float* b, int64_t n) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

VQS_VECTOR_LOOP float SubtractAndSquaredNormLoop(const float* a, const float* b, int64_t n,
                                                float* diff) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) {
    diff[i] = a[i] - b[i];
    sum += diff[i] * diff[i];
  }
  return sum;
}

VQS_VECTOR_LOOP double SquaredL2DoubleLoop(const float* a, const float* b, int64_t n) {
  double sum = 0.0;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) {
    const double diff = double{a[i]} - b[i];
    sum += diff * diff;
  }
  return sum;
}

VQS_VECTOR_LOOP double DotDoubleLoop(const float* a, const float* b, int64_t n) {
  double sum = 0.0;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += double{a[i]} * b[i];
  return sum;
}

VQS_VECTOR_LOOP void AccumulateLoop(const float* x, int64_t n, float* sum) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) sum[i] += x[i];
}

VQS_VECTOR_LOOP void AccumulateDoubleLoop(const float* x, int64_t n, double* sum) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) sum[i] += x[i];
}

VQS_VECTOR_LOOP bool AllFiniteLoop(const float* x, size_t n) {
  // A float is NaN or infinite exactly when its exponent bits are all ones; testing the
  // bits keeps the loop branch-free.
  uint32_t non_finite = 0;
#pragma omp simd reduction(| : non_finite)
  for (size_t i = 0; i < n; ++i) {
    uint32_t bits;
    std::memcpy(&bits, x + i, sizeof(bits));
    non_finite |= (bits & 0x7F800000u) == 0x7F800000u;
  }
  return non_finite == 0;
}

namespace {

// Four floats as one GCC vector (an SSE register in every ISA's build, so passing it around
// has the same ABI everywhere): element-wise compare-and-select compiles to minps.
typedef float Float4 __attribute__((vector_size(16)));

VQS_VECTOR_LOOP Float4 Load4(const float* x) {
  Float4 v;
  std::memcpy(&v, x, sizeof(v));
  return v;
}

// Lane-wise min that ignores NaN in b (a lane of a is replaced only by a smaller b), as
// std::min(a, b) does in the scalar tail: a NaN score never hides a smaller one.
VQS_VECTOR_LOOP Float4 Min4(Float4 a, Float4 b) { return b < a ? b : a; }

}  // namespace

VQS_VECTOR_LOOP float MinWithOffsetsLoop(const float* scores, const float* norms,
                                        int64_t norm_stride, float offset, int64_t n) {
  // GCC does not vectorize a scalar float min reduction (min is not associative under
  // NaN and signed zeros), so the unit-stride cases keep eight running minima in two
  // vectors (measured: the scalar loop was 4% of a k-means iteration).
  const float infinity = std::numeric_limits<float>::infinity();
  Float4 low = {infinity, infinity, infinity, infinity}, high = low;
  int64_t j = 0;
  if (norms == nullptr) {
    for (; j + 8 <= n; j += 8) {
      low = Min4(low, Load4(scores + j));
      high = Min4(high, Load4(scores + j + 4));
    }
  } else if (norm_stride == 1) {
    for (; j + 8 <= n; j += 8) {
      low = Min4(low, Load4(scores + j) + Load4(norms + j));
      high = Min4(high, Load4(scores + j + 4) + Load4(norms + j + 4));
    }
  }
  const Float4 lanes = Min4(low, high);
  float minimum = infinity;
  for (int l = 0; l < 4; ++l) minimum = std::min(minimum, lanes[l]);
  for (; j < n; ++j) {
    minimum = std::min(minimum, scores[j] + (norms == nullptr ? 0.0f : norms[j * norm_stride]));
  }
  return minimum + offset;
}

VQS_VECTOR_LOOP void AddScaledLoop(const float* a, float scale, const float* b, size_t n,
                                   float* out) {
#pragma omp simd
  for (size_t i = 0; i < n; ++i) out[i] = a[i] + scale * b[i];
}

VQS_VECTOR_LOOP void WeightedRowSumLoop(const float* weights, float scale, const float* rows,
                                        int64_t count, size_t n, float* out) {
  for (size_t j = 0; j < n; ++j) out[j] = 0.0f;
  for (int64_t t = 0; t < count; ++t) {
    const float w = scale * weights[t];
    const float* row = rows + static_cast<size_t>(t) * n;
#pragma omp simd
    for (size_t j = 0; j < n; ++j) out[j] += w * row[j];
  }
}

// Points NearestByDirectProductsLoop scores together, one per lane (two AVX2 vectors).
constexpr int kDirectProductBlock = 16;

// NearestByDirectProductsLoop for points of kDim dimensions: a compile-time count, so
// that the loop over a centroid's dimensions unrolls inside the loop over the lanes.
template <int kDim>
VQS_VECTOR_LOOP void NearestByDirectProductsOfDim(const float* points, int64_t point_stride,
                                                  int64_t count, const float* transposed,
                                                  const float* offsets, int64_t k,
                                                  int32_t* labels, int64_t label_stride) {
  for (int64_t begin = 0; begin < count; begin += kDirectProductBlock) {
    const int64_t block = std::min<int64_t>(kDirectProductBlock, count - begin);
    // The block's points dimension by dimension, scaled by -2; lanes past the last point
    // stay zero and are not written out.
    float weights[kDim][kDirectProductBlock] = {};
    for (int64_t p = 0; p < block; ++p) {
      const float* x = points + (begin + p) * point_stride;
      for (int t = 0; t < kDim; ++t) weights[t][p] = -2.0f * x[t];
    }
    float best[kDirectProductBlock];
    int32_t label[kDirectProductBlock];
    for (int p = 0; p < kDirectProductBlock; ++p) {
      best[p] = std::numeric_limits<float>::infinity();
      label[p] = 0;
    }
    for (int64_t j = 0; j < k; ++j) {
      const float offset = offsets[j];
      const int32_t index = static_cast<int32_t>(j);
      float centroid[kDim];
      for (int t = 0; t < kDim; ++t) centroid[t] = transposed[t * k + j];
      // Selected by masks, every lane stored each time: the compiler keeps both arrays
      // in vector registers instead of branching to masked stores.
#pragma omp simd
      for (int p = 0; p < kDirectProductBlock; ++p) {
        float score = offset;
        for (int t = 0; t < kDim; ++t) score += weights[t][p] * centroid[t];
        const int32_t better = -static_cast<int32_t>(score < best[p]);
        label[p] = (index & better) | (label[p] & ~better);
        best[p] = std::min(score, best[p]);
      }
    }
    for (int64_t p = 0; p < block; ++p) labels[(begin + p) * label_stride] = label[p];
  }
}

VQS_VECTOR_LOOP void NearestByDirectProductsLoop(const float* points, int64_t point_stride,
                                                 int64_t count, int dim,
                                                 const float* transposed, const float* offsets,
                                                 int64_t k, int32_t* labels,
                                                 int64_t label_stride) {
  static_assert(kMaxDirectProductDim == 8, "one case per dimension");
  switch (dim) {
#define VQS_DIRECT_PRODUCTS_CASE(d)                                                         \
  case d:                                                                                   \
    return NearestByDirectProductsOfDim<d>(points, point_stride, count, transposed, offsets, \
                                           k, labels, label_stride);
    VQS_DIRECT_PRODUCTS_CASE(1)
    VQS_DIRECT_PRODUCTS_CASE(2)
    VQS_DIRECT_PRODUCTS_CASE(3)
    VQS_DIRECT_PRODUCTS_CASE(4)
    VQS_DIRECT_PRODUCTS_CASE(5)
    VQS_DIRECT_PRODUCTS_CASE(6)
    VQS_DIRECT_PRODUCTS_CASE(7)
    VQS_DIRECT_PRODUCTS_CASE(8)
#undef VQS_DIRECT_PRODUCTS_CASE
  }
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_VECTOR_OPS_KERNELS_H_
