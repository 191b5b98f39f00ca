// File: vqsearch/search_params.h
//
// Per-call search settings and the result of a batched search. Settings travel with each
// call, never as index state, so concurrent searches with different settings are safe.

#ifndef VQSEARCH_SEARCH_PARAMS_H_
#define VQSEARCH_SEARCH_PARAMS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "vqsearch/id_filter.h"

namespace vqsearch {

struct SearchParams {
  // Threads used by this call: 0 = all hardware threads, 1 = the calling thread only.
  int num_threads = 1;
  // IVF indexes: how many inverted lists are scanned per query.
  int nprobe = 16;
  // Refining indexes: refine_factor x k candidates are re-ranked with stored vectors
  // (0 = the index's default).
  int refine_factor = 0;
  // Only vectors whose ids this filter contains are searched (null: all of them). Not
  // owned: it must outlive the call.
  const IdFilter* filter = nullptr;
};

// Sets the parameter called `name` ("num_threads", "nprobe", "refine_factor"), so that
// configuration files, the C API and Python keyword arguments share one spelling.
// Unknown names and out-of-range values are InvalidArgument errors.
absl::Status SetSearchParam(std::string_view name, int value, SearchParams* params);

// The k nearest neighbours of each of nq queries, closest first. Row q occupies
// [q * k, (q + 1) * k) of both arrays. A query with fewer than k reachable vectors is
// padded with id -1 and distance +inf (L2) or -inf (inner product, cosine).
struct SearchResults {
  int64_t num_queries = 0;
  int k = 0;
  std::vector<float> distances;
  std::vector<int64_t> ids;

  const float* distances_row(int64_t q) const { return distances.data() + q * k; }
  const int64_t* ids_row(int64_t q) const { return ids.data() + q * k; }
};

}  // namespace vqsearch

#endif  // VQSEARCH_SEARCH_PARAMS_H_
