// AVX2 + FMA + F16C versions of the SQ kernels (sq_scan.h). Only these functions carry
// the wider target, through function attributes, so the rest of the library stays
// x86-64 baseline; the dispatcher (simd/dispatch.h) calls them only on CPUs with AVX2.
//
// A code is scored 32 dimensions per step into four independent accumulators (the FMA
// latency is four cycles), then 16 at a time, then one at a time through SqValue for
// the last dim % 16. Every layout is unpacked to two vectors of eight floats per 16
// dimensions: bytes widen with vpmovzxbd, nibbles are split and interleaved back into
// dimension order first, halves convert with vcvtph2ps and table layouts gather
// table[j * levels + code] with vpgatherdd.

#include "simd/dispatch.h"

#if VQS_X86_KERNELS

#include <immintrin.h>

#include "simd/sq_decode.h"
#include "simd/sq_scan.h"
#include "simd/sq_scan_kernels.h"

namespace vqsearch::internal {
namespace {

// Eight int32 lanes holding the bytes of `bytes`' low (kHigh = false) or high half.
template <bool kHigh>
VQS_TARGET_AVX2 inline __m256i WidenBytes(__m128i bytes) {
  return _mm256_cvtepu8_epi32(kHigh ? _mm_srli_si128(bytes, 8) : bytes);
}

// 16 bytes holding the 16 nibbles at `packed` (8 bytes) in dimension order.
VQS_TARGET_AVX2 inline __m128i UnpackNibbles(const uint8_t* packed) {
  const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(packed));
  const __m128i mask = _mm_set1_epi8(0x0F);
  const __m128i low = _mm_and_si128(bytes, mask);
  const __m128i high = _mm_and_si128(_mm_srli_epi16(bytes, 4), mask);
  return _mm_unpacklo_epi8(low, high);
}

// Levels per dimension of a table layout.
constexpr int TableLevels(SqLayout layout) { return layout == SqLayout::kTable8 ? 256 : 16; }

// Decodes dimensions [j, j + 16) of `code` into v0 (the first eight) and v1.
template <SqLayout kLayout>
VQS_TARGET_AVX2 inline void Load16(const uint8_t* code, int j, const float* table, __m256* v0,
                                   __m256* v1) {
  if constexpr (kLayout == SqLayout::kFloat16) {
    const auto* halves = reinterpret_cast<const __m128i*>(code + 2 * j);
    *v0 = _mm256_cvtph_ps(_mm_loadu_si128(halves));
    *v1 = _mm256_cvtph_ps(_mm_loadu_si128(halves + 1));
    return;
  }
  __m128i bytes;
  if constexpr (kLayout == SqLayout::kUint8 || kLayout == SqLayout::kTable8) {
    bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(code + j));
  } else {
    bytes = UnpackNibbles(code + j / 2);
  }
  const __m256i c0 = WidenBytes<false>(bytes);
  const __m256i c1 = WidenBytes<true>(bytes);
  if constexpr (kLayout == SqLayout::kUint8 || kLayout == SqLayout::kUint4) {
    *v0 = _mm256_cvtepi32_ps(c0);
    *v1 = _mm256_cvtepi32_ps(c1);
  } else {
    constexpr int L = TableLevels(kLayout);
    const __m256i rows = _mm256_setr_epi32(0, L, 2 * L, 3 * L, 4 * L, 5 * L, 6 * L, 7 * L);
    const __m256i base0 = _mm256_add_epi32(rows, _mm256_set1_epi32(j * L));
    const __m256i base1 = _mm256_add_epi32(base0, _mm256_set1_epi32(8 * L));
    *v0 = _mm256_i32gather_ps(table, _mm256_add_epi32(base0, c0), 4);
    *v1 = _mm256_i32gather_ps(table, _mm256_add_epi32(base1, c1), 4);
  }
}

VQS_TARGET_AVX2 inline float HorizontalSum(__m256 v) {
  const __m128 four = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
  return _mm_cvtss_f32(_mm_add_ss(two, _mm_movehdup_ps(two)));
}

// The per-dimension terms of the two kernels: Add folds eight dimensions starting at j
// into an accumulator, AddOne a single dimension into a float sum.
template <bool kScaled>  // b is ignored when !kScaled (b = 1)
struct SquaredTerm {
  const float* a;
  const float* b;
  VQS_TARGET_AVX2 __m256 Add(int j, __m256 v, __m256 acc) const {
    const __m256 diff = kScaled
                            ? _mm256_fnmadd_ps(_mm256_loadu_ps(b + j), v, _mm256_loadu_ps(a + j))
                            : _mm256_sub_ps(_mm256_loadu_ps(a + j), v);
    return _mm256_fmadd_ps(diff, diff, acc);
  }
  float AddOne(int j, float v, float sum) const {
    const float diff = a[j] - (kScaled ? b[j] : 1.0f) * v;
    return sum + diff * diff;
  }
};

