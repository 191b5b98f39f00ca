// The scalar fast-scan kernels, the reference the SIMD ones are tested against; see
// pq4_fast_scan.h.

#include <algorithm>
#include <cmath>

#include "simd/pq4_fast_scan.h"
#include "simd/pq4_fast_scan_kernels.h"

namespace vqsearch::internal {
namespace {

QuantizedTable QuantizeFastScanTableScalar(const float* table, int num_subspaces, uint8_t* lut) {
  QuantizedTable quantized;
  quantized.bias = 0;
  float max_span = 0;
  for (int m = 0; m < num_subspaces; ++m) {
    const float* row = table + 16 * m;
    const auto [low, high] = std::minmax_element(row, row + 16);
    quantized.bias += *low;
    max_span = std::max(max_span, *high - *low);
  }
  // One scale for every sub-space keeps the sums comparable; 255 is the widest span a
  // byte holds.
  quantized.scale = max_span > 0 ? 255.0f / max_span : 1.0f;
  for (int m = 0; m < num_subspaces; ++m) {
    const float* row = table + 16 * m;
    const float low = *std::min_element(row, row + 16);
    for (int j = 0; j < 16; ++j) {
      const float units = std::nearbyint((row[j] - low) * quantized.scale);
      // NaN (from a non-finite table) becomes 0, as the AVX2 conversion makes it.
      lut[16 * m + j] = units > 0 ? static_cast<uint8_t>(std::min(units, 255.0f)) : 0;
    }
  }
  std::fill(lut + 16 * num_subspaces, lut + 16 * FastScanPaddedSubspaces(num_subspaces), 0);
  return quantized;
}

void FastScan4Scalar(const uint8_t* blocks, int64_t n, int num_subspaces, const uint8_t* lut,
                     size_t block_bytes, FastScanSink* sink) {
  const int m_pad = FastScanPaddedSubspaces(num_subspaces);
  for (int64_t base = 0; base < n; base += kFastScanBlock) {
    const uint8_t* block = blocks + (base / kFastScanBlock) * block_bytes;
    uint16_t sums[kFastScanBlock] = {};
    for (int m = 0; m < m_pad; ++m) {
      for (int j = 0; j < kFastScanBlock; ++j) {
        const int nibble = (block[16 * m + j % 16] >> (j < 16 ? 0 : 4)) & 0x0F;
        sums[j] = static_cast<uint16_t>(sums[j] + lut[16 * m + nibble]);
      }
    }
    sink->OfferBlock(0xFFFFFFFFu, sums, base, n);
  }
}

}  // namespace

const FastScanKernels kFastScanScalar = {QuantizeFastScanTableScalar, FastScan4Scalar};

}  // namespace vqsearch::internal
