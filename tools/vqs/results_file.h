// The file vqs search writes, chosen by extension: .csv (query,rank,id,distance: one row
// per result, padding left out), .hdf5 / .h5 (datasets `neighbors` int64 and `distances`
// float32, num_queries x k, padding included) or .ivecs (the ids, int32, padding -1)
// with the distances beside it in the .fvecs file of the same name.

#ifndef VQSEARCH_TOOLS_VQS_RESULTS_FILE_H_
#define VQSEARCH_TOOLS_VQS_RESULTS_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "vqsearch/search_params.h"

namespace vqsearch::cli {

// True for the extensions WriteResults knows.
bool IsResultsPath(const std::string& path);

absl::Status WriteResults(const std::string& path, const SearchResults& results);

}  // namespace vqsearch::cli

#endif  // VQSEARCH_TOOLS_VQS_RESULTS_FILE_H_
