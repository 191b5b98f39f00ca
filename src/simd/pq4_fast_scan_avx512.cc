// The AVX-512 fast-scan kernel: four sub-spaces of a 32-vector block per 64-byte load
// and per vpshufb pair, and a mask compare for the survivors; see pq4_fast_scan.h.

#include "simd/dispatch.h"

#if VQS_X86_KERNELS

#include <immintrin.h>

#include "simd/pq4_fast_scan_avx2.h"
#include "simd/pq4_fast_scan_kernels.h"

namespace vqsearch::internal {

namespace {

__attribute__((target("avx2,avx512f,avx512bw"))) void FastScan4Avx512(
    const uint8_t* blocks, int64_t n, int num_subspaces, const uint8_t* lut, size_t block_bytes,
    FastScanSink* sink) {
  const int pairs = FastScanPaddedSubspaces(num_subspaces) / 2;
  const int quads = pairs / 2;
  const __m512i nibble = _mm512_set1_epi8(0x0F);
  alignas(64) uint16_t sums[kFastScanBlock];
  for (int64_t base = 0; base < n; base += kFastScanBlock) {
    const uint8_t* block = blocks + (base / kFastScanBlock) * block_bytes;
    // The same even/odd word accumulation as FastScanAccumulators, 64 bytes wide.
    __m512i words[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                        _mm512_setzero_si512()};
    for (int q = 0; q < quads; ++q) {
      // Long lists stream from memory: ask for the block four ahead, one line per step.
      _mm_prefetch(reinterpret_cast<const char*>(block + 4 * block_bytes + 64 * q), _MM_HINT_T0);
      const __m512i codes = _mm512_loadu_si512(block + 64 * q);
      const __m512i tables = _mm512_loadu_si512(lut + 64 * q);
      const __m512i low = _mm512_shuffle_epi8(tables, _mm512_and_si512(codes, nibble));
      const __m512i high =
          _mm512_shuffle_epi8(tables, _mm512_and_si512(_mm512_srli_epi16(codes, 4), nibble));
      words[0] = _mm512_add_epi16(words[0], low);
      words[1] = _mm512_add_epi16(words[1], _mm512_srli_epi16(low, 8));
      words[2] = _mm512_add_epi16(words[2], high);
      words[3] = _mm512_add_epi16(words[3], _mm512_srli_epi16(high, 8));
    }
    // Fold the upper 256 bits onto the lower (the sums are linear modulo 2^16), add the
    // odd pair when there is one, and finish as AVX2 does.
    FastScanAccumulators acc;
    for (int i = 0; i < 4; ++i) {
      acc.words[i] = _mm256_add_epi16(_mm512_maskz_extracti64x4_epi64(0xFF, words[i], 0),
                                      _mm512_maskz_extracti64x4_epi64(0xFF, words[i], 1));
    }
    if (pairs % 2 != 0) {
      acc.Add(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 64 * quads)),
              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lut + 64 * quads)));
    }
    __m256i low, high;
    acc.Finish(&low, &high);
    // (The zero-masked forms: GCC 12's plain casts read an undefined register and warn.)
    const __m512i all = _mm512_maskz_inserti64x4(
        0xFF, _mm512_maskz_inserti64x4(0xFF, _mm512_setzero_si512(), low, 0), high, 1);
    const uint32_t mask = _mm512_cmple_epu16_mask(
        all, _mm512_set1_epi16(static_cast<int16_t>(sink->threshold)));
    if (mask == 0) continue;
    _mm512_store_si512(sums, all);
    sink->OfferBlock(mask, sums, base, n);
  }
}

}  // namespace

const FastScanKernels kFastScanAvx512 = {QuantizeFastScanTableAvx2, FastScan4Avx512};

}  // namespace vqsearch::internal

#endif
