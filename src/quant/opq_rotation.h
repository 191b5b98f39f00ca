// OpqRotation: the learned rotation of optimized product quantization (Ge, He, Ke, Sun,
// CVPR 2013; FAISS's OPQMatrix). PQ cuts a vector into fixed contiguous sub-spaces; when
// the variance or the correlations of the data do not line up with those cuts, an
// orthogonal rotation R applied first lowers the quantization error a lot, and leaves
// every L2 distance and inner product unchanged.
//
// Training alternates two steps on a sample (the non-parametric OPQ of the paper):
//   1. with R fixed, train a PQ on the rotated sample R x and reconstruct it (y),
//   2. with the reconstructions fixed, the best rotation is the orthogonal Procrustes
//      solution: R = V U^T where X^T Y = U S V^T (one SVD of a d x d matrix).
// R starts as a random rotation, which already spreads variance evenly over sub-spaces.

#ifndef VQSEARCH_QUANT_OPQ_ROTATION_H_
#define VQSEARCH_QUANT_OPQ_ROTATION_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/build_options.h"

namespace vqsearch::internal {

class IndexFileWriter;
class IndexFileReader;

class OpqRotation {
 public:
  // Errors: dim < 1, num_subspaces < 1 or not dividing dim, nbits other than 4 or 8.
  static absl::StatusOr<OpqRotation> Create(int dim, int num_subspaces, int nbits);

  int dim() const { return dim_; }
  int num_subspaces() const { return num_subspaces_; }
  bool is_trained() const { return !rotation_.empty(); }
  // R, row-major dim x dim: the rotated vector is R x.
  const std::vector<float>& matrix() const { return rotation_; }

  // Learns R from the rows of `vectors` (at least 2^nbits of them; a deterministic sample
  // of at most kMaxTrainingVectors is used). Progress reports stage "opq", one unit per
  // alternation.
  absl::Status Train(MatrixView vectors, uint64_t seed, const BuildOptions& options);

  // R x for every row, into `out` (resized to rows x dim).
  void Apply(MatrixView vectors, std::vector<float>* out) const;

  // Sections "<prefix>.dim", ".subspaces", ".nbits", ".matrix".
  void Write(absl::string_view prefix, IndexFileWriter* writer) const;
  absl::Status Read(absl::string_view prefix, const IndexFileReader& reader);

  static constexpr int64_t kMaxTrainingVectors = 16384;
  static constexpr int kIterations = 10;

 private:
  OpqRotation(int dim, int num_subspaces, int nbits)
      : dim_(dim), num_subspaces_(num_subspaces), nbits_(nbits) {}

  int dim_;
  int num_subspaces_;
  int nbits_;
  std::vector<float> rotation_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_OPQ_ROTATION_H_
