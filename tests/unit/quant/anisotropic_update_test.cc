// The anisotropic codebook update: the mean of the coded vectors when eta = 1, and with
// eta > 1 the minimizer of the loss for fixed codes (no centroid coordinate can move
// either way without raising it), never above the loss it starts from.

#include "quant/anisotropic_update.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "testing/random_data.h"

namespace vqsearch::internal {
namespace {

using testing::GaussianVectors;

constexpr int kDim = 12, kSubspaces = 3, kCodebook = 4, kRows = 400;

// Random codes and codebooks for kRows targets (with separate datapoints).
struct Problem {
  std::vector<float> targets = GaussianVectors(kRows, kDim, 1);
  std::vector<float> datapoints = GaussianVectors(kRows, kDim, 2);
  std::vector<float> centroids = GaussianVectors(kSubspaces * kCodebook, kDim / kSubspaces, 3);
  std::vector<int32_t> labels;

  Problem() {
    std::mt19937 rng(4);
    for (int i = 0; i < kRows * kSubspaces; ++i) labels.push_back(static_cast<int32_t>(rng() % kCodebook));
  }

  double Loss(const std::vector<float>& codebooks, float eta) const {
    const int d = kDim / kSubspaces;
    std::vector<float> reconstruction(kDim), direction(kDim);
    double total = 0;
    for (int i = 0; i < kRows; ++i) {
      for (int m = 0; m < kSubspaces; ++m) {
        for (int j = 0; j < d; ++j) {
          reconstruction[m * d + j] = codebooks[(m * kCodebook + labels[i * kSubspaces + m]) * d + j];
        }
      }
      UnitDirection(datapoints.data() + i * kDim, kDim, direction.data());
      total += AnisotropicLoss(targets.data() + i * kDim, reconstruction.data(), direction.data(),
                               kDim, eta);
    }
    return total;
  }

  std::vector<float> Updated(float eta) const {
    std::vector<float> out = centroids;
    UpdateCodebooksAnisotropic(MatrixView(targets, kDim), MatrixView(datapoints, kDim),
                               labels.data(), eta, kSubspaces, kCodebook, out.data());
    return out;
  }
};

TEST(AnisotropicUpdateTest, PlainLossGivesTheMean) {
  const Problem problem;
  const std::vector<float> updated = problem.Updated(1.0f);
  const int d = kDim / kSubspaces;
  for (int m = 0; m < kSubspaces; ++m) {
    for (int c = 0; c < kCodebook; ++c) {
      std::vector<double> sum(d, 0.0);
      int count = 0;
      for (int i = 0; i < kRows; ++i) {
        if (problem.labels[i * kSubspaces + m] != c) continue;
        ++count;
        for (int j = 0; j < d; ++j) sum[j] += problem.targets[i * kDim + m * d + j];
      }
      ASSERT_GT(count, 0);
      for (int j = 0; j < d; ++j) {
        EXPECT_NEAR(updated[(m * kCodebook + c) * d + j], sum[j] / count, 1e-5);
      }
    }
  }
}

TEST(AnisotropicUpdateTest, LowersTheLossToAMinimumForFixedCodes) {
  const Problem problem;
  const float eta = 5;
  std::vector<float> updated = problem.Updated(eta);
  const double before = problem.Loss(problem.centroids, eta);
  const double after = problem.Loss(updated, eta);
  EXPECT_LT(after, 0.9 * before);
  // A second pass (other sub-spaces now moved) can only lower it a little further.
  std::vector<float> again = updated;
  UpdateCodebooksAnisotropic(MatrixView(problem.targets, kDim), MatrixView(problem.datapoints, kDim),
                             problem.labels.data(), eta, kSubspaces, kCodebook, again.data());
  EXPECT_LE(problem.Loss(again, eta), after * (1 + 1e-6));
  // The loss is convex in the centroids; at the block minimum of the last sub-space no
  // single coordinate of its centroids moves down.
  const int d = kDim / kSubspaces;
  for (int slot = (kSubspaces - 1) * kCodebook * d; slot < kSubspaces * kCodebook * d; ++slot) {
    for (float step : {-1e-2f, 1e-2f}) {
      std::vector<float> moved = again;
      moved[slot] += step;
      EXPECT_GT(problem.Loss(moved, eta), problem.Loss(again, eta)) << slot << " " << step;
    }
  }
}

}  // namespace
}  // namespace vqsearch::internal
