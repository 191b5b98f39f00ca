// OPQ rotation training by alternating PQ and orthogonal Procrustes; see opq_rotation.h.

#include "quant/opq_rotation.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "linalg/gemm.h"
#include "linalg/svd.h"
#include "quant/product_quantizer.h"
#include "util/progress_reporter.h"
#include "util/row_sample.h"
#include "util/status_macros.h"
#include "linalg/vector_checks.h"

namespace vqsearch::internal {
namespace {

// Lloyd iterations of each inner PQ training: the codebooks only need to follow the
// rotation, which changes a little per alternation.
constexpr int kPqIterations = 8;

// rows x cols row-major -> cols x rows row-major.
std::vector<float> Transpose(const float* a, int64_t rows, int64_t cols) {
  std::vector<float> t(static_cast<size_t>(rows) * cols);
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) t[j * rows + i] = a[i * cols + j];
  }
  return t;
}

// The orthogonal matrix nearest (in Frobenius norm) to `c`'s polar factor: with
// c = U S V^T, returns V U^T, the R maximizing trace(R c).
absl::StatusOr<std::vector<float>> ProcrustesRotation(int d, const std::vector<float>& c) {
  std::vector<float> u(static_cast<size_t>(d) * d), s(d), vt(static_cast<size_t>(d) * d);
  VQS_RETURN_IF_ERROR(SquareSvd(d, c.data(), u.data(), s.data(), vt.data()));
  // (V U^T)[i][j] = sum_k V[i][k] U[j][k]: rows of V (columns of vt) against rows of U.
  const std::vector<float> v = Transpose(vt.data(), d, d);
  std::vector<float> rotation(static_cast<size_t>(d) * d);
  InnerProducts(MatrixView(v.data(), d, d), MatrixView(u.data(), d, d), 1.0f, 0.0f,
                rotation.data(), d);
  return rotation;
}

// Every `step`-th row, at most `limit` rows: deterministic and spread over the input.
}  // namespace

absl::StatusOr<OpqRotation> OpqRotation::Create(int dim, int num_subspaces, int nbits) {
  // The inner PQ has the same shape rules.
  VQS_RETURN_IF_ERROR(ProductQuantizer::Create(dim, num_subspaces, nbits).status());
  return OpqRotation(dim, num_subspaces, nbits);
}

absl::Status OpqRotation::Train(MatrixView vectors, uint64_t seed, const BuildOptions& options) {
  VQS_RETURN_IF_ERROR(CheckVectors(vectors, dim_, "OPQ training vectors"));
  const ProgressReporter progress("opq", kIterations, options.progress);
  const int d = dim_;
  const std::vector<float> sample =
      GatherRows(vectors, EvenlySpacedRows(vectors.rows, kMaxTrainingVectors));
  const MatrixView x(sample, d);

  // A random rotation: the orthogonal polar factor of a Gaussian matrix.
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> gaussian(static_cast<size_t>(d) * d);
  for (float& g : gaussian) g = normal(rng);
  VQS_ASSIGN_OR_RETURN(std::vector<float> rotation, ProcrustesRotation(d, gaussian));

  VQS_ASSIGN_OR_RETURN(ProductQuantizer pq, ProductQuantizer::Create(d, num_subspaces_, nbits_));
  std::vector<float> rotated(sample.size()), decoded(sample.size());
  std::vector<uint8_t> codes(static_cast<size_t>(x.rows) * pq.code_size());
  std::vector<float> correlation(static_cast<size_t>(d) * d);
  BuildOptions inner;
  inner.num_threads = options.num_threads;
  for (int iteration = 0; iteration < kIterations; ++iteration) {
    // 1. PQ of the rotated sample, and its reconstruction.
    InnerProducts(x, MatrixView(rotation.data(), d, d), 1.0f, 0.0f, rotated.data(), d);
    VQS_RETURN_IF_ERROR(pq.Train(MatrixView(rotated, d), seed + iteration, inner, kPqIterations));
    VQS_RETURN_IF_ERROR(pq.Encode(MatrixView(rotated, d), codes.data(), options.num_threads));
    pq.Decode(codes.data(), x.rows, decoded.data());
    // 2. Procrustes on X^T Y.
    TransposedProduct(x, MatrixView(decoded, d), correlation.data());
    VQS_ASSIGN_OR_RETURN(rotation, ProcrustesRotation(d, correlation));
    if (!progress.Report(iteration + 1)) {
      return absl::CancelledError(absl::StrCat("OPQ training cancelled after iteration ", iteration + 1));
    }
  }
  rotation_ = std::move(rotation);
  return absl::OkStatus();
}

void OpqRotation::Apply(MatrixView vectors, std::vector<float>* out) const {
  out->resize(vectors.size());
  // (R x)[a] = R_a . x: each row against each row of R.
  InnerProducts(vectors, MatrixView(rotation_.data(), dim_, dim_), 1.0f, 0.0f, out->data(), dim_);
}

void OpqRotation::Write(absl::string_view prefix, IndexFileWriter* writer) const {
  writer->AddInt64Scalar(absl::StrCat(prefix, ".dim"), dim_);
  writer->AddInt64Scalar(absl::StrCat(prefix, ".subspaces"), num_subspaces_);
  writer->AddInt64Scalar(absl::StrCat(prefix, ".nbits"), nbits_);
  writer->AddFloat32(absl::StrCat(prefix, ".matrix"), rotation_);
}

absl::Status OpqRotation::Read(absl::string_view prefix, const IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(const int64_t dim, reader.Int64Scalar(absl::StrCat(prefix, ".dim")));
  VQS_ASSIGN_OR_RETURN(const int64_t subspaces, reader.Int64Scalar(absl::StrCat(prefix, ".subspaces")));
  VQS_ASSIGN_OR_RETURN(const int64_t nbits, reader.Int64Scalar(absl::StrCat(prefix, ".nbits")));
  if (dim != dim_ || subspaces != num_subspaces_ || nbits != nbits_) {
    return absl::DataLossError(absl::StrCat("saved OPQ is ", subspaces, "x", nbits, " over ", dim,
                                            " dimensions; expected ", num_subspaces_, "x", nbits_,
                                            " over ", dim_));
  }
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> matrix,
                       reader.FiniteFloat32(absl::StrCat(prefix, ".matrix"), int64_t{dim_} * dim_));
  rotation_.assign(matrix.begin(), matrix.end());
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
