// The run-time choice of the RaBitQ scan kernels; see rabitq_scan.h.

#include "simd/rabitq_scan.h"

#include "simd/dispatch.h"
#include "simd/rabitq_scan_kernels.h"

namespace vqsearch::internal {

const RaBitQScanKernels& RaBitQScanKernelsFor(Isa isa) {
  return PickKernels(isa, kRaBitQScanScalar, VQS_X86_TABLE(kRaBitQScanAvx2), nullptr);
}

void RaBitQDots(const uint8_t* codes, int64_t n, size_t code_size, int words, int code_bits,
                const uint64_t* query_planes, int query_bits, int64_t* out) {
  ActiveKernels<RaBitQScanKernels, RaBitQScanKernelsFor>().dots(
      codes, n, code_size, words, code_bits, query_planes, query_bits, out);
}

}  // namespace vqsearch::internal
