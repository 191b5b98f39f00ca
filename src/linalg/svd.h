// The singular value decomposition of a square matrix, through LAPACK's sgesvd (which
// OpenBLAS ships; Debian builds it without the LAPACKE C interface, so the Fortran
// symbol is declared here). OPQ's orthogonal Procrustes step is its one user.

#ifndef VQSEARCH_LINALG_SVD_H_
#define VQSEARCH_LINALG_SVD_H_

#include "absl/status/status.h"

namespace vqsearch::internal {

// a = u * diag(s) * vt for the row-major n x n matrix `a`: writes u and vt (row-major,
// n x n, orthogonal) and the singular values s (n, descending). Errors when LAPACK does
// not converge.
absl::Status SquareSvd(int n, const float* a, float* u, float* s, float* vt);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_LINALG_SVD_H_
