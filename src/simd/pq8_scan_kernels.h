// The 8-bit scan loop every ISA compiles (each file of the family wraps it in a function of
// its own target) and the per-ISA tables Pq8ScanKernelsFor picks from (pq8_scan_scalar.cc,
// pq8_scan_avx2.cc). Internal to src/simd.

#ifndef VQSEARCH_SIMD_PQ8_SCAN_KERNELS_H_
#define VQSEARCH_SIMD_PQ8_SCAN_KERNELS_H_

#include <cstdint>

#include "simd/pq8_scan.h"

namespace vqsearch::internal {

extern const Pq8ScanKernels kPq8ScanScalar;
extern const Pq8ScanKernels kPq8ScanAvx2;

// Inlined into each ISA's wrapper, so the wrapper's target decides the instructions.
__attribute__((always_inline)) inline void ScanCodes8Loop(const uint8_t* codes, int64_t n,
                                                          int num_subspaces, const float* table,
                                                          float offset, float* out) {
  const int64_t stride = num_subspaces;
  int64_t i = 0;
  // Four codes at once: four independent sums hide the latency of each load-add chain.
  for (; i + 4 <= n; i += 4) {
    const uint8_t* c0 = codes + i * stride;
    const uint8_t* c1 = c0 + stride;
    const uint8_t* c2 = c1 + stride;
    const uint8_t* c3 = c2 + stride;
    float s0 = offset, s1 = offset, s2 = offset, s3 = offset;
    const float* t = table;
    for (int m = 0; m < num_subspaces; ++m, t += 256) {
      s0 += t[c0[m]];
      s1 += t[c1[m]];
      s2 += t[c2[m]];
      s3 += t[c3[m]];
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < n; ++i) {
    const uint8_t* c = codes + i * stride;
    float s = offset;
    for (int m = 0; m < num_subspaces; ++m) s += table[m * 256 + c[m]];
    out[i] = s;
  }
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_PQ8_SCAN_KERNELS_H_
