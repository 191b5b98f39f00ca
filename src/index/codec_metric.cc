// The normalization of cosine inputs and the file section of a cosine index's scoring;
// see codec_metric.h.

#include "index/codec_metric.h"

#include <algorithm>

#include "io/index_file.h"
#include "linalg/gemm.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// Rows a task of NormalizedForMetric normalizes.
constexpr int64_t kNormalizeRows = 256;

}  // namespace

MatrixView NormalizedForMetric(Metric metric, MatrixView vectors, std::vector<float>* storage,
                               int num_threads) {
  if (metric != Metric::kCosine) return vectors;
  storage->resize(vectors.size());
  const int64_t blocks = (vectors.rows + kNormalizeRows - 1) / kNormalizeRows;
  ParallelFor(blocks, num_threads, [&](int64_t block, int) {
    const int64_t first = block * kNormalizeRows;
    const int64_t rows = std::min(kNormalizeRows, vectors.rows - first);
    float* out = storage->data() + first * vectors.dim;
    std::copy_n(vectors.row(first), rows * vectors.dim, out);
    NormalizeRows(out, rows, vectors.dim);
  });
  return MatrixView(storage->data(), vectors.rows, vectors.dim);
}

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
