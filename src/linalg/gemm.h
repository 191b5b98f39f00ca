// Thin wrappers over OpenBLAS for the products vqsearch's distance computations are made
// of: inner products of two row-major blocks of vectors, and squared norms.
//
// Threading: vqsearch parallelizes over blocks itself (util/parallel_for.h) and calls
// BLAS from inside its workers, so BLAS must run single-threaded then. OpenBLAS has only
// a process-wide thread count, which the caller (numpy, their own code) may have set:
// every public entry point holds a SingleThreadedBlas while it runs, and the caller's
// count comes back when the last concurrent one returns (see README, "Threads").

#ifndef VQSEARCH_LINALG_GEMM_H_
#define VQSEARCH_LINALG_GEMM_H_

#include <cstdint>

#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// Sets OpenBLAS to one thread while any object of this class lives (on any thread), and
// restores the count found when the first of them was made after the last one dies.
class SingleThreadedBlas {
 public:
  SingleThreadedBlas();
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;
};

// out[i * ldo + j] = alpha * <a_i, b_j> + beta * out[i * ldo + j] for every row i of `a`
// and row j of `b` (both of dimension a.dim == b.dim). Row counts must fit in int.
void InnerProducts(MatrixView a, MatrixView b, float alpha, float beta, float* out, int64_t ldo);

// The same with the rows of b `b_stride` >= a.dim floats apart, so b can be a column
// slice of wider records (an inverted list's vectors stored beside their norms).
void InnerProductsStrided(MatrixView a, const float* b, int64_t b_rows, int64_t b_stride,
                          float alpha, float beta, float* out, int64_t ldo);

// out = a^T b (a.dim x b.dim, row-major): out[i][j] = sum over rows r of a_r[i] * b_r[j],
// for a and b of equal row counts (the row count must fit in int).
void TransposedProduct(MatrixView a, MatrixView b, float* out);

// out[i] = ||x_i||^2.
void SquaredNorms(MatrixView x, float* out);

// Scales every row of x (rows x dim, in place) to unit length; zero rows stay zero.
void NormalizeRows(float* x, int64_t rows, int dim);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_LINALG_GEMM_H_
