// ScalarQuantizer: errors within half a step inside the learnt range, exact codes for
// data with few values, half-precision rounding, Lloyd-Max levels that are the means of
// their cells and beat uniform levels on skewed data, the scorer against distances to
// decoded vectors, thread independence, persistence and parameter errors.

#include "quant/scalar_quantizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "io/index_file.h"
#include "quant/scalar_quantizer_lloyd_max.h"
#include "quant/scalar_quantizer_scorer.h"
#include "simd/sq_float16.h"
#include "testing/random_data.h"
#include "util/row_sample.h"

namespace vqsearch::internal {
namespace {

using testing::GaussianVectors;

constexpr SqType kAllTypes[] = {SqType::kUniform8, SqType::kUniform4, SqType::kFloat16,
                                SqType::kNonUniform8, SqType::kNonUniform4};

ScalarQuantizer Trained(const std::vector<float>& data, int dim, SqType type,
                        SqOptions options = {}) {
  auto sq = ScalarQuantizer::Create(dim, type, options);
  EXPECT_TRUE(sq.ok()) << sq.status();
  EXPECT_TRUE(sq->Train(MatrixView(data, dim), 2).ok());
  return *std::move(sq);
}

std::vector<float> RoundTrip(const ScalarQuantizer& sq, const std::vector<float>& data) {
  const int64_t rows = static_cast<int64_t>(data.size()) / sq.dim();
  std::vector<uint8_t> codes(rows * sq.code_size());
  EXPECT_TRUE(sq.Encode(MatrixView(data, sq.dim()), codes.data(), 2).ok());
  std::vector<float> decoded(data.size());
  sq.Decode(codes.data(), rows, decoded.data());
  return decoded;
}

// rows x dim log-normal values: long right tails, dense near zero.
std::vector<float> LogNormalVectors(int64_t rows, int dim, uint32_t seed) {
  std::vector<float> data = GaussianVectors(rows, dim, seed);
  for (float& v : data) v = std::exp(v);
  return data;
}

TEST(ScalarQuantizerTest, UniformErrorIsAtMostHalfAStepInsideTheRange) {
  const int dim = 13;  // odd: the last 4-bit byte holds one dimension
  const std::vector<float> train = GaussianVectors(2000, dim, 1);
  const std::vector<float> test = GaussianVectors(500, dim, 2);
  for (SqType type : {SqType::kUniform8, SqType::kUniform4}) {
    for (double clip : {0.0, 0.01}) {
      const ScalarQuantizer sq = Trained(train, dim, type, {SqRange::kQuantile, clip});
      const std::vector<float> decoded = RoundTrip(sq, test);
      int inside = 0;
      for (size_t i = 0; i < test.size(); ++i) {
        const int j = static_cast<int>(i % dim);
        const float low = sq.lows()[j], step = sq.steps()[j];
        const float high = low + step * (sq.levels_per_dim() - 1);
        ASSERT_GT(step, 0.0f);
        if (test[i] >= low && test[i] <= high) {
          ++inside;
          EXPECT_LE(std::abs(test[i] - decoded[i]), step / 2 * (1 + 1e-4f)) << i;
        } else {  // clamped to the nearer end
          EXPECT_EQ(decoded[i],
                    test[i] < low ? low : sq.lows()[j] + step * (sq.levels_per_dim() - 1));
        }
      }
      // min/max covers nearly all of the test data; clipping 1% at each end leaves ~2% out.
      EXPECT_GT(inside, clip == 0.0 ? 0.99 * test.size() : 0.95 * test.size());
    }
  }
}

TEST(ScalarQuantizerTest, FewDistinctValuesAreCodedExactly) {
  // Pixel-like integers 0..255 (SQ8, SQ8nu) and 16 arbitrary values (SQ4nu), per dimension.
  const int dim = 9;
  std::mt19937 rng(3);
  std::vector<float> pixels(3000 * dim), sixteen(3000 * dim);
  for (size_t i = 0; i < pixels.size(); ++i) {
    pixels[i] = static_cast<float>(rng() % 256);
    sixteen[i] = std::pow(1.7f, static_cast<float>(rng() % 16)) - 3.0f;
  }
  for (int j = 0; j < dim; ++j) {  // every dimension spans 0..255 exactly
    pixels[j] = 0;
    pixels[dim + j] = 255;
  }
  for (SqType type : {SqType::kUniform8, SqType::kNonUniform8}) {
    EXPECT_EQ(RoundTrip(Trained(pixels, dim, type), pixels), pixels);
  }
  EXPECT_EQ(RoundTrip(Trained(sixteen, dim, SqType::kNonUniform4), sixteen), sixteen);
}

TEST(ScalarQuantizerTest, Float16RoundsToNearestHalfAndSaturates) {
  const int dim = 5;
  std::vector<float> data = GaussianVectors(200, dim, 4);
  data[0] = 1e6f;
  data[1] = -1e9f;
  const ScalarQuantizer sq = Trained(data, dim, SqType::kFloat16);
  EXPECT_EQ(sq.code_size(), 10u);
  const std::vector<float> decoded = RoundTrip(sq, data);
  EXPECT_EQ(decoded[0], kMaxFloat16);
  EXPECT_EQ(decoded[1], -kMaxFloat16);
  for (size_t i = 2; i < data.size(); ++i) {
    EXPECT_EQ(decoded[i], HalfToFloat(FloatToHalf(data[i])));
    EXPECT_LE(std::abs(decoded[i] - data[i]), std::abs(data[i]) * std::ldexp(1.0f, -11) + 1e-7f);
  }
}

TEST(ScalarQuantizerTest, LloydMaxLevelsAreTheMeansOfTheirCells) {
  // The fixed point Lloyd-Max stops near: each level is the mean of the values whose
  // nearest level it is.
  std::mt19937 rng(5);
  std::lognormal_distribution<float> skewed(0.0f, 1.0f);
  std::vector<float> values(5000);
  for (float& v : values) v = skewed(rng);
  const std::vector<float> original = values;
  const std::vector<float> levels =
      LloydMaxLevels(values.data(), static_cast<int64_t>(values.size()), 16);
  ASSERT_EQ(levels.size(), 16u);
  std::vector<double> sums(16, 0.0), counts(16, 0.0);
  for (float v : original) {
    int nearest = 0;
    for (int k = 1; k < 16; ++k) {
      if (std::abs(v - levels[k]) < std::abs(v - levels[nearest])) nearest = k;
    }
    sums[nearest] += v;
    counts[nearest] += 1;
  }
  for (int k = 0; k < 16; ++k) {
    ASSERT_GT(counts[k], 0) << "level " << k << " codes nothing";
    if (k > 0) {
      EXPECT_LT(levels[k - 1], levels[k]);
    }
    EXPECT_NEAR(levels[k], sums[k] / counts[k], 1e-3 * (1 + std::abs(levels[k]))) << k;
  }
}

TEST(ScalarQuantizerTest, NonUniformBeatsUniformOnSkewedData) {
  // On the training data Lloyd-Max can only improve on the min/max uniform levels it
  // starts from; on log-normal data it also beats the best-clipped uniform type by far. On held-out
  // data the 4-bit gain persists; 8-bit held-out error is dominated by tail values beyond the
  // training maximum, which both clamp, so it is not compared.
  const int dim = 16;
  const std::vector<float> train = LogNormalVectors(4000, dim, 6);
  const std::vector<float> test = LogNormalVectors(1000, dim, 7);
  for (auto [uniform, non_uniform] : {std::pair{SqType::kUniform8, SqType::kNonUniform8},
                                      std::pair{SqType::kUniform4, SqType::kNonUniform4}}) {
    const ScalarQuantizer u = Trained(train, dim, uniform);
    const ScalarQuantizer nu = Trained(train, dim, non_uniform);
    const MatrixView seen(train, dim), unseen(test, dim);
    EXPECT_LT(*nu.ReconstructionError(seen, 1), 0.2 * *u.ReconstructionError(seen, 1))
        << ScalarQuantizer::TypeName(non_uniform);
    if (uniform == SqType::kUniform4) {
      EXPECT_LT(*nu.ReconstructionError(unseen, 1), 0.5 * *u.ReconstructionError(unseen, 1));
    }
  }
}

// kBestClip tries q = 0 (min/max) and q = 0.003 among its candidates, per dimension: on
// Gaussian and log-normal `rows` x `dim` training data its error there is at most
// (1 + tolerance) times theirs.
void ExpectBestClipNoWorseThanEitherFixedRange(int64_t rows, int dim, uint32_t seed,
                                               double tolerance) {
  for (const std::vector<float>& train :
       {GaussianVectors(rows, dim, seed), LogNormalVectors(rows, dim, seed + 1)}) {
    for (SqType type : {SqType::kUniform4, SqType::kUniform8}) {
      const MatrixView seen(train, dim);
      const double best = *Trained(train, dim, type).ReconstructionError(seen, 1);
      const double min_max =
          *Trained(train, dim, type, {SqRange::kMinMax}).ReconstructionError(seen, 1);
      const double clipped =
          *Trained(train, dim, type, {SqRange::kQuantile, 0.003}).ReconstructionError(seen, 1);
      EXPECT_LE(best, min_max * (1 + tolerance)) << rows << " rows, type " << static_cast<int>(type);
      EXPECT_LE(best, clipped * (1 + tolerance)) << rows << " rows, type " << static_cast<int>(type);
      if (type == SqType::kUniform4) {
        EXPECT_LT(best, 0.8 * min_max);  // 16 levels: the tails are worth clipping
      }
    }
  }
}

TEST(ScalarQuantizerTest, BestClipIsNoWorseThanEitherFixedRangeOnTheTrainingData) {
  ExpectBestClipNoWorseThanEitherFixedRange(3000, 8, 16, 1e-6);
}

TEST(ScalarQuantizerTest, BestClipFromASampleOfManyValuesIsWithinAPercentOfEitherFixedRange) {
  // 200,000 values per dimension: the candidates are compared on the 20% of them in the
  // tails the largest clip reaches and on every 3rd value of the middle.
  ExpectBestClipNoWorseThanEitherFixedRange(200000, 2, 18, 0.01);
}

// Above 262,144 training rows the ranges are learned from evenly spaced rows plus every
// row's extremes: the choice stays within a percent of either fixed range, and min/max
// ranges span values that only unsampled rows hold.
TEST(ScalarQuantizerTest, RangesOfManyRowsComeFromASampleAndTheExactExtremes) {
  ExpectBestClipNoWorseThanEitherFixedRange(300000, 2, 19, 0.01);
  const int64_t rows = 300000;
  const int dim = 2;
  std::vector<float> train = GaussianVectors(rows, dim, 20);
  const std::vector<int64_t> sampled = EvenlySpacedRows(rows, int64_t{1} << 18);
  int64_t unsampled = 0;
  while (std::binary_search(sampled.begin(), sampled.end(), unsampled)) ++unsampled;
  train[unsampled * dim] = -40.0f;
  train[unsampled * dim + 1] = 40.0f;
  const ScalarQuantizer sq = Trained(train, dim, SqType::kUniform8, {SqRange::kMinMax});
  EXPECT_EQ(sq.lows()[0], -40.0f);
  EXPECT_NEAR(sq.lows()[1] + 255 * sq.steps()[1], 40.0f, 1e-4f);
}

TEST(ScalarQuantizerTest, ErrorMatchesDecodeAndFallsWithPrecision) {
  const int dim = 20;
  const std::vector<float> train = GaussianVectors(3000, dim, 8);
  const std::vector<float> test = GaussianVectors(300, dim, 9);
  double previous = std::numeric_limits<double>::infinity();
  for (SqType type : {SqType::kUniform4, SqType::kUniform8, SqType::kFloat16}) {
    const ScalarQuantizer sq = Trained(train, dim, type);
    const double error = *sq.ReconstructionError(MatrixView(test, dim), 2);
    const std::vector<float> decoded = RoundTrip(sq, test);
    double manual = 0;
    for (size_t i = 0; i < test.size(); ++i) manual += std::pow(double{test[i]} - decoded[i], 2);
    EXPECT_NEAR(error, manual / 300, 1e-6 * manual / 300);
    EXPECT_LT(error, previous) << ScalarQuantizer::TypeName(type);
    previous = error;
  }
}

TEST(ScalarQuantizerTest, ScorerEqualsDistancesToDecodedVectors) {
  const int dim = 37;
  const std::vector<float> train = GaussianVectors(1000, dim, 10);
  const std::vector<float> queries = GaussianVectors(5, dim, 11);
  const std::vector<float> offset = GaussianVectors(1, dim, 12);
  for (SqType type : kAllTypes) {
    const ScalarQuantizer sq = Trained(train, dim, type);
    std::vector<uint8_t> codes(100 * sq.code_size());
    ASSERT_TRUE(sq.Encode(MatrixView(train.data(), 100, dim), codes.data(), 1).ok());
    std::vector<float> decoded(100 * dim);
    sq.Decode(codes.data(), 100, decoded.data());
    for (bool l2 : {true, false}) {
      for (const float* off : {static_cast<const float*>(nullptr), offset.data()}) {
        for (int q = 0; q < 5; ++q) {
          const float* query = queries.data() + q * dim;
          SqScorer scorer;
          scorer.Reset(sq, l2, query, off);
          std::vector<float> scores(100);
          scorer.Score(codes.data(), 100, scores.data());
          for (int i = 0; i < 100; ++i) {
            double expected = 0, magnitude = 0;
            for (int j = 0; j < dim; ++j) {
              const double x = double{decoded[i * dim + j]} + (off != nullptr ? off[j] : 0.0);
              const double term = l2 ? (query[j] - x) * (query[j] - x) : -query[j] * x;
              expected += term;
              magnitude += std::abs(term) + std::abs(query[j] * x);
            }
            EXPECT_NEAR(scores[i], expected, 1e-5 * (1 + magnitude))
                << ScalarQuantizer::TypeName(type) << " l2=" << l2 << " i=" << i;
          }
        }
      }
    }
  }
}

TEST(ScalarQuantizerTest, CodesDoNotDependOnThreads) {
  const int dim = 24;
  const std::vector<float> data = LogNormalVectors(5000, dim, 13);
  for (SqType type : kAllTypes) {
    auto one = ScalarQuantizer::Create(dim, type);
    auto two = ScalarQuantizer::Create(dim, type);
    ASSERT_TRUE(one->Train(MatrixView(data, dim), 1).ok());
    ASSERT_TRUE(two->Train(MatrixView(data, dim), 2).ok());
    std::vector<uint8_t> a(5000 * one->code_size()), b(a.size());
    ASSERT_TRUE(one->Encode(MatrixView(data, dim), a.data(), 1).ok());
    ASSERT_TRUE(two->Encode(MatrixView(data, dim), b.data(), 2).ok());
    EXPECT_EQ(a, b) << ScalarQuantizer::TypeName(type);
  }
}

TEST(ScalarQuantizerTest, WriteReadRoundTrip) {
  const int dim = 10;
  const std::vector<float> data = LogNormalVectors(500, dim, 14);
  for (SqType type : kAllTypes) {
    const ScalarQuantizer sq = Trained(data, dim, type);
    IndexFileWriter writer;
    sq.Write("sq", &writer);
    auto reader = IndexFileReader::FromBytes(*writer.ToBytes());
    ASSERT_TRUE(reader.ok());
    auto copy = ScalarQuantizer::Create(dim, type);
    ASSERT_TRUE(copy->Read("sq", *reader).ok()) << ScalarQuantizer::TypeName(type);
    EXPECT_TRUE(copy->is_trained());
    EXPECT_EQ(RoundTrip(*copy, data), RoundTrip(sq, data)) << ScalarQuantizer::TypeName(type);
    auto other_type = ScalarQuantizer::Create(
        dim, type == SqType::kUniform8 ? SqType::kUniform4 : SqType::kUniform8);
    EXPECT_EQ(other_type->Read("sq", *reader).code(), absl::StatusCode::kDataLoss);
    auto other_dim = ScalarQuantizer::Create(dim + 1, type);
    EXPECT_EQ(other_dim->Read("sq", *reader).code(), absl::StatusCode::kDataLoss);
  }
  // A file whose arrays do not match the dimension.
  IndexFileWriter writer;
  const std::vector<float> short_array(dim - 1, 1.0f);
  writer.AddInt64Scalar("sq.dim", dim);
  writer.AddString("sq.type", "SQ8");
  writer.AddFloat32("sq.lows", short_array);
  writer.AddFloat32("sq.steps", short_array);
  writer.AddFloat32("sq.levels", {});
  auto reader = IndexFileReader::FromBytes(*writer.ToBytes());
  auto sq = ScalarQuantizer::Create(dim, SqType::kUniform8);
  EXPECT_EQ(sq->Read("sq", *reader).code(), absl::StatusCode::kDataLoss);
}

TEST(ScalarQuantizerTest, BadParametersAreErrors) {
  EXPECT_FALSE(ScalarQuantizer::Create(0, SqType::kUniform8).ok());
  EXPECT_FALSE(ScalarQuantizer::Create(4, SqType::kUniform8, {SqRange::kQuantile, 0.5}).ok());
  EXPECT_FALSE(ScalarQuantizer::Create(4, SqType::kUniform8, {SqRange::kQuantile, -0.1}).ok());
  for (const char* name : {"SQ8", "SQ4", "SQfp16", "SQ8nu", "SQ4nu"}) {
    auto type = ScalarQuantizer::ParseType(name);
    ASSERT_TRUE(type.ok()) << name;
    EXPECT_EQ(ScalarQuantizer::TypeName(*type), name);
  }
  for (const char* name : {"SQ", "SQ6", "SQ8x", "sq8", "SQfp32", "SQ4NU"}) {
    auto type = ScalarQuantizer::ParseType(name);
    EXPECT_EQ(type.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_NE(type.status().message().find("SQ8, SQ4, SQfp16"), std::string::npos);
  }
  auto sq = ScalarQuantizer::Create(4, SqType::kUniform8);
  std::vector<float> data = GaussianVectors(10, 4, 15);
  std::vector<uint8_t> codes(10 * 4);
  EXPECT_FALSE(sq->is_trained());
  EXPECT_EQ(sq->Encode(MatrixView(data, 4), codes.data(), 1).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(sq->Train(MatrixView(data.data(), 0, 4), 1).code(), absl::StatusCode::kInvalidArgument);
  data[3] = std::numeric_limits<float>::infinity();
  EXPECT_EQ(sq->Train(MatrixView(data, 4), 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(sq->is_trained());
}

}  // namespace
}  // namespace vqsearch::internal
