// The bitwise RaBitQ scan: integer inner products between b-bit codes and a B-bit query,
// both stored as bit planes, by AND and popcount. A RaBitQ code (quant/rabitq_quantizer.h)
// holds one level u_j < 2^b per dimension as b planes of `words` 64-bit words (plane 0 is
// the top bit, the sign, so the 1-bit code is the first plane); the query side holds its
// levels v_j < 2^B as B planes (plane p is bit p). Then
//   <u, v> = sum over code planes k and query planes p of
//            2^(b-1-k) * 2^p * popcount(plane_k(u) & plane_p(v)),
// b * B popcounts per 64 dimensions, with no decoding of the levels.
//
// The baseline table counts bits in registers (x86-64's baseline has no POPCNT); the AVX2
// table, chosen on every CPU that has AVX2 (all of which have POPCNT), uses the
// instruction. Both give exact integers, so they agree bit for bit with
// RaBitQDotsReference, which decodes each level and multiplies.

#ifndef VQSEARCH_SIMD_RABITQ_SCAN_H_
#define VQSEARCH_SIMD_RABITQ_SCAN_H_

#include <cstddef>
#include <cstdint>

#include "vqsearch/isa.h"

namespace vqsearch::internal {

// For i < n: out[i] = <u, v> of the code at codes + i * code_size (code_bits planes of
// `words` words at its start, byte-aligned) and the query `query_planes` (query_bits
// planes of `words` words, plane p first at query_planes + p * words).
void RaBitQDots(const uint8_t* codes, int64_t n, size_t code_size, int words, int code_bits,
                const uint64_t* query_planes, int query_bits, int64_t* out);

void RaBitQDotsReference(const uint8_t* codes, int64_t n, size_t code_size, int words,
                         int code_bits, const uint64_t* query_planes, int query_bits,
                         int64_t* out);

// The RaBitQ scan family: RaBitQDots for one ISA.
struct RaBitQScanKernels {
  void (*dots)(const uint8_t* codes, int64_t n, size_t code_size, int words, int code_bits,
               const uint64_t* query_planes, int query_bits, int64_t* out);
};
const RaBitQScanKernels& RaBitQScanKernelsFor(Isa isa);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_RABITQ_SCAN_H_
