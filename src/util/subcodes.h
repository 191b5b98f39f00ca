// How a code of several sub-codes (PQ sub-spaces, RQ stages) packs into bytes: 8-bit
// sub-codes one per byte; 4-bit ones two per byte, sub-code 2i in the low nibble of
// byte i and 2i + 1 in the high one. One convention for every codec, so codes can be
// joined (IVF-RQ appends its norm's sub-codes) and re-blocked for fast scan
// (simd/pq4_fast_scan.h) without knowing which quantizer made them.

#ifndef VQSEARCH_UTIL_SUBCODES_H_
#define VQSEARCH_UTIL_SUBCODES_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace vqsearch::internal {

// Bytes of a code of `count` sub-codes of `nbits` (4 or 8) bits.
inline size_t SubcodeBytes(int count, int nbits) {
  return nbits == 8 ? static_cast<size_t>(count) : static_cast<size_t>(count + 1) / 2;
}

inline int SubcodeOf(const uint8_t* code, int nbits, int index) {
  if (nbits == 8) return code[index];
  return (index % 2 == 0) ? (code[index / 2] & 0x0F) : (code[index / 2] >> 4);
}

// Sets sub-code `index` to `value` (< 2^nbits), leaving the other sub-codes as they are.
inline void SetSubcode(uint8_t* code, int nbits, int index, int value) {
  if (nbits == 8) {
    code[index] = static_cast<uint8_t>(value);
  } else if (index % 2 == 0) {
    code[index / 2] = static_cast<uint8_t>((code[index / 2] & 0xF0) | value);
  } else {
    code[index / 2] = static_cast<uint8_t>((code[index / 2] & 0x0F) | (value << 4));
  }
}

// Packs `rows` codes of `count` sub-codes each: labels[i * count + j] (< 2^nbits) becomes
// sub-code j of code i, codes back to back (rows x SubcodeBytes(count, nbits) bytes).
inline void PackSubcodes(const int32_t* labels, int64_t rows, int count, int nbits,
                         uint8_t* codes) {
  const size_t code_size = SubcodeBytes(count, nbits);
  std::fill_n(codes, static_cast<size_t>(rows) * code_size, uint8_t{0});
  for (int64_t i = 0; i < rows; ++i) {
    for (int j = 0; j < count; ++j) SetSubcode(codes + i * code_size, nbits, j, labels[i * count + j]);
  }
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_UTIL_SUBCODES_H_
