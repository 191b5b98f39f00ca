// ResidualQuantizer: approximates a vector by a sum of M codewords, one from each of M
// codebooks of 2^nbits codewords, where codebook s quantizes what stages 0..s-1 left
// over (residual quantization, Juang and Gray 1982; with beam-search encoding as in
// Babenko and Lempitsky's additive quantization and FAISS's ResidualQuantizer). Unlike
// PQ every codeword spans the whole dimension, so the stages can follow correlations
// between dimensions; at equal bytes it reconstructs structured data more closely.
//
// Codes: nbits = 8 stores one byte per stage; nbits = 4 packs two stages per byte, the
// even stage in the low nibble (code_size() = ceil(M / 2)), as ProductQuantizer does.
//
// Training runs stage by stage: codebook s is k-means (vqsearch/kmeans.h) over the
// residuals the training vectors keep after being encoded, by the encoder below, with
// the s codebooks already learnt.
//
// Encoding is a beam search: the `beam_width` best partial encodings (smallest squared
// residual norm) are kept after each stage, each is extended by every codeword of the
// next stage, and the best `beam_width` extensions survive. The norms come from
// ||r - c||^2 = ||r||^2 - 2 r.c + ||c||^2 with all r.c of a batch in one sgemm per stage.
// beam_width 1 is greedy encoding; wider beams cost proportionally more and encode
// better on average (not for every vector: a path that looks best early can be pushed
// out of the beam by ones that end worse). Vectors are encoded in batches spread over
// threads; codes do not depend on the thread count.

#ifndef VQSEARCH_QUANT_RESIDUAL_QUANTIZER_H_
#define VQSEARCH_QUANT_RESIDUAL_QUANTIZER_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "util/subcodes.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/build_options.h"

namespace vqsearch::internal {

class IndexFileWriter;
class IndexFileReader;

class ResidualQuantizer {
 public:
  // Beams wider than this buy nothing measurable and would make the per-batch buffers
  // (batch x beam x dim floats) large.
  static constexpr int kMaxBeamWidth = 256;

  // Errors: dim < 1, num_stages < 1, nbits other than 4 or 8, beam_width outside
  // [1, kMaxBeamWidth].
  static absl::StatusOr<ResidualQuantizer> Create(int dim, int num_stages, int nbits,
                                                  int beam_width);

  int dim() const { return dim_; }
  int num_stages() const { return num_stages_; }
  int nbits() const { return nbits_; }
  int beam_width() const { return beam_width_; }
  int codebook_size() const { return 1 << nbits_; }
  int code_size() const { return static_cast<int>(SubcodeBytes(num_stages_, nbits_)); }
  bool is_trained() const { return trained_stages() == num_stages_; }

  // Bytes of the codebooks and their codewords' norms.
  size_t MemoryUsageBytes() const {
    return (codebooks_.size() + codeword_norms_.size()) * sizeof(float);
  }
  // Codeword j of stage s: dim() floats at codebooks()[(s * codebook_size() + j) * dim()].
  absl::Span<const float> codebooks() const { return codebooks_; }

  // Learns the codebooks from at least codebook_size() vectors, with at most
  // `kmeans_iterations` Lloyd iterations per stage. `seed` makes it deterministic;
  // progress reports stage "rq", one unit per stage.
  absl::Status Train(MatrixView vectors, uint64_t seed, const BuildOptions& options,
                     int kmeans_iterations = 25);

  // Writes code_size() bytes per vector into `codes` (vectors.rows * code_size() bytes).
  absl::Status Encode(MatrixView vectors, uint8_t* codes, int num_threads) const;
  // Writes the reconstruction of each code (rows x dim floats) into `vectors`.
  void Decode(const uint8_t* codes, int64_t rows, float* vectors) const;
  // The codeword index of stage s in one vector's code.
  int CodeOf(const uint8_t* code, int s) const { return SubcodeOf(code, nbits_, s); }

  // Mean squared reconstruction error per vector: the mean over rows of ||x - decode(encode(x))||^2.
  absl::StatusOr<double> ReconstructionError(MatrixView vectors, int num_threads) const;

  // Sections "<prefix>.dim", ".stages", ".nbits" and ".codebooks". Read checks that the
  // saved shape is this quantizer's (the beam width is an encoding choice, not saved).
  void Write(absl::string_view prefix, IndexFileWriter* writer) const;
  absl::Status Read(absl::string_view prefix, const IndexFileReader& reader);

 private:
  ResidualQuantizer(int dim, int num_stages, int nbits, int beam_width)
      : dim_(dim), num_stages_(num_stages), nbits_(nbits), beam_width_(beam_width) {}

  int trained_stages() const {
    return static_cast<int>(codebooks_.size() / (static_cast<size_t>(codebook_size()) * dim_));
  }
  // Sets codebooks_ and the codeword norms the beam search needs.
  void SetCodebooks(std::vector<float> codebooks);
  // Beam-search encodes `vectors` (one thread) with the trained_stages() codebooks
  // learnt so far, writing one label per stage and vector (rows x trained_stages()) and,
  // when `residuals` is not null, what each vector keeps after them (rows x dim).
  void EncodeBatch(MatrixView vectors, int32_t* labels, float* residuals) const;
  // EncodeBatch over batches of the rows, on up to `num_threads` threads.
  void EncodeLabels(MatrixView vectors, int32_t* labels, float* residuals, int num_threads) const;

  int dim_;
  int num_stages_;
  int nbits_;
  int beam_width_;
  std::vector<float> codebooks_;      // trained stages x codebook_size x dim
  std::vector<float> codeword_norms_;  // ||codeword||^2, trained stages x codebook_size
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_RESIDUAL_QUANTIZER_H_
