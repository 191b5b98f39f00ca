// The AVX2 fast-scan kernel (two sub-spaces of a 32-vector block per 32-byte load and
// per vpshufb pair; see pq4_fast_scan.h for the layout) and table quantization.

#include "simd/dispatch.h"

#if VQS_X86_KERNELS

#include <immintrin.h>

#include <algorithm>

#include "simd/pq4_fast_scan_avx2.h"
#include "simd/pq4_fast_scan_kernels.h"

namespace vqsearch::internal {

namespace {

// Finishes a block's sums and offers its survivors.
__attribute__((target("avx2"))) inline void FinishBlock(const FastScanAccumulators& acc,
                                                        int64_t base, int64_t n,
                                                        FastScanSink* sink) {
  alignas(32) uint16_t sums[kFastScanBlock];
  __m256i low, high;
  acc.Finish(&low, &high);
  const uint32_t mask = SurvivorMask(low, high, sink->threshold);
  if (mask == 0) return;
  _mm256_store_si256(reinterpret_cast<__m256i*>(sums), low);
  _mm256_store_si256(reinterpret_cast<__m256i*>(sums + 16), high);
  sink->OfferBlock(mask, sums, base, n);
}

// The minimum and maximum of a 16-float table row held in two registers.
__attribute__((target("avx2"))) inline void RowMinMax(__m256 a, __m256 b, float* low,
                                                      float* high) {
  __m256 mn = _mm256_min_ps(a, b), mx = _mm256_max_ps(a, b);
  __m128 mn4 = _mm_min_ps(_mm256_castps256_ps128(mn), _mm256_extractf128_ps(mn, 1));
  __m128 mx4 = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
  mn4 = _mm_min_ps(mn4, _mm_movehl_ps(mn4, mn4));
  mx4 = _mm_max_ps(mx4, _mm_movehl_ps(mx4, mx4));
  *low = _mm_cvtss_f32(_mm_min_ss(mn4, _mm_shuffle_ps(mn4, mn4, 1)));
  *high = _mm_cvtss_f32(_mm_max_ss(mx4, _mm_shuffle_ps(mx4, mx4, 1)));
}

}  // namespace

__attribute__((target("avx2"))) QuantizedTable QuantizeFastScanTableAvx2(const float* table,
                                                                          int num_subspaces,
                                                                          uint8_t* lut) {
  // The same arithmetic as the scalar reference, eight entries at a time: min and max are
  // exact, and cvtps rounds to nearest even like nearbyint under the default rounding.
  QuantizedTable quantized;
  quantized.bias = 0;
  float max_span = 0;
  for (int m = 0; m < num_subspaces; ++m) {
    float low, high;
    RowMinMax(_mm256_loadu_ps(table + 16 * m), _mm256_loadu_ps(table + 16 * m + 8),
              &low, &high);
    quantized.bias += low;
    max_span = std::max(max_span, high - low);
  }
  quantized.scale = max_span > 0 ? 255.0f / max_span : 1.0f;
  const __m256 scale = _mm256_set1_ps(quantized.scale);
  for (int m = 0; m < num_subspaces; ++m) {
    const __m256 a = _mm256_loadu_ps(table + 16 * m);
    const __m256 b = _mm256_loadu_ps(table + 16 * m + 8);
    float low, high;
    RowMinMax(a, b, &low, &high);
    const __m256 offset = _mm256_set1_ps(low);
    const __m256i ia = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_sub_ps(a, offset), scale));
    const __m256i ib = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_sub_ps(b, offset), scale));
    // packus interleaves the 128-bit lanes; the permute restores entry order.
    const __m256i words = _mm256_permute4x64_epi64(_mm256_packus_epi32(ia, ib), 0xD8);
    const __m128i bytes =
        _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(lut + 16 * m), bytes);
  }
  std::fill(lut + 16 * num_subspaces, lut + 16 * FastScanPaddedSubspaces(num_subspaces), 0);
  return quantized;
}

namespace {

__attribute__((target("avx2"))) void FastScan4Avx2(const uint8_t* blocks, int64_t n,
                                                   int num_subspaces, const uint8_t* lut,
                                                   size_t block_bytes, FastScanSink* sink) {
  const int pairs = FastScanPaddedSubspaces(num_subspaces) / 2;
  const int64_t num_blocks = (n + kFastScanBlock - 1) / kFastScanBlock;
  int64_t b = 0;
  // Two blocks at a time share each table load and give the core two independent chains.
  for (; b + 2 <= num_blocks; b += 2) {
    const uint8_t* first = blocks + b * block_bytes;
    const uint8_t* second = first + block_bytes;
    FastScanAccumulators acc0, acc1;
    __m256i a0 = acc0.words[0], a1 = acc0.words[1], a2 = acc0.words[2], a3 = acc0.words[3];
    __m256i b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    for (int p = 0; p < pairs; ++p) {
      // Long lists stream from memory: ask for the blocks four ahead, a line per 64 bytes.
      if (p % 2 == 0) {
        _mm_prefetch(reinterpret_cast<const char*>(first + 4 * block_bytes + 32 * p), _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(second + 4 * block_bytes + 32 * p), _MM_HINT_T0);
      }
      const __m256i tables = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lut + 32 * p));
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(first + 32 * p));
      const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(second + 32 * p));
      const __m256i x_low = _mm256_shuffle_epi8(tables, _mm256_and_si256(x, nibble));
      const __m256i x_high =
          _mm256_shuffle_epi8(tables, _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble));
      const __m256i y_low = _mm256_shuffle_epi8(tables, _mm256_and_si256(y, nibble));
      const __m256i y_high =
          _mm256_shuffle_epi8(tables, _mm256_and_si256(_mm256_srli_epi16(y, 4), nibble));
      a0 = _mm256_add_epi16(a0, x_low);
      a1 = _mm256_add_epi16(a1, _mm256_srli_epi16(x_low, 8));
      a2 = _mm256_add_epi16(a2, x_high);
      a3 = _mm256_add_epi16(a3, _mm256_srli_epi16(x_high, 8));
      b0 = _mm256_add_epi16(b0, y_low);
      b1 = _mm256_add_epi16(b1, _mm256_srli_epi16(y_low, 8));
      b2 = _mm256_add_epi16(b2, y_high);
      b3 = _mm256_add_epi16(b3, _mm256_srli_epi16(y_high, 8));
    }
    acc0.words[0] = a0, acc0.words[1] = a1, acc0.words[2] = a2, acc0.words[3] = a3;
    acc1.words[0] = b0, acc1.words[1] = b1, acc1.words[2] = b2, acc1.words[3] = b3;
    FinishBlock(acc0, b * kFastScanBlock, n, sink);
    FinishBlock(acc1, (b + 1) * kFastScanBlock, n, sink);
  }
  if (b < num_blocks) {
    const uint8_t* block = blocks + b * block_bytes;
    FastScanAccumulators acc;
    for (int p = 0; p < pairs; ++p) {
      acc.Add(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32 * p)),
              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lut + 32 * p)));
    }
    FinishBlock(acc, b * kFastScanBlock, n, sink);
  }
}

}  // namespace

const FastScanKernels kFastScanAvx2 = {QuantizeFastScanTableAvx2, FastScan4Avx2};

}  // namespace vqsearch::internal

#endif
