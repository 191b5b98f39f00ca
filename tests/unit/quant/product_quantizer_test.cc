// ProductQuantizer: exact reconstruction when every sub-space has a centroid per point,
// every sub-vector coded to its nearest codeword (direct and sgemm assignment),
// errors that fall with more bits, 4-bit packing, thread-count independence, persistence
// and parameter errors.

#include "quant/product_quantizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "io/index_file.h"
#include "testing/random_data.h"

namespace vqsearch::internal {
namespace {

using testing::GaussianVectors;

ProductQuantizer Trained(const std::vector<float>& data, int dim, int m, int nbits) {
  auto pq = ProductQuantizer::Create(dim, m, nbits);
  EXPECT_TRUE(pq.ok()) << pq.status();
  EXPECT_TRUE(pq->Train(MatrixView(data, dim), 7, {}).ok());
  return *std::move(pq);
}

TEST(ProductQuantizerTest, ReconstructsExactlyWhenCentroidsCoverEveryPoint) {
  for (int nbits : {4, 8}) {
    const int dim = 12, m = 3;
    const int n = 1 << nbits;  // as many points as centroids per sub-space
    const std::vector<float> data = GaussianVectors(n, dim, 1);
    ProductQuantizer pq = Trained(data, dim, m, nbits);
    std::vector<uint8_t> codes(n * pq.code_size());
    ASSERT_TRUE(pq.Encode(MatrixView(data, dim), codes.data(), 1).ok());
    std::vector<float> decoded(data.size());
    pq.Decode(codes.data(), n, decoded.data());
    EXPECT_EQ(decoded, data) << "nbits=" << nbits;
    EXPECT_EQ(*pq.ReconstructionError(MatrixView(data, dim), 1), 0.0);
  }
}

TEST(ProductQuantizerTest, EncodesEverySubVectorToItsNearestCodeword) {
  // Sub-spaces of 2 and 4 dimensions take the direct products, 8 and 16 sgemm; both
  // against a double-precision search over the codebook (near-ties may go either way).
  for (int sub_dim : {2, 4, 8, 16}) {
    for (int nbits : {4, 8}) {
      const int m = 3, dim = m * sub_dim;
      const std::vector<float> train = GaussianVectors(2000, dim, 3);
      const std::vector<float> data = GaussianVectors(500, dim, 4);
      const ProductQuantizer pq = Trained(train, dim, m, nbits);
      std::vector<uint8_t> codes(500 * pq.code_size());
      ASSERT_TRUE(pq.Encode(MatrixView(data, dim), codes.data(), 1).ok());
      const int ksub = pq.codebook_size();
      for (int64_t i = 0; i < 500; ++i) {
        for (int s = 0; s < m; ++s) {
          auto distance = [&](int j) {
            double sum = 0;
            for (int t = 0; t < sub_dim; ++t) {
              const double diff = double{data[i * dim + s * sub_dim + t]} -
                                  pq.centroids()[(s * ksub + j) * sub_dim + t];
              sum += diff * diff;
            }
            return sum;
          };
          double nearest = std::numeric_limits<double>::infinity();
          for (int j = 0; j < ksub; ++j) nearest = std::min(nearest, distance(j));
          EXPECT_LE(distance(pq.CodeOf(codes.data() + i * pq.code_size(), s)),
                    nearest + 1e-5 * (1 + nearest))
              << "sub_dim=" << sub_dim << " nbits=" << nbits << " row " << i << " sub-space " << s;
        }
      }
    }
  }
}

TEST(ProductQuantizerTest, ErrorMatchesDecodeAndFallsWithMoreBitsAndSubspaces) {
  const int dim = 32;
  const std::vector<float> train = GaussianVectors(4000, dim, 2);
  const std::vector<float> test = GaussianVectors(500, dim, 3);
  double previous = std::numeric_limits<double>::infinity();
  for (auto [m, nbits] : {std::pair{4, 4}, std::pair{4, 8}, std::pair{8, 8}, std::pair{16, 8}}) {
    ProductQuantizer pq = Trained(train, dim, m, nbits);
    const double error = *pq.ReconstructionError(MatrixView(test, dim), 2);
    // The reported error is the mean squared distance to the decoded vectors.
    std::vector<uint8_t> codes(500 * pq.code_size());
    ASSERT_TRUE(pq.Encode(MatrixView(test, dim), codes.data(), 1).ok());
    std::vector<float> decoded(test.size());
    pq.Decode(codes.data(), 500, decoded.data());
    double manual = 0;
    for (size_t i = 0; i < test.size(); ++i) manual += std::pow(double{test[i]} - decoded[i], 2);
    EXPECT_NEAR(error, manual / 500, 1e-4 * manual / 500);
    EXPECT_LT(error, previous) << m << "x" << nbits;
    EXPECT_LT(error, dim);  // far below the data's own variance (1 per dimension)
    previous = error;
  }
}

TEST(ProductQuantizerTest, FourBitCodesPackTwoSubspacesPerByte) {
  const int dim = 10, m = 5;  // odd M: the last byte holds one sub-space
  const std::vector<float> data = GaussianVectors(300, dim, 4);
  ProductQuantizer pq = Trained(data, dim, m, 4);
  EXPECT_EQ(pq.code_size(), 3);
  std::vector<uint8_t> codes(300 * pq.code_size());
  ASSERT_TRUE(pq.Encode(MatrixView(data, dim), codes.data(), 1).ok());
  std::vector<float> one(dim);
  for (int i = 0; i < 300; ++i) {
    const uint8_t* code = codes.data() + i * 3;
    EXPECT_EQ(code[2] >> 4, 0) << "unused high nibble must stay zero";
    pq.Decode(code, 1, one.data());
    for (int s = 0; s < m; ++s) {
      const int j = pq.CodeOf(code, s);
      ASSERT_LT(j, 16);
      // Each sub-vector decodes to centroid j of its sub-space, and j is its nearest.
      const float* centroid = pq.centroids().data() + (s * 16 + j) * 2;
      EXPECT_EQ(one[2 * s], centroid[0]);
      EXPECT_EQ(one[2 * s + 1], centroid[1]);
      const float* x = data.data() + i * dim + 2 * s;
      const double own = std::pow(x[0] - centroid[0], 2) + std::pow(x[1] - centroid[1], 2);
      for (int other = 0; other < 16; ++other) {
        const float* c = pq.centroids().data() + (s * 16 + other) * 2;
        EXPECT_LE(own, std::pow(x[0] - c[0], 2) + std::pow(x[1] - c[1], 2) + 1e-4);
      }
    }
  }
}

TEST(ProductQuantizerTest, CodesDoNotDependOnThreads) {
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(10000, dim, 5);
  ProductQuantizer pq = Trained(data, dim, 8, 8);
  std::vector<uint8_t> one(10000 * pq.code_size()), two(one.size());
  ASSERT_TRUE(pq.Encode(MatrixView(data, dim), one.data(), 1).ok());
  ASSERT_TRUE(pq.Encode(MatrixView(data, dim), two.data(), 2).ok());
  EXPECT_EQ(one, two);
}

TEST(ProductQuantizerTest, WriteReadRoundTrip) {
  const int dim = 8;
  const std::vector<float> data = GaussianVectors(500, dim, 6);
  ProductQuantizer pq = Trained(data, dim, 4, 8);
  IndexFileWriter writer;
  pq.Write("pq", &writer);
  auto reader = IndexFileReader::FromBytes(*writer.ToBytes());
  ASSERT_TRUE(reader.ok());
  auto copy = ProductQuantizer::Create(dim, 4, 8);
  ASSERT_TRUE(copy->Read("pq", *reader).ok());
  EXPECT_TRUE(std::equal(pq.centroids().begin(), pq.centroids().end(), copy->centroids().begin(),
                         copy->centroids().end()));
  auto other_shape = ProductQuantizer::Create(dim, 2, 8);
  EXPECT_EQ(other_shape->Read("pq", *reader).code(), absl::StatusCode::kDataLoss);
}

TEST(ProductQuantizerTest, BadParametersAreErrors) {
  EXPECT_FALSE(ProductQuantizer::Create(10, 3, 8).ok());  // 3 does not divide 10
  EXPECT_FALSE(ProductQuantizer::Create(10, 0, 8).ok());
  EXPECT_FALSE(ProductQuantizer::Create(8, 2, 6).ok());
  auto bad = ProductQuantizer::Create(10, 4, 8);
  EXPECT_NE(bad.status().message().find("divides"), std::string::npos);

  auto pq = ProductQuantizer::Create(4, 2, 8);
  std::vector<float> data = GaussianVectors(100, 4, 7);
  std::vector<uint8_t> codes(100 * 2);
  EXPECT_EQ(pq->Encode(MatrixView(data, 4), codes.data(), 1).code(),
            absl::StatusCode::kFailedPrecondition);
  auto too_few = pq->Train(MatrixView(data, 4), 1, {});  // 100 < 256 centroids
  EXPECT_EQ(too_few.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(too_few.message().find("256"), std::string::npos);
  data[5] = std::numeric_limits<float>::quiet_NaN();
  auto four_bit = ProductQuantizer::Create(4, 2, 4);
  EXPECT_EQ(four_bit->Train(MatrixView(data, 4), 1, {}).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vqsearch::internal
