// The random Hadamard rotation: it is a linear map that keeps norms and inner products
// (so orthogonal) to float precision for dimensions that are and are not powers of two,
// it mixes every coordinate, Invert is its transpose (and so its inverse on what it
// gives), it is fixed by its seed, and it survives a file round trip.

#include "quant/hadamard_rotation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "io/index_file.h"
#include "testing/double_dot.h"
#include "testing/random_data.h"

namespace vqsearch::internal {
namespace {

using testing::GaussianVectors;
constexpr auto Dot = testing::DoubleDot;


std::vector<float> Rotate(const HadamardRotation& rotation, const std::vector<float>& x,
                          int64_t rows) {
  std::vector<float> out(rows * rotation.padded_dim());
  rotation.ApplyRows(MatrixView(x.data(), rows, rotation.dim()), out.data(), 2);
  return out;
}

TEST(HadamardRotationTest, KeepsNormsAndInnerProducts) {
  for (int dim : {1, 7, 64, 100, 128, 300, 784}) {
    const auto rotation = *HadamardRotation::Create(dim, 42);
    const int padded = rotation.padded_dim();
    EXPECT_EQ(padded % 64, 0);
    EXPECT_GE(padded, dim);
    EXPECT_LT(padded, dim + 64);
    const int64_t rows = 40;
    const std::vector<float> x = GaussianVectors(rows, dim, 1);
    const std::vector<float> y = Rotate(rotation, x, rows);
    for (int64_t i = 0; i < rows; ++i) {
      const double norm = Dot(&x[i * dim], &x[i * dim], dim);
      EXPECT_NEAR(Dot(&y[i * padded], &y[i * padded], padded), norm, 1e-5 * norm) << dim;
      // Random pairs: inner products (orthogonality of the map, not only isometry of norms).
      const int64_t j = (i * 7 + 3) % rows;
      const double dot = Dot(&x[i * dim], &x[j * dim], dim);
      EXPECT_NEAR(Dot(&y[i * padded], &y[j * padded], padded), dot, 1e-5 * norm) << dim;
    }
  }
}

TEST(HadamardRotationTest, IsLinearAndMapsBasisVectorsToOrthonormalDenseRows) {
  // The images of the basis vectors are the columns of the map: orthonormal, and dense
  // (the energy of each spreads over every part of the output, also outside the head block).
  for (int dim : {64, 100, 832}) {
    const auto rotation = *HadamardRotation::Create(dim, 7);
    const int padded = rotation.padded_dim();
    std::vector<float> basis(static_cast<size_t>(dim) * dim, 0.0f);
    for (int i = 0; i < dim; ++i) basis[i * dim + i] = 1.0f;
    const std::vector<float> columns = Rotate(rotation, basis, dim);
    for (int i = 0; i < dim; i += 13) {
      for (int j = i; j < dim; j += 17) {
        EXPECT_NEAR(Dot(&columns[i * padded], &columns[j * padded], padded), i == j ? 1.0 : 0.0,
                    1e-5);
      }
      // Spread: no coordinate holds more than twice what the largest coordinate of a random
      // unit vector typically holds (2 ln D / D), and each half of the output holds between
      // a fifth and four fifths of the energy.
      double largest = 0, first_half = 0;
      for (int c = 0; c < padded; ++c) {
        const double v = columns[i * padded + c];
        largest = std::max(largest, v * v);
        if (c < padded / 2) first_half += v * v;
      }
      EXPECT_LT(largest, 4 * std::log(padded) / padded) << "dim " << dim << " basis vector " << i;
      EXPECT_GT(first_half, 0.2) << "dim " << dim << " basis vector " << i;
      EXPECT_LT(first_half, 0.8) << "dim " << dim << " basis vector " << i;
    }
    // Linearity: R(a + 2b) = R a + 2 R b.
    const std::vector<float> ab = GaussianVectors(2, dim, 3);
    std::vector<float> sum(dim);
    for (int j = 0; j < dim; ++j) sum[j] = ab[j] + 2 * ab[dim + j];
    const std::vector<float> r_ab = Rotate(rotation, ab, 2);
    const std::vector<float> r_sum = Rotate(rotation, sum, 1);
    for (int c = 0; c < padded; ++c) {
      EXPECT_NEAR(r_sum[c], r_ab[c] + 2 * r_ab[padded + c], 1e-4);
    }
  }
}

TEST(HadamardRotationTest, InvertIsTheTransposeAndUndoesApply) {
  for (int dim : {1, 7, 64, 100, 128, 300, 784}) {
    const auto rotation = *HadamardRotation::Create(dim, 42);
    const int padded = rotation.padded_dim();
    const int64_t rows = 20;
    const std::vector<float> x = GaussianVectors(rows, dim, 1);
    const std::vector<float> rotated = Rotate(rotation, x, rows);
    // Any y of the padded space, with weight on the padding too.
    const std::vector<float> y = GaussianVectors(rows, padded, 2);
    std::vector<float> back(dim), y_back(dim);
    for (int64_t i = 0; i < rows; ++i) {
      rotation.Invert(&rotated[i * padded], back.data());
      for (int j = 0; j < dim; ++j) EXPECT_NEAR(back[j], x[i * dim + j], 1e-5) << dim;
      rotation.Invert(&y[i * padded], y_back.data());
      const double scale = std::sqrt(Dot(&x[i * dim], &x[i * dim], dim) *
                                     Dot(&y[i * padded], &y[i * padded], padded));
      EXPECT_NEAR(Dot(&rotated[i * padded], &y[i * padded], padded),
                  Dot(&x[i * dim], y_back.data(), dim), 1e-5 * scale)
          << dim;
    }
  }
}

TEST(HadamardRotationTest, IsFixedBySeed) {
  const int dim = 100;
  const std::vector<float> x = GaussianVectors(5, dim, 9);
  const auto a = *HadamardRotation::Create(dim, 5);
  const auto b = *HadamardRotation::Create(dim, 5);
  const auto c = *HadamardRotation::Create(dim, 6);
  EXPECT_EQ(Rotate(a, x, 5), Rotate(b, x, 5));
  EXPECT_NE(Rotate(a, x, 5), Rotate(c, x, 5));
  EXPECT_FALSE(HadamardRotation::Create(0, 1).ok());
}

TEST(HadamardRotationTest, FileRoundTripAndHostileSections) {
  const int dim = 100;
  const auto rotation = *HadamardRotation::Create(dim, 11);
  IndexFileWriter writer;
  rotation.Write("rot", &writer);
  auto bytes = writer.ToBytes();
  ASSERT_TRUE(bytes.ok());
  auto reader = IndexFileReader::FromBytes(*bytes);
  ASSERT_TRUE(reader.ok()) << reader.status();
  HadamardRotation read;
  ASSERT_TRUE(read.Read("rot", *reader).ok());
  const std::vector<float> x = GaussianVectors(3, dim, 2);
  EXPECT_EQ(Rotate(read, x, 3), Rotate(rotation, x, 3));
  // Another dimension than the index's, a sign byte other than 0/1, too few signs.
  auto other = *HadamardRotation::Create(50, 1);
  EXPECT_FALSE(other.Read("rot", *reader).ok());
  for (int variant = 0; variant < 2; ++variant) {
    IndexFileWriter bad;
    bad.AddInt64Scalar("rot.dim", dim);
    std::vector<uint8_t> signs(6 * HadamardRotation::PaddedDim(dim), 0);
    if (variant == 0) signs[5] = 2; else signs.pop_back();
    bad.AddUInt8("rot.signs", signs);
    auto bad_reader = IndexFileReader::FromBytes(*bad.ToBytes());
    ASSERT_TRUE(bad_reader.ok());
    HadamardRotation r;
    EXPECT_FALSE(r.Read("rot", *bad_reader).ok()) << variant;
  }
}

}  // namespace
}  // namespace vqsearch::internal
