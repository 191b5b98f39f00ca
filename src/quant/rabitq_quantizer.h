// RaBitQQuantizer: RaBitQ codes (Gao & Long, SIGMOD 2024) and their multi-bit extension
// (Extended RaBitQ, Gao et al., SIGMOD 2025) of rotated residuals, with the per-vector
// factors of an unbiased inner-product estimate and of its error bound.
//
// Input: r = P (x - c), the residual of a vector against its list centroid after the
// random rotation P (quant/hadamard_rotation.h), in D dimensions, and its direction
// o = r / ||r||. A code of b bits (1..8) is one level u_j in [0, 2^b) per dimension; the
// point it stands for is y = u - (2^b - 1) / 2, on the grid of half-integers
// {+-1/2, +-3/2, ..., +-(2^b - 1)/2}, and x_bar = y / ||y||. The sign of y_j is that of
// o_j and is the top bit of u_j, so the 1-bit RaBitQ code (x_bar = sign(o) / sqrt(D)) is
// the first bit plane of every b-bit code. For b > 1 the magnitudes are those of t * |o|
// rounded down onto the grid, with the rescale factor t that maximizes the cosine
// <x_bar, o>: it changes only where some t |o_j| crosses an integer, so Encode walks
// those critical values in order (all of them, sorted), from
// the 1-bit code (t = 0) on, keeping the best (how far: rabitq_quantizer.cc).
//
// Estimator: for any rotated query vector q (the query residual P (q - c) under L2, the
// rotated query P q under inner product),
//   <r, q> ~ ||r|| <x_bar, q> / <x_bar, o> = rescale * <y, q>,   rescale = ||r|| / <y, o>,
// unbiased over the random rotation, with, at confidence parameter eps0,
//   |error| <= eps0 * ||q|| * ||r|| * sqrt(1 - <x_bar,o>^2) / <x_bar,o> / sqrt(D - 1).
// The error is about Gaussian with a standard deviation of at most eps0 = 1's bound (the
// part of q orthogonal to o, not q, enters it), so the bound holds for at least the
// Gaussian fraction of pairs: 94% at eps0 = 1.9, the RaBitQ papers' setting, and 99.9% at
// eps0 = 3.3 (rabitq_quantizer_test measures both).
// Then ||x - q||^2 = ||r||^2 + ||q_r||^2 - 2 <r, q_r>, and <x, q> = <c, q> + <r, P q>.
// The code decodes to r_hat = rescale * y, the point of which the estimator is the exact
// inner product, so x_hat = c + P^T r_hat has <x_hat, q> = that estimate of <x, q>.
//
// Code layout (code_size() bytes): b bit planes of D/64 little-endian 64-bit words (plane
// 0 is the top bit of every u_j, dimension j at bit j % 64 of word j / 64), then the
// factors below as four floats.

#ifndef VQSEARCH_QUANT_RABITQ_QUANTIZER_H_
#define VQSEARCH_QUANT_RABITQ_QUANTIZER_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"

namespace vqsearch::internal {

// The per-vector factors stored after a code's planes.
struct RaBitQFactors {
  float norm_sq;      // ||r||^2
  float rescale;      // ||r|| / <y, o>: <r, q> ~ rescale * <y, q>
  float rescale_sum;  // rescale * sum_j y_j, which folds a query offset into the estimate
  float error;        // ||r|| sqrt(1 - <x_bar,o>^2) / (<x_bar,o> sqrt(D - 1))
};

class RaBitQQuantizer {
 public:
  static constexpr int kMaxBits = 8;

  RaBitQQuantizer() = default;
  // Errors: padded_dim not a positive multiple of 64, bits outside [1, 8].
  static absl::StatusOr<RaBitQQuantizer> Create(int padded_dim, int bits);

  int padded_dim() const { return padded_dim_; }
  int bits() const { return bits_; }
  int words() const { return padded_dim_ / 64; }
  size_t plane_bytes() const { return static_cast<size_t>(padded_dim_) / 8; }
  size_t code_size() const { return bits_ * plane_bytes() + sizeof(RaBitQFactors); }

  // Writes the code of the rotated residual `r` (padded_dim floats, finite) to `code`.
  void Encode(const float* r, uint8_t* code) const;

  // The factors of a code (an unaligned copy).
  RaBitQFactors Factors(const uint8_t* code) const;
  // The levels u_j of a code (padded_dim values).
  void Levels(const uint8_t* code, int* levels) const;
  // The point a code decodes to, r_hat = rescale * y (padded_dim floats into `out`): the
  // one point whose inner product with every q is the estimator, <r_hat, q> = rescale *
  // <y, q>. It lies along y at ||r|| / cos(theta), theta the angle between y and o, so
  // ||r - r_hat|| = ||r|| tan(theta) = sqrt(D - 1) * error (the factor of the bound).
  void Decode(const uint8_t* code, float* out) const;
  // The float reference of the estimator: <Decode(code), q> for a rotated query vector q
  // (padded_dim floats), an estimate of <r, q>.
  float EstimateDot(const uint8_t* code, const float* q) const;
  // The bound's half-width on that estimate: eps0 * ||q|| * error.
  float ErrorBound(const uint8_t* code, float query_norm, float eps0) const {
    return eps0 * query_norm * Factors(code).error;
  }

 private:
  RaBitQQuantizer(int padded_dim, int bits) : padded_dim_(padded_dim), bits_(bits) {}

  int padded_dim_ = 0;
  int bits_ = 0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_RABITQ_QUANTIZER_H_
