// The file section of a cosine index's scoring; see codec_metric.h.

#include "index/codec_metric.h"

#include "io/index_file.h"
#include "util/status_macros.h"

namespace vqsearch::internal {

void WriteCosineScoring(Metric metric, Metric scoring, const std::string& name,
                        IndexFileWriter* writer) {
  if (metric != Metric::kCosine) return;
  writer->AddInt64Scalar(name, scoring == Metric::kL2 ? 1 : 0);
}

absl::StatusOr<Metric> ReadCosineScoring(Metric metric, const IndexFileReader& reader,
                                         const std::string& name) {
  if (metric != Metric::kCosine) return CodecScoringMetric(metric);
  bool by_l2 = false;
  if (reader.Has(name)) {
    VQS_ASSIGN_OR_RETURN(by_l2, reader.Flag(name));
  }
  return by_l2 ? Metric::kL2 : Metric::kInnerProduct;
}

}  // namespace vqsearch::internal
