// Fast-scan layout and the run-time choice of kernels; see pq4_fast_scan.h.

#include "simd/pq4_fast_scan.h"

#include <algorithm>

#include "simd/dispatch.h"
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

const FastScanKernels& FastScanKernelsFor(Isa isa) {
  return PickKernels(isa, kFastScanScalar, VQS_X86_TABLE(kFastScanAvx2),
                     VQS_X86_TABLE(kFastScanAvx512));
}

QuantizedTable QuantizeFastScanTable(const float* table, int num_subspaces, uint8_t* lut) {
  return ActiveKernels<FastScanKernels, FastScanKernelsFor>().quantize(table, num_subspaces, lut);
}

void FastScan4(const uint8_t* blocks, int64_t n, int num_subspaces, const uint8_t* lut,
               FastScanSink* sink) {
  ActiveKernels<FastScanKernels, FastScanKernelsFor>().scan(
      blocks, n, num_subspaces, lut, FastScanBlockBytes(num_subspaces), sink);
}

}  // namespace vqsearch::internal
