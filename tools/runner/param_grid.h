// A grid of search parameters for the recall/QPS runner: the text
// "nprobe=1,2,4,8;refine_factor=0,4" (';' between parameters, ',' between values) names
// the cartesian product of the values, here 4 x 2 = 8 points. Names are checked with
// SetSearchParam when the grid is parsed, so a typo fails before any index is built.

#ifndef VQSEARCH_TOOLS_RUNNER_PARAM_GRID_H_
#define VQSEARCH_TOOLS_RUNNER_PARAM_GRID_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "vqsearch/search_params.h"

namespace vqsearch::bench {

// One point of the grid: (name, value) pairs in the order the grid names them.
using ParamPoint = std::vector<std::pair<std::string, int>>;

// Sets every parameter of `point` on top of what `params` already holds.
absl::Status ApplyParamPoint(const ParamPoint& point, SearchParams* params);

// "nprobe=4,refine_factor=0"; empty for the point of defaults.
std::string ParamPointLabel(const ParamPoint& point);

// Parses a grid; the first parameter varies slowest. An empty grid is one point that
// leaves every parameter at its default.
absl::StatusOr<std::vector<ParamPoint>> ParseParamGrid(absl::string_view text);

}  // namespace vqsearch::bench

#endif  // VQSEARCH_TOOLS_RUNNER_PARAM_GRID_H_
