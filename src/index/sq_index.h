// SqIndex (`SQ8`, `SQ4`, `SQfp16`, `SQ8nu`, `SQ4nu`): every vector scalar-quantized
// (quant/scalar_quantizer.h) and each query scanning all codes, decoded in registers by
// the SIMD kernels. A brute-force index at 1/4 (8-bit, fp16: 1/2) or 1/8 of Flat's
// memory; its distances are those to the decoded vectors.
//
// Under cosine, vectors and queries are normalized and scored by inner product.
// Searches scan blocks of queries over cache-sized chunks of codes (each chunk is read
// from memory once per block) and split the blocks across the call's threads.

#ifndef VQSEARCH_INDEX_SQ_INDEX_H_
#define VQSEARCH_INDEX_SQ_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "quant/scalar_quantizer.h"
#include "index/codec_metric.h"
#include "index/id_map.h"
#include "io/mapped_array.h"
#include "index/reconstruct_access.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {

class SqIndex : public Index, public Decodable {
 public:
  // `sq` must be untrained and of dimension `dim`.
  SqIndex(std::string spec, int dim, Metric metric, ScalarQuantizer sq)
      : Index(std::move(spec), dim, metric), sq_(std::move(sq)),
        ids_(IdMap::Storage::kPositions, "sq") {}

  int64_t size() const override { return ids_.size(); }
  bool is_trained() const override { return sq_.is_trained(); }
  size_t MemoryUsageBytes() const override;
  void ForEachId(absl::FunctionRef<void(int64_t)> visit) const override {
    for (int64_t id : ids_) visit(id);
  }

 protected:
  absl::StatusOr<size_t> DoRemove(absl::Span<const int64_t> ids) override;
  absl::Status DoTrain(MatrixView vectors, const BuildOptions& options) override;
  absl::Status DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                     const BuildOptions& options) override;
  absl::Status DoSearch(MatrixView queries, int k, const SearchParams& params,
                        SearchResults* results) const override;
  const IdMap& id_map() const override { return ids_; }
  // Decodes the stored codes.
  absl::Status DoReconstruct(absl::Span<const int64_t> ids, float* out) const override;
  absl::Status WriteState(IndexFileWriter* writer) const override;
  absl::Status ReadState(const IndexFileReader& reader) override;

 private:
  ScalarQuantizer sq_;
  // What the scan scores with (index/codec_metric.h).
  Metric scoring_ = CodecScoringMetric(metric());
  MappedArray<uint8_t> codes_;  // size() x sq_.code_size(); maybe mapped
  IdMap ids_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_SQ_INDEX_H_
