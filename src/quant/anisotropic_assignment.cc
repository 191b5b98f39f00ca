// Anisotropic loss and coordinate-descent assignment; see anisotropic_assignment.h.

#include "quant/anisotropic_assignment.h"

#include <cmath>

#include "simd/vector_ops.h"

namespace vqsearch::internal {

double AnisotropicLoss(const float* target, const float* reconstruction, const float* direction,
                       int dim, float eta) {
  double squared = 0, parallel = 0;
  for (int i = 0; i < dim; ++i) {
    const double r = double{target[i]} - reconstruction[i];
    squared += r * r;
    parallel += r * direction[i];
  }
  return squared + (double{eta} - 1.0) * parallel * parallel;
}

void UnitDirection(const float* x, int dim, float* direction) {
  const float norm = std::sqrt(SquaredNorm(x, dim));
  const float scale = norm > 0 ? 1.0f / norm : 0.0f;
  for (int i = 0; i < dim; ++i) direction[i] = x[i] * scale;
}

void RefineLabelsAnisotropic(const float* target, const float* direction,
                             const ProductCodebooks& codebooks, float eta, int max_rounds,
                             int32_t* labels, std::vector<float>* scratch) {
  const int m_count = codebooks.num_subspaces, k = codebooks.codebook_size, d = codebooks.sub_dim;
  // squared[m * k + j] = ||t_m - c_mj||^2 and along[m * k + j] = (t_m - c_mj).u_m: the
  // error r.u of a code is the sum of `along` over its labels.
  scratch->resize(2 * static_cast<size_t>(m_count) * k);
  float* squared = scratch->data();
  float* along = squared + static_cast<size_t>(m_count) * k;
  double parallel = 0;
  for (int m = 0; m < m_count; ++m) {
    const float* t = target + m * d;
    const float* u = direction + m * d;
    // Sub-vectors are short (often 2 to 16 floats): one fused loop per codeword, which
    // the compiler keeps inline, costs far less than two dispatched kernel calls.
    for (int j = 0; j < k; ++j) {
      const float* c = codebooks.data + (static_cast<size_t>(m) * k + j) * d;
      float distance = 0, error_along = 0;
      for (int i = 0; i < d; ++i) {
        const float r = t[i] - c[i];
        distance += r * r;
        error_along += r * u[i];
      }
      squared[m * k + j] = distance;
      along[m * k + j] = error_along;
    }
    parallel += along[m * k + labels[m]];
  }
  const double extra = double{eta} - 1.0;
  for (int round = 0; round < max_rounds; ++round) {
    bool changed = false;
    for (int m = 0; m < m_count; ++m) {
      const float* sq = squared + m * k;
      const float* al = along + m * k;
      const double others = parallel - al[labels[m]];
      int best = labels[m];
      double best_loss = sq[best] + extra * (others + al[best]) * (others + al[best]);
      for (int j = 0; j < k; ++j) {
        const double p = others + al[j];
        const double loss = sq[j] + extra * p * p;
        if (loss < best_loss) {
          best_loss = loss;
          best = j;
        }
      }
      if (best != labels[m]) {
        labels[m] = best;
        parallel = others + al[best];
        changed = true;
      }
    }
    if (!changed) break;
  }
}

}  // namespace vqsearch::internal
