// The C API's metric functions and enum conversions.

#include <string>

#include "absl/strings/str_cat.h"
#include "capi/convert.h"
#include "capi/guard.h"
#include "util/status_macros.h"

namespace vqsearch::capi {

absl::StatusOr<Metric> MetricFromC(int64_t value) {
  switch (value) {
    case VQS_METRIC_L2:
      return Metric::kL2;
    case VQS_METRIC_INNER_PRODUCT:
      return Metric::kInnerProduct;
    case VQS_METRIC_COSINE:
      return Metric::kCosine;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown metric value ", value,
      ": expected VQS_METRIC_L2, VQS_METRIC_INNER_PRODUCT or VQS_METRIC_COSINE"));
}

vqs_metric MetricToC(Metric metric) {
  switch (metric) {
    case Metric::kL2:
      return VQS_METRIC_L2;
    case Metric::kInnerProduct:
      return VQS_METRIC_INNER_PRODUCT;
    case Metric::kCosine:
      return VQS_METRIC_COSINE;
  }
  return VQS_METRIC_L2;
}

}  // namespace vqsearch::capi

using vqsearch::capi::Guard;

vqs_status vqs_metric_from_name(const char* name, vqs_metric* out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(vqsearch::capi::CheckNotNull({{name, "name"}, {out, "out"}}));
    VQS_ASSIGN_OR_RETURN(const vqsearch::Metric metric, vqsearch::ParseMetric(name));
    *out = vqsearch::capi::MetricToC(metric);
    return absl::OkStatus();
  });
}

const char* vqs_metric_name(vqs_metric metric) {
  const int64_t value = vqsearch::capi::EnumValue(metric);
  switch (value) {
    case VQS_METRIC_L2:
    case VQS_METRIC_INNER_PRODUCT:
    case VQS_METRIC_COSINE:
      // Valid values convert without building an error (which could throw). MetricName
      // returns views of string literals, so data() is NUL-terminated.
      return vqsearch::MetricName(*vqsearch::capi::MetricFromC(value)).data();
  }
  return "unknown";
}
