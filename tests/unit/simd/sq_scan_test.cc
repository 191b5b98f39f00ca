// The SQ kernels of every ISA the CPU has against their scalar references for every
// layout, on random codes and dimensions that leave tails after the 32- and 16-dimension
// steps; the references against hand-decoded codes; and the half-precision conversions against F16C.

#include "simd/sq_scan.h"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "simd/dispatch.h"
#include "simd/sq_decode.h"
#include "simd/sq_float16.h"

#if VQS_X86_KERNELS
#include <immintrin.h>
#endif

namespace vqsearch::internal {
namespace {

constexpr SqLayout kLayouts[] = {SqLayout::kUint8, SqLayout::kUint4, SqLayout::kFloat16,
                                 SqLayout::kTable8, SqLayout::kTable4};

struct Case {
  std::vector<uint8_t> codes;
  std::vector<float> a, b, table;
};

// Random codes of `n` vectors; halves are drawn as finite values in [-4, 4].
Case RandomCase(SqLayout layout, int64_t n, int dim, std::mt19937* rng) {
  std::uniform_real_distribution<float> uniform(-4.0f, 4.0f);
  Case c;
  c.codes.resize(SqCodeSize(layout, dim) * n);
  if (layout == SqLayout::kFloat16) {
    for (size_t i = 0; i + 1 < c.codes.size(); i += 2) {
      const uint16_t half = FloatToHalf(uniform(*rng));
      c.codes[i] = static_cast<uint8_t>(half & 0xFF);
      c.codes[i + 1] = static_cast<uint8_t>(half >> 8);
    }
  } else {
    for (uint8_t& byte : c.codes) byte = static_cast<uint8_t>((*rng)());
  }
  c.a.resize(dim);
  c.b.resize(dim);
  for (int j = 0; j < dim; ++j) {
    c.a[j] = uniform(*rng);
    c.b[j] = uniform(*rng) / 64;
  }
  c.table.resize(static_cast<size_t>(dim) * 256);
  for (float& v : c.table) v = uniform(*rng);
  return c;
}

// Float sums reassociated into vector lanes (and terms contracted into FMAs) differ by
// rounding. Both results are within (dim + 2) * epsilon * magnitude of the exact value,
// where magnitude sums the terms computed from absolute values: (|a| + |b v|)^2 for L2,
// |w v| for the dot product.
void ExpectClose(const std::vector<float>& got, const std::vector<float>& expected,
                 const std::vector<float>& magnitude, int dim, const std::string& what) {
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const float bound = 2 * (dim + 2) * std::numeric_limits<float>::epsilon() * magnitude[i];
    EXPECT_NEAR(got[i], expected[i], bound) << what << " i=" << i;
  }
}

std::vector<float> Magnitudes(SqLayout layout, const Case& c, int64_t n, int dim, bool l2,
                              const float* b) {
  std::vector<float> magnitude(n, 0.0f);
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* code = c.codes.data() + i * SqCodeSize(layout, dim);
    for (int j = 0; j < dim; ++j) {
      const float v = std::abs(SqValue(layout, code, j, c.table.data()));
      const float a = std::abs(c.a[j]);
      const float bv = (b != nullptr ? std::abs(b[j]) : 1.0f) * v;
      magnitude[i] += l2 ? (a + bv) * (a + bv) : a * v;
    }
  }
  return magnitude;
}

TEST(SqScanTest, KernelsEqualReferences) {
  std::mt19937 rng(11);
  for (SqLayout layout : kLayouts) {
    for (int dim : {1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 47, 63, 100, 784}) {
      for (int64_t n : {0, 1, 5, 37}) {
        const Case c = RandomCase(layout, n, dim, &rng);
        const std::string what = "layout=" + std::to_string(static_cast<int>(layout)) +
                                 " dim=" + std::to_string(dim) + " n=" + std::to_string(n);
        std::vector<float> expected(n), got(n);
        for (const float* b : {c.b.data(), static_cast<const float*>(nullptr)}) {
          SqScanL2Reference(layout, c.codes.data(), n, dim, c.a.data(), b, c.table.data(),
                            expected.data());
          SqScanL2(layout, c.codes.data(), n, dim, c.a.data(), b, c.table.data(), got.data());
          ExpectClose(got, expected, Magnitudes(layout, c, n, dim, true, b), dim, "L2 " + what);
          for (Isa isa : SupportedIsas()) {
            SqScanKernelsFor(isa).l2(layout, c.codes.data(), n, dim, c.a.data(), b,
                                     c.table.data(), got.data());
            ExpectClose(got, expected, Magnitudes(layout, c, n, dim, true, b), dim,
                        "L2 " + std::string(IsaName(isa)) + " " + what);
          }
        }
        SqScanDotReference(layout, c.codes.data(), n, dim, c.a.data(), c.table.data(),
                           expected.data());
        const std::vector<float> magnitude = Magnitudes(layout, c, n, dim, false, nullptr);
        SqScanDot(layout, c.codes.data(), n, dim, c.a.data(), c.table.data(), got.data());
        ExpectClose(got, expected, magnitude, dim, "dot " + what);
        for (Isa isa : SupportedIsas()) {
          SqScanKernelsFor(isa).dot(layout, c.codes.data(), n, dim, c.a.data(), c.table.data(),
                                    got.data());
          ExpectClose(got, expected, magnitude, dim,
                      "dot " + std::string(IsaName(isa)) + " " + what);
        }
      }
    }
  }
}

