// The AVX2 fast-scan kernel: two sub-spaces of a 32-vector block per 32-byte load and
// per vpshufb pair; see pq4_fast_scan.h for the layout.

#if defined(__x86_64__) && defined(__GNUC__)

#include <immintrin.h>

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
  OfferSurvivors(mask, sums, base, n, sink);
}

}  // namespace

__attribute__((target("avx2"))) void FastScan4Avx2(const uint8_t* blocks, int64_t n,
                                                   int num_subspaces, const uint8_t* lut,
                                                   FastScanSink* sink) {
  const int pairs = FastScanPaddedSubspaces(num_subspaces) / 2;
  const size_t block_bytes = FastScanBlockBytes(num_subspaces);
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

}  // namespace vqsearch::internal

#endif
