// FlatIndex: exact search over every stored vector, the reference every approximate
// index is measured against. Searches are nearest-rows scans by sgemm
// (search/nearest_rows.h) over the stored vectors and, for L2, their squared norms.

#ifndef VQSEARCH_INDEX_FLAT_INDEX_H_
#define VQSEARCH_INDEX_FLAT_INDEX_H_

#include <cstdint>
#include <vector>

#include "index/id_map.h"
#include "io/mapped_array.h"
#include "index/reconstruct_access.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {

class FlatIndex : public Index, public Decodable {
 public:
  // `exact_rerank` re-scores a shortlist in double precision (search/exact_rerank.h).
  FlatIndex(int dim, Metric metric, bool exact_rerank = true)
      : Index("Flat", dim, metric), ids_(IdMap::Storage::kPositions, "flat"),
        exact_rerank_(exact_rerank) {}

  int64_t size() const override { return ids_.size(); }
  bool is_trained() const override { return true; }
  size_t MemoryUsageBytes() const override;

  // Search without the input checks (DoSearch; the caller has checked `queries`, k and
  // that the index is not empty).
  void SearchValidated(MatrixView queries, int k, const SearchParams& params,
                       SearchResults* results) const;
  void ForEachId(absl::FunctionRef<void(int64_t)> visit) const override {
    for (int64_t id : ids_) visit(id);
  }

 protected:
  absl::StatusOr<size_t> DoRemove(absl::Span<const int64_t> ids) override;
  absl::Status DoTrain(MatrixView vectors, const BuildOptions& options) override;
  absl::Status DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                     const BuildOptions& options) override;
  const IdMap& id_map() const override { return ids_; }
  absl::Status DoSearch(MatrixView queries, int k, const SearchParams& params,
                        SearchResults* results) const override;
  absl::Status DoReconstruct(absl::Span<const int64_t> ids, float* out) const override;
  absl::Status WriteState(IndexFileWriter* writer) const override;
  absl::Status ReadState(const IndexFileReader& reader) override;

 private:
  MappedArray<float> vectors_;  // size() x dim, unit length under cosine; maybe mapped
  std::vector<float> squared_norms_;  // L2 only: ||x||^2 per stored vector
  IdMap ids_;
  bool exact_rerank_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_FLAT_INDEX_H_
