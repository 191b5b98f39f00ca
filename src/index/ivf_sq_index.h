// IvfSqIndex (`IVF<nlist>,SQ8`, `,SQ4`, `,SQfp16`, `,SQ8nu`, `,SQ4nu`): inverted lists of
// scalar-quantized vectors (quant/scalar_quantizer.h), scored by the SIMD kernels with
// the query kept in float.
//
// Direct or residual codes: a list can hold the vectors themselves (as FAISS's IVF-SQ
// does with by_residual = false) or their residuals x - c against the list centroid (as
// FAISS 1.7.3 does by default). Residuals span a smaller range, so a uniform quantizer's
// steps shrink and fp16 keeps more relative precision, which wins on continuous data;
// but data that direct codes already store exactly, such as 8-bit pixels under SQ8, turns
// into residuals that no longer fall on the grid. Neither choice is right for every
// dataset, so training makes it from the data: it trains a quantizer both ways and keeps
// the one with the lower reconstruction error on the training vectors (which bounds the
// distance error, and so the recall, at equal bytes per vector).
//
// Scoring: the shared IVF loop (index/ivf_scan_loop.h) scans the lists list by list over
// blocks of queries, so a list's codes are read from memory once per block; the scanner
// folds the query into the kernel weights per probed list (SqScorer::Reset, with the
// centroid as offset for residual codes).

#ifndef VQSEARCH_INDEX_IVF_SQ_INDEX_H_
#define VQSEARCH_INDEX_IVF_SQ_INDEX_H_

#include <memory>
#include <string>

#include "index/codec_entry.h"
#include "index/ivf_index.h"
#include "quant/scalar_quantizer.h"

namespace vqsearch::internal {

class IvfSqIndex : public IvfIndex {
 public:
  // `sq` must be untrained and of dimension `dim`.
  IvfSqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ScalarQuantizer sq);

  // Whether the lists hold residuals (decided by training).
  bool by_residual() const { return by_residual_; }

 protected:
  absl::Status TrainCodec(const CodecTrainingSet& training, MatrixView centroids,
                          const BuildOptions& options) override;
  absl::Status Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                      int num_threads) const override;
  std::unique_ptr<ListScanner> MakeScanner() const override;
  absl::Status DecodeEntry(int64_t list, const uint8_t* code, float* out) const override;
  void WriteCodec(IndexFileWriter* writer) const override;
  absl::Status ReadCodec(const IndexFileReader& reader) override;

 private:
  ScalarQuantizer sq_;
  bool by_residual_ = false;
};

// The factory's entry for SQ<type>: SqIndex as a whole spec, IvfSqIndex after IVF<nlist>.
extern const CodecEntry kSqCodec;

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_SQ_INDEX_H_
