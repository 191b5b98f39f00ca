// The one place that maps a search parameter's name to its field: SetSearchParam, and
// the check of what a call assigned against what an index takes.

#include "vqsearch/search_params.h"

#include <climits>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "search/search_param_check.h"

namespace vqsearch {
namespace {

struct NamedSetting {
  std::string_view name;
  std::string_view alias;  // an older spelling SetSearchParam accepts too
  int minimum;             // no index takes less
  Setting<int> SearchParams::*field;
};

constexpr NamedSetting kSettings[] = {
    {"num_threads", "threads", 0, &SearchParams::num_threads},
    {"nprobe", "nprobe", 1, &SearchParams::nprobe},
    {"refine_factor", "refine", 0, &SearchParams::refine_factor},
    {"rerank_bound", "rerank_bound", 0, &SearchParams::rerank_bound},
};

}  // namespace

absl::Status SetSearchParam(std::string_view name, int value, SearchParams* params) {
  for (const NamedSetting& setting : kSettings) {
    if (name != setting.name && name != setting.alias) continue;
    if (value < setting.minimum) {
      return absl::InvalidArgumentError(absl::StrCat("search parameter ", std::string(setting.name),
                                                     " must be >= ", setting.minimum, ", got ", value));
    }
    params->*setting.field = value;
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown search parameter \"", std::string(name), "\": expected num_threads, nprobe, refine_factor or rerank_bound"));
}

namespace internal {

absl::Status CheckSearchParams(const SearchParams& params,
                               absl::FunctionRef<std::vector<SearchParamInfo>()> index_takes,
                               absl::string_view spec) {
  bool any_assigned = false;
  for (const NamedSetting& setting : kSettings) any_assigned |= (params.*setting.field).assigned();
  if (!any_assigned) return absl::OkStatus();
  const std::vector<SearchParamInfo> taken = index_takes();
  for (const NamedSetting& setting : kSettings) {
    const Setting<int>& value = params.*setting.field;
    if (!value.assigned()) continue;
    const SearchParamInfo* info = nullptr;
    for (const SearchParamInfo& candidate : taken) {
      if (candidate.name == setting.name) info = &candidate;
    }
    if (info == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "search parameter ", std::string(setting.name), " does not apply to index \"",
          spec, "\", which takes ",
          absl::StrJoin(taken, ", ", [](std::string* out, const SearchParamInfo& p) {
            absl::StrAppend(out, std::string(p.name));
          })));
    }
    if (value < info->min_value || value > info->max_value) {
      return absl::InvalidArgumentError(absl::StrCat(
          "search parameter ", std::string(setting.name), " must be in [", info->min_value, ", ",
          info->max_value == INT_MAX ? std::string("inf") : absl::StrCat(info->max_value),
          "], got ", value.value()));
    }
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace vqsearch
