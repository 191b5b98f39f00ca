// NormTermCodec over a one-dimensional residual quantizer; see norm_term_codec.h.

#include "quant/norm_term_codec.h"

#include <vector>

#include "simd/vector_ops.h"
#include "util/row_sample.h"
#include "util/status_macros.h"
#include "util/subcodes.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/build_options.h"

namespace vqsearch::internal {
namespace {

// The term is a scalar: a wide beam costs nothing and finds the best pair of 4-bit levels.
constexpr int kBeamWidth = 16;
constexpr uint64_t kSeed = 4322;

}  // namespace

float NormTerm(const float* residual, const float* centroid, int dim) {
  return SquaredNorm(residual, dim) + 2 * Dot(centroid, residual, dim);
}

std::vector<float> NormTerms(const ResidualCodes& residuals, ResidualDecoder decode) {
  const int dim = residuals.centroids.dim;
  std::vector<float> terms(residuals.rows), decoded(dim);
  for (int64_t i = 0; i < residuals.rows; ++i) {
    decode(residuals.codes + i * residuals.code_size, 1, decoded.data());
    terms[i] = NormTerm(decoded.data(), residuals.centroids.row(residuals.lists[i]), dim);
  }
  return terms;
}

NormTrainingSample::NormTrainingSample(MatrixView all_residuals, absl::Span<const int64_t> all_lists)
    : dim(all_residuals.dim),
      rows(EvenlySpacedRows(all_residuals.rows, NormTermCodec::kTrainingRows)),
      residuals(GatherRows(all_residuals, rows)) {
  lists.reserve(rows.size());
  for (int64_t row : rows) lists.push_back(all_lists[row]);
}

// 8 bits in all, in one or two stages; the arguments are valid by construction.
NormTermCodec::NormTermCodec(int nbits)
    : nbits_(nbits),
      quantizer_(*ResidualQuantizer::Create(/*dim=*/1, SubcodesFor(nbits), nbits,
                                            kBeamWidth)) {}

absl::Status NormTermCodec::Train(absl::Span<const float> terms, int num_threads) {
  BuildOptions quiet;  // a few one-dimensional k-means runs are not worth a progress stage
  quiet.num_threads = num_threads;
  return quantizer_.Train(MatrixView(terms.data(), static_cast<int64_t>(terms.size()), 1), kSeed,
                          quiet);
}

absl::Status NormTermCodec::TrainOnSample(const NormTrainingSample& sample, MatrixView centroids,
                                          size_t code_size, ResidualEncoder encode,
                                          ResidualDecoder decode, int num_threads) {
  const int64_t rows = static_cast<int64_t>(sample.rows.size());
  std::vector<uint8_t> codes(rows * code_size);
  VQS_RETURN_IF_ERROR(encode(sample.residual_view(), codes.data()));
  const ResidualCodes encoded{codes.data(), code_size, rows, sample.lists.data(), centroids};
  return Train(NormTerms(encoded, decode), num_threads);
}

absl::Status NormTermCodec::EncodeTermsInto(const ResidualCodes& residuals, ResidualDecoder decode,
                                            int first_subcode, size_t code_size, uint8_t* codes,
                                            int num_threads) const {
  return EncodeInto(NormTerms(residuals, decode), first_subcode, code_size, codes, num_threads);
}

absl::Status NormTermCodec::EncodeInto(absl::Span<const float> terms, int first_subcode,
                                       size_t code_size, uint8_t* codes, int num_threads) const {
  const int64_t rows = static_cast<int64_t>(terms.size());
  std::vector<uint8_t> norm_codes(static_cast<size_t>(rows) * quantizer_.code_size());
  VQS_RETURN_IF_ERROR(
      quantizer_.Encode(MatrixView(terms.data(), rows, 1), norm_codes.data(), num_threads));
  for (int64_t i = 0; i < rows; ++i) {
    const uint8_t* norm_code = norm_codes.data() + i * quantizer_.code_size();
    for (int s = 0; s < num_subcodes(); ++s) {
      SetSubcode(codes + i * code_size, nbits_, first_subcode + s, quantizer_.CodeOf(norm_code, s));
    }
  }
  return absl::OkStatus();
}

float NormTermCodec::Decode(const uint8_t* code, int first_subcode) const {
  const int levels_per_stage = 1 << nbits_;
  float term = 0;
  for (int s = 0; s < num_subcodes(); ++s) {
    term += levels()[s * levels_per_stage + SubcodeOf(code, nbits_, first_subcode + s)];
  }
  return term;
}

void NormTermCodec::Write(absl::string_view prefix, IndexFileWriter* writer) const {
  quantizer_.Write(prefix, writer);
}

absl::Status NormTermCodec::Read(absl::string_view prefix, const IndexFileReader& reader) {
  return quantizer_.Read(prefix, reader);
}

}  // namespace vqsearch::internal
