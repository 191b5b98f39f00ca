// The step every GEMM-based exact scan shares: feeding a row of scores into a query's
// TopK shortlist (see exact_rerank.h for what happens to the shortlist).
//
// Inside a scan, scores follow "smaller is closer": for L2 they are ||x||^2 - 2 q.x (the
// query's own ||q||^2 does not change the order), for inner product and cosine -q.x.

#ifndef VQSEARCH_SEARCH_COLLECT_SCORES_H_
#define VQSEARCH_SEARCH_COLLECT_SCORES_H_

#include <cstdint>

#include "search/candidate_filter.h"
#include "search/top_k.h"

namespace vqsearch::internal {

// Completes scores[j] with `offset` and, when `norms` is not null (the L2 case),
// norms[j * norm_stride], and offers (completed score, first_id + j) to `heap` for every
// j < count that `filter` admits.
void CollectScores(const float* scores, const float* norms, int64_t norm_stride, float offset,
                   int64_t first_id, int64_t count, TopK* heap, CandidateFilter filter = {});

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_COLLECT_SCORES_H_
