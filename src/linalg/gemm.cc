// OpenBLAS-backed products. See gemm.h for the threading contract.

#include "linalg/gemm.h"

#include <cblas.h>

#include <cmath>
#include <mutex>

#include "simd/vector_ops.h"

namespace vqsearch::internal {
namespace {

// Concurrent multi-threaded OpenBLAS calls from our own workers would oversubscribe the
// cores and serialize on OpenBLAS's internal locks, so they run on one thread while any
// vqsearch call is active.
struct BlasThreadState {
  std::mutex mutex;
  int holders = 0;           // live SingleThreadedBlas objects
  int caller_threads = 1;    // OpenBLAS's count before the first of them
};

BlasThreadState& BlasThreads() {
  static BlasThreadState* const state = new BlasThreadState();
  return *state;
}

}  // namespace

SingleThreadedBlas::SingleThreadedBlas() {
  BlasThreadState& state = BlasThreads();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.holders++ > 0) return;
  state.caller_threads = openblas_get_num_threads();
  if (state.caller_threads != 1) openblas_set_num_threads(1);
}

SingleThreadedBlas::~SingleThreadedBlas() {
  BlasThreadState& state = BlasThreads();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (--state.holders > 0) return;
  if (state.caller_threads != 1) openblas_set_num_threads(state.caller_threads);
}

void InnerProducts(MatrixView a, MatrixView b, float alpha, float beta, float* out, int64_t ldo) {
  InnerProductsStrided(a, b.data, b.rows, b.dim, alpha, beta, out, ldo);
}

void InnerProductsStrided(MatrixView a, const float* b, int64_t b_rows, int64_t b_stride,
                          float alpha, float beta, float* out, int64_t ldo) {
  if (a.rows == 0 || b_rows == 0) return;
  if (a.rows == 1) {
    // One query: sgemm would pack all of B (a whole list, or every centroid) for a single
    // row of products; sgemv reads B once in place.
    cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(b_rows), a.dim, alpha, b,
                static_cast<int>(b_stride), a.data, 1, beta, out, 1);
    return;
  }
  // Row-major C = A * B^T: A is a.rows x dim, B is b_rows x dim.
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(a.rows),
              static_cast<int>(b_rows), a.dim, alpha, a.data, a.dim, b, static_cast<int>(b_stride),
              beta, out, static_cast<int>(ldo));
}

void TransposedProduct(MatrixView a, MatrixView b, float* out) {
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
    // The scale stays in double: for a row of subnormal floats 1 / ||x|| exceeds the float
    // range, and a float scale of inf would turn the row into inf and NaN.
    const double scale = 1.0 / std::sqrt(sum);
    for (int j = 0; j < dim; ++j) row[j] = static_cast<float>(row[j] * scale);
  }
}

}  // namespace vqsearch::internal
