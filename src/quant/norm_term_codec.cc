// NormTermCodec over a one-dimensional residual quantizer; see norm_term_codec.h.

#include "quant/norm_term_codec.h"

#include <algorithm>
#include <vector>

#include "linalg/vector_checks.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"
#include "util/row_sample.h"
#include "util/status_macros.h"
#include "util/subcodes.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/build_options.h"

namespace vqsearch::internal {
namespace {

// The term is a scalar: in training, a wide beam costs little and finds the best pair
// of 4-bit levels.
constexpr int kBeamWidth = 16;
constexpr uint64_t kSeed = 4322;
// Terms encoded per parallel task.
constexpr int64_t kEncodeChunk = 4096;

// A value the codec can store: one level per stage, summed in stage order as Decode
// sums them, and the levels' indices as digits of `combination` (stage 0 lowest).
struct StoredValue {
  float value;
  int combination;
};

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
  VQS_RETURN_IF_ERROR(CheckVectors(MatrixView(terms.data(), rows, 1), 1, "norm terms"));
  // Every value the code can hold (2^8 in all), in increasing order: each term takes the
  // nearest by binary search, the best code there is, where a residual quantizer's beam
  // search over the stages cost a microsecond a term (11% of a SIFT-1M IVF-PQ build).
  const int per_stage = 1 << nbits_;
  std::vector<StoredValue> stored(size_t{1} << (nbits_ * num_subcodes()));
  for (size_t c = 0; c < stored.size(); ++c) {
    float value = 0;
    for (int s = 0, rest = static_cast<int>(c); s < num_subcodes(); ++s, rest /= per_stage) {
      value += levels()[s * per_stage + rest % per_stage];
    }
    stored[c] = {value, static_cast<int>(c)};
  }
  std::stable_sort(stored.begin(), stored.end(),
                   [](const StoredValue& a, const StoredValue& b) { return a.value < b.value; });
  const int64_t chunks = (rows + kEncodeChunk - 1) / kEncodeChunk;
  ParallelFor(chunks, num_threads, [&](int64_t chunk, int) {
    const int64_t end = std::min(rows, (chunk + 1) * kEncodeChunk);
    for (int64_t i = chunk * kEncodeChunk; i < end; ++i) {
      const float term = terms[i];
      auto above = std::lower_bound(
          stored.begin(), stored.end(), term,
          [](const StoredValue& candidate, float value) { return candidate.value < value; });
      if (above == stored.end() ||
          (above != stored.begin() && term - (above - 1)->value <= above->value - term)) {
        --above;
      }
      for (int s = 0, rest = above->combination; s < num_subcodes(); ++s, rest /= per_stage) {
        SetSubcode(codes + i * code_size, nbits_, first_subcode + s, rest % per_stage);
      }
    }
  });
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
