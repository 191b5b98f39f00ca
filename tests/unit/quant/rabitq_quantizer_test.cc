// RaBitQ codes: the levels keep the signs and the rescale search finds the best grid point
// of a fine brute-force scan; the estimator of <r, q> is unbiased (its mean error is small
// next to its spread) by the float reference and by the quantized-query scorer; the true
// value lies inside the error bound for at least the Gaussian fraction of pairs; more
// bits never give a larger mean absolute error; and a code decodes to the point whose
// inner products are the scorer's estimates, at the distance from r its error factor
// states.

#include "quant/rabitq_quantizer.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "quant/hadamard_rotation.h"
#include "quant/rabitq_scorer.h"
#include "testing/double_dot.h"
#include "testing/random_data.h"

namespace vqsearch::internal {
namespace {

using testing::GaussianVectors;
constexpr auto Dot = testing::DoubleDot;


// The cosine between the grid point of levels u and r.
double CodeCosine(const std::vector<int>& levels, int bits, const float* r, int n) {
  const double centre = ((1 << bits) - 1) / 2.0;
  double dot = 0, yy = 0, rr = 0;
  for (int j = 0; j < n; ++j) {
    const double y = levels[j] - centre;
    dot += y * r[j], yy += y * y, rr += double{r[j]} * r[j];
  }
  return dot / std::sqrt(yy * rr);
}

TEST(RaBitQQuantizerTest, CodesKeepSignsAndTheBestRescaleOfAFineScan) {
  for (const auto& [dim, max_bits] : {std::pair{128, 8}, std::pair{832, 7}}) {
  const std::vector<float> r = GaussianVectors(20, dim, 1);
  for (int bits = 1; bits <= max_bits; ++bits) {
    const auto quantizer = *RaBitQQuantizer::Create(dim, bits);
    EXPECT_EQ(quantizer.code_size(), bits * dim / 8 + sizeof(RaBitQFactors));
    std::vector<uint8_t> code(quantizer.code_size());
    std::vector<int> levels(dim);
    for (int i = 0; i < 20; ++i) {
      const float* x = &r[i * dim];
      quantizer.Encode(x, code.data());
      quantizer.Levels(code.data(), levels.data());
      for (int j = 0; j < dim; ++j) {
        ASSERT_LT(levels[j], 1 << bits);
        EXPECT_EQ(levels[j] >> (bits - 1), x[j] >= 0 ? 1 : 0) << "the top bit is the sign";
      }
      // Factors against their definitions.
      const RaBitQFactors f = quantizer.Factors(code.data());
      const double norm_sq = Dot(x, x, dim);
      EXPECT_NEAR(f.norm_sq, norm_sq, 1e-4 * norm_sq);
      const double cosine = CodeCosine(levels, bits, x, dim);
      EXPECT_NEAR(f.error, std::sqrt(norm_sq) * std::sqrt(1 - cosine * cosine) / cosine /
                               std::sqrt(dim - 1),
                  1e-3 * f.error + 1e-6);
      // Brute force: rescale factors t on a fine grid, from the 1-bit code to clipping at
      // one standard deviation of the coordinates.
      const double sigma = std::sqrt(norm_sq / dim);
      const int top = (1 << (bits - 1)) - 1;
      double best = 0;
      std::vector<int> trial(dim);
      for (int s = 0; s <= 4000; ++s) {
        const double t = (top + 1) / sigma * s / 4000;
        for (int j = 0; j < dim; ++j) {
          const int m = std::min<int>(top, static_cast<int>(t * std::fabs(x[j])));
          trial[j] = x[j] >= 0 ? (1 << (bits - 1)) + m : (1 << (bits - 1)) - 1 - m;
        }
        best = std::max(best, CodeCosine(trial, bits, x, dim));
      }
      EXPECT_GE(cosine, best - 1e-9) << dim << "d, " << bits << " bits, vector " << i;
    }
  }
  }
}

TEST(RaBitQQuantizerTest, ZeroResidualEstimatesExactly) {
  const int dim = 64;
  const auto quantizer = *RaBitQQuantizer::Create(dim, 4);
  std::vector<uint8_t> code(quantizer.code_size());
  const std::vector<float> zero(dim, 0.0f), q = GaussianVectors(1, dim, 2);
  quantizer.Encode(zero.data(), code.data());
  EXPECT_EQ(quantizer.EstimateDot(code.data(), q.data()), 0.0f);
  EXPECT_EQ(quantizer.Factors(code.data()).error, 0.0f);
  RaBitQScorer scorer;
  scorer.Reset(quantizer, /*l2=*/true, q.data(), zero.data(), 8);
  float score = 0;
  scorer.Score(code.data(), 1, &score);
  EXPECT_NEAR(score, Dot(q.data(), q.data(), dim), 1e-4);
  EXPECT_FALSE(RaBitQQuantizer::Create(100, 4).ok());
  EXPECT_FALSE(RaBitQQuantizer::Create(64, 0).ok());
  EXPECT_FALSE(RaBitQQuantizer::Create(64, 9).ok());
}

// Errors of the estimates of <r, q_r> over `pairs` pairs (r, q = r + noise: correlated,
// so that a biased estimator shows), through a random rotation of dimension `dim`.
struct Errors {
  std::vector<double> float_path;      // EstimateDot - truth
  std::vector<double> quantized_path;  // the scorer's (L2 score - truth)
  std::vector<double> bound;           // the bound's half-width on <r, q_r> at eps0 = 1
};

Errors MeasureErrors(int dim, int bits, int pairs) {
  const auto rotation = *HadamardRotation::Create(dim, 17);
  const int n = rotation.padded_dim();
  const auto quantizer = *RaBitQQuantizer::Create(n, bits);
  const std::vector<float> x = GaussianVectors(pairs, dim, 5);
  const std::vector<float> noise = GaussianVectors(pairs, dim, 6);
  std::vector<float> queries(x.size());
  for (size_t i = 0; i < x.size(); ++i) queries[i] = x[i] + 1.5f * noise[i];
  std::vector<float> rx(pairs * n), rq(pairs * n);
  rotation.ApplyRows(MatrixView(x.data(), pairs, dim), rx.data(), 1);
  rotation.ApplyRows(MatrixView(queries.data(), pairs, dim), rq.data(), 1);
  const std::vector<float> centroid(n, 0.0f);
  std::vector<uint8_t> code(quantizer.code_size());
  Errors errors;
  RaBitQScorer scorer;
  for (int i = 0; i < pairs; ++i) {
    const float* r = &rx[i * n];
    const float* q = &rq[i * n];
    quantizer.Encode(r, code.data());
    const double truth = Dot(r, q, n);
    errors.float_path.push_back(quantizer.EstimateDot(code.data(), q) - truth);
    scorer.Reset(quantizer, /*l2=*/true, q, centroid.data(),
                 RaBitQScorer::DefaultQueryBits(bits));
    float score = 0;
    scorer.Score(code.data(), 1, &score);
    // score = ||r||^2 + ||q||^2 - 2 est.
    const double estimate = (Dot(r, r, n) + Dot(q, q, n) - score) / 2;
    errors.quantized_path.push_back(estimate - truth);
    errors.bound.push_back(quantizer.ErrorBound(code.data(), std::sqrt(Dot(q, q, n)), 1.0f));
  }
  return errors;
}

double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / v.size();
}
double MeanAbs(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += std::fabs(x);
  return s / v.size();
}
double Spread(const std::vector<double>& v) {
  const double mean = Mean(v);
  double s = 0;
  for (double x : v) s += (x - mean) * (x - mean);
  return std::sqrt(s / (v.size() - 1));
}

TEST(RaBitQQuantizerTest, EstimatorIsUnbiasedAndInsideItsBound) {
  const int pairs = 2000;
  for (int dim : {100, 128}) {
    for (int bits : {1, 2, 4, 7}) {
      const Errors e = MeasureErrors(dim, bits, pairs);
      for (const auto* path : {&e.float_path, &e.quantized_path}) {
        // The mean error: within 4 standard errors of zero.
        EXPECT_LT(std::fabs(Mean(*path)), 4 * Spread(*path) / std::sqrt(pairs))
            << dim << "d, " << bits << " bits";
      }
      // The error is about Gaussian with a standard deviation of at most the bound's
      // half-width at eps0 = 1, so the bound at eps0 covers at least the Gaussian
      // fraction P(|Z| <= eps0), less a sampling margin.
      for (const auto& [eps0, gaussian] : {std::pair{1.9, 0.9426}, std::pair{3.3, 0.9990}}) {
        int inside = 0;
        for (int i = 0; i < pairs; ++i) inside += std::fabs(e.float_path[i]) <= eps0 * e.bound[i];
        const double margin = 3 * std::sqrt(gaussian * (1 - gaussian) / pairs) + 1.0 / pairs;
        EXPECT_GE(static_cast<double>(inside) / pairs, gaussian - margin)
            << dim << "d, " << bits << " bits, eps0 " << eps0;
      }
    }
  }
}

TEST(RaBitQQuantizerTest, MoreBitsNeverGiveALargerMeanError) {
  const int dim = 100, pairs = 1000;
  double previous_float = INFINITY, previous_quantized = INFINITY;
  for (int bits = 1; bits <= 8; ++bits) {
    const Errors e = MeasureErrors(dim, bits, pairs);
    const double float_error = MeanAbs(e.float_path), quantized_error = MeanAbs(e.quantized_path);
    EXPECT_LT(float_error, previous_float) << bits << " bits";
    EXPECT_LE(quantized_error, previous_quantized) << bits << " bits";
    // Rounding the query to DefaultQueryBits adds at most a quarter to the code's error up
    // to 7 bits; at 8 bits an 8-bit query is as coarse as the code (about 1.5x measured).
    EXPECT_LT(quantized_error, (bits < 8 ? 1.25 : 2.0) * float_error) << bits << " bits";
    previous_float = float_error;
    previous_quantized = quantized_error;
  }
}

// The scorer quantizes a query of +-1 coordinates to the two ends of its grid without
// loss, at every query bit width, so its estimates through the bitwise kernels are the
// float estimator to rounding, and they must be the decoded point's inner products.
TEST(RaBitQQuantizerTest, DecodeIsThePointWhoseInnerProductsAreTheScorersEstimates) {
  for (int dim : {128, 320}) {
    const std::vector<float> r = GaussianVectors(50, dim, 5);
    const std::vector<float> signs = GaussianVectors(1, dim, 6);
    std::vector<float> q(dim);
    for (int j = 0; j < dim; ++j) q[j] = signs[j] >= 0 ? 1.0f : -1.0f;
    const std::vector<float> zero(dim, 0.0f);
    for (int bits = 1; bits <= 8; ++bits) {
      const auto quantizer = *RaBitQQuantizer::Create(dim, bits);
      std::vector<uint8_t> code(quantizer.code_size());
      std::vector<float> decoded(dim);
      const int query_bits = RaBitQScorer::DefaultQueryBits(bits);
      RaBitQScorer l2, ip;
      l2.Reset(quantizer, /*l2=*/true, q.data(), zero.data(), query_bits);
      ip.Reset(quantizer, /*l2=*/false, q.data(), zero.data(), query_bits);
      for (int i = 0; i < 50; ++i) {
        const float* x = &r[i * dim];
        quantizer.Encode(x, code.data());
        quantizer.Decode(code.data(), decoded.data());
        const RaBitQFactors f = quantizer.Factors(code.data());
        // ||r - r_hat|| = ||r|| tan(theta) = sqrt(D - 1) * error.
        double distance_sq = 0;
        for (int j = 0; j < dim; ++j) {
          distance_sq += (double{x[j]} - decoded[j]) * (double{x[j]} - decoded[j]);
        }
        const double expected = std::sqrt(dim - 1.0) * f.error;
        EXPECT_NEAR(std::sqrt(distance_sq), expected,
                    1e-4 * expected + 1e-6 * std::sqrt(f.norm_sq))
            << dim << "d, " << bits << " bits, vector " << i;
        // Scores: -<r_hat, q> (inner product), ||r||^2 + ||q||^2 - 2 <r_hat, q> (L2).
        const double dot = Dot(decoded.data(), q.data(), dim);
        const double tolerance = 1e-5 * dim * std::sqrt(Dot(decoded.data(), decoded.data(), dim));
        float score;
        ip.Score(code.data(), 1, &score);
        EXPECT_NEAR(score, -dot, tolerance) << dim << "d, " << bits << " bits, vector " << i;
        l2.Score(code.data(), 1, &score);
        EXPECT_NEAR(score, f.norm_sq + dim - 2 * dot, tolerance + 1e-6 * (f.norm_sq + dim))
            << dim << "d, " << bits << " bits, vector " << i;
        EXPECT_NEAR(quantizer.EstimateDot(code.data(), q.data()), dot, tolerance);
      }
    }
  }
}

}  // namespace
}  // namespace vqsearch::internal
