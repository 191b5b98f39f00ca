// IvfRaBitQIndex (`IVF<nlist>,RaBitQ<b>`, b = 1..8): inverted lists of RaBitQ codes of the
// residuals x - c after a random Hadamard rotation (quant/hadamard_rotation.h,
// quant/rabitq_quantizer.h): b bits per dimension plus 16 bytes of factors per vector,
// scored by unbiased distance estimates with the bitwise kernels of simd/rabitq_scan.h.
//
// The rotation is drawn at training and saved; the lists' rotated centroids P c are kept
// in memory (rebuilt on load), so a probed list costs its query only a subtraction and
// the query's quantization (quant/rabitq_scorer.h), which the shared IVF loop
// (index/ivf_scan_loop.h) does list by list over blocks of queries, as for SQ codes.
// Under inner product the estimate is <c, q> + <r, P q>; under cosine vectors and queries
// are normalized and scored by L2, as every IVF codec does (index/codec_metric.h).
//
// Search parameter rerank_bound = e > 0 makes the scores the lower ends of the estimates'
// error bounds at confidence eps0 = e / 10, so that the candidates are those of smallest
// lower bound, for the bound-driven re-ranking of Refine(Flat) (index/refine_index.h).
//
// `IVF<nlist>,RaBitQ<b>fs` and `...fs16` keep the same codes in fast-scan blocks, with the
// 1-bit code's factors beside the b-bit ones (quant/rabitq_fast_scan.h): the pshufb
// kernels give every entry its 1-bit estimate from uint8 (fs) or 16-bit (fs16) tables,
// and for b > 1 only entries whose 1-bit lower bound can enter the top k are scored by
// the bitwise b-bit estimate. The padded dimension is then at most 1024.
//
// Without the IVF stage (`RaBitQ<b>`) the factory builds this index with a single list,
// whose centroid is the data's mean: a flat RaBitQ scan.
//
// Reconstruct decodes an entry to x_hat = c + P^T r_hat (quant/rabitq_quantizer.h):
// <x_hat - c, u> is the scan's estimate of <x - c, u> for every u, so under inner product
// <x_hat, q> is the estimated score itself, and under L2 the estimate is ||x - c||^2 +
// ||q - c||^2 - 2 <x_hat - c, q - c> (the stored norm, not ||x_hat - c||, which is
// larger). ||x - x_hat|| is at most sqrt(D - 1) times the code's error factor (exactly
// when dim = D; cropping the padding drops part of it): on 100-d Gaussian data about 0.66
// ||x - c|| at 1 bit, halving with every bit. Every layout decodes alike, a fast-scan
// entry holding the same b-bit code.

#ifndef VQSEARCH_INDEX_IVF_RABITQ_INDEX_H_
#define VQSEARCH_INDEX_IVF_RABITQ_INDEX_H_

#include <memory>
#include <string>
#include <vector>

#include "index/codec_entry.h"
#include "index/ivf_index.h"
#include "quant/hadamard_rotation.h"
#include "quant/rabitq_fast_scan.h"
#include "quant/rabitq_quantizer.h"

namespace vqsearch::internal {

// How the lists hold and scan the codes.
enum class RaBitQScan {
  kBitwise,     // RaBitQ<b>: codes in a row, the bitwise scorer
  kFastScan,    // RaBitQ<b>fs: fast-scan blocks, uint8 tables
  kFastScan16,  // RaBitQ<b>fs16: fast-scan blocks, 16-bit tables
};

class IvfRaBitQIndex : public IvfIndex {
 public:
  // `bits` in [1, 8]; for the fast-scan kinds, the padded dimension of `dim` at most
  // RaBitQFastScanFormat::kMaxPaddedDim (the factory checks both).
  IvfRaBitQIndex(std::string spec, int dim, Metric metric, int64_t nlist, int bits,
                 RaBitQScan scan = RaBitQScan::kBitwise);

  const RaBitQQuantizer& quantizer() const { return quantizer_; }
  // P, drawn at training (empty before).
  const HadamardRotation& rotation() const { return rotation_; }
  // nprobe, and rerank_bound (for Refine's bound-driven re-ranking).
  std::vector<SearchParamInfo> search_params() const override;

 protected:
  absl::Status TrainCodec(const CodecTrainingSet& training, MatrixView centroids,
                          const BuildOptions& options) override;
  absl::Status Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                      int num_threads) const override;
  std::unique_ptr<ListScanner> MakeScanner() const override;
  // c + P^T r_hat, cropped to dim: r_hat the point the code decodes to
  // (RaBitQQuantizer::Decode), whose inner product with a query is the index's estimate.
  absl::Status DecodeEntry(int64_t list, const uint8_t* code, float* out) const override;
  // Under SearchParams::rerank_bound, scores are the lower ends of the bounds.
  std::unique_ptr<ListScanner> MakeScannerFor(const SearchParams& params) const override;
  size_t CodecMemoryBytes() const override;
  void WriteCodec(IndexFileWriter* writer) const override;
  absl::Status ReadCodec(const IndexFileReader& reader) override;

 private:
  // P c for every centroid.
  void RotateCentroids(MatrixView centroids);

  RaBitQQuantizer quantizer_;
  RaBitQScan scan_;
  RaBitQFastScanFormat fast_scan_format_;  // the fast-scan kinds' layout
  HadamardRotation rotation_;
  std::vector<float> rotated_centroids_;  // nlist x padded_dim
};

// The factory's entry for RaBitQ<b>: IVF-RaBitQ after IVF<nlist>, one list as a whole spec.
extern const CodecEntry kRaBitQCodec;

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_RABITQ_INDEX_H_