TEST(SqScanTest, ReferencesDecodeTheDocumentedLayouts) {
  // Three dimensions; codes chosen so every layout's value of dimension j is readable.
  const int dim = 3;
  std::vector<float> table(dim * 256);
  for (int j = 0; j < dim; ++j) {
    for (int c = 0; c < 256; ++c) table[j * 256 + c] = 1000.0f * j + c;
  }
  std::vector<float> table4(dim * 16);
  for (int j = 0; j < dim; ++j) {
    for (int c = 0; c < 16; ++c) table4[j * 16 + c] = 100.0f * j + c;
  }
  const std::vector<float> w = {1.0f, 10.0f, 100.0f};
  const std::vector<float> zero(dim, 0.0f);
  float out;
  const uint8_t bytes[] = {3, 200, 7};
  SqScanDotReference(SqLayout::kUint8, bytes, 1, dim, w.data(), nullptr, &out);
  EXPECT_EQ(out, 3 + 2000 + 700);
  SqScanDotReference(SqLayout::kTable8, bytes, 1, dim, w.data(), table.data(), &out);
  EXPECT_EQ(out, 3 + 10 * 1200 + 100 * 2007);
  const uint8_t nibbles[] = {0x52, 0x09};  // dimensions 2, 5, 9; the last high nibble unused
  SqScanDotReference(SqLayout::kUint4, nibbles, 1, dim, w.data(), nullptr, &out);
  EXPECT_EQ(out, 2 + 50 + 900);
  SqScanDotReference(SqLayout::kTable4, nibbles, 1, dim, w.data(), table4.data(), &out);
  EXPECT_EQ(out, 2 + 10 * 105 + 100 * 209);
  const uint16_t halves[] = {FloatToHalf(0.5f), FloatToHalf(-2.0f), FloatToHalf(3.25f)};
  SqScanDotReference(SqLayout::kFloat16, reinterpret_cast<const uint8_t*>(halves), 1, dim, w.data(),
                     nullptr, &out);
  EXPECT_EQ(out, 0.5f - 20.0f + 325.0f);
  SqScanL2Reference(SqLayout::kFloat16, reinterpret_cast<const uint8_t*>(halves), 1, dim,
                    zero.data(), nullptr, nullptr, &out);
  EXPECT_EQ(out, 0.25f + 4.0f + 3.25f * 3.25f);
  const std::vector<float> b = {2.0f, 0.5f, 1.0f};
  SqScanL2Reference(SqLayout::kUint8, bytes, 1, dim, w.data(), b.data(), nullptr, &out);
  EXPECT_EQ(out, (1 - 6) * (1 - 6) + (10 - 100) * (10 - 100) + (100 - 7) * (100 - 7));
}

TEST(SqFloat16Test, EveryHalfRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = HalfToFloat(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    EXPECT_EQ(FloatToHalf(f), h) << std::hex << h;
  }
  EXPECT_EQ(HalfToFloat(FloatToHalf(kMaxFloat16)), kMaxFloat16);
  EXPECT_TRUE(std::isinf(HalfToFloat(FloatToHalf(65520.0f))));  // rounds past the largest half
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));        // smallest subnormal
}

#if VQS_X86_KERNELS
__attribute__((target("f16c"))) uint16_t F16cRound(float f) {
  return static_cast<uint16_t>(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
}

TEST(SqFloat16Test, RoundsLikeF16c) {
  if (DetectedIsa() < Isa::kAvx2) GTEST_SKIP() << "no F16C on this CPU";
  std::mt19937 rng(5);
  for (int i = 0; i < 200000; ++i) {
    // Random bit patterns cover normals, subnormals, overflow and ties.
    uint32_t bits = rng();
    if (i % 2 == 0) bits = (bits & 0x8FFFFFFFu) | 0x30000000u;  // exponents near half's range
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    if (std::isnan(f)) continue;
    ASSERT_EQ(FloatToHalf(f), F16cRound(f)) << std::hexfloat << f;
  }
}
#endif

}  // namespace
}  // namespace vqsearch::internal
