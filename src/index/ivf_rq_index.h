// IvfRqIndex (`IVF<nlist>,RQ<m>x8`, `IVF<nlist>,RQ<m>x4fs`): inverted lists of residuals
// x - c against the list centroid, each encoded by residual quantization
// (quant/residual_quantizer.h) as the sum r_hat of m codewords, and scored by asymmetric
// distance computation with the query in float.
//
// Scoring. RQ codewords span the whole dimension, so unlike PQ the codeword norms do not
// split per stage; the decomposition used keeps the per-query work independent of the
// list:
//   L2:  ||q - c - r_hat||^2 = ||q - c||^2 + (||r_hat||^2 + 2 c.r_hat) - 2 sum_s q.C_s[j_s]
//   IP:  q.(c + r_hat)       = q.c + sum_s q.C_s[j_s]
// The bracket, the norm term, depends on the stored vector only. It is computed when the
// vector is added and stored in 8 bits: quantized by a one-dimensional residual
// quantizer trained on the training vectors' terms (one stage of 256 levels for 8-bit
// codes, two of 16 for 4-bit ones), whose levels are constant table rows. A code is then
// m + 1 (or m + 2) sub-codes and its score one sum of table entries, with no special
// case for the norm: the query tables are m x 2^b entries q.C_s[j], built once per query
// by one sgemm per stage for a block of queries, plus the norm rows. Each probed list
// costs d operations for ||q - c||^2 (or q.c) and each code m + 1 (m + 2) look-ups.
//
// Code formats. 8-bit stages (`RQ<m>x8`): one byte per sub-code, scanned by ScanCodes8
// with float tables. 4-bit stages (`RQ<m>x4fs`): the fast-scan blocks of 32 codes and
// uint8 tables of simd/pq4_fast_scan.h; because the tables do not depend on the list,
// they are quantized once per query and each list only moves the bias.
//
// Encoding uses the quantizer's beam search, beam width from the spec (default 4,
// `_beam<w>` = w): adding costs about m x w x 2^b x d multiply-adds per vector.

#ifndef VQSEARCH_INDEX_IVF_RQ_INDEX_H_
#define VQSEARCH_INDEX_IVF_RQ_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "index/codec_entry.h"
#include "index/ivf_index.h"
#include "quant/norm_term_codec.h"
#include "quant/residual_quantizer.h"

namespace vqsearch::internal {

class IvfRqIndex : public IvfIndex {
 public:
  // `rq` must be untrained and of dimension `dim`; 4-bit stages are scanned by fast scan
  // (at most 254 of them, so that sums of 256 table bytes fit in 16 bits).
  IvfRqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ResidualQuantizer rq);

  // Every stored vector as decoded (its list's centroid plus its decoded residual;
  // size() x dim floats, list by list) with its id in `ids`. `norm_errors`, when not
  // null, receives for each vector the error its stored norm term adds to its L2 scores
  // (quantized minus exact; zero under inner product): a scan's distance is the
  // distance to the decoded vector plus that error. For checks and for re-ranking from
  // outside.
  std::vector<float> Reconstruct(std::vector<int64_t>* ids,
                                 std::vector<float>* norm_errors = nullptr) const;

 protected:
  absl::Status TrainCodec(const CodecTrainingSet& training, MatrixView centroids,
                          const BuildOptions& options) override;
  absl::Status Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                      int num_threads) const override;
  std::unique_ptr<ListScanner> MakeScanner() const override;
  // The RQ stages lead the joined code; the norm's are not needed to decode.
  absl::Status DecodeEntry(int64_t list, const uint8_t* code, float* out) const override;
  size_t CodecMemoryBytes() const override;  // the codebooks of both quantizers
  void WriteCodec(IndexFileWriter* writer) const override;
  absl::Status ReadCodec(const IndexFileReader& reader) override;
  void SetCosineScoring(Metric scoring) override;

 private:
  bool fast_scan() const { return rq_.nbits() == 4; }
  bool stores_norm() const { return scoring_metric() == Metric::kL2; }
  // Sub-codes per stored code: the m stages, then the norm's stages under L2.
  int num_subcodes() const;
  // Writes the tables of a block of queries, num_subcodes() x 2^b floats each, scaled
  // so that smaller sums are closer: -2 q.C_s[j] (L2, followed by the norm levels) or
  // -q.C_s[j] (inner product).
  void QueryTables(MatrixView queries, float* tables) const;

  class Scanner;

  ResidualQuantizer rq_;
  NormTermCodec norm_;  // trained only under L2
};

// The factory's entry for RQ<m>x8|x4fs[_beam<w>] (IVF-RQ, or RQ over one list).
extern const CodecEntry kRqCodec;

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_RQ_INDEX_H_
