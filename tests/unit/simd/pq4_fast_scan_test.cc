// The fast-scan kernels against the scalar reference (identical offers in identical
// order, on the integer path), the block layout against the packed PQ codes, and the
// table quantization against its error bound.

#include "simd/pq4_fast_scan.h"

#include <algorithm>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "simd/dispatch.h"

namespace vqsearch::internal {
namespace {

// Records every offer; keeps the `keep` smallest sums seen and lowers the threshold to
// the largest of them, like a top-k heap does.
class RecordingSink : public FastScanSink {
 public:
  explicit RecordingSink(int keep) : keep_(keep) {}
  void Offer(int64_t index, uint16_t sum) override {
    offers.emplace_back(index, sum);
    if (keep_ == 0) return;
    kept_.insert(sum);
    if (static_cast<int>(kept_.size()) > keep_) kept_.erase(std::prev(kept_.end()));
    if (static_cast<int>(kept_.size()) == keep_) threshold = *kept_.rbegin();
  }
  std::vector<std::pair<int64_t, uint16_t>> offers;

 private:
  int keep_;
  std::multiset<uint16_t> kept_;
};

std::vector<uint8_t> RandomBlocks(int64_t n, int m, std::mt19937* rng) {
  const int64_t blocks = (n + kFastScanBlock - 1) / kFastScanBlock;
  std::vector<uint8_t> codes(blocks * FastScanBlockBytes(m));
  std::vector<uint8_t> code((m + 1) / 2);
  for (int64_t i = 0; i < n; ++i) {
    for (uint8_t& c : code) c = static_cast<uint8_t>((*rng)());
    PackFastScanCode(code.data(), m, i, codes.data());
  }
  return codes;
}

TEST(Pq4FastScanTest, KernelsEqualReference) {
  std::mt19937 rng(5);
  for (int m : {1, 2, 3, 4, 6, 8, 16, 30, 32, 64, 256}) {
    std::vector<uint8_t> lut(FastScanPaddedSubspaces(m) * 16);
    for (uint8_t& v : lut) v = static_cast<uint8_t>(rng());
    // The padding sub-space's table is zero, as QuantizeFastScanTable writes it.
    std::fill(lut.begin() + 16 * m, lut.end(), 0);
    for (int64_t n : {1, 5, 31, 32, 33, 64, 100, 1000}) {
      const std::vector<uint8_t> blocks = RandomBlocks(n, m, &rng);
      for (int keep : {0, 1, 10, 2000}) {
        RecordingSink expected(keep);
        FastScanKernelsFor(Isa::kScalar).scan(blocks.data(), n, m, lut.data(), FastScanBlockBytes(m),
                                              &expected);
        for (Isa isa : SupportedIsas()) {
          RecordingSink got(keep);
          FastScanKernelsFor(isa).scan(blocks.data(), n, m, lut.data(), FastScanBlockBytes(m), &got);
          EXPECT_EQ(got.offers, expected.offers)
              << "isa=" << IsaName(isa) << " m=" << m << " n=" << n << " keep=" << keep;
        }
        if (keep == 0) {
          EXPECT_EQ(expected.offers.size(), static_cast<size_t>(n));
        }
      }
    }
  }
}

TEST(Pq4FastScanTest, SumsTheRightEntries) {
  // Entry j of sub-space m is j + m: a code's sum is readable from its nibbles.
  const int m = 3;
  std::vector<uint8_t> lut(FastScanPaddedSubspaces(m) * 16, 0);
  for (int s = 0; s < m; ++s) {
    for (int j = 0; j < 16; ++j) lut[16 * s + j] = static_cast<uint8_t>(j + s);
  }
  const int64_t n = 40;
  std::vector<uint8_t> blocks(2 * FastScanBlockBytes(m));
  std::vector<std::vector<uint8_t>> codes(n);
  for (int64_t i = 0; i < n; ++i) {
    codes[i] = {static_cast<uint8_t>(i % 16 | ((i * 7) % 16) << 4), static_cast<uint8_t>(15 - i % 16)};
    PackFastScanCode(codes[i].data(), m, i, blocks.data());
  }
  for (Isa isa : SupportedIsas()) {
    RecordingSink sink(0);
    FastScanKernelsFor(isa).scan(blocks.data(), n, m, lut.data(), FastScanBlockBytes(m), &sink);
    ASSERT_EQ(sink.offers.size(), static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      const int expected = static_cast<int>(i % 16) + ((i * 7) % 16 + 1) + (15 - i % 16 + 2);
      EXPECT_EQ(sink.offers[i].first, i);
      EXPECT_EQ(sink.offers[i].second, expected) << "i=" << i;
    }
  }
}

TEST(Pq4FastScanTest, PackUnpackRoundTrip) {
  std::mt19937 rng(9);
  for (int m : {1, 5, 8, 17}) {
    const int64_t n = 77;
    std::vector<uint8_t> blocks(3 * FastScanBlockBytes(m), 0xFF);
    std::vector<std::vector<uint8_t>> codes(n, std::vector<uint8_t>((m + 1) / 2));
    for (int64_t i = 0; i < n; ++i) {
      for (uint8_t& c : codes[i]) c = static_cast<uint8_t>(rng());
      if (m % 2 == 1) codes[i].back() &= 0x0F;  // an odd M leaves the last high nibble unused
      PackFastScanCode(codes[i].data(), m, i, blocks.data());
    }
    std::vector<uint8_t> back((m + 1) / 2);
    for (int64_t i = 0; i < n; ++i) {
      UnpackFastScanCode(blocks.data(), m, i, back.data());
      EXPECT_EQ(back, codes[i]) << "m=" << m << " i=" << i;
    }
  }
}

TEST(Pq4FastScanTest, QuantizedSumsStayWithinTheRoundingBound) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> uniform(-3.0f, 50.0f);
  for (int m : {1, 7, 16, 32, 64}) {
    std::vector<float> table(16 * m);
    for (float& v : table) v = uniform(rng);
    std::vector<uint8_t> lut(FastScanPaddedSubspaces(m) * 16, 0xAA);
    const QuantizedTable quantized = QuantizeFastScanTable(table.data(), m, lut.data());
    for (int j = 16 * m; j < static_cast<int>(lut.size()); ++j) EXPECT_EQ(lut[j], 0);
    for (int trial = 0; trial < 200; ++trial) {
      float exact = 0;
      uint32_t sum = 0;
      for (int s = 0; s < m; ++s) {
        const int j = static_cast<int>(rng() % 16);
        exact += table[16 * s + j];
        sum += lut[16 * s + j];
      }
      const float bound = (0.5f * m + 1e-3f * m) / quantized.scale + 1e-4f * std::abs(exact);
      EXPECT_NEAR(quantized.Distance(sum), exact, bound) << "m=" << m;
    }
  }
}

TEST(Pq4FastScanTest, QuantizationKernelsEqualReference) {
  std::mt19937 rng(13);
  std::uniform_real_distribution<float> uniform(-1000.0f, 1000.0f);
  for (int m : {1, 2, 3, 16, 33, 98}) {
    std::vector<float> table(16 * m);
    for (float& v : table) v = uniform(rng);
    table[5] = table[6];  // ties and a half-unit case do not change the rule
    const int bytes = FastScanPaddedSubspaces(m) * 16;
    std::vector<uint8_t> expected(bytes, 0xAA);
    const QuantizedTable reference =
        FastScanKernelsFor(Isa::kScalar).quantize(table.data(), m, expected.data());
    for (Isa isa : SupportedIsas()) {
      std::vector<uint8_t> got(bytes, 0x55);
      const QuantizedTable quantized =
          FastScanKernelsFor(isa).quantize(table.data(), m, got.data());
      EXPECT_EQ(got, expected) << "isa=" << IsaName(isa) << " m=" << m;
      EXPECT_EQ(quantized.bias, reference.bias);
      EXPECT_EQ(quantized.scale, reference.scale);
    }
  }
}

TEST(Pq4FastScanTest, ConstantTableQuantizesToZero) {
  std::vector<float> table(16 * 4, 2.5f);
  std::vector<uint8_t> lut(4 * 16, 1);
  const QuantizedTable quantized = QuantizeFastScanTable(table.data(), 4, lut.data());
  for (uint8_t v : lut) EXPECT_EQ(v, 0);
  EXPECT_FLOAT_EQ(quantized.Distance(0), 10.0f);
}

}  // namespace
}  // namespace vqsearch::internal
