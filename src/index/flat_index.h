// FlatIndex: exact search over every stored vector, the reference every approximate
// index is measured against and the storage that refinement re-ranks with.
//
// Distances come from OpenBLAS: a block of queries times a block of stored vectors is one
// sgemm, and for L2 the squared norms turn inner products into distances
// (||q - x||^2 = ||q||^2 - 2 q.x + ||x||^2). Blocks bound the scratch memory for any
// number of vectors and queries; query blocks are spread over the call's threads.

#ifndef VQSEARCH_INDEX_FLAT_INDEX_H_
#define VQSEARCH_INDEX_FLAT_INDEX_H_

#include <cstdint>
#include <vector>

#include "index/id_map.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {

class FlatIndex : public Index {
 public:
  // `exact_rerank` re-scores a shortlist in double precision (search/exact_rerank.h);
  // internal users that only need approximate order (k-means assignment, IVF probing)
  // turn it off.
  FlatIndex(int dim, Metric metric, bool exact_rerank = true)
      : Index("Flat", dim, metric), ids_(IdMap::Storage::kPositions, "flat"),
        exact_rerank_(exact_rerank) {}

  int64_t size() const override { return ids_.size(); }
  bool is_trained() const override { return true; }
  size_t MemoryUsageBytes() const override;

  // Search without the input checks, for internal callers that have already checked
  // `queries` (dimension, finite values, non-zero under cosine), k and that the index is
  // not empty: k-means runs it every iteration over the same points.
  void SearchValidated(MatrixView queries, int k, const SearchParams& params,
                       SearchResults* results) const;
  absl::StatusOr<size_t> Remove(absl::Span<const int64_t> ids) override;

 protected:
  absl::Status DoTrain(MatrixView vectors, const BuildOptions& options) override;
  absl::Status DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                     const BuildOptions& options) override;
  const IdMap& id_map() const override { return ids_; }
  absl::Status DoSearch(MatrixView queries, int k, const SearchParams& params,
                        SearchResults* results) const override;
  absl::Status WriteState(IndexFileWriter* writer) const override;
  absl::Status ReadState(const IndexFileReader& reader) override;

 private:
  struct Scratch;
  // Searches the block `queries`, whose first row is query `first_query` of the call,
  // into its rows of `results`, among the vectors `filter` contains (null: all).
  void SearchBlock(MatrixView queries, int64_t first_query, int k, const IdFilter* filter,
                   SearchResults* results, Scratch* scratch) const;

  std::vector<float> vectors_;  // size() x dim, unit length under cosine
  std::vector<float> squared_norms_;  // L2 only: ||x||^2 per stored vector
  IdMap ids_;
  bool exact_rerank_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_FLAT_INDEX_H_
