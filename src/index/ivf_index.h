// IvfIndex: the inverted-file structure every IVF index shares, whatever its codec.
// Training runs k-means to get nlist coarse centroids; each added vector goes to the list
// of its nearest centroid, encoded by the codec; a query probes its `nprobe` nearest
// lists, found with one GEMM against the centroids for the whole batch, and only their
// entries are scored.
//
// L2 uses ordinary k-means and L2 probing. Inner product and cosine use spherical
// k-means; inner product probes by largest inner product with the unit-length centroids.
// Under cosine every vector and query is normalized first and codecs, probing included,
// score by L2 (codec_metric.h), which on unit vectors ranks as inner product does; so
// codecs only ever see L2 or inner product.
//
// A codec subclass supplies: its code size, TrainCodec (optional), Encode, DecodeEntry
// (for Reconstruct), a ListScanner for the shared search loop (index/ivf_scan_loop.h),
// plus any state of its own to save.

#ifndef VQSEARCH_INDEX_IVF_INDEX_H_
#define VQSEARCH_INDEX_IVF_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "index/codec_metric.h"
#include "index/coarse_quantizer.h"
#include "index/id_map.h"
#include "index/inverted_lists.h"
#include "index/list_scanner.h"
#include "index/reconstruct_access.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {

class IvfIndex : public Index, public Decodable {
 public:
  int64_t nlist() const { return lists_.nlist(); }
  int64_t size() const override { return lists_.total_size(); }
  bool is_trained() const override { return !coarse_.empty(); }
  size_t MemoryUsageBytes() const override;

  void ForEachId(absl::FunctionRef<void(int64_t)> visit) const override {
    lists_.ForEachId(visit);
  }
  std::vector<SearchParamInfo> search_params() const override;

  ListStatistics list_statistics() const { return lists_.Statistics(); }
  MatrixView centroids() const { return coarse_.centroids(); }

 protected:
  absl::StatusOr<size_t> DoRemove(absl::Span<const int64_t> ids) override;
  // Finds each id's entry and decodes its code with DecodeEntry.
  absl::Status DoReconstruct(absl::Span<const int64_t> ids, float* out) const final;
  // Decodes the code of an entry of `list` (as InvertedLists::ReadCode gives it) into
  // dim floats: the vector as the index scores it (unit length under cosine), the
  // centroid added back for codes of residuals.
  virtual absl::Status DecodeEntry(int64_t list, const uint8_t* code, float* out) const = 0;
  // `layout`: how the lists arrange the codes (null: code_size bytes per entry in a row).
  // `cosine_scoring`: what CodecScoringMetric scores cosine with (L2 or inner product).
  IvfIndex(std::string spec, int dim, Metric metric, int64_t nlist, size_t code_size,
           std::shared_ptr<const CodeLayout> layout = nullptr,
           Metric cosine_scoring = Metric::kL2);

  // The metric codecs score with (CodecScoringMetric).
  Metric scoring_metric() const { return scoring_metric_; }
  // Makes a cosine index score by `scoring` from now on, as a file written by an older
  // version asks (before any list is read). Codecs whose code layout depends on the
  // scoring metric rebuild their empty lists through ResetLists.
  virtual void SetCosineScoring(Metric scoring) { scoring_metric_ = scoring; }
  // Replaces the (empty) lists by empty ones of another code size and layout.
  void ResetLists(size_t code_size, std::shared_ptr<const CodeLayout> layout);
  const InvertedLists& lists() const { return lists_; }
  // x - c for each vector x and the centroid c of its list (rows x dim), for codecs of
  // residuals.
  static std::vector<float> Residuals(MatrixView vectors, const int64_t* lists,
                                      MatrixView centroids);
  // What a codec learns from: the rows the coarse k-means trained on (a sample of at
  // most 256 a list of the training vectors, prepared), each with the list k-means' last
  // assignment gave it, so that no codec searches the centroids again.
  struct CodecTrainingSet {
    MatrixView vectors;
    absl::Span<const int64_t> lists;
    int64_t total_rows = 0;  // training vectors given to Train, `vectors` included
  };
  // Learns the codec's own parameters once the coarse centroids are known.
  virtual absl::Status TrainCodec(const CodecTrainingSet& training, MatrixView centroids,
                                  const BuildOptions& options);
  // Writes code_size bytes per vector into `codes` for vectors assigned to `lists`.
  virtual absl::Status Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                              int num_threads) const = 0;
  // The scanner of a block of queries for the shared search loop (one per block, used on
  // one thread), which scores the probed lists of prepared (normalized under cosine) and
  // validated queries.
  virtual std::unique_ptr<ListScanner> MakeScanner() const = 0;
  // The same for a search with `params`, for codecs whose scores depend on a search
  // parameter of their own.
  virtual std::unique_ptr<ListScanner> MakeScannerFor(const SearchParams&) const {
    return MakeScanner();
  }
  // Bytes the codec holds beside the lists (codebooks, precomputed tables).
  virtual size_t CodecMemoryBytes() const { return 0; }
  virtual void WriteCodec(IndexFileWriter* writer) const;
  // Called before the lists are read: a codec whose code format depends on the file (one
  // written by an older version) rebuilds its empty lists through ResetLists here.
  virtual absl::Status ReadCodeFormat(const IndexFileReader& reader);
  virtual absl::Status ReadCodec(const IndexFileReader& reader);

 private:
  absl::Status DoTrain(MatrixView vectors, const BuildOptions& options) final;
  absl::Status DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                     const BuildOptions& options) final;
  const IdMap& id_map() const final { return ids_; }
  absl::Status DoSearch(MatrixView queries, int k, const SearchParams& params,
                        SearchResults* results) const final;
  absl::Status WriteState(IndexFileWriter* writer) const final;
  absl::Status ReadState(const IndexFileReader& reader) final;

  absl::Status SetCentroids(std::vector<float> centroids);

  CoarseQuantizer coarse_;  // empty until trained
  InvertedLists lists_;
  Metric scoring_metric_;
  IdMap ids_;  // the ids themselves live in lists_
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_INDEX_H_
