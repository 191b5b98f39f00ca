// NormTermCodec: the term against its definition; for 4- and 8-bit sub-codes, each term
// stored as the closest of the 256 sums of levels (the beam covers them all) with an
// average error below an even 8-bit grid's step, sub-codes written beside others without
// touching them, and the levels as table rows reproducing Decode.

#include "quant/norm_term_codec.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "testing/random_data.h"
#include "util/subcodes.h"

namespace vqsearch::internal {
namespace {

TEST(NormTermTest, IsSquaredNormPlusTwiceTheDotWithTheCentroid) {
  const float residual[3] = {1, -2, 0.5f}, centroid[3] = {3, 1, -4};
  // 1 + 4 + 0.25 + 2 (3 - 2 - 2)
  EXPECT_FLOAT_EQ(NormTerm(residual, centroid, 3), 5.25f - 2.0f);
}

class NormTermCodecTest : public ::testing::TestWithParam<int> {};

TEST_P(NormTermCodecTest, StoresTermsWithinTheLevelsResolution) {
  const int nbits = GetParam();
  const std::vector<float> terms = testing::GaussianVectors(4000, 1, 11);
  NormTermCodec codec(nbits);
  EXPECT_FALSE(codec.is_trained());
  ASSERT_TRUE(codec.Train(terms, 1).ok());
  ASSERT_TRUE(codec.is_trained());
  ASSERT_EQ(codec.num_subcodes(), 8 / nbits);
  ASSERT_EQ(codec.levels().size(), static_cast<size_t>(codec.num_subcodes()) << nbits);

  // Codes of 3 other sub-codes set to all ones, then the norm's.
  const int first = 3, subcodes = first + codec.num_subcodes();
  const size_t code_size = SubcodeBytes(subcodes, nbits);
  std::vector<uint8_t> codes(terms.size() * code_size, 0);
  const int ones = (1 << nbits) - 1;
  for (size_t i = 0; i < terms.size(); ++i) {
    for (int s = 0; s < first; ++s) SetSubcode(codes.data() + i * code_size, nbits, s, ones);
  }
  ASSERT_TRUE(codec.EncodeInto(terms, first, code_size, codes.data(), 2).ok());

  // Every sum of one level per sub-code: 256 of them.
  std::vector<float> sums = {0.0f};
  for (int s = 0; s < codec.num_subcodes(); ++s) {
    std::vector<float> longer;
    for (float sum : sums) {
      for (int j = 0; j < (1 << nbits); ++j) longer.push_back(sum + codec.levels()[(s << nbits) + j]);
    }
    sums = longer;
  }
  ASSERT_EQ(sums.size(), 256u);
  const auto [low, high] = std::minmax_element(terms.begin(), terms.end());
  const float step = (*high - *low) / 256;
  double squared_error = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    const uint8_t* code = codes.data() + i * code_size;
    for (int s = 0; s < first; ++s) ASSERT_EQ(SubcodeOf(code, nbits, s), ones);
    const float stored = codec.Decode(code, first);
    float best = INFINITY;
    for (float sum : sums) best = std::min(best, std::fabs(sum - terms[i]));
    ASSERT_LE(std::fabs(stored - terms[i]), best + 1e-6f) << i;
    squared_error += (stored - terms[i]) * (stored - terms[i]);
    // The levels are table rows: one entry per norm sub-code, summed.
    float from_rows = 0;
    for (int s = 0; s < codec.num_subcodes(); ++s) {
      from_rows += codec.levels()[(s << nbits) + SubcodeOf(code, nbits, first + s)];
    }
    ASSERT_FLOAT_EQ(from_rows, stored);
  }
  EXPECT_LT(std::sqrt(squared_error / terms.size()), step);
}

INSTANTIATE_TEST_SUITE_P(Bits, NormTermCodecTest, ::testing::Values(4, 8));

}  // namespace
}  // namespace vqsearch::internal
