// SetSearchParam: the one place that maps a parameter's name to its field.

#include "vqsearch/search_params.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace vqsearch {

absl::Status SetSearchParam(std::string_view name, int value, SearchParams* params) {
  auto require_at_least = [&](int minimum) -> absl::Status {
    if (value >= minimum) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrCat("search parameter ", std::string(name), " must be >= ", minimum, ", got ", value));
  };
  if (name == "num_threads" || name == "threads") {
    if (absl::Status s = require_at_least(0); !s.ok()) return s;
    params->num_threads = value;
  } else if (name == "nprobe") {
    if (absl::Status s = require_at_least(1); !s.ok()) return s;
    params->nprobe = value;
  } else if (name == "refine_factor" || name == "refine") {
    if (absl::Status s = require_at_least(0); !s.ok()) return s;
    params->refine_factor = value;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown search parameter \"", std::string(name), "\": expected num_threads, nprobe or refine_factor"));
  }
  return absl::OkStatus();
}

}  // namespace vqsearch
