// File: vqsearch/metric.h
//
// The distance or similarity an index ranks by. L2 ranks by squared euclidean distance
// (smaller is closer); inner product and cosine rank by similarity (larger is closer).
// Cosine is inner product on vectors normalized to unit length when they enter the index.

#ifndef VQSEARCH_METRIC_H_
#define VQSEARCH_METRIC_H_

#include <string_view>

#include "absl/status/statusor.h"

#include "vqsearch/export.h"

namespace vqsearch {

enum class Metric { kL2, kInnerProduct, kCosine };

// "l2", "ip" or "cosine".
VQS_EXPORT std::string_view MetricName(Metric metric);

// Accepts the names above plus the ann-benchmarks names "euclidean", "angular", "dot".
VQS_EXPORT absl::StatusOr<Metric> ParseMetric(std::string_view name);

// True when larger scores are closer (inner product and cosine).
inline bool IsSimilarity(Metric metric) { return metric != Metric::kL2; }

}  // namespace vqsearch

#endif  // VQSEARCH_METRIC_H_
