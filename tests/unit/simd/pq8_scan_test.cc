// The 8-bit PQ scan against its one-code-at-a-time reference: the same sums in the same
// order, so the results must be identical, for every tail length and sub-space count.

#include "simd/pq8_scan.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "simd/dispatch.h"

namespace vqsearch::internal {
namespace {

TEST(Pq8ScanTest, EqualsReference) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
  for (int m : {1, 3, 8, 16, 32, 64}) {
    std::vector<float> table(static_cast<size_t>(m) * 256);
    for (float& v : table) v = uniform(rng);
    for (int64_t n : {0, 1, 3, 4, 5, 31, 32, 33, 1000}) {
      std::vector<uint8_t> codes(static_cast<size_t>(n) * m);
      for (uint8_t& c : codes) c = static_cast<uint8_t>(rng());
      if (n > 0) codes[0] = 255;  // the last table column
      std::vector<float> got(n), expected(n);
      ScanCodes8Reference(codes.data(), n, m, table.data(), 1.5f, expected.data());
      ScanCodes8(codes.data(), n, m, table.data(), 1.5f, got.data());
      EXPECT_EQ(got, expected) << "m=" << m << " n=" << n;
      for (Isa isa : SupportedIsas()) {
        Pq8ScanKernelsFor(isa).scan(codes.data(), n, m, table.data(), 1.5f, got.data());
        EXPECT_EQ(got, expected) << IsaName(isa) << " m=" << m << " n=" << n;
      }
    }
  }
}

TEST(Pq8ScanTest, SumsTheRightEntries) {
  // table[m * 256 + j] = 1000 m + j makes each sum readable.
  const int m = 3;
  std::vector<float> table(m * 256);
  for (int s = 0; s < m; ++s) {
    for (int j = 0; j < 256; ++j) table[s * 256 + j] = 1000.0f * s + j;
  }
  const std::vector<uint8_t> codes = {1, 2, 3, 255, 0, 7};
  std::vector<float> out(2);
  ScanCodes8(codes.data(), 2, m, table.data(), 0.5f, out.data());
  EXPECT_EQ(out[0], 0.5f + 1 + 1002 + 2003);
  EXPECT_EQ(out[1], 0.5f + 255 + 1000 + 2007);
}

}  // namespace
}  // namespace vqsearch::internal
