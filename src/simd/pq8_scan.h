// The 8-bit PQ scan: the ADC distance of each code is the sum of its M table entries,
// table[m * 256 + code[m]]. This is the inner loop of IVF-PQ search, so it is written to
// keep the core busy: four codes are summed side by side (independent dependency chains),
// and the loop is compiled for the baseline and for AVX2 (simd/dispatch.h picks one).
// ScanCodes8Reference is the one-code-at-a-time twin the tests compare against.

#ifndef VQSEARCH_SIMD_PQ8_SCAN_H_
#define VQSEARCH_SIMD_PQ8_SCAN_H_

#include <cstdint>

#include "vqsearch/isa.h"

namespace vqsearch::internal {

// out[i] = offset + sum over m < num_subspaces of table[m * 256 + codes[i * num_subspaces + m]]
// for i < n.
void ScanCodes8(const uint8_t* codes, int64_t n, int num_subspaces, const float* table,
                float offset, float* out);

void ScanCodes8Reference(const uint8_t* codes, int64_t n, int num_subspaces, const float* table,
                         float offset, float* out);

// The 8-bit scan family: ScanCodes8 for one ISA. Every table sums each code's entries in
// sub-space order, so all give the reference's results bit for bit.
struct Pq8ScanKernels {
  void (*scan)(const uint8_t* codes, int64_t n, int num_subspaces, const float* table,
               float offset, float* out);
};
const Pq8ScanKernels& Pq8ScanKernelsFor(Isa isa);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_PQ8_SCAN_H_
