// The check Index::Search makes of the search parameters a caller assigned: each must be
// one the index takes (Index::search_params), within its range.

#ifndef VQSEARCH_SEARCH_SEARCH_PARAM_CHECK_H_
#define VQSEARCH_SEARCH_SEARCH_PARAM_CHECK_H_

#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "vqsearch/search_params.h"

namespace vqsearch::internal {

// InvalidArgument naming the parameter (and listing what the index takes) for an assigned
// parameter not among those `taken` gives (the index's search_params(), asked for only
// when a parameter was assigned), or naming its range for a value outside it; `spec`
// names the index.
absl::Status CheckSearchParams(const SearchParams& params,
                               absl::FunctionRef<std::vector<SearchParamInfo>()> taken,
                               absl::string_view spec);

// The entry every index's search_params() starts with.
inline SearchParamInfo NumThreadsParam() {
  return {"num_threads", 0, 0, 1 << 16,
          "threads for this call: 0 = the process default (vqsearch/threads.h), 1 = the "
          "calling thread only"};
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_SEARCH_PARAM_CHECK_H_
