// Fast-scan layout, table quantization, the scalar reference and the run-time choice of
// kernel; see pq4_fast_scan.h.

#include "simd/pq4_fast_scan.h"

#include <algorithm>
#include <cmath>

#include "simd/pq4_fast_scan_kernels.h"
#include "util/subcodes.h"

namespace vqsearch::internal {
namespace {

// The byte holding sub-space m of vector `index`, and the nibble's shift within it.
size_t CodeOffset(int num_subspaces, int64_t index, int m, int* shift) {
  return FastScanCodeOffset(num_subspaces, index, shift) + 16 * static_cast<size_t>(m);
}

}  // namespace

void PackFastScanCode(const uint8_t* code, int num_subspaces, int64_t index, uint8_t* blocks) {
  for (int m = 0; m < FastScanPaddedSubspaces(num_subspaces); ++m) {
    int shift = 0;
    uint8_t* byte = blocks + CodeOffset(num_subspaces, index, m, &shift);
    const int nibble = m < num_subspaces ? SubcodeOf(code, /*nbits=*/4, m) : 0;
    *byte = static_cast<uint8_t>((*byte & ~(0x0F << shift)) | (nibble << shift));
  }
}

void UnpackFastScanCode(const uint8_t* blocks, int num_subspaces, int64_t index, uint8_t* code) {
  std::fill_n(code, (num_subspaces + 1) / 2, 0);
  for (int m = 0; m < num_subspaces; ++m) {
    int shift = 0;
    const size_t offset = CodeOffset(num_subspaces, index, m, &shift);
    const int nibble = (blocks[offset] >> shift) & 0x0F;
    SetSubcode(code, /*nbits=*/4, m, nibble);
  }
}

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
                     FastScanSink* sink) {
  const int m_pad = FastScanPaddedSubspaces(num_subspaces);
  const size_t block_bytes = FastScanBlockBytes(num_subspaces);
  for (int64_t base = 0; base < n; base += kFastScanBlock) {
    const uint8_t* block = blocks + (base / kFastScanBlock) * block_bytes;
    uint16_t sums[kFastScanBlock] = {};
    for (int m = 0; m < m_pad; ++m) {
      for (int j = 0; j < kFastScanBlock; ++j) {
        const int nibble = (block[16 * m + j % 16] >> (j < 16 ? 0 : 4)) & 0x0F;
        sums[j] = static_cast<uint16_t>(sums[j] + lut[16 * m + nibble]);
      }
    }
    OfferSurvivors(0xFFFFFFFFu, sums, base, n, sink);
  }
}

bool FastScanIsaSupported(FastScanIsa isa) {
#if defined(__x86_64__) && defined(__GNUC__)
  switch (isa) {
    case FastScanIsa::kScalar:
      return true;
    case FastScanIsa::kAvx2:
      return __builtin_cpu_supports("avx2");
    case FastScanIsa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  }
  return false;
#else
  return isa == FastScanIsa::kScalar;
#endif
}

FastScanIsa BestFastScanIsa() {
  static const FastScanIsa best = [] {
    if (FastScanIsaSupported(FastScanIsa::kAvx512)) return FastScanIsa::kAvx512;
    if (FastScanIsaSupported(FastScanIsa::kAvx2)) return FastScanIsa::kAvx2;
    return FastScanIsa::kScalar;
  }();
  return best;
}

void FastScan4WithIsa(FastScanIsa isa, const uint8_t* blocks, int64_t n, int num_subspaces,
                      const uint8_t* lut, FastScanSink* sink) {
  switch (isa) {
#if defined(__x86_64__) && defined(__GNUC__)
    case FastScanIsa::kAvx512:
      return FastScan4Avx512(blocks, n, num_subspaces, lut, sink);
    case FastScanIsa::kAvx2:
      return FastScan4Avx2(blocks, n, num_subspaces, lut, sink);
#endif
    default:
      return FastScan4Scalar(blocks, n, num_subspaces, lut, sink);
  }
}

QuantizedTable QuantizeFastScanTableWithIsa(FastScanIsa isa, const float* table,
                                            int num_subspaces, uint8_t* lut) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (isa != FastScanIsa::kScalar) return QuantizeFastScanTableAvx2(table, num_subspaces, lut);
#endif
  return QuantizeFastScanTableScalar(table, num_subspaces, lut);
}

QuantizedTable QuantizeFastScanTable(const float* table, int num_subspaces, uint8_t* lut) {
  return QuantizeFastScanTableWithIsa(BestFastScanIsa(), table, num_subspaces, lut);
}

void FastScan4(const uint8_t* blocks, int64_t n, int num_subspaces, const uint8_t* lut,
               FastScanSink* sink) {
  FastScan4WithIsa(BestFastScanIsa(), blocks, n, num_subspaces, lut, sink);
}

}  // namespace vqsearch::internal
