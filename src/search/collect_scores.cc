// Score rows into shortlists; see collect_scores.h.

#include "search/collect_scores.h"

#include <algorithm>
#include <limits>

namespace vqsearch::internal {

void CollectScores(float* scores, const float* norms, int64_t norm_stride, float offset,
                   int64_t first_id, int64_t count, TopK* heap) {
  // Scores are completed and screened a chunk at a time: the chunk's minimum is a
  // vectorized reduction, and most chunks hold nothing better than the current worst of
  // the heap, so they cost no per-candidate branch at all.
  constexpr int64_t kChunk = 32;
  float threshold = heap->threshold();
  for (int64_t begin = 0; begin < count; begin += kChunk) {
    const int64_t end = std::min(count, begin + kChunk);
    float chunk_min = std::numeric_limits<float>::infinity();
    if (norms != nullptr) {
#pragma omp simd reduction(min : chunk_min)
      for (int64_t j = begin; j < end; ++j) {
        scores[j] += norms[j * norm_stride] + offset;
        chunk_min = std::min(chunk_min, scores[j]);
      }
    } else {
#pragma omp simd reduction(min : chunk_min)
      for (int64_t j = begin; j < end; ++j) {
        scores[j] += offset;
        chunk_min = std::min(chunk_min, scores[j]);
      }
    }
    if (chunk_min > threshold) continue;
    for (int64_t j = begin; j < end; ++j) {
      if (scores[j] <= threshold) {
        heap->Push(scores[j], first_id + j);
        threshold = heap->threshold();
      }
    }
  }
}

}  // namespace vqsearch::internal
