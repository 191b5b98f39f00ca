// Block coordinate descent over the sub-spaces' codebooks; see anisotropic_update.h.

#include "quant/anisotropic_update.h"

#include <cmath>
#include <vector>

#include "simd/vector_ops.h"

namespace vqsearch::internal {
namespace {

// Solves a x = b in place (x into b) for the symmetric positive definite n x n `a`
// (row-major; only its lower triangle is read, and overwritten by the Cholesky factor).
void SolvePositiveDefinite(int n, double* a, double* b) {
  for (int j = 0; j < n; ++j) {
    double diagonal = a[j * n + j];
    for (int k = 0; k < j; ++k) diagonal -= a[j * n + k] * a[j * n + k];
    a[j * n + j] = std::sqrt(diagonal);
    for (int i = j + 1; i < n; ++i) {
      double value = a[i * n + j];
      for (int k = 0; k < j; ++k) value -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = value / a[j * n + j];
    }
  }
  for (int i = 0; i < n; ++i) {  // L y = b
    for (int k = 0; k < i; ++k) b[i] -= a[i * n + k] * b[k];
    b[i] /= a[i * n + i];
  }
  for (int i = n - 1; i >= 0; --i) {  // L^T x = y
    for (int k = i + 1; k < n; ++k) b[i] -= a[k * n + i] * b[k];
    b[i] /= a[i * n + i];
  }
}

}  // namespace

void UpdateCodebooksAnisotropic(MatrixView targets, MatrixView datapoints, const int32_t* labels,
                                float eta, int num_subspaces, int codebook_size, float* centroids) {
  const int dim = targets.dim, d = dim / num_subspaces, k = codebook_size;
  const double extra = double{eta} - 1.0;
  // The unit direction's sub-vector m is x_m / ||x||, so only the inverse norms are kept.
  std::vector<double> inverse_norm(targets.rows), parallel(targets.rows);
  for (int64_t i = 0; i < targets.rows; ++i) {
    const double norm = std::sqrt(double{SquaredNorm(datapoints.row(i), dim)});
    inverse_norm[i] = norm > 0 ? 1.0 / norm : 0.0;
    double dot = 0;  // r.u with the current centroids
    for (int m = 0; m < num_subspaces; ++m) {
      const float* c = centroids + (static_cast<size_t>(m) * k + labels[i * num_subspaces + m]) * d;
      for (int j = 0; j < d; ++j) {
        dot += (double{targets.row(i)[m * d + j]} - c[j]) * datapoints.row(i)[m * d + j];
      }
    }
    parallel[i] = dot * inverse_norm[i];
  }
  std::vector<double> systems(static_cast<size_t>(k) * d * d), rhs(static_cast<size_t>(k) * d);
  std::vector<int64_t> counts(k);
  std::vector<double> u(d);
  for (int m = 0; m < num_subspaces; ++m) {
    std::fill(systems.begin(), systems.end(), 0.0);
    std::fill(rhs.begin(), rhs.end(), 0.0);
    std::fill(counts.begin(), counts.end(), 0);
    float* codebook = centroids + static_cast<size_t>(m) * k * d;
    for (int64_t i = 0; i < targets.rows; ++i) {
      const int label = labels[i * num_subspaces + m];
      const float* t = targets.row(i) + m * d;
      const float* c = codebook + static_cast<size_t>(label) * d;
      double c_along = 0;
      for (int j = 0; j < d; ++j) {
        u[j] = datapoints.row(i)[m * d + j] * inverse_norm[i];
        c_along += c[j] * u[j];
      }
      const double a = parallel[i] + c_along;
      double* system = systems.data() + static_cast<size_t>(label) * d * d;
      double* b = rhs.data() + static_cast<size_t>(label) * d;
      ++counts[label];
      // The system is symmetric: only its lower triangle is summed (the hot loop of
      // training, d^2 / 2 per vector and sub-space) and the solver reads only that.
      for (int r = 0; r < d; ++r) {
        const double weighted = extra * u[r];
        b[r] += t[r] + weighted * a;
        for (int s = 0; s <= r; ++s) system[r * d + s] += weighted * u[s];
      }
    }
    std::vector<float> previous(codebook, codebook + static_cast<size_t>(k) * d);
    for (int label = 0; label < k; ++label) {
      if (counts[label] == 0) continue;
      double* system = systems.data() + static_cast<size_t>(label) * d * d;
      double* b = rhs.data() + static_cast<size_t>(label) * d;
      for (int r = 0; r < d; ++r) system[r * d + r] += static_cast<double>(counts[label]);
      SolvePositiveDefinite(d, system, b);
      for (int r = 0; r < d; ++r) codebook[label * d + r] = static_cast<float>(b[r]);
    }
    // r.u moves by (c_old - c_new).u_m for every vector.
    for (int64_t i = 0; i < targets.rows; ++i) {
      const int label = labels[i * num_subspaces + m];
      double shift = 0;
      for (int j = 0; j < d; ++j) {
        shift += (double{previous[label * d + j]} - codebook[label * d + j]) *
                 datapoints.row(i)[m * d + j];
      }
      parallel[i] += shift * inverse_norm[i];
    }
  }
}

}  // namespace vqsearch::internal
