// NormTermCodec: the term against its definition; for 4- and 8-bit sub-codes, each term
// stored as the closest of the 256 sums of levels (searched among all of them) with an
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

  std::vector<float> bad = {1.0f, NAN};
  const absl::Status refused = codec.EncodeInto(bad, first, code_size, codes.data(), 1);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << refused;
}

INSTANTIATE_TEST_SUITE_P(Bits, NormTermCodecTest, ::testing::Values(4, 8));

// A stand-in residual codec: one byte per 2-d residual, decoded as (b / 8, 1 - b / 16).
void DecodeBytes(const uint8_t* codes, int64_t rows, float* residuals) {
  for (int64_t i = 0; i < rows; ++i) {
    residuals[2 * i] = codes[i] / 8.0f;
    residuals[2 * i + 1] = 1 - codes[i] / 16.0f;
  }
}

TEST(NormTermsTest, AreTheTermsOfTheDecodedResidualsAgainstTheirListsCentroids) {
  const std::vector<float> centroids = {1, 2, -3, 0.5f, 0, 4};
  const std::vector<uint8_t> codes = {0, 7, 200, 31, 255};
  const std::vector<int64_t> lists = {2, 0, 1, 1, 2};
  const std::vector<float> terms =
      NormTerms({codes.data(), 1, 5, lists.data(), MatrixView(centroids, 2)}, DecodeBytes);
  ASSERT_EQ(terms.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    float residual[2];
    DecodeBytes(&codes[i], 1, residual);
    EXPECT_FLOAT_EQ(terms[i], NormTerm(residual, centroids.data() + 2 * lists[i], 2)) << i;
  }
}

TEST(NormTrainingSampleTest, KeepsEvenlySpacedRowsWithTheirLists) {
  const int64_t rows = NormTermCodec::kTrainingRows * 3 / 2;
  std::vector<float> residuals(rows * 2);
  std::vector<int64_t> lists(rows);
  for (int64_t i = 0; i < rows; ++i) {
    residuals[2 * i] = static_cast<float>(i);
    residuals[2 * i + 1] = -static_cast<float>(i);
    lists[i] = i % 7;
  }
  const NormTrainingSample sample(MatrixView(residuals, 2), lists);
  ASSERT_EQ(sample.rows.size(), static_cast<size_t>(NormTermCodec::kTrainingRows));
  ASSERT_EQ(sample.lists.size(), sample.rows.size());
  ASSERT_EQ(sample.residual_view().rows, NormTermCodec::kTrainingRows);
  for (size_t i = 0; i < sample.rows.size(); ++i) {
    const int64_t row = sample.rows[i];
    if (i > 0) {
      ASSERT_GT(row, sample.rows[i - 1]);
    }
    ASSERT_EQ(sample.lists[i], row % 7);
    ASSERT_EQ(sample.residual_view().row(i)[0], static_cast<float>(row));
    ASSERT_EQ(sample.residual_view().row(i)[1], -static_cast<float>(row));
  }
  // Spread over the whole set, not a prefix.
  EXPECT_GT(sample.rows.back(), rows - 3);

  // Fewer rows than the limit: all of them.
  const NormTrainingSample small(MatrixView(residuals.data(), 10, 2), lists);
  ASSERT_EQ(small.rows.size(), 10u);
  for (int64_t i = 0; i < 10; ++i) EXPECT_EQ(small.rows[i], i);
}

TEST(NormTermCodecTest, TrainsOnTheTermsOfTheSampleAsEncoded) {
  // Residuals of 2 dimensions, "encoded" by rounding the first coordinate to a byte's
  // grid (the second is implied): the terms learnt must be those of the decoded codes.
  const std::vector<float> centroids = {0.5f, -1, 2, 0.25f};
  const int64_t rows = 3000;
  std::vector<float> residuals(rows * 2);
  std::vector<int64_t> lists(rows);
  for (int64_t i = 0; i < rows; ++i) {
    residuals[2 * i] = static_cast<float>((i * 37) % 256) / 8.0f + 0.01f;
    residuals[2 * i + 1] = 0;
    lists[i] = i % 2;
  }
  const NormTrainingSample sample(MatrixView(residuals, 2), lists);
  auto encode = [](MatrixView in, uint8_t* codes) {
    for (int64_t i = 0; i < in.rows; ++i) codes[i] = static_cast<uint8_t>(in.row(i)[0] * 8);
    return absl::OkStatus();
  };
  NormTermCodec trained(4);
  ASSERT_TRUE(trained.TrainOnSample(sample, MatrixView(centroids, 2), 1, encode, DecodeBytes, 1).ok());

  std::vector<uint8_t> codes(rows);
  ASSERT_TRUE(encode(MatrixView(residuals, 2), codes.data()).ok());
  NormTermCodec reference(4);
  ASSERT_TRUE(reference
                  .Train(NormTerms({codes.data(), 1, rows, lists.data(), MatrixView(centroids, 2)},
                                   DecodeBytes),
                         1)
                  .ok());
  ASSERT_EQ(trained.levels().size(), reference.levels().size());
  for (size_t j = 0; j < reference.levels().size(); ++j) {
    EXPECT_EQ(trained.levels()[j], reference.levels()[j]) << j;
  }

  // An encoder's error reaches the caller.
  NormTermCodec failing(4);
  EXPECT_EQ(failing
                .TrainOnSample(
                    sample, MatrixView(centroids, 2), 1,
                    [](MatrixView, uint8_t*) { return absl::InternalError("no"); }, DecodeBytes, 1)
                .code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace vqsearch::internal
