// IvfPqIndex: inverted lists of product-quantized residuals, scored by asymmetric
// distance computation (ADC): the query stays float and each code's distance is a sum of
// M table entries (quant/pq_distance_tables.h builds the tables). Two code formats:
//
//   IVF<nlist>,PQ<m> / PQ<m>x8   one byte per sub-space, float tables, ScanCodes8
//   IVF<nlist>,PQ<m>x4fs         4 bits per sub-space in fast-scan blocks of 32, tables
//                                quantized to uint8 once per query, FastScan4 with a
//                                SIMD threshold (simd/pq4_fast_scan.h)
//
// Under L2 (and cosine, scored by L2 on unit vectors) a fast-scan code carries its norm
// term in two more 4-bit sub-codes (quant/norm_term_codec.h), one byte a vector, so
// that its table is the same for every list and is quantized once per query instead of
// once per probed list: on lists of tens of vectors building and quantizing a list's
// table cost as much as scanning it. Files written before norm terms existed (section
// "ivfpq.norm_subcodes" absent) keep their codes and are scored with per-list tables.
//
// Codes of residuals or of vectors: training fits both a PQ of the residuals x - c and a
// PQ of the vectors x, and keeps the one whose first-stage scores order the near pairs of
// a training sample with less noise (quant/near_pair_noise.h, tables and their uint8
// rounding included) for the cost of a probed list: residual codes that need a table of
// each list's own (L2 without norm terms) must cut the noise by the factor their tables
// add to the scan of a list (1 + 256 / codes a list under fast scan: 2x on SIFT-1M at
// nlist 4096 and on Fashion-MNIST at 256, whose lists both keep codes of vectors).
// Residuals win where the lists structure the data (100-d word vectors, long lists of
// clustered data); on 384-d word vectors, whose residuals against unit centroids vary
// in length far more than the unit vectors do, codes of the vectors rank better
// (recall 0.87 against 0.77 with Refine(SQ8) at nprobe 16, refine_factor 2). Codes of
// vectors need no norm term: ||q - x^||^2 splits per sub-space whatever the list, so
// their table is quantized once per query. Saved as "ivfpq.codes_of_vectors" (absent in
// files before format version 4: residuals). Anisotropic PQ always encodes residuals.
//
// An anisotropic `pq` (ProductQuantizer::SetAnisotropicWeight) weighs each residual's
// error along its vector's direction, for inner-product scores (spec suffix _eta<eta>).
//
// Without the IVF stage (`PQ<m>`, `PQ<m>x4fs`) the factory builds this index with a
// single list, whose centroid is the data's mean: a flat PQ scan.

#ifndef VQSEARCH_INDEX_IVF_PQ_INDEX_H_
#define VQSEARCH_INDEX_IVF_PQ_INDEX_H_

#include <memory>
#include <string>
#include <vector>

#include "index/codec_entry.h"
#include "index/ivf_index.h"
#include "quant/pq_distance_tables.h"
#include "quant/product_quantizer.h"

namespace vqsearch::internal {

class IvfPqIndex : public IvfIndex {
 public:
  // `pq` must be untrained, of dimension `dim`, with 8 bits per sub-space, or 4 bits
  // (fast scan; at most 256 sub-spaces).
  IvfPqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ProductQuantizer pq);

 protected:
  absl::Status TrainCodec(const CodecTrainingSet& training, MatrixView centroids,
                          const BuildOptions& options) override;
  absl::Status Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                      int num_threads) const override;
  std::unique_ptr<ListScanner> MakeScanner() const override;
  // The PQ code leads a joined code; the norm's sub-codes are not needed to decode.
  absl::Status DecodeEntry(int64_t list, const uint8_t* code, float* out) const override;
  // The codebooks and the precomputed tables (for L2 these take nlist x m x 2^b floats,
  // more than the codes themselves at 8 bits).
  size_t CodecMemoryBytes() const override;
  void WriteCodec(IndexFileWriter* writer) const override;
  absl::Status ReadCodec(const IndexFileReader& reader) override;
  absl::Status ReadCodeFormat(const IndexFileReader& reader) override;
  void SetCosineScoring(Metric scoring) override;

 private:
  bool fast_scan() const { return pq_.nbits() == 4; }
  // Resets the (empty) lists for codes with or without the norm term.
  void SetStoresNorm(bool stores_norm);
  // Trains the codec for codes of residuals (`residuals` of `vectors` in lists `lists`
  // of `centroids`), with norm terms when they keep tables precise.
  absl::Status TrainOnResiduals(MatrixView vectors, MatrixView residuals,
                                absl::Span<const int64_t> lists, MatrixView centroids,
                                const BuildOptions& options);
  // Trains the codec for codes of the vectors themselves (progress stage "pq-vectors").
  absl::Status TrainOnVectors(MatrixView vectors, MatrixView centroids,
                              const BuildOptions& options);
  // The near-pair score noise (quant/near_pair_noise.h) of the trained codec on `sample`
  // (vectors in lists `sample_lists`, queries rows `queries` of it), each code scored as
  // the first stage scores it.
  absl::StatusOr<double> FirstStageNoise(MatrixView sample, const std::vector<int64_t>& sample_lists,
                                         const std::vector<int64_t>& queries,
                                         MatrixView centroids, int num_threads) const;
  // Encode against explicit centroids (training encodes before they are the index's).
  absl::Status EncodeAgainst(MatrixView centroids, MatrixView vectors, const int64_t* lists,
                             uint8_t* codes, int num_threads) const;
  // The tables for lists of centroids `centroids`.
  std::unique_ptr<PqDistanceTables> MakeTables(MatrixView centroids) const;

  ProductQuantizer pq_;
  NormTermCodec norm_{4};
  bool stores_norm_;
  PqCodes codes_ = PqCodes::kResiduals;
  std::unique_ptr<PqDistanceTables> tables_;  // null until trained
};

// The factory's entry for PQ<m>[x8|x4fs][_eta<eta>] (IVF-PQ, or PQ over one list).
extern const CodecEntry kPqCodec;

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_PQ_INDEX_H_
