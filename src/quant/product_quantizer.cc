// Product quantization: per-sub-space k-means codebooks; see product_quantizer.h.

#include "quant/product_quantizer.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "quant/reconstruction_error.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"
#include "util/vector_checks.h"
#include "vqsearch/kmeans.h"

namespace vqsearch::internal {
namespace {

// Vectors encoded per parallel task: enough for each sub-space assignment to be a GEMM
// of useful size, few enough that tasks balance across threads.
constexpr int64_t kEncodeBatch = 4096;

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

std::vector<float> ProductQuantizer::SubVectors(MatrixView vectors, int m) const {
  const int d = sub_dim();
  std::vector<float> out(static_cast<size_t>(vectors.rows) * d);
  for (int64_t i = 0; i < vectors.rows; ++i) {
    std::memcpy(out.data() + i * d, vectors.row(i) + m * d, d * sizeof(float));
  }
  return out;
}

absl::Status ProductQuantizer::Train(MatrixView vectors, uint64_t seed, const BuildOptions& options,
                                     int kmeans_iterations) {
  VQS_RETURN_IF_ERROR(CheckVectors(vectors, dim_, "PQ training vectors"));
  if (vectors.rows < codebook_size()) {
    return absl::InvalidArgumentError(absl::StrCat("PQ with ", nbits_, "-bit codes needs at least ",
                                                   codebook_size(), " training vectors, got ",
                                                   vectors.rows));
  }
  const int d = sub_dim();
  std::vector<float> centroids(static_cast<size_t>(num_subspaces_) * codebook_size() * d);
  for (int m = 0; m < num_subspaces_; ++m) {
    const std::vector<float> sub = SubVectors(vectors, m);
    KMeansOptions kmeans;
    kmeans.num_clusters = codebook_size();
    kmeans.max_iterations = kmeans_iterations;
    kmeans.seed = seed + m;
    kmeans.build.num_threads = options.num_threads;
    VQS_ASSIGN_OR_RETURN(const KMeansResult result, KMeans(MatrixView(sub, d), kmeans));
    std::copy(result.centroids.begin(), result.centroids.end(),
              centroids.begin() + static_cast<size_t>(m) * codebook_size() * d);
    if (options.progress) {
      Progress progress;
      progress.stage = "pq";
      progress.done = m + 1;
      progress.total = num_subspaces_;
      progress.objective = result.objective();
      if (!options.progress(progress)) {
        return absl::CancelledError(absl::StrCat("PQ training cancelled after sub-space ", m + 1));
      }
    }
  }
  centroids_ = std::move(centroids);
  return absl::OkStatus();
}

absl::Status ProductQuantizer::Encode(MatrixView vectors, uint8_t* codes, int num_threads) const {
  if (!is_trained()) return absl::FailedPreconditionError("PQ must be trained before encoding");
  VQS_RETURN_IF_ERROR(CheckVectors(vectors, dim_, "vectors to encode"));
  const int d = sub_dim();
  const int64_t batches = (vectors.rows + kEncodeBatch - 1) / kEncodeBatch;
  std::vector<absl::Status> statuses(batches);
  // Sub-space assignments are exact searches over at most 256 centroids: each batch
  // runs them on one thread, and batches spread over the threads.
  ParallelFor(batches, num_threads, [&](int64_t batch, int) {
    const int64_t begin = batch * kEncodeBatch;
    const MatrixView part = vectors.Slice(begin, std::min(kEncodeBatch, vectors.rows - begin));
    uint8_t* out = codes + begin * code_size();
    std::memset(out, 0, part.rows * code_size());
    for (int m = 0; m < num_subspaces_; ++m) {
      const std::vector<float> sub = SubVectors(part, m);
      const MatrixView codebook(centroids_.data() + static_cast<size_t>(m) * codebook_size() * d,
                                codebook_size(), d);
      auto labels = AssignToCentroids(MatrixView(sub, d), codebook, /*spherical=*/false, 1);
      if (!labels.ok()) {
        statuses[batch] = labels.status();
        return;
      }
      for (int64_t i = 0; i < part.rows; ++i) {
        uint8_t* code = out + i * code_size();
        const auto label = static_cast<uint8_t>((*labels)[i]);
        if (nbits_ == 8) {
          code[m] = label;
        } else {
          code[m / 2] |= (m % 2 == 0) ? label : static_cast<uint8_t>(label << 4);
        }
      }
    }
  });
  for (const absl::Status& status : statuses) VQS_RETURN_IF_ERROR(status);
  return absl::OkStatus();
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
                       reader.Float32(absl::StrCat(prefix, ".centroids")));
  const size_t expected = static_cast<size_t>(num_subspaces_) * codebook_size() * sub_dim();
  if (!centroids.empty() && centroids.size() != expected) {  // empty: saved untrained
    return absl::DataLossError(absl::StrCat("saved PQ has ", centroids.size(),
                                            " centroid values, expected ", expected));
  }
  centroids_.assign(centroids.begin(), centroids.end());
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
