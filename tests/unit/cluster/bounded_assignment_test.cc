// The bounded assignment gives, iteration after iteration of Lloyd's algorithm, the labels
// of the exact nearest-centroid search, with an objective that matches them, and skips
// most of the work once the centroids settle.

#include "cluster/bounded_assignment.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "linalg/gemm.h"
#include "testing/random_data.h"
#include "vqsearch/kmeans.h"

namespace vqsearch::internal {
namespace {

struct Shape {
  int64_t points;
  int dim;
  int clusters;
  int groups;
};

// The objective of `labels` computed directly, in double.
double ReferenceObjective(MatrixView points, MatrixView centroids,
                          const std::vector<int64_t>& labels, bool spherical) {
  double objective = 0;
  for (int64_t i = 0; i < points.rows; ++i) {
    double term = 0;
    for (int j = 0; j < points.dim; ++j) {
      const double x = points.row(i)[j], c = centroids.row(labels[i])[j];
      term += spherical ? x * c : (x - c) * (x - c);
    }
    objective += spherical ? 1.0 - term : term;
  }
  return objective;
}

// Each centroid becomes the mean of its points (unit length when spherical).
void MoveToMeans(MatrixView points, const std::vector<int64_t>& labels, bool spherical,
                 std::vector<float>* centroids) {
  const int dim = points.dim;
  const int64_t k = static_cast<int64_t>(centroids->size()) / dim;
  std::vector<double> sums(centroids->size(), 0.0);
  std::vector<int64_t> counts(k, 0);
  for (int64_t i = 0; i < points.rows; ++i) {
    ++counts[labels[i]];
    for (int j = 0; j < dim; ++j) sums[labels[i] * dim + j] += points.row(i)[j];
  }
  for (int64_t c = 0; c < k; ++c) {
    if (counts[c] == 0) continue;
    double norm = 0;
    for (int j = 0; j < dim; ++j) norm += sums[c * dim + j] * sums[c * dim + j];
    const double scale = spherical ? 1.0 / std::sqrt(norm) : 1.0 / counts[c];
    for (int j = 0; j < dim; ++j) (*centroids)[c * dim + j] = static_cast<float>(sums[c * dim + j] * scale);
  }
}

// Runs Lloyd iterations with the bounded assignment and checks each against
// AssignToCentroids. Midway one centroid jumps onto a point (as an empty-cluster repair
// moves one) and, when spherical, another becomes zero (a cluster whose points cancel).
void ExpectExactAssignments(const Shape& shape, bool spherical) {
  SCOPED_TRACE(::testing::Message() << "dim " << shape.dim << ", k " << shape.clusters << ", "
                                  << shape.groups << " groups, spherical " << spherical);
  const std::vector<float> data = vqsearch::testing::GaussianVectors(shape.points, shape.dim, 21);
  const MatrixView points(data, shape.dim);
  std::vector<float> centroids(data.begin(), data.begin() + shape.clusters * shape.dim);
  if (spherical) NormalizeRows(centroids.data(), shape.clusters, shape.dim);
  std::vector<int> groups(shape.clusters);
  for (int c = 0; c < shape.clusters; ++c) groups[c] = c % shape.groups;
  BoundedAssignment assignment(points, groups, spherical, /*num_threads=*/1);

  constexpr int kIterations = 12;
  for (int iteration = 0; iteration < kIterations; ++iteration) {
    SCOPED_TRACE(::testing::Message() << "iteration " << iteration);
    if (iteration == 6) {
      std::copy_n(points.row(shape.points - 1), shape.dim, centroids.begin() + 3 * shape.dim);
      if (spherical) {
        NormalizeRows(centroids.data() + 3 * shape.dim, 1, shape.dim);
        std::fill_n(centroids.begin() + 5 * shape.dim, shape.dim, 0.0f);
      }
    }
    const MatrixView view(centroids, shape.dim);
    const double objective = assignment.Assign(view);
    auto expected = AssignToCentroids(points, view, spherical, 1);
    ASSERT_TRUE(expected.ok()) << expected.status();
    ASSERT_EQ(assignment.labels(), *expected);
    EXPECT_NEAR(objective, ReferenceObjective(points, view, *expected, spherical),
                1e-5 * std::abs(objective));
    if (iteration == 0) {
      EXPECT_EQ(assignment.scored_fraction(), 1.0);
    } else if (iteration == kIterations - 1) {
      EXPECT_LT(assignment.scored_fraction(), 0.5);
    }
    MoveToMeans(points, assignment.labels(), spherical, &centroids);
  }
}

TEST(BoundedAssignmentTest, SameLabelsAsExactSearchInLowDimension) {
  for (bool spherical : {false, true}) ExpectExactAssignments({4000, 8, 100, 7}, spherical);
}

TEST(BoundedAssignmentTest, SameLabelsAsExactSearchInHighDimension) {
  for (bool spherical : {false, true}) ExpectExactAssignments({2000, 256, 96, 4}, spherical);
}

TEST(BoundedAssignmentTest, OneGroupIsHamerlysBound) {
  ExpectExactAssignments({3000, 16, 40, 1}, false);
}

TEST(BoundedAssignmentTest, SameResultForOneAndTwoThreads) {
  const std::vector<float> data = vqsearch::testing::GaussianVectors(5000, 32, 22);
  const MatrixView points(data, 32);
  std::vector<int> groups(64);
  for (int c = 0; c < 64; ++c) groups[c] = c % 8;
  std::vector<float> centroids(data.begin(), data.begin() + 64 * 32);
  BoundedAssignment one(points, groups, false, 1), two(points, groups, false, 2);
  for (int iteration = 0; iteration < 5; ++iteration) {
    const MatrixView view(centroids, 32);
    EXPECT_EQ(one.Assign(view), two.Assign(view));
    ASSERT_EQ(one.labels(), two.labels());
    MoveToMeans(points, one.labels(), false, &centroids);
  }
}

}  // namespace
}  // namespace vqsearch::internal
