// The score noise of a codec on near pairs; see near_pair_noise.h.

#include "quant/near_pair_noise.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "linalg/gemm.h"
#include "simd/vector_ops.h"
#include "util/row_sample.h"

namespace vqsearch::internal {
namespace {

// Neighbours per query: about the depth a first stage ranks before re-ranking.
constexpr int64_t kNearPairs = 16;

}  // namespace

double NearPairNoise(MatrixView vectors, absl::Span<const int64_t> picked, bool l2,
                     ScoreEstimator estimate) {
  const int64_t n = vectors.rows;
  if (picked.empty() || n < 2) return 0;
  const std::vector<float> queries =
      GatherRows(vectors, std::vector<int64_t>(picked.begin(), picked.end()));
  // Exact scores leaving out ||q||^2, the same for every row of a query.
  std::vector<float> exact(picked.size() * n);
  InnerProducts(MatrixView(queries, vectors.dim), vectors, l2 ? -2.0f : -1.0f, 0.0f,
                exact.data(), n);
  if (l2) {
    std::vector<float> norms(n);
    for (int64_t j = 0; j < n; ++j) norms[j] = SquaredNorm(vectors.row(j), vectors.dim);
    for (size_t i = 0; i < picked.size(); ++i) {
      for (int64_t j = 0; j < n; ++j) exact[i * n + j] += norms[j];
    }
  }
  const int64_t neighbours = std::min(kNearPairs, n - 1);
  std::vector<int64_t> order(n);
  std::vector<float> estimated(neighbours);
  double total = 0;
  for (size_t i = 0; i < picked.size(); ++i) {
    const float* row_exact = exact.data() + i * n;
    std::iota(order.begin(), order.end(), 0);
    // The query itself is no neighbour: it goes last, out of the selection.
    std::swap(order[picked[i]], order[n - 1]);
    std::nth_element(order.begin(), order.begin() + neighbours, order.end() - 1,
                     [&](int64_t a, int64_t b) { return row_exact[a] < row_exact[b]; });
    estimate(static_cast<int64_t>(i), absl::MakeConstSpan(order.data(), neighbours),
             estimated.data());
    double sum = 0, sum_squares = 0;
    for (int64_t t = 0; t < neighbours; ++t) {
      const double noise = static_cast<double>(estimated[t]) - row_exact[order[t]];
      sum += noise;
      sum_squares += noise * noise;
    }
    const double mean = sum / neighbours;
    total += std::max(0.0, sum_squares / neighbours - mean * mean);
  }
  return total / static_cast<double>(picked.size());
}

}  // namespace vqsearch::internal
