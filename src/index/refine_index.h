// RefineIndex (`<base spec>,Refine(Flat)` or `,Refine(SQ8)`, `,Refine(SQfp16)`, any SQ
// type): a compressed index proposes candidates and a second copy of the vectors, kept
// beside it, re-ranks them. A search asks the base index for refine_factor x k
// candidates (SearchParams::refine_factor; 0 means 4) and returns the k nearest by the
// stored copy's distance: exact, computed in double, from float32 vectors (Flat), or the
// distance to the decoded vectors of scalar-quantized codes (SQ: 4x or 2x less memory
// than Flat, scored by the SIMD kernels).
//
// Bound-driven re-ranking (SearchParams::rerank_bound, taken when the base takes it, as
// RaBitQ indexes do, and the copy is Flat): the base proposes the candidates of smallest
// lower bound, in order, and they are re-ranked only while the next one's bound is below
// the current k-th exact distance; the rest cannot be closer unless their bounds fail.
//
// The base index sees storage positions as ids; the user's ids live here, so removal
// and id filters map them to positions. Removed vectors stay in storage (their
// positions are never proposed again) until the index is rebuilt.

#ifndef VQSEARCH_INDEX_REFINE_INDEX_H_
#define VQSEARCH_INDEX_REFINE_INDEX_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/mapped_array.h"
#include "quant/scalar_quantizer.h"
#include "index/codec_metric.h"
#include "index/id_map.h"
#include "index/reconstruct_access.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {

class RefineIndex : public Index, public Decodable {
 public:
  // `sq` (untrained, of dimension `dim`) stores the re-ranking copy as SQ codes; without
  // it the copy is float32.
  RefineIndex(std::string spec, int dim, Metric metric, std::unique_ptr<Index> base,
              std::optional<ScalarQuantizer> sq = std::nullopt)
      : Index(std::move(spec), dim, metric), base_(std::move(base)), sq_(std::move(sq)),
        ids_(IdMap::Storage::kPositions, "refine") {}

  int64_t size() const override { return base_->size(); }
  bool is_trained() const override { return base_->is_trained() && (!sq_ || sq_->is_trained()); }
  size_t MemoryUsageBytes() const override;
  void ForEachId(absl::FunctionRef<void(int64_t)> visit) const override {
    base_->ForEachId([&](int64_t position) { visit(ids_[position]); });
  }
  // The base index's parameters (but rerank_bound under Refine(SQ)) and refine_factor.
  std::vector<SearchParamInfo> search_params() const override;
  // Stored vectors (or codes) read by re-ranking, over every search so far: how much of
  // the candidates a re-ranking mode needs.
  int64_t vectors_read() const { return vectors_read_.load(std::memory_order_relaxed); }

 protected:
  absl::StatusOr<size_t> DoRemove(absl::Span<const int64_t> ids) override;
  absl::Status DoTrain(MatrixView vectors, const BuildOptions& options) override;
  absl::Status DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                     const BuildOptions& options) override;
  absl::Status DoSearch(MatrixView queries, int k, const SearchParams& params,
                        SearchResults* results) const override;
  const IdMap& id_map() const override { return ids_; }
  // Decodes the stored copy (exact for Flat) of the live positions (removed vectors stay
  // in storage but are not found).
  absl::Status DoReconstruct(absl::Span<const int64_t> ids, float* out) const override;
  absl::Status WriteState(IndexFileWriter* writer) const override;
  absl::Status ReadState(const IndexFileReader& reader) override;

 private:
  static constexpr int kDefaultRefineFactor = 4;

  // The SQ re-ranking of one query: the k best of `count` proposed positions (-1 for
  // none) by distance to their decoded codes, into k result slots.
  void RerankCodes(const float* query, const int64_t* positions, int count, int k,
                   float* distances, int64_t* ids) const;
  // The exact re-ranking of one query: the same from the stored float vectors.
  void RerankVectors(const float* query, const int64_t* positions, int count, int k,
                     float* distances, int64_t* ids) const;
  // The exact score of the stored vector at `position`, smaller is closer: squared L2 or
  // the negated inner product (cosine: of unit vectors). Float32 sums of differences are
  // exact to a few ulps, unlike the GEMM expansion nearest_rows.h scores in double.
  float VectorScore(const float* query, int64_t position) const;
  // Bound-driven re-ranking of one query: `count` proposed positions (-1 for none) whose
  // `bounds` (the base's distances, lower bounds) rise; returns the vectors read.
  int RerankByBound(const float* query, const int64_t* positions, const float* bounds,
                    int count, int k, float* distances, int64_t* ids) const;

  std::unique_ptr<Index> base_;
  std::optional<ScalarQuantizer> sq_;
  // What sq_'s re-ranking scores with (index/codec_metric.h).
  Metric sq_scoring_ = CodecScoringMetric(metric());
  // Every vector ever added, by position, unit length under cosine: as float32 without
  // sq_, as sq_'s codes with it.
  MappedArray<float> vectors_;  // maybe views of a mapped file
  MappedArray<uint8_t> codes_;
  IdMap ids_;  // user id of each position
  mutable std::atomic<int64_t> vectors_read_{0};
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_REFINE_INDEX_H_
