// Score rows into shortlists; see collect_scores.h.

#include "search/collect_scores.h"

#include <algorithm>

#include "simd/vector_ops.h"

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
    const float chunk_min =
        AddOffsetsAndMin(scores + begin, norms == nullptr ? nullptr : norms + begin * norm_stride,
                         norm_stride, offset, end - begin);
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
