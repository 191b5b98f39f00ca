// The RaBitQ scan for AVX2 machines, with the POPCNT instruction (every CPU with AVX2 has
// it); see rabitq_scan.h.

#include "simd/dispatch.h"

#if VQS_X86_KERNELS

#include "simd/rabitq_scan.h"
#include "simd/rabitq_scan_kernels.h"

namespace vqsearch::internal {
namespace {

#define VQS_TARGET_AVX2_POPCNT __attribute__((target("avx2,fma,f16c,popcnt")))

VQS_TARGET_AVX2_POPCNT void RaBitQDotsAvx2(const uint8_t* codes, int64_t n, size_t code_size,
                                           int words, int code_bits,
                                           const uint64_t* query_planes, int query_bits,
                                           int64_t* out) {
  RaBitQDotsLoop(codes, n, code_size, words, code_bits, query_planes, query_bits, out,
                 [](uint64_t x) { return __builtin_popcountll(x); });
}

}  // namespace

const RaBitQScanKernels kRaBitQScanAvx2 = {RaBitQDotsAvx2};

}  // namespace vqsearch::internal

#endif
