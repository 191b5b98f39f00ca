// IEEE 754 half precision (binary16) conversions in portable C++, for the SQfp16 codec
// and the scalar reference of its scan. They round like the F16C instructions the AVX2
// scan uses (to nearest, ties to even), so both paths decode a code to the same float.

#ifndef VQSEARCH_SIMD_SQ_FLOAT16_H_
#define VQSEARCH_SIMD_SQ_FLOAT16_H_

#include <cstdint>
#include <cstring>

namespace vqsearch::internal {

// The largest finite half, 65504: the codec saturates to it rather than store infinity.
inline constexpr float kMaxFloat16 = 65504.0f;

// Exact: every half is a float.
inline float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exponent = (h >> 10) & 0x1F;
  uint32_t mantissa = h & 0x3FF;
  uint32_t bits;
  if (exponent == 0x1F) {  // infinity or NaN
    bits = sign | 0x7F800000u | (mantissa << 13);
  } else if (exponent != 0) {  // normal
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {  // zero
    bits = sign;
  } else {  // subnormal: normalize the mantissa
    int shift = 0;
    while ((mantissa & 0x400) == 0) {
      mantissa <<= 1;
      ++shift;
    }
    bits = sign | (static_cast<uint32_t>(113 - shift) << 23) | ((mantissa & 0x3FF) << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

// Rounds to the nearest half, ties to even; overflow gives infinity (callers clamp first).
inline uint16_t FloatToHalf(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  const uint32_t magnitude = bits & 0x7FFFFFFFu;
  if (magnitude >= 0x7F800000u) {  // infinity or NaN (NaN keeps a quiet payload bit)
    return sign | 0x7C00 | (magnitude > 0x7F800000u ? 0x200 : 0);
  }
  if (magnitude >= 0x477FF000u) return sign | 0x7C00;  // rounds past 65504
  if (magnitude < 0x38800000u) {               // below the smallest normal half: subnormal or zero
    if (magnitude < 0x33000000u) return sign;  // below half the smallest subnormal
    const uint32_t exponent = magnitude >> 23;
    const uint32_t mantissa = (magnitude & 0x7FFFFF) | 0x800000;
    const uint32_t shift = 126 - exponent;  // 14..24 bits drop out
    uint32_t half = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1))) ++half;
    return sign | static_cast<uint16_t>(half);
  }
  // Normal: rebias the exponent and round the 13 dropped mantissa bits; a carry out of
  // the mantissa correctly bumps the exponent.
  uint32_t half = (magnitude - 0x38000000u) >> 13;
  const uint32_t rest = magnitude & 0x1FFF;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) ++half;
  return sign | static_cast<uint16_t>(half);
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_SQ_FLOAT16_H_
