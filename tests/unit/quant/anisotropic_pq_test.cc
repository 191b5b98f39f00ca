// Anisotropic PQ: the loss against its definition (parallel and perpendicular parts),
// coordinate descent ending in a local minimum no worse than the nearest codes for every
// vector, training that does not lose to the k-means codebooks and reports a falling
// loss (and can be cancelled), residual encoding
// weighed along the datapoints, persistence of the weight and parameter errors.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "io/index_file.h"
#include "quant/anisotropic_assignment.h"
#include "quant/product_quantizer.h"
#include "testing/build_index.h"
#include "testing/random_data.h"

namespace vqsearch::internal {
namespace {

using testing::GaussianVectors;
using testing::OneThread;

ProductQuantizer Trained(const std::vector<float>& data, int dim, int m, int nbits, float eta) {
  auto pq = ProductQuantizer::Create(dim, m, nbits);
  EXPECT_TRUE(pq.ok()) << pq.status();
  EXPECT_TRUE(pq->SetAnisotropicWeight(eta).ok());
  EXPECT_TRUE(pq->Train(MatrixView(data, dim), 7, OneThread()).ok());
  return *std::move(pq);
}

// The loss of each row of `vectors` reconstructed from its code, weighed along the
// matching row of `datapoints`.
std::vector<double> Losses(const ProductQuantizer& pq, const std::vector<float>& vectors,
                           const std::vector<float>& datapoints, const std::vector<uint8_t>& codes,
                           float eta) {
  const int dim = pq.dim();
  const int64_t rows = static_cast<int64_t>(vectors.size()) / dim;
  std::vector<double> losses(rows);
  std::vector<float> decoded(dim), direction(dim);
  for (int64_t i = 0; i < rows; ++i) {
    pq.Decode(codes.data() + i * pq.code_size(), 1, decoded.data());
    UnitDirection(datapoints.data() + i * dim, dim, direction.data());
    losses[i] = AnisotropicLoss(vectors.data() + i * dim, decoded.data(), direction.data(), dim, eta);
  }
  return losses;
}

TEST(AnisotropicLossTest, MatchesParallelAndPerpendicularDecomposition) {
  const int dim = 24;
  const std::vector<float> x = GaussianVectors(1, dim, 1);
  const std::vector<float> approx = GaussianVectors(1, dim, 2);
  std::vector<float> u(dim);
  UnitDirection(x.data(), dim, u.data());
  // r_par = (r.x / ||x||^2) x and r_perp = r - r_par, straight from the definition.
  double rx = 0, xx = 0;
  for (int i = 0; i < dim; ++i) {
    rx += (double{x[i]} - approx[i]) * x[i];
    xx += double{x[i]} * x[i];
  }
  double parallel = 0, perpendicular = 0;
  for (int i = 0; i < dim; ++i) {
    const double r = double{x[i]} - approx[i];
    const double r_par = rx / xx * x[i];
    parallel += r_par * r_par;
    perpendicular += (r - r_par) * (r - r_par);
  }
  for (float eta : {1.0f, 3.0f, 10.0f}) {
    EXPECT_NEAR(AnisotropicLoss(x.data(), approx.data(), u.data(), dim, eta),
                eta * parallel + perpendicular, 1e-5 * (eta * parallel + perpendicular))
        << eta;
  }
  const std::vector<float> zero(dim, 0.0f);
  UnitDirection(zero.data(), dim, u.data());
  EXPECT_EQ(u, zero);  // a zero datapoint leaves the plain squared error
}

TEST(AnisotropicPqTest, EncodingIsALocalMinimumNoWorseThanNearestCodes) {
  const int dim = 16;
  const float eta = 6;
  const std::vector<float> train = GaussianVectors(2000, dim, 3);
  const std::vector<float> test = GaussianVectors(300, dim, 4);
  for (int nbits : {4, 8}) {
    ProductQuantizer pq = Trained(train, dim, 4, nbits, 0);  // plain codebooks
    std::vector<uint8_t> plain(300 * pq.code_size()), aniso(plain.size());
    ASSERT_TRUE(pq.Encode(MatrixView(test, dim), plain.data(), 1).ok());
    ASSERT_TRUE(pq.SetAnisotropicWeight(eta).ok());
    ASSERT_TRUE(pq.Encode(MatrixView(test, dim), aniso.data(), 1).ok());
    const std::vector<double> plain_loss = Losses(pq, test, test, plain, eta);
    const std::vector<double> aniso_loss = Losses(pq, test, test, aniso, eta);
    double plain_total = 0, aniso_total = 0;
    for (int i = 0; i < 300; ++i) {
      EXPECT_LE(aniso_loss[i], plain_loss[i] * (1 + 1e-5)) << "vector " << i;
      plain_total += plain_loss[i];
      aniso_total += aniso_loss[i];
    }
    EXPECT_LT(aniso_total, 0.95 * plain_total) << "nbits=" << nbits;
    EXPECT_NEAR(*pq.AnisotropicError(MatrixView(test, dim), 1), aniso_total / 300,
                1e-4 * aniso_total / 300);

    // No single sub-space change lowers a vector's loss (checked by brute force).
    std::vector<uint8_t> changed(pq.code_size());
    for (int i = 0; i < 300; i += 7) {
      const uint8_t* code = aniso.data() + i * pq.code_size();
      for (int m = 0; m < 4; ++m) {
        for (int j = 0; j < pq.codebook_size(); ++j) {
          std::copy(code, code + pq.code_size(), changed.begin());
          if (nbits == 8) {
            changed[m] = static_cast<uint8_t>(j);
          } else {
            const int shift = (m % 2) * 4;
            changed[m / 2] = static_cast<uint8_t>((changed[m / 2] & ~(0x0F << shift)) | (j << shift));
          }
          const std::vector<float> row(test.begin() + i * dim, test.begin() + (i + 1) * dim);
          EXPECT_GE(Losses(pq, row, row, changed, eta)[0], aniso_loss[i] * (1 - 1e-5))
              << "vector " << i << " sub-space " << m << " centroid " << j;
        }
      }
    }
  }
}

TEST(AnisotropicPqTest, TrainingDoesNotLoseToKMeansCodebooks) {
  const int dim = 16;
  const float eta = 6;
  const std::vector<float> train = GaussianVectors(3000, dim, 5);
  for (int nbits : {4, 8}) {
    ProductQuantizer kmeans_only = Trained(train, dim, 4, nbits, 0);
    ASSERT_TRUE(kmeans_only.SetAnisotropicWeight(eta).ok());
    ProductQuantizer trained = Trained(train, dim, 4, nbits, eta);
    const double before = *kmeans_only.AnisotropicError(MatrixView(train, dim), 1);
    const double after = *trained.AnisotropicError(MatrixView(train, dim), 1);
    EXPECT_LE(after, before) << "nbits=" << nbits;
    // The plain error is what the anisotropic loss trades away.
    EXPECT_GT(*trained.ReconstructionError(MatrixView(train, dim), 1),
              *Trained(train, dim, 4, nbits, 0).ReconstructionError(MatrixView(train, dim), 1));
  }
}

TEST(AnisotropicPqTest, TrainingReportsFallingLossAndCancels) {
  const int dim = 16;
  const std::vector<float> train = GaussianVectors(3000, dim, 11);
  std::vector<double> objectives;
  BuildOptions options = OneThread();
  options.progress = [&](const Progress& progress) {
    if (progress.stage == "pq-anisotropic") objectives.push_back(progress.objective);
    return true;
  };
  auto pq = ProductQuantizer::Create(dim, 4, 8);
  ASSERT_TRUE(pq->SetAnisotropicWeight(6).ok());
  ASSERT_TRUE(pq->Train(MatrixView(train, dim), 7, options).ok());
  ASSERT_FALSE(objectives.empty());
  for (size_t i = 1; i < objectives.size(); ++i) EXPECT_LT(objectives[i], objectives[i - 1]);
  EXPECT_NEAR(objectives.back(), *pq->AnisotropicError(MatrixView(train, dim), 1),
              1e-4 * objectives.back());

  // Cancelling in the anisotropic stage leaves the previous codebooks.
  const std::vector<float> before(pq->centroids().begin(), pq->centroids().end());
  options.progress = [](const Progress& progress) { return progress.stage != "pq-anisotropic"; };
  const std::vector<float> other = GaussianVectors(3000, dim, 12);
  EXPECT_EQ(pq->Train(MatrixView(other, dim), 8, options).code(), absl::StatusCode::kCancelled);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), pq->centroids().begin(),
                         pq->centroids().end()));
}

