// The vector ops of every ISA the CPU has against plain double-precision loops, on random
// input with lengths that leave tails after every vector width, and AllFinite against
// NaN and infinity at every position.

#include "simd/vector_ops.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "simd/dispatch.h"

namespace vqsearch::internal {
namespace {

constexpr int64_t kLengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 784};

std::vector<float> Random(int64_t n, std::mt19937* rng) {
  std::uniform_real_distribution<float> uniform(-2.0f, 2.0f);
  std::vector<float> x(n);
  for (float& v : x) v = uniform(*rng);
  return x;
}

// A float sum of n terms, in any association, is within n float epsilons of the sum of
// their magnitudes.
void ExpectNear(double got, double expected, double magnitude, int64_t n,
                const std::string& what) {
  EXPECT_NEAR(got, expected, (n + 1) * std::numeric_limits<float>::epsilon() * magnitude) << what;
}

TEST(VectorOpsTest, EveryIsaMatchesDoublePrecisionLoops) {
  std::mt19937 rng(17);
  for (Isa isa : SupportedIsas()) {
    const VectorOpsKernels& ops = VectorOpsKernelsFor(isa);
    for (int64_t n : kLengths) {
      const std::string what = std::string(IsaName(isa)) + " n=" + std::to_string(n);
      const std::vector<float> a = Random(n, &rng), b = Random(n, &rng);
      double norm = 0, l2 = 0, dot = 0, dot_magnitude = 0;
      for (int64_t i = 0; i < n; ++i) {
        norm += double{a[i]} * a[i];
        l2 += (double{a[i]} - b[i]) * (double{a[i]} - b[i]);
        dot += double{a[i]} * b[i];
        dot_magnitude += std::abs(double{a[i]} * b[i]);
      }
      ExpectNear(ops.squared_norm(a.data(), n), norm, norm, n, "squared_norm " + what);
      ExpectNear(ops.squared_l2(a.data(), b.data(), n), l2, l2, n, "squared_l2 " + what);
      ExpectNear(ops.dot(a.data(), b.data(), n), dot, dot_magnitude, n, "dot " + what);
      // The double versions: only the double sums' own (far smaller) rounding.
      ExpectNear(ops.squared_l2_double(a.data(), b.data(), n), l2, l2 * 1e-8, n,
                 "l2 double " + what);
      ExpectNear(ops.dot_double(a.data(), b.data(), n), dot, dot_magnitude * 1e-8, n,
                 "dot double " + what);

      std::vector<float> diff(n);
      ExpectNear(ops.subtract_and_squared_norm(a.data(), b.data(), n, diff.data()), l2, l2, n,
                 "subtract " + what);
      for (int64_t i = 0; i < n; ++i) EXPECT_EQ(diff[i], a[i] - b[i]) << what;

      std::vector<float> sum = b, scaled(n);
      std::vector<double> sum_double(b.begin(), b.end());
      ops.accumulate(a.data(), n, sum.data());
      ops.accumulate_double(a.data(), n, sum_double.data());
      ops.add_scaled(a.data(), -2.0f, b.data(), n, scaled.data());
      for (int64_t i = 0; i < n; ++i) {
        EXPECT_EQ(sum[i], b[i] + a[i]) << what;
        EXPECT_EQ(sum_double[i], double{b[i]} + a[i]) << what;
        EXPECT_EQ(scaled[i], a[i] - 2 * b[i]) << what;
      }

      // min(n, 3) rows of n values weighted by the first values of a; `weighted` starts
      // non-zero, since the sum overwrites it.
      const int64_t count = std::min<int64_t>(n, 3);
      const std::vector<float> rows = Random(count * n, &rng);
      std::vector<float> weighted(n, 1.0f);
      ops.weighted_row_sum(a.data(), -1.5f, rows.data(), count, n, weighted.data());
      for (int64_t j = 0; j < n; ++j) {
        double expected = 0, magnitude = 0;
        for (int64_t t = 0; t < count; ++t) {
          expected += -1.5 * a[t] * rows[t * n + j];
          magnitude += std::abs(1.5 * a[t] * rows[t * n + j]);
        }
        ExpectNear(weighted[j], expected, magnitude, count, "weighted_row_sum " + what);
      }

      // Minima are exact: no rounding beyond the one addition per entry.
      float min_plain = std::numeric_limits<float>::infinity(), min_norms = min_plain;
      for (int64_t i = 0; i < n; ++i) {
        min_plain = std::min(min_plain, a[i]);
        min_norms = std::min(min_norms, a[i] + b[i]);
      }
      EXPECT_EQ(ops.min_with_offsets(a.data(), nullptr, 0, 0.5f, n), min_plain + 0.5f) << what;
      EXPECT_EQ(ops.min_with_offsets(a.data(), b.data(), 1, 0.5f, n), min_norms + 0.5f) << what;
      if (n >= 2) {
        float min_strided = std::numeric_limits<float>::infinity();
        for (int64_t i = 0; i < n / 2; ++i) min_strided = std::min(min_strided, a[i] + b[2 * i]);
        EXPECT_EQ(ops.min_with_offsets(a.data(), b.data(), 2, 0.0f, n / 2), min_strided) << what;
      }
    }
  }
}

// NearestByDirectProducts on every ISA: the label's score is the least of all k scores
// computed in double (up to float rounding), for every dimension it takes, codebook
// sizes below and above a vector width, point counts around the 16-point block, and
// strided points and labels.
TEST(VectorOpsTest, NearestByDirectProductsFindsTheLeastScore) {
  std::mt19937 rng(23);
  for (Isa isa : SupportedIsas()) {
    const VectorOpsKernels& ops = VectorOpsKernelsFor(isa);
    for (int dim = 1; dim <= kMaxDirectProductDim; ++dim) {
      for (int64_t k : {1, 5, 16, 256}) {
        for (int64_t count : {0, 1, 15, 16, 17, 100}) {
          const std::string what = std::string(IsaName(isa)) + " dim=" + std::to_string(dim) +
                                   " k=" + std::to_string(k) + " count=" + std::to_string(count);
          const int64_t point_stride = dim + 3, label_stride = 2;
          const std::vector<float> points = Random(count * point_stride, &rng);
          const std::vector<float> transposed = Random(dim * k, &rng), offsets = Random(k, &rng);
          std::vector<int32_t> labels(count * label_stride, -1);
          ops.nearest_by_direct_products(points.data(), point_stride, count, dim,
                                         transposed.data(), offsets.data(), k, labels.data(),
                                         label_stride);
          for (int64_t p = 0; p < count; ++p) {
            auto score = [&](int64_t j) {
              double sum = offsets[j];
              for (int t = 0; t < dim; ++t) {
                sum -= 2.0 * points[p * point_stride + t] * transposed[t * k + j];
              }
              return sum;
            };
            // Each float score is within (dim + 1) epsilons of its terms' magnitude.
            double least = score(0), magnitude = 0;
            for (int64_t j = 0; j < k; ++j) {
              least = std::min(least, score(j));
              double terms = std::abs(offsets[j]);
              for (int t = 0; t < dim; ++t) {
                terms += std::abs(2.0 * points[p * point_stride + t] * transposed[t * k + j]);
              }
              magnitude = std::max(magnitude, terms);
            }
            const int32_t label = labels[p * label_stride];
            ASSERT_GE(label, 0) << what;
            ASSERT_LT(label, k) << what;
            EXPECT_LE(score(label) - least,
                      2 * (dim + 1) * std::numeric_limits<float>::epsilon() * magnitude)
                << what << " point " << p;
            EXPECT_EQ(labels[p * label_stride + 1], -1) << what << ": stride not kept";
          }
        }
      }
    }
  }
}

TEST(VectorOpsTest, NearestByDirectProductsBreaksTiesToTheLowerIndex) {
  // Centroids 1 and 3 are the same point, nearest to x.
  const std::vector<float> transposed = {5, 1, 9, 1,   // dimension 0 of centroids 0-3
                                         5, 1, 9, 1};  // dimension 1
  std::vector<float> offsets(4);
  for (int c = 0; c < 4; ++c) offsets[c] = transposed[c] * transposed[c] * 2;
  const float x[2] = {1.5f, 0.5f};
  for (Isa isa : SupportedIsas()) {
    int32_t label = -1;
    VectorOpsKernelsFor(isa).nearest_by_direct_products(x, 2, 1, 2, transposed.data(),
                                                        offsets.data(), 4, &label, 1);
    EXPECT_EQ(label, 1) << IsaName(isa);
  }
}

TEST(VectorOpsTest, AllFiniteFindsEveryNonFiniteValue) {
  const float bad[] = {std::numeric_limits<float>::quiet_NaN(),
                       std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity()};
  for (Isa isa : SupportedIsas()) {
    const VectorOpsKernels& ops = VectorOpsKernelsFor(isa);
    for (int64_t n : kLengths) {
      std::vector<float> x(n, 1.0f);
      EXPECT_TRUE(ops.all_finite(x.data(), n)) << IsaName(isa) << " n=" << n;
      for (int64_t at = 0; at < n; ++at) {
        for (float value : bad) {
          x[at] = value;
          EXPECT_FALSE(ops.all_finite(x.data(), n)) << IsaName(isa) << " n=" << n << " at=" << at;
        }
        x[at] = std::numeric_limits<float>::max();  // largest finite: still finite
        EXPECT_TRUE(ops.all_finite(x.data(), n)) << IsaName(isa) << " n=" << n;
        x[at] = 1.0f;
      }
    }
  }
}

}  // namespace
}  // namespace vqsearch::internal
