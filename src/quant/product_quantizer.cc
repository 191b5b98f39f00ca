// Product quantization: per-sub-space k-means codebooks; see product_quantizer.h.

#include "quant/product_quantizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "linalg/gemm.h"
#include "quant/anisotropic_assignment.h"
#include "quant/anisotropic_update.h"
#include "quant/reconstruction_error.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"
#include "util/progress_reporter.h"
#include "util/row_sample.h"
#include "util/status_macros.h"
#include "linalg/vector_checks.h"
#include "vqsearch/kmeans.h"

namespace vqsearch::internal {
namespace {

// Vectors encoded per parallel task: enough for each sub-space assignment to be a GEMM
// of useful size, few enough that tasks balance across threads.
constexpr int64_t kEncodeBatch = 4096;
// Coordinate-descent rounds per vector: each round visits every sub-space. Every change
// strictly lowers the loss, so the descent ends by itself (usually within three rounds);
// the cap bounds the cost of the rare long descent.
constexpr int kAnisotropicRounds = 8;
// Anisotropic Lloyd iterations after k-means: the loss drops most in the first few.
constexpr int kAnisotropicIterations = 8;

// Sub-spaces of fewer dimensions are assigned by direct products rather than sgemm: a
// product of a few columns is too thin for sgemm to pay for copying the sub-vectors out.
// FAISS's ProductQuantizer::compute_codes switches at 16; vectorized across points, the
// direct products were faster through 8 dimensions (Fashion-MNIST's PQ98: encoding 8%
// faster than by sgemm). Scores differ from sgemm's only by float rounding.
constexpr int kSgemmSubDim = kMaxDirectProductDim + 1;
// Rows the direct products take through all sub-spaces at once (a few dozen KB).
constexpr int64_t kDirectRows = 64;

// Writes the index of the nearest of `codebook` (whose squared norms are `norms`) to each
// row of `sub` into labels[i * stride], using `products` (sub.rows x codebook.rows
// floats). The scores ||c||^2 - 2 x.c and the tie to the lower index are those of
// AssignToCentroids, without its input checks (Assign's callers made them, and training
// made the codebooks) and its one-entry heaps, which cost more than the products
// themselves for 16 codewords of a few dimensions.
void NearestCodewords(MatrixView sub, MatrixView codebook, const float* norms, float* products,
                      int32_t* labels, int stride) {
  constexpr int64_t kAssignBlock = 2048;  // NearestRows' block of queries
  const int64_t ksub = codebook.rows;
  for (int64_t first = 0; first < sub.rows; first += kAssignBlock) {
    const MatrixView block = sub.Slice(first, std::min(kAssignBlock, sub.rows - first));
    InnerProducts(block, codebook, -2.0f, 0.0f, products, ksub);
    for (int64_t i = 0; i < block.rows; ++i) {
      const float* row = products + i * ksub;
      float best = std::numeric_limits<float>::infinity();
      int32_t label = 0;
      for (int64_t j = 0; j < ksub; ++j) {
        const float score = row[j] + 0.0f + norms[j];
        if (score < best) {
          best = score;
          label = static_cast<int32_t>(j);
        }
      }
      labels[(first + i) * stride] = label;
    }
  }
}

}  // namespace

absl::StatusOr<ProductQuantizer> ProductQuantizer::Create(int dim, int num_subspaces, int nbits) {
  if (dim < 1) return absl::InvalidArgumentError(absl::StrCat("PQ dimension must be >= 1, got ", dim));
  if (num_subspaces < 1 || dim % num_subspaces != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PQ with ", num_subspaces, " sub-spaces needs a number that divides the dimension ", dim));
  }
  if (nbits != 4 && nbits != 8) {
    return absl::InvalidArgumentError(
        absl::StrCat("PQ supports 4 or 8 bits per sub-space, got ", nbits));
  }
  return ProductQuantizer(dim, num_subspaces, nbits);
}

absl::Status ProductQuantizer::SetAnisotropicWeight(float eta) {
  if (!std::isfinite(eta) || eta < 0 || (eta > 0 && eta < 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the anisotropic weight eta must be >= 1 (or 0 for plain PQ), got ", eta));
  }
  anisotropic_weight_ = eta;
  return absl::OkStatus();
}

std::vector<float> ProductQuantizer::SubVectors(MatrixView vectors, int m,
                                                const std::vector<int64_t>& rows) const {
  const int d = sub_dim();
  const int64_t count = rows.empty() ? vectors.rows : static_cast<int64_t>(rows.size());
  std::vector<float> out(static_cast<size_t>(count) * d);
  for (int64_t i = 0; i < count; ++i) {
    const float* row = vectors.row(rows.empty() ? i : rows[i]);
    std::copy_n(row + m * d, d, out.data() + i * d);
  }
  return out;
}

absl::StatusOr<MatrixView> ProductQuantizer::DatapointsFor(MatrixView vectors,
                                                           MatrixView datapoints) const {
  // Plain PQ never reads them: no need to scan them for NaNs.
  if (datapoints.empty() || !anisotropic()) return vectors;
  if (datapoints.rows != vectors.rows) {
    return absl::InvalidArgumentError(absl::StrCat("PQ got ", datapoints.rows,
                                                   " datapoints for ", vectors.rows, " vectors"));
  }
  VQS_RETURN_IF_ERROR(CheckVectors(datapoints, dim_, "PQ datapoints"));
  return datapoints;
}

absl::Status ProductQuantizer::Train(MatrixView vectors, uint64_t seed, const BuildOptions& options,
                                     int kmeans_iterations, MatrixView datapoints) {
  VQS_RETURN_IF_ERROR(CheckVectors(vectors, dim_, "PQ training vectors"));
  VQS_ASSIGN_OR_RETURN(datapoints, DatapointsFor(vectors, datapoints));
  if (vectors.rows < codebook_size()) {
    return absl::InvalidArgumentError(absl::StrCat("PQ with ", nbits_, "-bit codes needs at least ",
                                                   codebook_size(), " training vectors, got ",
                                                   vectors.rows));
  }
  const int d = sub_dim();
  std::vector<float> centroids(static_cast<size_t>(num_subspaces_) * codebook_size() * d);
  const ProgressReporter progress("pq", num_subspaces_, options.progress);
  // Each sub-space's k-means learns from at most its cap of rows, drawn per sub-space
  // here so that only those rows' sub-vectors are copied.
  const int64_t cap = int64_t{KMeansOptions().max_points_per_centroid} * codebook_size();
  for (int m = 0; m < num_subspaces_; ++m) {
    std::mt19937_64 rng(seed + m);
    const std::vector<float> sub =
        SubVectors(vectors, m, vectors.rows > cap ? RandomRows(vectors.rows, cap, &rng)
                                                  : std::vector<int64_t>());
    KMeansOptions kmeans;
    kmeans.num_clusters = codebook_size();
    kmeans.max_iterations = kmeans_iterations;
    kmeans.seed = seed + m;
    kmeans.build.num_threads = options.num_threads;
    VQS_ASSIGN_OR_RETURN(const KMeansResult result, KMeans(MatrixView(sub, d), kmeans));
    std::copy(result.centroids.begin(), result.centroids.end(),
              centroids.begin() + static_cast<size_t>(m) * codebook_size() * d);
    if (!progress.Report(m + 1, result.objective())) {
      return absl::CancelledError(absl::StrCat("PQ training cancelled after sub-space ", m + 1));
    }
  }
  if (!anisotropic()) {
    centroids_ = std::move(centroids);
    return absl::OkStatus();
  }
  // The anisotropic iterations refine centroids_ in place; a cancelled training leaves
  // the quantizer as it was.
  std::swap(centroids_, centroids);
  const absl::Status status = TrainAnisotropic(vectors, datapoints, options);
  if (!status.ok()) centroids_ = std::move(centroids);
  return status;
}

// Lloyd iterations on the anisotropic loss: assign every training vector by coordinate
// descent, then solve for the centroids that minimize the loss of those codes
// (quant/anisotropic_update.h). Neither step raises the loss; iterations stop when it no
// longer falls (rounding can make a step a hair worse, which is then undone).
//
// The iterations learn from at most as many vectors as each sub-space's k-means did
// (max_points_per_centroid per codeword): a few hundred points per codeword fix its
// position as well as more would, and every iteration costs time in proportion.
absl::Status ProductQuantizer::TrainAnisotropic(MatrixView all_vectors, MatrixView all_datapoints,
                                                const BuildOptions& options) {
  const std::vector<int64_t> picked = EvenlySpacedRows(
      all_vectors.rows, int64_t{KMeansOptions().max_points_per_centroid} * codebook_size());
  const std::vector<float> sampled_vectors = GatherRows(all_vectors, picked);
  const std::vector<float> sampled_datapoints = GatherRows(all_datapoints, picked);
  const MatrixView vectors(sampled_vectors, dim_), datapoints(sampled_datapoints, dim_);
  std::vector<int32_t> labels(static_cast<size_t>(vectors.rows) * num_subspaces_);
  VQS_RETURN_IF_ERROR(Assign(vectors, datapoints, labels.data(), options.num_threads));
  double loss = TotalAnisotropicLoss(vectors, datapoints, labels.data());
  const ProgressReporter progress("pq-anisotropic", kAnisotropicIterations, options.progress);
  for (int iteration = 0; iteration < kAnisotropicIterations; ++iteration) {
    std::vector<float> previous = centroids_;
    UpdateCodebooksAnisotropic(vectors, datapoints, labels.data(), anisotropic_weight_,
                               num_subspaces_, codebook_size(), centroids_.data());
    // A huge eta (the spec fuzzer's 4e21) overflows the update's solve into NaN
    // codewords, which the loss comparison below would not catch (NaN >= loss is false):
    // such a step is undone like one that does not lower the loss.
    if (!std::all_of(centroids_.begin(), centroids_.end(), [](float c) { return std::isfinite(c); })) {
      centroids_ = std::move(previous);
      break;
    }
    std::vector<int32_t> next(labels.size());
    VQS_RETURN_IF_ERROR(Assign(vectors, datapoints, next.data(), options.num_threads));
    const double next_loss = TotalAnisotropicLoss(vectors, datapoints, next.data());
    if (!(next_loss < loss)) {
      centroids_ = std::move(previous);
      break;
    }
    loss = next_loss;
    labels = std::move(next);
    if (!progress.Report(iteration + 1, loss / vectors.rows)) {
      return absl::CancelledError(
          absl::StrCat("anisotropic PQ training cancelled after iteration ", iteration + 1));
    }
  }
  return absl::OkStatus();
}

absl::Status ProductQuantizer::Assign(MatrixView vectors, MatrixView datapoints, int32_t* labels,
                                      int num_threads) const {
  const int d = sub_dim(), ksub = codebook_size();
  const int64_t batches = (vectors.rows + kEncodeBatch - 1) / kEncodeBatch;
  const ProductCodebooks codebooks{centroids_.data(), num_subspaces_, ksub, d};
  std::vector<float> codeword_norms(static_cast<size_t>(num_subspaces_) * ksub);
  SquaredNorms(MatrixView(centroids_.data(), num_subspaces_ * ksub, d), codeword_norms.data());
  // Per sub-space, the codebook's d x ksub transpose, for the direct products.
  std::vector<float> transposed;
  if (d < kSgemmSubDim) {
    transposed.resize(centroids_.size());
    for (int m = 0; m < num_subspaces_; ++m) {
      const float* codebook = centroids_.data() + static_cast<size_t>(m) * ksub * d;
      float* out = transposed.data() + static_cast<size_t>(m) * d * ksub;
      for (int j = 0; j < ksub; ++j) {
        for (int t = 0; t < d; ++t) out[t * ksub + j] = codebook[j * d + t];
      }
    }
  }
  const SingleThreadedBlas single_threaded_blas;  // threads run batches, not sgemm
  // Sub-space assignments are exact searches over at most 256 centroids: each batch
  // runs them on one thread, and batches spread over the threads.
  ParallelFor(batches, num_threads, [&](int64_t batch, int) {
    const int64_t begin = batch * kEncodeBatch;
    const MatrixView part = vectors.Slice(begin, std::min(kEncodeBatch, vectors.rows - begin));
    int32_t* out = labels + begin * num_subspaces_;
    if (d < kSgemmSubDim) {
      // A few rows at a time through every sub-space, so that they stay in cache.
      for (int64_t first = 0; first < part.rows; first += kDirectRows) {
        const int64_t rows = std::min(kDirectRows, part.rows - first);
        for (int m = 0; m < num_subspaces_; ++m) {
          NearestByDirectProducts(part.row(first) + m * d, part.dim, rows, d,
                                  transposed.data() + static_cast<size_t>(m) * d * ksub,
                                  codeword_norms.data() + m * ksub, ksub,
                                  out + first * num_subspaces_ + m, num_subspaces_);
        }
      }
    } else {
      std::vector<float> products(static_cast<size_t>(part.rows) * ksub);
      for (int m = 0; m < num_subspaces_; ++m) {
        const std::vector<float> sub = SubVectors(part, m, {});
        const MatrixView codebook(centroids_.data() + static_cast<size_t>(m) * ksub * d, ksub, d);
        NearestCodewords(MatrixView(sub, d), codebook, codeword_norms.data() + m * ksub,
                         products.data(), out + m, num_subspaces_);
      }
    }
    if (!anisotropic()) return;
    std::vector<float> direction(dim_), scratch;
    for (int64_t i = 0; i < part.rows; ++i) {
      UnitDirection(datapoints.row(begin + i), dim_, direction.data());
      RefineLabelsAnisotropic(part.row(i), direction.data(), codebooks, anisotropic_weight_,
                              kAnisotropicRounds, out + i * num_subspaces_, &scratch);
    }
  });
  return absl::OkStatus();
}

double ProductQuantizer::TotalAnisotropicLoss(MatrixView vectors, MatrixView datapoints,
                                              const int32_t* labels) const {
  const int d = sub_dim();
  const float eta = anisotropic() ? anisotropic_weight_ : 1.0f;
  std::vector<float> direction(dim_), reconstruction(dim_);
  double total = 0;
  for (int64_t i = 0; i < vectors.rows; ++i) {
    for (int m = 0; m < num_subspaces_; ++m) {
      const float* centroid =
          centroids_.data() +
          (static_cast<size_t>(m) * codebook_size() + labels[i * num_subspaces_ + m]) * d;
      std::memcpy(reconstruction.data() + m * d, centroid, d * sizeof(float));
    }
    UnitDirection(datapoints.row(i), dim_, direction.data());
    total += AnisotropicLoss(vectors.row(i), reconstruction.data(), direction.data(), dim_, eta);
  }
  return total;
}

absl::Status ProductQuantizer::CheckedAssign(MatrixView vectors, MatrixView* datapoints,
                                             int num_threads, std::vector<int32_t>* labels) const {
  if (!is_trained()) return absl::FailedPreconditionError("PQ must be trained before encoding");
  VQS_RETURN_IF_ERROR(CheckVectors(vectors, dim_, "vectors to encode"));
  VQS_ASSIGN_OR_RETURN(*datapoints, DatapointsFor(vectors, *datapoints));
  labels->resize(static_cast<size_t>(vectors.rows) * num_subspaces_);
  return Assign(vectors, *datapoints, labels->data(), num_threads);
}

absl::Status ProductQuantizer::Encode(MatrixView vectors, uint8_t* codes, int num_threads,
                                      MatrixView datapoints) const {
  std::vector<int32_t> labels;
  VQS_RETURN_IF_ERROR(CheckedAssign(vectors, &datapoints, num_threads, &labels));
  PackSubcodes(labels.data(), vectors.rows, num_subspaces_, nbits_, codes);
  return absl::OkStatus();
}

absl::StatusOr<double> ProductQuantizer::AnisotropicError(MatrixView vectors, int num_threads,
                                                          MatrixView datapoints) const {
  std::vector<int32_t> labels;
  VQS_RETURN_IF_ERROR(CheckedAssign(vectors, &datapoints, num_threads, &labels));
  return vectors.rows > 0 ? TotalAnisotropicLoss(vectors, datapoints, labels.data()) / vectors.rows
                          : 0.0;
}

void ProductQuantizer::Decode(const uint8_t* codes, int64_t rows, float* vectors) const {
  const int d = sub_dim();
  for (int64_t i = 0; i < rows; ++i) {
    const uint8_t* code = codes + i * code_size();
    for (int m = 0; m < num_subspaces_; ++m) {
      const float* centroid =
          centroids_.data() + (static_cast<size_t>(m) * codebook_size() + CodeOf(code, m)) * d;
      std::memcpy(vectors + i * dim_ + m * d, centroid, d * sizeof(float));
    }
  }
}

absl::StatusOr<double> ProductQuantizer::ReconstructionError(MatrixView vectors,
                                                             int num_threads) const {
  return MeanReconstructionError(*this, vectors, num_threads);
}

void ProductQuantizer::Write(absl::string_view prefix, IndexFileWriter* writer) const {
  writer->AddInt64Scalar(absl::StrCat(prefix, ".dim"), dim_);
  writer->AddInt64Scalar(absl::StrCat(prefix, ".subspaces"), num_subspaces_);
  writer->AddInt64Scalar(absl::StrCat(prefix, ".nbits"), nbits_);
  writer->AddFloat32(absl::StrCat(prefix, ".centroids"), centroids_);
  if (anisotropic()) {
    // The writer keeps the span, not the value, so it points at the member.
    writer->AddFloat32(absl::StrCat(prefix, ".anisotropic_weight"),
                       absl::MakeConstSpan(&anisotropic_weight_, 1));
  }
}

absl::Status ProductQuantizer::Read(absl::string_view prefix, const IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(const int64_t dim, reader.Int64Scalar(absl::StrCat(prefix, ".dim")));
  VQS_ASSIGN_OR_RETURN(const int64_t subspaces, reader.Int64Scalar(absl::StrCat(prefix, ".subspaces")));
  VQS_ASSIGN_OR_RETURN(const int64_t nbits, reader.Int64Scalar(absl::StrCat(prefix, ".nbits")));
  if (dim != dim_ || subspaces != num_subspaces_ || nbits != nbits_) {
    return absl::DataLossError(absl::StrCat("saved PQ is ", subspaces, "x", nbits, " over ", dim,
                                            " dimensions, expected ", num_subspaces_, "x", nbits_,
                                            " over ", dim_));
  }
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> centroids,
                       reader.FiniteFloat32(absl::StrCat(prefix, ".centroids")));
  const size_t expected = static_cast<size_t>(num_subspaces_) * codebook_size() * sub_dim();
  if (!centroids.empty() && centroids.size() != expected) {  // empty: saved untrained
    return absl::DataLossError(absl::StrCat("saved PQ has ", centroids.size(),
                                            " centroid values, expected ", expected));
  }
  float eta = 0;
  if (const std::string name = absl::StrCat(prefix, ".anisotropic_weight"); reader.Has(name)) {
    VQS_ASSIGN_OR_RETURN(absl::Span<const float> weight, reader.Float32(name));
    if (weight.size() != 1) return absl::DataLossError("saved PQ has a malformed anisotropic weight");
    eta = weight[0];
  }
  if (absl::Status valid = SetAnisotropicWeight(eta); !valid.ok()) {
    return absl::DataLossError(valid.message());
  }
  centroids_.assign(centroids.begin(), centroids.end());
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
