// Residual quantization: stage-by-stage k-means codebooks, beam-search encoding; see
// residual_quantizer.h.

#include "quant/residual_quantizer.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "linalg/gemm.h"
#include "quant/reconstruction_error.h"
#include "search/top_k.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"
#include "util/progress_reporter.h"
#include "util/status_macros.h"
#include "linalg/vector_checks.h"
#include "vqsearch/kmeans.h"

namespace vqsearch::internal {
namespace {

// Partial encodings (vectors x beam width) expanded per parallel task: enough for each
// stage's sgemm against the codebook to be of useful size, few enough that the batch's
// residual buffers (this many x dim floats, twice) stay bounded and that tasks balance
// across threads.
constexpr int64_t kBeamRowsPerBatch = 2048;

}  // namespace

absl::StatusOr<ResidualQuantizer> ResidualQuantizer::Create(int dim, int num_stages, int nbits,
                                                            int beam_width) {
  if (dim < 1) return absl::InvalidArgumentError(absl::StrCat("RQ dimension must be >= 1, got ", dim));
  if (num_stages < 1) {
    return absl::InvalidArgumentError(absl::StrCat("RQ needs at least one stage, got ", num_stages));
  }
  if (nbits != 4 && nbits != 8) {
    return absl::InvalidArgumentError(absl::StrCat("RQ supports 4 or 8 bits per stage, got ", nbits));
  }
  if (beam_width < 1 || beam_width > kMaxBeamWidth) {
    return absl::InvalidArgumentError(absl::StrCat("RQ beam width must be in [1, ", kMaxBeamWidth,
                                                   "], got ", beam_width));
  }
  return ResidualQuantizer(dim, num_stages, nbits, beam_width);
}

void ResidualQuantizer::SetCodebooks(std::vector<float> codebooks) {
  codebooks_ = std::move(codebooks);
  codeword_norms_.resize(codebooks_.size() / dim_);
  SquaredNorms(MatrixView(codebooks_, dim_), codeword_norms_.data());
}

absl::Status ResidualQuantizer::Train(MatrixView vectors, uint64_t seed,
                                      const BuildOptions& options, int kmeans_iterations) {
  VQS_RETURN_IF_ERROR(CheckVectors(vectors, dim_, "RQ training vectors"));
  if (vectors.rows < codebook_size()) {
    return absl::InvalidArgumentError(absl::StrCat("RQ with ", nbits_, "-bit codes needs at least ",
                                                   codebook_size(), " training vectors, got ",
                                                   vectors.rows));
  }
  SetCodebooks({});
  std::vector<float> codebooks, residuals(vectors.size());
  std::vector<int32_t> labels;
  const ProgressReporter progress("rq", num_stages_, options.progress);
  for (int s = 0; s < num_stages_; ++s) {
    // What the training vectors keep after the s stages learnt so far, encoded as every
    // later vector will be, so stage s learns the residuals it will actually see.
    labels.resize(static_cast<size_t>(vectors.rows) * s);
    EncodeLabels(vectors, labels.data(), residuals.data(), options.num_threads);
    KMeansOptions kmeans;
    kmeans.num_clusters = codebook_size();
    kmeans.max_iterations = kmeans_iterations;
    kmeans.seed = seed + s;
    kmeans.build.num_threads = options.num_threads;
    VQS_ASSIGN_OR_RETURN(const KMeansResult result, KMeans(MatrixView(residuals, dim_), kmeans));
    codebooks.insert(codebooks.end(), result.centroids.begin(), result.centroids.end());
    SetCodebooks(codebooks);
    if (!progress.Report(s + 1, result.objective())) {
      SetCodebooks({});
      return absl::CancelledError(absl::StrCat("RQ training cancelled after stage ", s + 1));
    }
  }
  return absl::OkStatus();
}

void ResidualQuantizer::EncodeBatch(MatrixView vectors, int32_t* labels, float* residuals) const {
  const int stages = trained_stages(), ksub = codebook_size();
  const int64_t rows = vectors.rows;
  // The beam: `width` partial encodings per vector, row i * width + b, with their
  // residuals, squared residual norms and labels (stages so far per encoding).
  int64_t width = 1;
  std::vector<float> beam(vectors.data, vectors.data + vectors.size()), beam_norms(rows);
  SquaredNorms(vectors, beam_norms.data());
  std::vector<int32_t> beam_labels;
  std::vector<float> dots, next, next_norms, best_scores;
  std::vector<int32_t> next_labels;
  std::vector<int64_t> best_candidates;
  for (int s = 0; s < stages; ++s) {
    const float* codebook = codebooks_.data() + static_cast<size_t>(s) * ksub * dim_;
    const float* word_norms = codeword_norms_.data() + static_cast<size_t>(s) * ksub;
    dots.resize(rows * width * ksub);
    InnerProducts(MatrixView(beam.data(), rows * width, dim_), MatrixView(codebook, ksub, dim_),
                  1.0f, 0.0f, dots.data(), ksub);
    const int64_t next_width = std::min<int64_t>(beam_width_, width * ksub);
    next.resize(rows * next_width * dim_);
    next_norms.resize(rows * next_width);
    next_labels.resize(rows * next_width * (s + 1));
    best_scores.resize(next_width);
    best_candidates.resize(next_width);
    TopK best(static_cast<int>(next_width));
    for (int64_t i = 0; i < rows; ++i) {
      // Candidate b * ksub + j extends encoding b by codeword j; TopK breaks ties by the
      // smaller candidate, so the beam does not depend on anything but the data.
      best.Clear();
      for (int64_t b = 0; b < width; ++b) {
        const int64_t parent = i * width + b;
        const float* parent_dots = dots.data() + parent * ksub;
        for (int j = 0; j < ksub; ++j) {
          best.Push(beam_norms[parent] - 2 * parent_dots[j] + word_norms[j], b * ksub + j);
        }
      }
      best.ExtractSorted(best_scores.data(), best_candidates.data(),
                         std::numeric_limits<float>::infinity());
      for (int64_t t = 0; t < next_width; ++t) {
        const int64_t parent = i * width + best_candidates[t] / ksub;
        const auto word = static_cast<int32_t>(best_candidates[t] % ksub);
        const int64_t child = i * next_width + t;
        // The exact norm of the new residual, so rounding in the expansion formula does
        // not build up over the stages.
        next_norms[child] = SubtractAndSquaredNorm(beam.data() + parent * dim_,
                                                   codebook + static_cast<size_t>(word) * dim_,
                                                   dim_, next.data() + child * dim_);
        std::copy_n(beam_labels.data() + parent * s, s, next_labels.data() + child * (s + 1));
        next_labels[child * (s + 1) + s] = word;
      }
    }
    beam.swap(next);
    beam_norms.swap(next_norms);
    beam_labels.swap(next_labels);
    width = next_width;
  }
  for (int64_t i = 0; i < rows; ++i) {
    const float* norms = beam_norms.data() + i * width;
    const int64_t chosen = i * width + (std::min_element(norms, norms + width) - norms);
    std::copy_n(beam_labels.data() + chosen * stages, stages, labels + i * stages);
    if (residuals != nullptr) {
      std::copy_n(beam.data() + chosen * dim_, dim_, residuals + i * dim_);
    }
  }
}

void ResidualQuantizer::EncodeLabels(MatrixView vectors, int32_t* labels, float* residuals,
                                     int num_threads) const {
  const int64_t batch = std::max<int64_t>(1, kBeamRowsPerBatch / beam_width_);
  const int64_t batches = (vectors.rows + batch - 1) / batch;
  const int stages = trained_stages();
  ParallelFor(batches, num_threads, [&](int64_t task, int) {
    const int64_t begin = task * batch;
    EncodeBatch(vectors.Slice(begin, std::min(batch, vectors.rows - begin)),
                labels + begin * stages, residuals == nullptr ? nullptr : residuals + begin * dim_);
  });
}

absl::Status ResidualQuantizer::Encode(MatrixView vectors, uint8_t* codes, int num_threads) const {
  if (!is_trained()) return absl::FailedPreconditionError("RQ must be trained before encoding");
  VQS_RETURN_IF_ERROR(CheckVectors(vectors, dim_, "vectors to encode"));
  std::vector<int32_t> labels(static_cast<size_t>(vectors.rows) * num_stages_);
  EncodeLabels(vectors, labels.data(), nullptr, num_threads);
  PackSubcodes(labels.data(), vectors.rows, num_stages_, nbits_, codes);
  return absl::OkStatus();
}

void ResidualQuantizer::Decode(const uint8_t* codes, int64_t rows, float* vectors) const {
  std::fill_n(vectors, rows * dim_, 0.0f);
  for (int64_t i = 0; i < rows; ++i) {
    const uint8_t* code = codes + i * code_size();
    for (int s = 0; s < num_stages_; ++s) {
      const float* word =
          codebooks_.data() + (static_cast<size_t>(s) * codebook_size() + CodeOf(code, s)) * dim_;
      Accumulate(word, dim_, vectors + i * dim_);
    }
  }
}

absl::StatusOr<double> ResidualQuantizer::ReconstructionError(MatrixView vectors,
                                                              int num_threads) const {
  return MeanReconstructionError(*this, vectors, num_threads);
}

void ResidualQuantizer::Write(absl::string_view prefix, IndexFileWriter* writer) const {
  writer->AddInt64Scalar(absl::StrCat(prefix, ".dim"), dim_);
  writer->AddInt64Scalar(absl::StrCat(prefix, ".stages"), num_stages_);
  writer->AddInt64Scalar(absl::StrCat(prefix, ".nbits"), nbits_);
  writer->AddFloat32(absl::StrCat(prefix, ".codebooks"), codebooks_);
}

absl::Status ResidualQuantizer::Read(absl::string_view prefix, const IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(const int64_t dim, reader.Int64Scalar(absl::StrCat(prefix, ".dim")));
  VQS_ASSIGN_OR_RETURN(const int64_t stages, reader.Int64Scalar(absl::StrCat(prefix, ".stages")));
  VQS_ASSIGN_OR_RETURN(const int64_t nbits, reader.Int64Scalar(absl::StrCat(prefix, ".nbits")));
  if (dim != dim_ || stages != num_stages_ || nbits != nbits_) {
    return absl::DataLossError(absl::StrCat("saved RQ is ", stages, "x", nbits, " over ", dim,
                                            " dimensions, expected ", num_stages_, "x", nbits_,
                                            " over ", dim_));
  }
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> codebooks,
                       reader.FiniteFloat32(absl::StrCat(prefix, ".codebooks")));
  const size_t expected = static_cast<size_t>(num_stages_) * codebook_size() * dim_;
  if (!codebooks.empty() && codebooks.size() != expected) {  // empty: saved untrained
    return absl::DataLossError(absl::StrCat("saved RQ has ", codebooks.size(),
                                            " codebook values, expected ", expected));
  }
  SetCodebooks(std::vector<float>(codebooks.begin(), codebooks.end()));
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
