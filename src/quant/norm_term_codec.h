// NormTermCodec: the one scalar per stored vector that makes an IVF codec's L2 query
// tables independent of the list. A residual r = x - c against list centroid c, encoded
// as r_hat, scores
//   ||q - c - r_hat||^2 = ||q - c||^2 + beta - 2 q.r_hat,   beta = ||r_hat||^2 + 2 c.r_hat
// where ||q - c||^2 is one number per probed list, q.r_hat a sum of per-query table
// entries (the same for every list), and beta depends on the stored vector alone. Stored
// in 8 bits as extra sub-codes of the vector's code (two 4-bit sub-codes beside 4-bit
// codes, one byte beside 8-bit ones), beta needs no special case in a scan: its levels
// are constant table rows. The levels are a one-dimensional residual quantizer's
// codewords, trained on the terms of training vectors encoded as they will be stored.
//
// IVF-RQ and IVF-PQ fast scan use it; without it a PQ list's table must be rebuilt and
// requantized for every probed list, which on short lists costs as much as the scan.

#ifndef VQSEARCH_QUANT_NORM_TERM_CODEC_H_
#define VQSEARCH_QUANT_NORM_TERM_CODEC_H_

#include <cstddef>
#include <cstdint>

#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "quant/residual_quantizer.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// beta of a decoded residual `residual` in the list of centroid `centroid`.
float NormTerm(const float* residual, const float* centroid, int dim);

// A residual codec's Encode (residuals -> codes) and Decode (`rows` codes -> residuals),
// which the norm terms are computed through: a term is that of the residual as stored.
using ResidualEncoder = absl::FunctionRef<absl::Status(MatrixView residuals, uint8_t* codes)>;
using ResidualDecoder =
    absl::FunctionRef<void(const uint8_t* codes, int64_t rows, float* residuals)>;

// Residual codes of `code_size` bytes, `rows` of them, each of a vector in list lists[i]
// of `centroids`.
struct ResidualCodes {
  const uint8_t* codes;
  size_t code_size;
  int64_t rows;
  const int64_t* lists;
  MatrixView centroids;
};

// The norm term of each decoded residual of `residuals`.
std::vector<float> NormTerms(const ResidualCodes& residuals, ResidualDecoder decode);

// The training residuals a NormTermCodec learns from: evenly spaced rows of the training
// set, at most kTrainingRows of them.
struct NormTrainingSample {
  // Samples `residuals` of training vectors assigned to lists `lists`.
  NormTrainingSample(MatrixView residuals, absl::Span<const int64_t> lists);

  MatrixView residual_view() const { return MatrixView(residuals, dim); }

  int dim;
  std::vector<int64_t> rows;     // of the training set, increasing
  std::vector<float> residuals;  // rows.size() x dim
  std::vector<int64_t> lists;    // the list of each sampled row
};

class NormTermCodec {
 public:
  // Terms the codec learns from at most (256 per level of an 8-bit code).
  static constexpr int64_t kTrainingRows = 256 * 256;

  // For codes of `nbits` (4 or 8) bits per sub-code.
  explicit NormTermCodec(int nbits);

  // Sub-codes the term adds to a code of `nbits` bits per sub-code.
  static int SubcodesFor(int nbits) { return 8 / nbits; }
  int num_subcodes() const { return SubcodesFor(nbits_); }
  bool is_trained() const { return quantizer_.is_trained(); }

  // Learns the levels from `terms` (all finite; at least 2^nbits of them).
  absl::Status Train(absl::Span<const float> terms, int num_threads);
  // Learns the levels from the terms of `sample`'s residuals encoded as they will be
  // stored: by `encode`, into codes of `code_size` bytes, decoded back by `decode`.
  absl::Status TrainOnSample(const NormTrainingSample& sample, MatrixView centroids,
                             size_t code_size, ResidualEncoder encode, ResidualDecoder decode,
                             int num_threads);

  // Writes the term of vector i into sub-codes [first_subcode, first_subcode +
  // num_subcodes()) of codes + i * code_size, leaving its other sub-codes as they are.
  absl::Status EncodeInto(absl::Span<const float> terms, int first_subcode, size_t code_size,
                          uint8_t* codes, int num_threads) const;
  // The stored term of a code whose norm sub-codes start at first_subcode.
  float Decode(const uint8_t* code, int first_subcode) const;
  // EncodeInto of the terms of `residuals`, decoded by `decode`.
  absl::Status EncodeTermsInto(const ResidualCodes& residuals, ResidualDecoder decode,
                               int first_subcode, size_t code_size, uint8_t* codes,
                               int num_threads) const;

  // num_subcodes() rows of 2^nbits levels: the table rows of the norm's sub-codes.
  absl::Span<const float> levels() const { return quantizer_.codebooks(); }

  size_t MemoryUsageBytes() const { return quantizer_.MemoryUsageBytes(); }

  // The quantizer's sections under `prefix`; Read also checks the codec's shape.
  void Write(absl::string_view prefix, IndexFileWriter* writer) const;
  absl::Status Read(absl::string_view prefix, const IndexFileReader& reader);

 private:
  int nbits_;
  ResidualQuantizer quantizer_;  // dimension 1
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_NORM_TERM_CODEC_H_
