// The ISA choice: parsing the names, lowering (never raising) the detected ISA by
// VQSEARCH_ISA, and the kernel table a family picks for each ISA. CTest also runs this
// binary with VQSEARCH_ISA set (tests/CMakeLists.txt), where ActiveIsaFollowsEnvironment
// checks that the override reached the process.

#include "simd/dispatch.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "simd/pq4_fast_scan.h"
#include "simd/sq_scan.h"
#include "vqsearch/isa.h"

namespace vqsearch::internal {
namespace {

constexpr Isa kAllIsas[] = {Isa::kScalar, Isa::kAvx2, Isa::kAvx512};

TEST(DispatchTest, NamesRoundTrip) {
  for (Isa isa : kAllIsas) EXPECT_EQ(ParseIsa(IsaName(isa)), isa);
  EXPECT_EQ(IsaName(Isa::kAvx512), "avx512");
  EXPECT_FALSE(ParseIsa("AVX2").has_value());
  EXPECT_FALSE(ParseIsa("sse4").has_value());
  EXPECT_FALSE(ParseIsa("").has_value());
}

TEST(DispatchTest, ForcedIsaOnlyLowers) {
  bool unknown = true;
  EXPECT_EQ(ResolveIsa(Isa::kAvx512, nullptr, &unknown), Isa::kAvx512);
  EXPECT_FALSE(unknown);
  EXPECT_EQ(ResolveIsa(Isa::kAvx512, "", &unknown), Isa::kAvx512);
  EXPECT_EQ(ResolveIsa(Isa::kAvx512, "scalar", &unknown), Isa::kScalar);
  EXPECT_EQ(ResolveIsa(Isa::kAvx512, "avx2", &unknown), Isa::kAvx2);
  EXPECT_EQ(ResolveIsa(Isa::kAvx2, "avx512", &unknown), Isa::kAvx2);
  EXPECT_EQ(ResolveIsa(Isa::kScalar, "avx2", &unknown), Isa::kScalar);
  EXPECT_FALSE(unknown);
  EXPECT_EQ(ResolveIsa(Isa::kAvx2, "neon", &unknown), Isa::kAvx2);
  EXPECT_TRUE(unknown);
}

TEST(DispatchTest, SupportedIsasAreEveryLevelUpToTheDetectedOne) {
  const std::vector<Isa> isas = SupportedIsas();
  ASSERT_FALSE(isas.empty());
  EXPECT_EQ(isas.front(), Isa::kScalar);
  EXPECT_EQ(isas.back(), DetectedIsa());
  EXPECT_EQ(isas.size(), static_cast<size_t>(DetectedIsa()) + 1);
}

TEST(DispatchTest, ActiveIsaFollowsEnvironment) {
  bool unknown = false;
  EXPECT_EQ(ActiveIsa(), ResolveIsa(DetectedIsa(), std::getenv("VQSEARCH_ISA"), &unknown));
  EXPECT_LE(ActiveIsa(), DetectedIsa());
}

TEST(DispatchTest, PickKernelsTakesTheWidestNotAboveTheIsa) {
  const int scalar = 0, avx2 = 2, avx512 = 3;
  EXPECT_EQ(&PickKernels(Isa::kScalar, scalar, &avx2, &avx512), &scalar);
  EXPECT_EQ(&PickKernels(Isa::kAvx2, scalar, &avx2, &avx512), &avx2);
  EXPECT_EQ(&PickKernels(Isa::kAvx512, scalar, &avx2, &avx512), &avx512);
  EXPECT_EQ(&PickKernels(Isa::kAvx512, scalar, &avx2, nullptr), &avx2);
  EXPECT_EQ(&PickKernels(Isa::kAvx512, scalar, nullptr, nullptr), &scalar);
}

TEST(DispatchTest, FamiliesHaveDistinctKernelsPerSupportedWidth) {
  // On a CPU with AVX2 the families must really switch kernels, or the per-ISA tests
  // would compare the scalar kernels with themselves.
  if (DetectedIsa() < Isa::kAvx2) GTEST_SKIP() << "no AVX2 on this CPU";
  EXPECT_NE(FastScanKernelsFor(Isa::kScalar).scan, FastScanKernelsFor(Isa::kAvx2).scan);
  EXPECT_NE(SqScanKernelsFor(Isa::kScalar).l2, SqScanKernelsFor(Isa::kAvx2).l2);
  if (DetectedIsa() < Isa::kAvx512) return;
  EXPECT_NE(FastScanKernelsFor(Isa::kAvx2).scan, FastScanKernelsFor(Isa::kAvx512).scan);
}

}  // namespace
}  // namespace vqsearch::internal
