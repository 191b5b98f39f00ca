#include "common.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "command.h"
#include "flags.h"
#include "vqsearch/io.h"

namespace vqsearch::cli {

absl::Status Require(absl::string_view flag, const std::string& value, absl::string_view what) {
  if (!value.empty()) return absl::OkStatus();
  return UsageError(absl::StrCat("--", flag, " is required: ", what));
}

absl::StatusOr<Metric> MetricFromFlag(std::optional<Metric> file_metric) {
  const std::string name = absl::GetFlag(FLAGS_metric);
  if (name.empty()) return file_metric.value_or(Metric::kL2);
  absl::StatusOr<Metric> metric = ParseMetric(name);
  if (!metric.ok()) return UsageError(absl::StrCat("--metric: ", metric.status().message()));
  return metric;
}

absl::StatusOr<SearchParams> SearchParamsFromFlags(const Index& index) {
  SearchParams params;
  struct Named {
    const char* name;
    int value;
  };
  const Named settings[] = {{"nprobe", absl::GetFlag(FLAGS_nprobe)},
                            {"refine_factor", absl::GetFlag(FLAGS_refine_factor)}};
  const int threads = absl::GetFlag(FLAGS_threads);
  if (threads < 0) return UsageError(absl::StrCat("--threads must be >= 0, got ", threads));
  params.num_threads = threads;
  for (const Named& setting : settings) {
    if (setting.value == 0) continue;
    bool taken = false;
    for (const SearchParamInfo& info : index.search_params()) taken |= info.name == setting.name;
    if (!taken) {
      return UsageError(absl::StrCat(
          "--", setting.name, " does not apply to index \"", index.spec(), "\", which takes ",
          absl::StrJoin(index.search_params(), ", ",
                        [](std::string* out, const SearchParamInfo& info) {
                          absl::StrAppend(out, std::string(info.name));
                        })));
    }
    absl::Status status = SetSearchParam(setting.name, setting.value, &params);
    if (!status.ok()) return UsageError(absl::StrCat("--", setting.name, ": ", status.message()));
  }
  return params;
}

absl::StatusOr<std::unique_ptr<Index>> LoadIndexFlag() {
  const std::string path = absl::GetFlag(FLAGS_index);
  if (absl::Status status = Require("index", path, "an index file written by vqs build");
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<Index>> index = vqsearch::Load(path);
  if (!index.ok()) {
    return absl::Status(index.status().code(),
                        absl::StrCat("--index: ", index.status().message()));
  }
  return index;
}

}  // namespace vqsearch::cli
