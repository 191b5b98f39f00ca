// Names of metrics, in vqsearch's own spelling and in ann-benchmarks'.

#include "vqsearch/metric.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace vqsearch {

std::string_view MetricName(Metric metric) {
  switch (metric) {
    case Metric::kL2:
      return "l2";
    case Metric::kInnerProduct:
      return "ip";
    case Metric::kCosine:
      return "cosine";
  }
  return "unknown";
}

absl::StatusOr<Metric> ParseMetric(std::string_view name) {
  std::string lower(name);
  absl::AsciiStrToLower(&lower);
  if (lower == "l2" || lower == "euclidean") return Metric::kL2;
  if (lower == "ip" || lower == "inner_product" || lower == "dot") return Metric::kInnerProduct;
  if (lower == "cosine" || lower == "angular") return Metric::kCosine;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown metric \"", std::string(name), "\": expected l2 (euclidean), ip (dot) or cosine (angular)"));
}

}  // namespace vqsearch
