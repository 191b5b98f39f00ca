// The baseline 8-bit scan and the one-code-at-a-time reference; see pq8_scan.h.

#include "simd/pq8_scan.h"
#include "simd/pq8_scan_kernels.h"

namespace vqsearch::internal {

void ScanCodes8Reference(const uint8_t* codes, int64_t n, int num_subspaces, const float* table,
                         float offset, float* out) {
  for (int64_t i = 0; i < n; ++i) {
    float s = offset;
    for (int m = 0; m < num_subspaces; ++m) s += table[m * 256 + codes[i * num_subspaces + m]];
    out[i] = s;
  }
}

// The loop itself: the baseline needs no target attribute.
const Pq8ScanKernels kPq8ScanScalar = {ScanCodes8Loop};

}  // namespace vqsearch::internal
