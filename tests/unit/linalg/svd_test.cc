// SquareSvd: the factors multiply back to the input, are orthogonal, and the singular
// values come sorted.

#include "linalg/svd.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace vqsearch::internal {
namespace {

TEST(SvdTest, FactorsReconstructTheMatrix) {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  for (int n : {1, 2, 5, 33}) {
    std::vector<float> a(n * n), u(n * n), s(n), vt(n * n);
    for (float& v : a) v = normal(rng);
    a[0] = 10;  // not symmetric, not diagonal-dominant either way
    ASSERT_TRUE(SquareSvd(n, a.data(), u.data(), s.data(), vt.data()).ok());
    for (int i = 0; i + 1 < n; ++i) EXPECT_GE(s[i], s[i + 1]);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        double product = 0, u_gram = 0, v_gram = 0;
        for (int k = 0; k < n; ++k) {
          product += double{u[i * n + k]} * s[k] * vt[k * n + j];
          u_gram += double{u[k * n + i]} * u[k * n + j];
          v_gram += double{vt[i * n + k]} * vt[j * n + k];
        }
        EXPECT_NEAR(product, a[i * n + j], 1e-4) << "n=" << n;
        EXPECT_NEAR(u_gram, i == j ? 1.0 : 0.0, 1e-5);
        EXPECT_NEAR(v_gram, i == j ? 1.0 : 0.0, 1e-5);
      }
    }
  }
}

}  // namespace
}  // namespace vqsearch::internal
