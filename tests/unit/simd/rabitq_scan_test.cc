// The RaBitQ bit-plane scan of every ISA the CPU has equals the level-by-level reference,
// on random codes and queries and on saturated ones (every bit set), for every code and
// query width.

#include "simd/rabitq_scan.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "simd/dispatch.h"

namespace vqsearch::internal {
namespace {

TEST(RaBitQScanTest, EveryIsaEqualsTheReference) {
  std::mt19937_64 rng(3);
  for (int words : {1, 2, 13}) {
    for (int code_bits = 1; code_bits <= 8; ++code_bits) {
      for (int query_bits : {4, 6, 8}) {
        for (bool saturated : {false, true}) {
          const int64_t n = 37;
          // Codes with trailing factor bytes, as RaBitQ codes have.
          const size_t code_size = code_bits * words * 8 + 16;
          std::vector<uint8_t> codes(n * code_size);
          for (uint8_t& b : codes) b = saturated ? 0xff : static_cast<uint8_t>(rng());
          std::vector<uint64_t> query(query_bits * words);
          for (uint64_t& w : query) w = saturated ? ~uint64_t{0} : rng();
          std::vector<int64_t> expected(n), got(n);
          RaBitQDotsReference(codes.data(), n, code_size, words, code_bits, query.data(),
                              query_bits, expected.data());
          if (saturated) {
            EXPECT_EQ(expected[0], int64_t{words} * 64 * ((1 << code_bits) - 1) *
                                       ((1 << query_bits) - 1));
          }
          for (Isa isa : SupportedIsas()) {
            RaBitQScanKernelsFor(isa).dots(codes.data(), n, code_size, words, code_bits,
                                           query.data(), query_bits, got.data());
            EXPECT_EQ(got, expected) << IsaName(isa) << " words " << words << " bits "
                                     << code_bits << "x" << query_bits;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace vqsearch::internal
