// Conversions between the C API's enums and their C++ counterparts.

#ifndef VQSEARCH_CAPI_CONVERT_H_
#define VQSEARCH_CAPI_CONVERT_H_

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "absl/status/statusor.h"
#include "vqsearch/c_api.h"
#include "vqsearch/metric.h"

namespace vqsearch::capi {

// The integer a C caller passed for an enum parameter. C lets any int through, and in
// C++ a value outside the enum's range is undefined once used as the enum (a switch on
// it, a cast): its bytes are copied out and only ever compared as an integer.
// C passes enum values as int, whatever unsigned type the compiler picks for the enum.
template <typename CEnum>
int64_t EnumValue(const CEnum& value) {
  static_assert(std::is_enum_v<CEnum> && sizeof(CEnum) == sizeof(int));
  int raw;
  std::memcpy(&raw, &value, sizeof(raw));
  return raw;
}

// `value` is EnumValue of a vqs_metric; InvalidArgument for one outside the enum.
absl::StatusOr<Metric> MetricFromC(int64_t value);
vqs_metric MetricToC(Metric metric);

}  // namespace vqsearch::capi

#endif  // VQSEARCH_CAPI_CONVERT_H_
