// IvfRqIndex (`IVF<nlist>,RQ<m>x<b>`): inverted lists of residuals x - c against the list
// centroid, each encoded by residual quantization (quant/residual_quantizer.h) as the sum
// r_hat of m codewords, and scored by asymmetric distance computation with the query in
// float.
//
// Scoring. RQ codewords span the whole dimension, so unlike PQ the codeword norms do not
// split per stage; the decomposition used keeps the per-query work independent of the
// list:
//   L2:  ||q - c - r_hat||^2 = ||q - c||^2 + (||r_hat||^2 + 2 c.r_hat) - 2 sum_s q.C_s[j_s]
//   IP:  q.(c + r_hat)       = q.c + sum_s q.C_s[j_s]
// The bracket depends on the stored vector only: it is computed when the vector is added
// and kept as a float32 after its RQ code (4 more bytes per vector, L2 only; float32
// rounding is far below the quantization error). The query tables q.C_s[j] (m x 2^b
// floats) are built once per query, by one sgemm per stage for a block of queries
// (m x 2^b x d multiply-adds per query); each probed list then costs d operations for
// ||q - c||^2 or q.c, and each code m table look-ups plus one add.
//
// Encoding uses the quantizer's beam search, beam width from the spec (`RQ<m>x<b>` = beam
// 4, `RQ<m>x<b>_beam<w>` = w): adding costs about m x w x 2^b x d multiply-adds per vector.

#ifndef VQSEARCH_INDEX_IVF_RQ_INDEX_H_
#define VQSEARCH_INDEX_IVF_RQ_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "index/ivf_index.h"
#include "quant/residual_quantizer.h"

namespace vqsearch::internal {

class IvfRqIndex : public IvfIndex {
 public:
  // `rq` must be untrained and of dimension `dim`.
  IvfRqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ResidualQuantizer rq);

  // Every stored vector as the index scores it (its list's centroid plus its decoded
  // residual; size() x dim floats, list by list) with its id in `ids`; for checks and for
  // re-ranking from outside.
  std::vector<float> Reconstruct(std::vector<int64_t>* ids) const;

 protected:
  absl::Status TrainCodec(MatrixView vectors, MatrixView centroids,
                          const BuildOptions& options) override;
  absl::Status Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                      int num_threads) const override;
  void SearchProbed(MatrixView queries, const int64_t* probes, int nprobe, int k,
                    const SearchParams& params, SearchResults* results) const override;
  void WriteCodec(IndexFileWriter* writer) const override;
  absl::Status ReadCodec(const IndexFileReader& reader) override;

 private:
  // L2 codes carry the float32 ||r_hat||^2 + 2 c.r_hat after the RQ code.
  bool stores_norm_term() const { return scoring_metric() == Metric::kL2; }
  // Scores the `entries` codes of one list for one query's `table` into `scores`.
  void ScoreList(const uint8_t* codes, int64_t entries, const float* table, float offset,
                 float* scores) const;

  ResidualQuantizer rq_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_RQ_INDEX_H_
