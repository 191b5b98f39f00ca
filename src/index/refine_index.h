// RefineIndex (`<base spec>,Refine(Flat)`): a compressed index proposes candidates and
// the original vectors, kept beside it, re-rank them exactly. A search asks the base
// index for refine_factor x k candidates (SearchParams::refine_factor; 0 means 4) and
// returns the k nearest by exact distance, computed in double.
//
// The base index sees storage positions as ids; the user's ids live here, so removal
// maps them to positions. Removed vectors stay in storage (their positions are never
// proposed again) until the index is rebuilt.

#ifndef VQSEARCH_INDEX_REFINE_INDEX_H_
#define VQSEARCH_INDEX_REFINE_INDEX_H_

#include <memory>
#include <string>
#include <vector>

#include "vqsearch/index.h"

namespace vqsearch::internal {

class RefineIndex : public Index {
 public:
  RefineIndex(std::string spec, int dim, Metric metric, std::unique_ptr<Index> base)
      : Index(std::move(spec), dim, metric), base_(std::move(base)) {}

  int64_t size() const override { return base_->size(); }
  bool is_trained() const override { return base_->is_trained(); }
  size_t MemoryUsageBytes() const override;
  absl::StatusOr<size_t> Remove(absl::Span<const int64_t> ids) override;

 protected:
  absl::Status DoTrain(MatrixView vectors, const BuildOptions& options) override;
  absl::Status DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                     const BuildOptions& options) override;
  absl::Status DoSearch(MatrixView queries, int k, const SearchParams& params,
                        SearchResults* results) const override;
  bool has_user_ids() const override { return has_user_ids_; }
  absl::Status WriteState(IndexFileWriter* writer) const override;
  absl::Status ReadState(const IndexFileReader& reader) override;

 private:
  static constexpr int kDefaultRefineFactor = 4;

  std::unique_ptr<Index> base_;
  std::vector<float> vectors_;  // every vector ever added, by position; unit length under cosine
  std::vector<int64_t> ids_;    // user id of each position
  bool has_user_ids_ = false;
  int64_t next_sequential_id_ = 0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_REFINE_INDEX_H_
