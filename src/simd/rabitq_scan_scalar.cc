// The baseline RaBitQ scan (bits counted in registers) and the level-by-level reference;
// see rabitq_scan.h.

#include <cstring>

#include "simd/rabitq_scan.h"
#include "simd/rabitq_scan_kernels.h"

namespace vqsearch::internal {
namespace {

// The bits of x, by the SWAR sums of Hacker's Delight (5-2).
int PopcountSwar(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return static_cast<int>((x * 0x0101010101010101ull) >> 56);
}

void RaBitQDotsScalar(const uint8_t* codes, int64_t n, size_t code_size, int words,
                      int code_bits, const uint64_t* query_planes, int query_bits, int64_t* out) {
  RaBitQDotsLoop(codes, n, code_size, words, code_bits, query_planes, query_bits, out,
                 PopcountSwar);
}

// Bit j of the planes of `planes` (count planes of `words` words) read as a level, plane
// `top` first (the most significant bit) when `top_first`, else plane 0 is bit 0.
int64_t Level(const uint8_t* planes, int count, int words, int j, bool top_first) {
  int64_t level = 0;
  for (int k = 0; k < count; ++k) {
    uint64_t word;
    std::memcpy(&word, planes + (static_cast<size_t>(k) * words + j / 64) * 8, 8);
    const int64_t bit = (word >> (j % 64)) & 1;
    level |= bit << (top_first ? count - 1 - k : k);
  }
  return level;
}

}  // namespace

void RaBitQDotsReference(const uint8_t* codes, int64_t n, size_t code_size, int words,
                         int code_bits, const uint64_t* query_planes, int query_bits,
                         int64_t* out) {
  const uint8_t* query = reinterpret_cast<const uint8_t*>(query_planes);
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* code = codes + static_cast<size_t>(i) * code_size;
    int64_t total = 0;
    for (int j = 0; j < words * 64; ++j) {
      total += Level(code, code_bits, words, j, true) * Level(query, query_bits, words, j, false);
    }
    out[i] = total;
  }
}

const RaBitQScanKernels kRaBitQScanScalar = {RaBitQDotsScalar};

}  // namespace vqsearch::internal
