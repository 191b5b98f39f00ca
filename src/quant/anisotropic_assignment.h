// Anisotropic (score-aware) quantization loss and code assignment for product codes
// (Guo et al., "Accelerating Large-Scale Inference with Anisotropic Vector
// Quantization", ICML 2020, the quantizer of ScaNN).
//
// For inner-product search the error of a quantized datapoint x matters most along x:
// the query's score moves by q.r, and the queries that rank x high point roughly along
// x. With r the quantization error, r_par its component along x and r_perp the rest, the
// loss is eta ||r_par||^2 + ||r_perp||^2, i.e. ||r||^2 + (eta - 1) (r.u)^2 for the unit
// direction u = x / ||x||; eta = h_par / h_perp >= 1 (eta = 1 is plain PQ's loss).
//
// The quantized vector (the "target") may differ from the datapoint: IVF-PQ encodes the
// residual x - c, whose error is still the datapoint's error, so the direction is that
// of x, not of the residual.

#ifndef VQSEARCH_QUANT_ANISOTROPIC_ASSIGNMENT_H_
#define VQSEARCH_QUANT_ANISOTROPIC_ASSIGNMENT_H_

#include <cstdint>
#include <vector>

namespace vqsearch::internal {

// The codebooks of a product quantizer: centroid j of sub-space m is `sub_dim` floats
// at data[(m * codebook_size + j) * sub_dim].
struct ProductCodebooks {
  const float* data;
  int num_subspaces;
  int codebook_size;
  int sub_dim;
};

// The loss ||r||^2 + (eta - 1) (r.u)^2 of reconstructing `target` (dim floats) by
// `reconstruction`, for a datapoint of unit direction `direction` (zero for a zero
// datapoint, which leaves the plain squared error).
double AnisotropicLoss(const float* target, const float* reconstruction, const float* direction,
                       int dim, float eta);

// Writes x / ||x|| (zero when x is zero) into `direction`.
void UnitDirection(const float* x, int dim, float* direction);

// Lowers the anisotropic loss of one target's code by coordinate descent over the
// sub-spaces: starting from `labels` (one per sub-space, e.g. the nearest centroids),
// each sub-space in turn takes the centroid that minimizes the whole vector's loss with
// the other sub-spaces fixed, for rounds until no label changes (at most `max_rounds`).
// The current label is always a candidate, so the loss never increases. The parallel
// error couples the sub-spaces only through the scalar r.u, so after one pass building
// per-centroid squared errors and projections the rounds cost M x codebook_size each.
// `scratch` is reused across calls.
void RefineLabelsAnisotropic(const float* target, const float* direction,
                             const ProductCodebooks& codebooks, float eta, int max_rounds,
                             int32_t* labels, std::vector<float>* scratch);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_ANISOTROPIC_ASSIGNMENT_H_
