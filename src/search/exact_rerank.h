// Exact re-ranking of a GEMM shortlist. Scores from ||q||^2 - 2 q.x + ||x||^2 in float32
// lose digits to cancellation when the vectors are far from the origin (Fashion-MNIST's
// squared norms reach 5e7, and distances were off by 1e-4 relative, enough to swap the
// 10th and 11th neighbours). So exact scans keep a shortlist a little longer than k and
// recompute each survivor's score in double precision from the stored vector; the final
// order is by (exact score, id), which also makes ties independent of storage order.

#ifndef VQSEARCH_SEARCH_EXACT_RERANK_H_
#define VQSEARCH_SEARCH_EXACT_RERANK_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "search/top_k.h"
#include "simd/vector_ops.h"
#include "util/prefetch.h"

namespace vqsearch::internal {

// How many GEMM candidates to keep for a final k.
inline int ShortlistSize(int k) { return k + std::max(k, 16); }

// Exact score, smaller is closer: squared L2, or the negated inner product.
inline double ExactScore(bool l2, const float* query, const float* vector, int dim) {
  return l2 ? SquaredL2Double(query, vector, dim) : -DotDouble(query, vector, dim);
}

// Reused buffers of RerankExact, one per worker thread.
struct RerankScratch {
  std::vector<float> scores;
  std::vector<int64_t> positions;
  std::vector<std::pair<double, int64_t>> ranked;
};

// Empties `shortlist`, whose ids are storage positions, into k result slots:
// vector_of(position) gives the stored vector and id_of(position) the user id. Distances
// are squared L2 (`l2`) or similarities; missing results get id -1 and distance +inf
// (L2) or -inf.
template <typename VectorOf, typename IdOf>
void RerankExact(bool l2, const float* query, int dim, int k, TopK* shortlist,
                 RerankScratch* scratch, float* distances, int64_t* ids, VectorOf vector_of,
                 IdOf id_of) {
  scratch->scores.resize(shortlist->k());
  scratch->positions.resize(shortlist->k());
  const int held =
      shortlist->ExtractSorted(scratch->scores.data(), scratch->positions.data(), 0.0f);
  auto& ranked = scratch->ranked;
  ranked.clear();
  ScoreWithPrefetch(
      held, dim * sizeof(float), [&](int i) { return vector_of(scratch->positions[i]); },
      [&](int i) {
        const int64_t position = scratch->positions[i];
        ranked.emplace_back(ExactScore(l2, query, vector_of(position), dim), id_of(position));
      });
  const int kept = std::min(k, held);
  std::partial_sort(ranked.begin(), ranked.begin() + kept, ranked.end());
  for (int i = 0; i < kept; ++i) {
    distances[i] = static_cast<float>(l2 ? ranked[i].first : -ranked[i].first);
    ids[i] = ranked[i].second;
  }
  const float infinity = std::numeric_limits<float>::infinity();
  for (int i = kept; i < k; ++i) {
    distances[i] = l2 ? infinity : -infinity;
    ids[i] = -1;
  }
}

// The cheaper alternative when approximate order is good enough (k-means assignment,
// coarse probing): empties `heap`, whose ids are positions and scores are GEMM scores,
// into k slots, adding `query_norm` back for L2 (clamped at 0) or negating back to
// similarities.
template <typename IdOf>
void WriteApproximate(bool l2, float query_norm, TopK* heap, float* distances, int64_t* ids,
                      IdOf id_of) {
  const int k = heap->k();
  heap->ExtractSorted(distances, ids, std::numeric_limits<float>::infinity());
  for (int i = 0; i < k; ++i) {
    if (ids[i] < 0) {
      distances[i] = l2 ? distances[i] : -distances[i];
      continue;
    }
    ids[i] = id_of(ids[i]);
    distances[i] = l2 ? std::max(0.0f, distances[i] + query_norm) : -distances[i];
  }
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_EXACT_RERANK_H_
