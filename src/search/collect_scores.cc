// Score rows into shortlists; see collect_scores.h.

#include "search/collect_scores.h"

namespace vqsearch::internal {

void CollectScores(float* scores, const float* norms, int64_t norm_stride, float offset,
                   int64_t first_id, int64_t count, TopK* heap) {
  if (norms != nullptr) {
    for (int64_t j = 0; j < count; ++j) scores[j] += norms[j * norm_stride] + offset;
  } else if (offset != 0.0f) {
    for (int64_t j = 0; j < count; ++j) scores[j] += offset;
  }
  // Most candidates lose to the current worst of the shortlist: one compare each.
  float threshold = heap->threshold();
  for (int64_t j = 0; j < count; ++j) {
    if (scores[j] <= threshold) {
      heap->Push(scores[j], first_id + j);
      threshold = heap->threshold();
    }
  }
}

}  // namespace vqsearch::internal
