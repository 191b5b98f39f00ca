// The check Index::Search makes of the search parameters a caller assigned: each must be
// one the index takes (Index::search_params), within its range.

#ifndef VQSEARCH_INDEX_SEARCH_PARAM_CHECK_H_
#define VQSEARCH_INDEX_SEARCH_PARAM_CHECK_H_

#include "absl/status/status.h"
#include "vqsearch/index.h"
#include "vqsearch/search_params.h"

namespace vqsearch::internal {

// InvalidArgument naming the parameter (and listing what `index` takes) for an assigned
// parameter `index` does not take, or naming its range for a value outside it.
absl::Status CheckSearchParams(const SearchParams& params, const Index& index);

// The entry every index's search_params() starts with.
inline SearchParamInfo NumThreadsParam() {
  return {"num_threads", 0, 0, 1 << 16,
          "threads for this call: 0 = the process default (vqsearch/threads.h), 1 = the "
          "calling thread only"};
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_SEARCH_PARAM_CHECK_H_
