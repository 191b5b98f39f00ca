// OPQ: the learned matrix is a rotation, it lowers PQ's reconstruction error on
// correlated data, and an OPQ index searches like its base on rotated data would, with
// better recall than the same base without the rotation.

#include "quant/opq_rotation.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "quant/product_quantizer.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch::internal {
namespace {

using testing::BuildIndex;
using testing::GaussianVectors;
using testing::OneThread;
using testing::IdRecall;

// Rows x = A z: 8 latent factors of falling variance mixed into 32 dimensions, so the
// variance is concentrated and spread across every PQ sub-space's cut.
std::vector<float> CorrelatedData(int64_t rows, int dim, uint64_t seed) {
  const std::vector<float> mixing = GaussianVectors(8, dim, 100);
  const std::vector<float> latent = GaussianVectors(rows, 8, seed);
  std::vector<float> data(static_cast<size_t>(rows) * dim);
  for (int64_t i = 0; i < rows; ++i) {
    for (int f = 0; f < 8; ++f) {
      const float weight = latent[i * 8 + f] * 4.0f / (1 + f);
      for (int j = 0; j < dim; ++j) data[i * dim + j] += weight * mixing[f * dim + j];
    }
  }
  const std::vector<float> noise = GaussianVectors(rows, dim, seed + 1);
  for (size_t i = 0; i < data.size(); ++i) data[i] += 0.1f * noise[i];
  return data;
}

double PqError(MatrixView train, MatrixView test, int m, int nbits) {
  auto pq = *ProductQuantizer::Create(train.dim, m, nbits);
  EXPECT_TRUE(pq.Train(train, 7, OneThread()).ok());
  return *pq.ReconstructionError(test, 1);
}

TEST(OpqRotationTest, IsOrthogonalAndLowersPqErrorOnCorrelatedData) {
  const int dim = 32;
  const std::vector<float> train = CorrelatedData(2000, dim, 1);
  const std::vector<float> test = CorrelatedData(1000, dim, 2);
  for (int nbits : {4, 8}) {
    auto opq = *OpqRotation::Create(dim, 8, nbits);
    ASSERT_TRUE(opq.Train(MatrixView(train, dim), 3, OneThread()).ok());
    const std::vector<float>& r = opq.matrix();
    for (int i = 0; i < dim; ++i) {
      for (int j = 0; j < dim; ++j) {
        double dot = 0;
        for (int k = 0; k < dim; ++k) dot += double{r[i * dim + k]} * r[j * dim + k];
        EXPECT_NEAR(dot, i == j ? 1.0 : 0.0, 1e-4);
      }
    }
    std::vector<float> train_rotated, test_rotated;
    opq.Apply(MatrixView(train, dim), &train_rotated);
    opq.Apply(MatrixView(test, dim), &test_rotated);
    const double plain = PqError(MatrixView(train, dim), MatrixView(test, dim), 8, nbits);
    const double rotated =
        PqError(MatrixView(train_rotated, dim), MatrixView(test_rotated, dim), 8, nbits);
    // Measured: 0.13 (4 bits), 0.40 (8 bits).
    EXPECT_LT(rotated, 0.8 * plain) << "nbits=" << nbits;
  }
}

TEST(OpqIndexTest, BeatsTheUnrotatedIndexAndRoundTrips) {
  const int dim = 32;
  const std::vector<float> data = CorrelatedData(4000, dim, 4);
  const std::vector<float> queries = CorrelatedData(200, dim, 5);
  for (Metric metric : {Metric::kL2, Metric::kInnerProduct, Metric::kCosine}) {
    auto flat = BuildIndex("Flat", metric, data, dim);
    auto plain = BuildIndex("IVF16,PQ8x4fs", metric, data, dim);
    auto opq = BuildIndex("OPQ8,IVF16,PQ8x4fs", metric, data, dim);
    SearchParams params;
    params.nprobe = 16;
    SearchResults truth, got_plain, got_opq;
    ASSERT_TRUE(flat->Search(MatrixView(queries, dim), 10, {}, &truth).ok());
    ASSERT_TRUE(plain->Search(MatrixView(queries, dim), 10, params, &got_plain).ok());
    ASSERT_TRUE(opq->Search(MatrixView(queries, dim), 10, params, &got_opq).ok());
    // Measured: 0.81 against 0.59 (L2), 0.62 against 0.40 (IP), 0.44 against 0.25 (cosine).
    EXPECT_GT(IdRecall(got_opq, truth), IdRecall(got_plain, truth) + 0.1)
        << "metric " << static_cast<int>(metric);

    auto copy = vqsearch::Deserialize(*vqsearch::Serialize(*opq));
    ASSERT_TRUE(copy.ok()) << copy.status();
    SearchResults again;
    ASSERT_TRUE((*copy)->Search(MatrixView(queries, dim), 10, params, &again).ok());
    EXPECT_EQ(again.ids, got_opq.ids);
    EXPECT_EQ(again.distances, got_opq.distances);
  }
}

TEST(OpqIndexTest, SpecErrors) {
  EXPECT_TRUE(Index::Create("OPQ8,IVF4,PQ8,Refine(Flat)", 16, Metric::kL2).ok());
  for (const char* spec : {"OPQ5,IVF4,PQ8", "OPQ8", "OPQx,PQ8", "OPQ8,Bogus"}) {
    auto index = Index::Create(spec, 16, Metric::kL2);
    EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument) << spec;
  }
}

}  // namespace
}  // namespace vqsearch::internal
