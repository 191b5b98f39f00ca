// What several vqs commands do alike: require a flag, read the metric and search
// parameter flags, load an index file.

#ifndef VQSEARCH_TOOLS_VQS_COMMON_H_
#define VQSEARCH_TOOLS_VQS_COMMON_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "vqsearch/index.h"
#include "vqsearch/metric.h"
#include "vqsearch/search_params.h"

namespace vqsearch::cli {

// A usage error when `value` is empty: "--spec is required: <what>".
absl::Status Require(absl::string_view flag, const std::string& value, absl::string_view what);

// --metric, or when it is empty the data file's own metric, else l2.
absl::StatusOr<Metric> MetricFromFlag(std::optional<Metric> file_metric);

// --threads, and --nprobe / --refine_factor when they are not 0, checked against what
// `index` takes (a usage error naming what it takes otherwise).
absl::StatusOr<SearchParams> SearchParamsFromFlags(const Index& index);

// Reads --index (a usage error when it is empty).
absl::StatusOr<std::unique_ptr<Index>> LoadIndexFlag();

}  // namespace vqsearch::cli

#endif  // VQSEARCH_TOOLS_VQS_COMMON_H_
