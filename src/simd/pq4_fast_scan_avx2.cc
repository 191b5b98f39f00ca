// The AVX2 fast-scan kernel: two sub-spaces of a 32-vector block per 32-byte load and
// per vpshufb pair; see pq4_fast_scan.h for the layout.

#if defined(__x86_64__) && defined(__GNUC__)

#include <immintrin.h>

#include "simd/pq4_fast_scan_avx2.h"
#include "simd/pq4_fast_scan_kernels.h"

namespace vqsearch::internal {

__attribute__((target("avx2"))) void FastScan4Avx2(const uint8_t* blocks, int64_t n,
                                                   int num_subspaces, const uint8_t* lut,
                                                   FastScanSink* sink) {
  const int pairs = FastScanPaddedSubspaces(num_subspaces) / 2;
  const size_t block_bytes = FastScanBlockBytes(num_subspaces);
  alignas(32) uint16_t sums[kFastScanBlock];
  for (int64_t base = 0; base < n; base += kFastScanBlock) {
    const uint8_t* block = blocks + (base / kFastScanBlock) * block_bytes;
    FastScanAccumulators acc;
    for (int p = 0; p < pairs; ++p) {
      acc.Add(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32 * p)),
              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lut + 32 * p)));
    }
    __m256i low, high;
    acc.Finish(&low, &high);
    const uint32_t mask = SurvivorMask(low, high, sink->threshold);
    if (mask == 0) continue;
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums), low);
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums + 16), high);
    OfferSurvivors(mask, sums, base, n, sink);
  }
}

}  // namespace vqsearch::internal

#endif
