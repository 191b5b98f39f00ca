// How codecs of approximate codes score each metric (IVF codecs, Refine(SQ), flat SQ),
// and the step back from their scores to the metric's distances.

#ifndef VQSEARCH_INDEX_CODEC_METRIC_H_
#define VQSEARCH_INDEX_CODEC_METRIC_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/metric.h"

namespace vqsearch::internal {

// The metric a codec of approximate codes scores `metric` with. Cosine vectors arrive
// normalized, and for unit vectors ||q - x||^2 = 2 - 2 cos(q, x): L2 ranks them as cosine
// does. It is also
// the more accurate way to rank approximate codes: for a code x + e, L2's estimate is off
// by -2 (q - x).e + ||e||^2, which shrinks as x nears the query, while inner product's is
// off by q.e whatever the distance. On a 64-d angular set this took recall@10 of
// IVF1024,PQ32x4fs,Refine(Flat) at refine_factor 5 from 0.87 to 0.99, and of
// IVF1024,SQ8 from 0.981 to 0.995. `cosine` overrides the choice for cosine: anisotropic
// PQ's loss is one of inner products, and files written before the choice existed scored
// cosine by inner product.
inline Metric CodecScoringMetric(Metric metric, Metric cosine = Metric::kL2) {
  return metric == Metric::kCosine ? cosine : metric;
}

// Under cosine, a normalized copy of `vectors` in `storage`, its rows split over
// `num_threads` (on one thread the copy and the double-precision norms were 9% of a
// two-thread search of 10,000 384-d queries); otherwise `vectors` itself. What every
// codec of a cosine index trains on, encodes and is queried with.
MatrixView NormalizedForMetric(Metric metric, MatrixView vectors, std::vector<float>* storage,
                               int num_threads);

// Turns `count` squared L2 distances between unit vectors into cosine similarities, in
// place; entries without a result (id < 0) get -inf, cosine's padding.
inline void CosineFromUnitL2(const int64_t* ids, int64_t count, float* distances) {
  for (int64_t i = 0; i < count; ++i) {
    distances[i] =
        ids[i] < 0 ? -std::numeric_limits<float>::infinity() : 1.0f - 0.5f * distances[i];
  }
}

class IndexFileReader;
class IndexFileWriter;

// The section `name` of a cosine index records how its codes score, so that a file keeps
// the scoring it was written with. Writes nothing for other metrics.
void WriteCosineScoring(Metric metric, Metric scoring, const std::string& name,
                        IndexFileWriter* writer);
// The scoring a cosine index's file asks for: the section's, or inner product for files
// written before the section existed. Other metrics: CodecScoringMetric(metric).
absl::StatusOr<Metric> ReadCosineScoring(Metric metric, const IndexFileReader& reader,
                                         const std::string& name);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_CODEC_METRIC_H_
