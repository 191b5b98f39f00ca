// AVX2 building blocks of the fast-scan kernels, shared by the AVX2 kernel and the
// AVX-512 one (which runs them on its tail and for the final combination). Internal to
// src/simd; included only by kernels compiled with AVX2 enabled for their functions.

#ifndef VQSEARCH_SIMD_PQ4_FAST_SCAN_AVX2_H_
#define VQSEARCH_SIMD_PQ4_FAST_SCAN_AVX2_H_

#include <immintrin.h>

#include <cstdint>

namespace vqsearch::internal {

// 16-bit sums of the table entries of a 32-vector block, two sub-spaces per step.
//
// A shuffle returns 32 bytes; added as 16-bit words, each word holds an even byte plus
// 256 times an odd byte, so the odd bytes are accumulated apart (word >> 8) and their
// share subtracted at the end: no widening, no saturation. The sums of the even bytes
// are exact because they stay below 2^16 (at most 256 sub-spaces of 255).
struct FastScanAccumulators {
  // Words: [0] vectors 0..15 low-nibble part, even bytes; [1] odd bytes; [2], [3] the
  // same for the high nibbles (vectors 16..31).
  __m256i words[4];

  __attribute__((target("avx2"), always_inline)) inline FastScanAccumulators() {
    for (__m256i& w : words) w = _mm256_setzero_si256();
  }

  // Adds the entries of one 32-byte block slice (two sub-spaces) looked up in `tables`
  // (their two 16-byte tables).
  __attribute__((target("avx2"), always_inline)) inline void Add(__m256i codes, __m256i tables) {
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i low = _mm256_shuffle_epi8(tables, _mm256_and_si256(codes, nibble));
    const __m256i high =
        _mm256_shuffle_epi8(tables, _mm256_and_si256(_mm256_srli_epi16(codes, 4), nibble));
    words[0] = _mm256_add_epi16(words[0], low);
    words[1] = _mm256_add_epi16(words[1], _mm256_srli_epi16(low, 8));
    words[2] = _mm256_add_epi16(words[2], high);
    words[3] = _mm256_add_epi16(words[3], _mm256_srli_epi16(high, 8));
  }

  // The 32 sums in vector order: `low` holds vectors 0..15, `high` 16..31. Each 128-bit
  // lane holds one of a pair's sub-spaces, so the lanes are added, and the even and odd
  // vectors interleaved.
  __attribute__((target("avx2"), always_inline)) inline void Finish(__m256i* low,
                                                                    __m256i* high) const {
    *low = Combine(words[0], words[1]);
    *high = Combine(words[2], words[3]);
  }

 private:
  __attribute__((target("avx2"), always_inline)) static inline __m256i Combine(__m256i mixed,
                                                                               __m256i odd) {
    const __m256i even = _mm256_sub_epi16(mixed, _mm256_slli_epi16(odd, 8));
    const __m128i even_sums =
        _mm_add_epi16(_mm256_castsi256_si128(even), _mm256_extracti128_si256(even, 1));
    const __m128i odd_sums =
        _mm_add_epi16(_mm256_castsi256_si128(odd), _mm256_extracti128_si256(odd, 1));
    return _mm256_set_m128i(_mm_unpackhi_epi16(even_sums, odd_sums),
                            _mm_unpacklo_epi16(even_sums, odd_sums));
  }
};

// Bit j set when sum j (vectors 0..15 in `low`, 16..31 in `high`) is <= threshold.
__attribute__((target("avx2"), always_inline)) inline uint32_t SurvivorMask(__m256i low,
                                                                            __m256i high,
                                                                            uint16_t threshold) {
  const __m256i limit = _mm256_set1_epi16(static_cast<int16_t>(threshold));
  const __m256i low_ok = _mm256_cmpeq_epi16(_mm256_min_epu16(low, limit), low);
  const __m256i high_ok = _mm256_cmpeq_epi16(_mm256_min_epu16(high, limit), high);
  // packs interleaves the lanes (0..7, 16..23, 8..15, 24..31); the permute restores order.
  const __m256i bytes = _mm256_permute4x64_epi64(_mm256_packs_epi16(low_ok, high_ok), 0xD8);
  return static_cast<uint32_t>(_mm256_movemask_epi8(bytes));
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_PQ4_FAST_SCAN_AVX2_H_
