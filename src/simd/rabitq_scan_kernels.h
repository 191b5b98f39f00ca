// The per-ISA tables of the RaBitQ scan family (rabitq_scan_scalar.cc, rabitq_scan_avx2.cc)
// and the loop they share, instantiated with each table's popcount. Internal to src/simd.

#ifndef VQSEARCH_SIMD_RABITQ_SCAN_KERNELS_H_
#define VQSEARCH_SIMD_RABITQ_SCAN_KERNELS_H_

#include <cstring>

#include "simd/rabitq_scan.h"

namespace vqsearch::internal {

extern const RaBitQScanKernels kRaBitQScanScalar;
extern const RaBitQScanKernels kRaBitQScanAvx2;

// RaBitQDots with `popcount` counting the bits of one word. Each code word is loaded once
// and ANDed with every query plane of its position. Always inlined, so that the AVX2
// table's copy is compiled with its target's POPCNT.
template <typename Popcount>
__attribute__((always_inline)) inline void RaBitQDotsLoop(const uint8_t* codes, int64_t n,
                                                          size_t code_size, int words,
                                                          int code_bits,
                                                          const uint64_t* query_planes,
                                                          int query_bits, int64_t* out,
                                                          Popcount popcount) {
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* code = codes + static_cast<size_t>(i) * code_size;
    int64_t total = 0;
    for (int k = 0; k < code_bits; ++k) {
      int64_t plane_total = 0;
      for (int w = 0; w < words; ++w) {
        uint64_t u;
        std::memcpy(&u, code + (static_cast<size_t>(k) * words + w) * 8, 8);
        for (int p = 0; p < query_bits; ++p) {
          plane_total += static_cast<int64_t>(popcount(u & query_planes[p * words + w])) << p;
        }
      }
      total += plane_total << (code_bits - 1 - k);
    }
    out[i] = total;
  }
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_RABITQ_SCAN_KERNELS_H_
