// PreTransformIndex (`OPQ<m>,<base spec>`): rotates every vector and query by a learned
// OPQ rotation (quant/opq_rotation.h) before handing it to the base index, as FAISS's
// IndexPreTransform does. The rotation keeps L2 distances, inner products and norms, so
// the base index's results are the answers; only its quantization sees better-aligned
// sub-spaces.

#ifndef VQSEARCH_INDEX_PRE_TRANSFORM_INDEX_H_
#define VQSEARCH_INDEX_PRE_TRANSFORM_INDEX_H_

#include <memory>
#include <string>

#include "quant/opq_rotation.h"
#include "index/id_map.h"
#include "index/reconstruct_access.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {

class PreTransformIndex : public Index, public Decodable {
 public:
  PreTransformIndex(std::string spec, int dim, Metric metric, OpqRotation rotation,
                    std::unique_ptr<Index> base)
      : Index(std::move(spec), dim, metric), rotation_(std::move(rotation)), base_(std::move(base)),
        ids_(IdMap::Storage::kFlag, "pretransform") {}

  int64_t size() const override { return base_->size(); }
  bool is_trained() const override { return rotation_.is_trained() && base_->is_trained(); }
  size_t MemoryUsageBytes() const override;
  void ForEachId(absl::FunctionRef<void(int64_t)> visit) const override {
    base_->ForEachId(visit);
  }
  std::vector<SearchParamInfo> search_params() const override { return base_->search_params(); }

 protected:
  absl::StatusOr<size_t> DoRemove(absl::Span<const int64_t> ids) override { return base_->Remove(ids); }
  absl::Status DoTrain(MatrixView vectors, const BuildOptions& options) override;
  absl::Status DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                     const BuildOptions& options) override;
  absl::Status DoSearch(MatrixView queries, int k, const SearchParams& params,
                        SearchResults* results) const override;
  const IdMap& id_map() const override { return ids_; }
  // The base's reconstruction rotated back: R^T y (R is orthogonal).
  absl::Status DoReconstruct(absl::Span<const int64_t> ids, float* out) const override;
  absl::Status WriteState(IndexFileWriter* writer) const override;
  absl::Status ReadState(const IndexFileReader& reader) override;

 private:
  OpqRotation rotation_;
  std::unique_ptr<Index> base_;
  IdMap ids_;  // the base hands out the ids
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_PRE_TRANSFORM_INDEX_H_
