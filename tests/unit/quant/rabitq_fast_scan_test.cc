// RaBitQ fast scan against its references: entries survive packing into blocks; the
// 1-bit scores of every fast-scan kernel equal the scalar kernel's and lie within the
// table's rounding bound of the float 1-bit estimator (RaBitQQuantizer::EstimateDot of
// the 1-bit code), for uint8 and 16-bit tables; the two-stage scan of b-bit codes gives
// the bitwise scorer's b-bit scores to the entries it keeps, and keeps the k best.

#include "quant/rabitq_fast_scan.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "quant/rabitq_scorer.h"
#include "search/top_k.h"
#include "simd/dispatch.h"
#include "testing/random_data.h"

namespace vqsearch {
namespace {

using internal::FastScanKernelsFor;
using internal::RaBitQFactors;
using internal::RaBitQFastScanFormat;
using internal::RaBitQFastScanScorer;
using internal::RaBitQQuantizer;
using internal::RaBitQScorer;

struct Packed {
  std::vector<uint8_t> entries;  // n entries back to back
  std::vector<uint8_t> blocks;
};

// `n` entries of Gaussian residuals, also packed.
Packed Encode(const RaBitQFastScanFormat& format, const std::vector<float>& residuals, int64_t n) {
  const int dim = format.quantizer().padded_dim();
  Packed packed;
  packed.entries.resize(n * format.entry_bytes());
  packed.blocks.assign((n + 31) / 32 * format.block_bytes(), 0);
  for (int64_t i = 0; i < n; ++i) {
    uint8_t* entry = packed.entries.data() + i * format.entry_bytes();
    format.Encode(residuals.data() + i * dim, entry);
    format.Pack(entry, i, packed.blocks.data());
  }
  return packed;
}

TEST(RaBitQFastScanTest, EntriesSurvivePacking) {
  for (int bits : {1, 3}) {
    const RaBitQFastScanFormat format(*RaBitQQuantizer::Create(128, bits));
    const int64_t n = 70;
    const Packed packed = Encode(format, testing::GaussianVectors(n, 128, 3), n);
    std::vector<uint8_t> entry(format.entry_bytes());
    for (int64_t i = 0; i < n; ++i) {
      format.Unpack(packed.blocks.data(), i, entry.data());
      EXPECT_TRUE(std::equal(entry.begin(), entry.end(),
                             packed.entries.begin() + i * format.entry_bytes()))
          << "bits=" << bits << " entry " << i;
    }
  }
}

TEST(RaBitQFastScanTest, OneBitScoresMatchTheFloatEstimatorOnEveryKernel) {
  for (int dim : {64, 128, 832}) {
    for (int bits : {1, 4}) {
      for (bool l2 : {true, false}) {
        for (bool wide : {false, true}) {
          const RaBitQQuantizer quantizer = *RaBitQQuantizer::Create(dim, bits);
          const RaBitQQuantizer one_bit = *RaBitQQuantizer::Create(dim, 1);
          const RaBitQFastScanFormat format(quantizer);
          const int64_t n = 77;  // a partial last block
          const std::vector<float> residuals = testing::GaussianVectors(n, dim, 5);
          const Packed packed = Encode(format, residuals, n);
          const std::vector<float> query = testing::GaussianVectors(1, dim, 6);
          const std::vector<float> centroid = testing::GaussianVectors(1, dim, 7);
          std::vector<float> q(dim);
          double norm_sq = 0, centroid_dot = 0;
          for (int j = 0; j < dim; ++j) {
            q[j] = l2 ? query[j] - 0.5f * centroid[j] : query[j];
            norm_sq += double{q[j]} * q[j];
            centroid_dot += double{query[j]} * 0.5f * centroid[j];
          }
          std::vector<float> half_centroid(centroid);
          for (float& c : half_centroid) c *= 0.5f;
          std::vector<float> expected(n), got(n);
          RaBitQFastScanScorer scorer;
          scorer.Reset(format, l2, query.data(), half_centroid.data(), wide,
                       FastScanKernelsFor(Isa::kScalar));
          scorer.OneBitScores(packed.blocks.data(), n, expected.data());
          std::vector<uint8_t> code(one_bit.code_size());
          for (int64_t i = 0; i < n; ++i) {
            one_bit.Encode(residuals.data() + i * dim, code.data());
            const RaBitQFactors f = one_bit.Factors(code.data());
            const float dot = one_bit.EstimateDot(code.data(), q.data());
            const float reference = l2 ? static_cast<float>(f.norm_sq + norm_sq - 2 * dot)
                                       : static_cast<float>(-centroid_dot - dot);
            const float bound = scorer.RoundingPerRescale() * f.rescale +
                                1e-4f * (1 + std::abs(reference));
            EXPECT_NEAR(expected[i], reference, bound)
                << "dim=" << dim << " bits=" << bits << " l2=" << l2 << " wide=" << wide;
          }
          for (Isa isa : internal::SupportedIsas()) {
            scorer.Reset(format, l2, query.data(), half_centroid.data(), wide,
                         FastScanKernelsFor(isa));
            scorer.OneBitScores(packed.blocks.data(), n, got.data());
            EXPECT_EQ(got, expected) << "isa=" << IsaName(isa) << " dim=" << dim;
          }
        }
      }
    }
  }
}

TEST(RaBitQFastScanTest, SixteenBitTablesRoundFarLess) {
  const RaBitQFastScanFormat format(*RaBitQQuantizer::Create(128, 1));
  const std::vector<float> query = testing::GaussianVectors(1, 128, 6);
  const std::vector<float> centroid(128, 0.0f);
  RaBitQFastScanScorer narrow, wide;
  const auto& kernels = FastScanKernelsFor(Isa::kScalar);
  narrow.Reset(format, true, query.data(), centroid.data(), false, kernels);
  wide.Reset(format, true, query.data(), centroid.data(), true, kernels);
  EXPECT_LT(wide.RoundingPerRescale() * 200, narrow.RoundingPerRescale());
}

TEST(RaBitQFastScanTest, PrunedScanKeepsTheBitwiseTopK) {
  constexpr int kDim = 128, kTop = 10;
  constexpr int64_t kN = 2000;
  for (bool l2 : {true, false}) {
    const RaBitQQuantizer quantizer = *RaBitQQuantizer::Create(kDim, 4);
    const RaBitQFastScanFormat format(quantizer);
    const std::vector<float> residuals = testing::GaussianVectors(kN, kDim, 8);
    const Packed packed = Encode(format, residuals, kN);
    const std::vector<float> query = testing::GaussianVectors(1, kDim, 9);
    const std::vector<float> centroid(kDim, 0.0f);
    // The bitwise scores of every entry, from the entries' b-bit codes.
    RaBitQScorer bitwise;
    bitwise.Reset(quantizer, l2, query.data(), centroid.data(), RaBitQScorer::DefaultQueryBits(4));
    std::vector<float> all(kN);
    for (int64_t i = 0; i < kN; ++i) {
      bitwise.Score(packed.entries.data() + i * format.entry_bytes(), 1, &all[i]);
    }
    for (Isa isa : internal::SupportedIsas()) {
      RaBitQFastScanScorer scorer;
      scorer.Reset(format, l2, query.data(), centroid.data(), false, FastScanKernelsFor(isa));
      internal::TopK heap(kTop);
      scorer.Scan(packed.blocks.data(), kN, 0, {}, &heap);
      std::vector<float> sorted(all);
      std::sort(sorted.begin(), sorted.end());
      float distances[kTop];
      int64_t ids[kTop];
      ASSERT_EQ(heap.ExtractSorted(distances, ids, 0.0f), kTop);
      for (int r = 0; r < kTop; ++r) {
        EXPECT_EQ(distances[r], all[ids[r]]) << "isa=" << IsaName(isa);
        EXPECT_EQ(distances[r], sorted[r]) << "isa=" << IsaName(isa) << " rank " << r;
      }
    }
  }
}

}  // namespace
}  // namespace vqsearch
