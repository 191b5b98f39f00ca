// The one definition of how a scalar-quantized code stores dimension j (the layouts of
// simd/sq_scan.h): the codec's Decode, the scalar reference kernels and the tails of the
// AVX2 kernels all read codes through SqValue.

#ifndef VQSEARCH_SIMD_SQ_DECODE_H_
#define VQSEARCH_SIMD_SQ_DECODE_H_

#include <cstdint>
#include <cstring>

#include "simd/sq_float16.h"
#include "simd/sq_scan.h"

namespace vqsearch::internal {

// Nibble j of a 4-bit code: the low nibble of byte j / 2 for even j, the high for odd.
inline int SqNibble(const uint8_t* code, int j) {
  const uint8_t byte = code[j / 2];
  return (j % 2 == 0) ? (byte & 0x0F) : (byte >> 4);
}

// v_j of sq_scan.h for one code.
inline float SqValue(SqLayout layout, const uint8_t* code, int j, const float* table) {
  switch (layout) {
    case SqLayout::kUint8:
      return code[j];
    case SqLayout::kUint4:
      return static_cast<float>(SqNibble(code, j));
    case SqLayout::kFloat16: {
      uint16_t half;
      std::memcpy(&half, code + 2 * j, sizeof(half));
      return HalfToFloat(half);
    }
    case SqLayout::kTable8:
      return table[j * 256 + code[j]];
    case SqLayout::kTable4:
      return table[j * 16 + SqNibble(code, j)];
  }
  return 0.0f;
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_SQ_DECODE_H_
