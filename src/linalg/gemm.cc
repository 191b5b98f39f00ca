// OpenBLAS-backed products. See gemm.h for the threading contract.

#include "linalg/gemm.h"

#include <cblas.h>

#include <cmath>
#include <mutex>

#include "simd/vector_ops.h"

namespace vqsearch::internal {
namespace {

// Concurrent multi-threaded OpenBLAS calls from our own workers would oversubscribe the
// cores and serialize on OpenBLAS's internal locks, so every call runs on one thread.
void UseSingleThreadedBlas() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

}  // namespace

void InnerProducts(MatrixView a, MatrixView b, float alpha, float beta, float* out, int64_t ldo) {
  InnerProductsStrided(a, b.data, b.rows, b.dim, alpha, beta, out, ldo);
}

void InnerProductsStrided(MatrixView a, const float* b, int64_t b_rows, int64_t b_stride,
                          float alpha, float beta, float* out, int64_t ldo) {
  if (a.rows == 0 || b_rows == 0) return;
  UseSingleThreadedBlas();
  // Row-major C = A * B^T: A is a.rows x dim, B is b_rows x dim.
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(a.rows),
              static_cast<int>(b_rows), a.dim, alpha, a.data, a.dim, b, static_cast<int>(b_stride),
              beta, out, static_cast<int>(ldo));
}

void TransposedProduct(MatrixView a, MatrixView b, float* out) {
  UseSingleThreadedBlas();
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, a.dim, b.dim, static_cast<int>(a.rows),
              1.0f, a.data, a.dim, b.data, b.dim, 0.0f, out, b.dim);
}

void SquaredNorms(MatrixView x, float* out) {
  for (int64_t i = 0; i < x.rows; ++i) out[i] = SquaredNorm(x.row(i), x.dim);
}

void NormalizeRows(float* x, int64_t rows, int dim) {
  for (int64_t i = 0; i < rows; ++i) {
    float* row = x + i * dim;
    double sum = 0.0;
    for (int j = 0; j < dim; ++j) sum += static_cast<double>(row[j]) * row[j];
    if (sum == 0.0) continue;
    const float scale = static_cast<float>(1.0 / std::sqrt(sum));
    for (int j = 0; j < dim; ++j) row[j] *= scale;
  }
}

}  // namespace vqsearch::internal
