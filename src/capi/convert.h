// Conversions between the C API's enums and their C++ counterparts.

#ifndef VQSEARCH_CAPI_CONVERT_H_
#define VQSEARCH_CAPI_CONVERT_H_

#include "absl/status/statusor.h"
#include "vqsearch/c_api.h"
#include "vqsearch/metric.h"

namespace vqsearch::capi {

// InvalidArgument for a value outside the enum (C lets callers pass any int).
absl::StatusOr<Metric> MetricFromC(vqs_metric metric);
vqs_metric MetricToC(Metric metric);

}  // namespace vqsearch::capi

#endif  // VQSEARCH_CAPI_CONVERT_H_
