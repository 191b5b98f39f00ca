// The codebook step of anisotropic PQ training: given every training vector's code,
// moves the centroids to lower the anisotropic loss ||r||^2 + (eta - 1) (r.u)^2
// (quant/anisotropic_assignment.h) as far as it goes with the codes fixed.
//
// The exact minimizer couples every centroid of every sub-space through r.u (normal
// equations of codebook_size x dim unknowns). With the other sub-spaces fixed, though,
// the centroids of one sub-space are independent (each vector uses one of them), and
// each is a small weighted least-squares problem of sub_dim unknowns:
//
//   (n I + (eta - 1) sum u_m u_m^T) c = sum t_m + (eta - 1) sum a u_m
//
// over the n vectors coded to it, with t_m, u_m the target's and direction's sub-vectors
// and a = r.u + c_old.u_m the part of r.u the centroid does not set. Solving the
// sub-spaces in turn (block coordinate descent, as ScaNN's trainer does) never raises
// the loss.

#ifndef VQSEARCH_QUANT_ANISOTROPIC_UPDATE_H_
#define VQSEARCH_QUANT_ANISOTROPIC_UPDATE_H_

#include <cstdint>

#include "quant/anisotropic_assignment.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// Updates `centroids` (laid out as ProductCodebooks; num_subspaces x codebook_size x
// sub_dim floats) for the rows of `targets`, coded by `labels` (rows x num_subspaces),
// whose error is weighed along the rows of `datapoints`. Centroids no vector uses stay.
void UpdateCodebooksAnisotropic(MatrixView targets, MatrixView datapoints, const int32_t* labels,
                                float eta, int num_subspaces, int codebook_size, float* centroids);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_ANISOTROPIC_UPDATE_H_