struct ProductTerm {
  const float* w;
  VQS_TARGET_AVX2 __m256 Add(int j, __m256 v, __m256 acc) const {
    return _mm256_fmadd_ps(_mm256_loadu_ps(w + j), v, acc);
  }
  float AddOne(int j, float v, float sum) const { return sum + w[j] * v; }
};

template <SqLayout kLayout, typename Term>
VQS_TARGET_AVX2 void Scan(const uint8_t* codes, int64_t n, int dim, Term term, const float* table,
                          float* out) {
  const size_t code_size = SqCodeSize(kLayout, dim);
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* code = codes + i * code_size;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
    int j = 0;
    for (; j + 32 <= dim; j += 32) {
      __m256 v0, v1, v2, v3;
      Load16<kLayout>(code, j, table, &v0, &v1);
      Load16<kLayout>(code, j + 16, table, &v2, &v3);
      acc0 = term.Add(j, v0, acc0);
      acc1 = term.Add(j + 8, v1, acc1);
      acc2 = term.Add(j + 16, v2, acc2);
      acc3 = term.Add(j + 24, v3, acc3);
    }
    for (; j + 16 <= dim; j += 16) {
      __m256 v0, v1;
      Load16<kLayout>(code, j, table, &v0, &v1);
      acc0 = term.Add(j, v0, acc0);
      acc1 = term.Add(j + 8, v1, acc1);
    }
    float sum = HorizontalSum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    for (; j < dim; ++j) sum = term.AddOne(j, SqValue(kLayout, code, j, table), sum);
    out[i] = sum;
  }
}

template <SqLayout kLayout>
VQS_TARGET_AVX2 void ScanL2(const uint8_t* codes, int64_t n, int dim, const float* a,
                            const float* b, const float* table, float* out) {
  if (b != nullptr) {
    Scan<kLayout>(codes, n, dim, SquaredTerm<true>{a, b}, table, out);
  } else {
    Scan<kLayout>(codes, n, dim, SquaredTerm<false>{a, b}, table, out);
  }
}

template <SqLayout kLayout>
VQS_TARGET_AVX2 void ScanDot(const uint8_t* codes, int64_t n, int dim, const float* w,
                             const float* table, float* out) {
  Scan<kLayout>(codes, n, dim, ProductTerm{w}, table, out);
}

VQS_TARGET_AVX2 void SqScanL2Avx2(SqLayout layout, const uint8_t* codes, int64_t n, int dim,
                                  const float* a, const float* b, const float* table, float* out) {
  switch (layout) {
    case SqLayout::kUint8:
      return ScanL2<SqLayout::kUint8>(codes, n, dim, a, b, table, out);
    case SqLayout::kUint4:
      return ScanL2<SqLayout::kUint4>(codes, n, dim, a, b, table, out);
    case SqLayout::kFloat16:
      return ScanL2<SqLayout::kFloat16>(codes, n, dim, a, b, table, out);
    case SqLayout::kTable8:
      return ScanL2<SqLayout::kTable8>(codes, n, dim, a, b, table, out);
    case SqLayout::kTable4:
      return ScanL2<SqLayout::kTable4>(codes, n, dim, a, b, table, out);
  }
}

VQS_TARGET_AVX2 void SqScanDotAvx2(SqLayout layout, const uint8_t* codes, int64_t n, int dim,
                                   const float* w, const float* table, float* out) {
  switch (layout) {
    case SqLayout::kUint8:
      return ScanDot<SqLayout::kUint8>(codes, n, dim, w, table, out);
    case SqLayout::kUint4:
      return ScanDot<SqLayout::kUint4>(codes, n, dim, w, table, out);
    case SqLayout::kFloat16:
      return ScanDot<SqLayout::kFloat16>(codes, n, dim, w, table, out);
    case SqLayout::kTable8:
      return ScanDot<SqLayout::kTable8>(codes, n, dim, w, table, out);
    case SqLayout::kTable4:
      return ScanDot<SqLayout::kTable4>(codes, n, dim, w, table, out);
  }
}

}  // namespace

const SqScanKernels kSqScanAvx2 = {SqScanL2Avx2, SqScanDotAvx2};

}  // namespace vqsearch::internal

#endif
