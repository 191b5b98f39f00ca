// The direct assignment gives each point its nearest centroid, as a double-precision
// search finds it (up to float rounding between near-equal distances), with the
// objective of those labels, for any thread count; KMeans uses it for small codebooks.

#include "cluster/direct_assignment.h"

#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "linalg/gemm.h"
#include "testing/random_data.h"
#include "vqsearch/kmeans.h"

namespace vqsearch::internal {
namespace {

// Squared L2, or 1 - inner product when spherical, in double.
double ReferenceDistance(const float* x, const float* c, int dim, bool spherical) {
  double sum = 0;
  for (int j = 0; j < dim; ++j) sum += spherical ? double{x[j]} * c[j] : (double{x[j]} - c[j]) * (x[j] - c[j]);
  return spherical ? 1.0 - sum : sum;
}

void ExpectNearestLabels(int64_t n, int dim, int k, bool spherical) {
  SCOPED_TRACE(::testing::Message() << "dim " << dim << ", k " << k << ", spherical " << spherical);
  const std::vector<float> data = vqsearch::testing::GaussianVectors(n, dim, 31);
  std::vector<float> centroids = vqsearch::testing::GaussianVectors(k, dim, 32);
  // A zero centroid scores as a unit vector orthogonal to every point when spherical.
  if (spherical) {
    NormalizeRows(centroids.data(), k, dim);
    std::fill_n(centroids.begin(), dim, 0.0f);
  }
  const MatrixView points(data, dim), view(centroids, dim);
  DirectAssignment assignment(points, spherical, /*num_threads=*/1);
  const double objective = assignment.Assign(view);
  ASSERT_EQ(assignment.labels().size(), static_cast<size_t>(n));
  double expected_objective = 0;
  for (int64_t i = 0; i < n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (int c = 0; c < k; ++c) {
      best = std::min(best, ReferenceDistance(points.row(i), view.row(c), dim, spherical));
    }
    const int64_t label = assignment.labels()[i];
    ASSERT_GE(label, 0);
    ASSERT_LT(label, k);
    const double chosen = ReferenceDistance(points.row(i), view.row(label), dim, spherical);
    ASSERT_LE(chosen - best, 1e-5 * (1.0 + std::abs(best))) << "point " << i;
    expected_objective += chosen;
  }
  EXPECT_NEAR(objective, expected_objective, 1e-5 * std::abs(expected_objective));
}

TEST(DirectAssignmentTest, NearestCentroidOfEveryPoint) {
  for (bool spherical : {false, true}) {
    ExpectNearestLabels(3000, 2, 16, spherical);
    ExpectNearestLabels(2000, 8, 256, spherical);
    ExpectNearestLabels(500, 1, 5, spherical);
  }
}

TEST(DirectAssignmentTest, SameResultForOneAndTwoThreads) {
  const std::vector<float> data = vqsearch::testing::GaussianVectors(20000, 4, 33);
  const std::vector<float> centroids = vqsearch::testing::GaussianVectors(16, 4, 34);
  const MatrixView points(data, 4), view(centroids, 4);
  DirectAssignment one(points, false, 1), two(points, false, 2);
  EXPECT_EQ(one.Assign(view), two.Assign(view));
  EXPECT_EQ(one.labels(), two.labels());
}

TEST(DirectAssignmentTest, SuitsSmallCodebooksOnly) {
  EXPECT_TRUE(DirectAssignment::Suits(16, 2));
  EXPECT_TRUE(DirectAssignment::Suits(256, 8));
  EXPECT_FALSE(DirectAssignment::Suits(256, 9));
  EXPECT_FALSE(DirectAssignment::Suits(1024, 2));
}

}  // namespace
}  // namespace vqsearch::internal