TEST(AnisotropicPqTest, ResidualsAreWeighedAlongTheirDatapoints) {
  // The same residuals under two sets of datapoints: the codes differ, and under the
  // first datapoints' loss, their own codes beat the nearest codes for every vector and
  // the codes made for the second datapoints in total.
  const int dim = 16;
  const float eta = 8;
  const std::vector<float> residuals = GaussianVectors(1000, dim, 6);
  const std::vector<float> first = GaussianVectors(1000, dim, 7);
  const std::vector<float> second = GaussianVectors(1000, dim, 8);
  auto pq = ProductQuantizer::Create(dim, 4, 8);
  ASSERT_TRUE(pq->SetAnisotropicWeight(eta).ok());
  ASSERT_TRUE(pq->Train(MatrixView(residuals, dim), 7, OneThread(),
                        ProductQuantizer::kKMeansIterations, MatrixView(first, dim))
                  .ok());
  std::vector<uint8_t> by_first(1000 * 4), by_second(by_first.size()), nearest(by_first.size());
  ASSERT_TRUE(pq->Encode(MatrixView(residuals, dim), by_first.data(), 1, MatrixView(first, dim)).ok());
  ASSERT_TRUE(
      pq->Encode(MatrixView(residuals, dim), by_second.data(), 1, MatrixView(second, dim)).ok());
  ASSERT_TRUE(pq->SetAnisotropicWeight(0).ok());
  ASSERT_TRUE(pq->Encode(MatrixView(residuals, dim), nearest.data(), 1, MatrixView(first, dim)).ok());
  EXPECT_NE(by_first, by_second);
  const std::vector<double> own = Losses(*pq, residuals, first, by_first, eta);
  const std::vector<double> other = Losses(*pq, residuals, first, by_second, eta);
  const std::vector<double> plain = Losses(*pq, residuals, first, nearest, eta);
  double own_total = 0, other_total = 0;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LE(own[i], plain[i] * (1 + 1e-5)) << i;
    own_total += own[i];
    other_total += other[i];
  }
  EXPECT_LT(own_total, 0.9 * other_total);

  // Anisotropic PQ needs a datapoint per vector.
  ASSERT_TRUE(pq->SetAnisotropicWeight(eta).ok());
  std::vector<float> short_datapoints(10 * dim);
  EXPECT_EQ(pq->Encode(MatrixView(residuals, dim), by_first.data(), 1,
                       MatrixView(short_datapoints, dim))
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(AnisotropicPqTest, CodesDoNotDependOnThreads) {
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(10000, dim, 9);
  ProductQuantizer pq = Trained(data, dim, 8, 4, 4);
  std::vector<uint8_t> one(10000 * pq.code_size()), two(one.size());
  ASSERT_TRUE(pq.Encode(MatrixView(data, dim), one.data(), 1).ok());
  ASSERT_TRUE(pq.Encode(MatrixView(data, dim), two.data(), 2).ok());
  EXPECT_EQ(one, two);
}

TEST(AnisotropicPqTest, WeightSurvivesWriteRead) {
  const int dim = 8;
  const std::vector<float> data = GaussianVectors(500, dim, 10);
  ProductQuantizer pq = Trained(data, dim, 4, 4, 5);
  IndexFileWriter writer;
  pq.Write("pq", &writer);
  auto reader = IndexFileReader::FromBytes(*writer.ToBytes());
  ASSERT_TRUE(reader.ok());
  auto copy = ProductQuantizer::Create(dim, 4, 4);
  ASSERT_TRUE(copy->Read("pq", *reader).ok());
  EXPECT_EQ(copy->anisotropic_weight(), 5.0f);
  std::vector<uint8_t> a(500 * pq.code_size()), b(a.size());
  ASSERT_TRUE(pq.Encode(MatrixView(data, dim), a.data(), 1).ok());
  ASSERT_TRUE(copy->Encode(MatrixView(data, dim), b.data(), 1).ok());
  EXPECT_EQ(a, b);

  // A plain quantizer writes no weight and reads back plain, even into an anisotropic one.
  ProductQuantizer plain = Trained(data, dim, 4, 4, 0);
  IndexFileWriter plain_writer;
  plain.Write("pq", &plain_writer);
  auto plain_reader = IndexFileReader::FromBytes(*plain_writer.ToBytes());
  ASSERT_TRUE(plain_reader->Has("pq.centroids"));
  EXPECT_FALSE(plain_reader->Has("pq.anisotropic_weight"));
  ASSERT_TRUE(copy->Read("pq", *plain_reader).ok());
  EXPECT_FALSE(copy->anisotropic());
}

TEST(AnisotropicPqTest, BadWeightsAreErrors) {
  auto pq = ProductQuantizer::Create(8, 2, 8);
  for (float eta : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                    -1.0f, 0.5f}) {
    EXPECT_EQ(pq->SetAnisotropicWeight(eta).code(), absl::StatusCode::kInvalidArgument) << eta;
  }
  for (float eta : {0.0f, 1.0f, 4.0f}) EXPECT_TRUE(pq->SetAnisotropicWeight(eta).ok()) << eta;
  EXPECT_TRUE(pq->anisotropic());
  ASSERT_TRUE(pq->SetAnisotropicWeight(1).ok());
  EXPECT_FALSE(pq->anisotropic());  // eta = 1 is the plain loss
}

}  // namespace
}  // namespace vqsearch::internal
