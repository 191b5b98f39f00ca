// Score rows into shortlists; see collect_scores.h.

#include "search/collect_scores.h"

#include <algorithm>

#include "simd/vector_ops.h"

namespace vqsearch::internal {

void CollectScores(const float* scores, const float* norms, int64_t norm_stride, float offset,
                   int64_t first_id, int64_t count, TopK* heap, CandidateFilter filter) {
  // Scores are screened a chunk at a time: the chunk's best completed score is a
  // vectorized reduction, and most chunks hold nothing better than the current worst of
  // the heap, so they cost no per-candidate branch and no stores at all.
  constexpr int64_t kChunk = 32;
  float threshold = heap->threshold();
  for (int64_t begin = 0; begin < count; begin += kChunk) {
    const int64_t end = std::min(count, begin + kChunk);
    const float* chunk_norms = norms == nullptr ? nullptr : norms + begin * norm_stride;
    if (MinWithOffsets(scores + begin, chunk_norms, norm_stride, offset, end - begin) > threshold) {
      continue;
    }
    for (int64_t j = begin; j < end; ++j) {
      const float score = scores[j] + offset + (norms == nullptr ? 0.0f : norms[j * norm_stride]);
      if (score <= threshold && filter.Admits(j)) {
        heap->Push(score, first_id + j);
        threshold = heap->threshold();
      }
    }
  }
}

}  // namespace vqsearch::internal
