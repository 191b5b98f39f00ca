// ProductQuantizer: splits a d-dimensional vector into M contiguous sub-vectors of d / M
// dimensions and replaces each by the nearest of 2^nbits centroids learnt for its
// sub-space, so a vector becomes M small integers (Jegou, Douze, Schmid, TPAMI 2011).
// It is the codec of the PQ indexes; the scan kernels score its codes through distance
// tables built from the same centroids.
//
// Codes: nbits = 8 stores one byte per sub-space; nbits = 4 packs two sub-spaces per
// byte, the even sub-space in the low nibble (code_size() = ceil(M / 2)).
//
// Training runs one k-means per sub-space (vqsearch/kmeans.h) on the sub-vectors.
// Encoding assigns sub-vectors to their nearest centroid through BLAS, in batches spread
// over threads; codes do not depend on the thread count.
//
// Anisotropic PQ (SetAnisotropicWeight(eta > 1), for inner-product search; ScaNN's
// score-aware quantization, quant/anisotropic_assignment.h): encoding refines the nearest
// codes by coordinate descent on the loss ||r||^2 + (eta - 1) (r.u)^2, u the datapoint's
// direction, and training follows the k-means codebooks with Lloyd iterations of that
// assignment and of the loss's least-squares codebook update (quant/anisotropic_update.h).

#ifndef VQSEARCH_QUANT_PRODUCT_QUANTIZER_H_
#define VQSEARCH_QUANT_PRODUCT_QUANTIZER_H_

#include <cstdint>
#include <string>
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

class ProductQuantizer {
 public:
  // Errors: dim < 1, num_subspaces < 1 or not dividing dim, nbits other than 4 or 8.
  static absl::StatusOr<ProductQuantizer> Create(int dim, int num_subspaces, int nbits);

  int dim() const { return dim_; }
  int num_subspaces() const { return num_subspaces_; }
  int nbits() const { return nbits_; }
  int sub_dim() const { return dim_ / num_subspaces_; }
  int codebook_size() const { return 1 << nbits_; }
  int code_size() const { return static_cast<int>(SubcodeBytes(num_subspaces_, nbits_)); }
  bool is_trained() const { return !centroids_.empty(); }

  // eta = h_par / h_perp, the weight of the error along the datapoint against the error
  // across it: 0 (the default) or 1 is plain PQ, larger values anisotropic PQ. ScaNN
  // derives it from a score threshold T as eta = (d - 1) t^2 / (1 - t^2), t = T / ||x||;
  // this takes eta directly. Errors: NaN, infinite, negative or in (0, 1).
  absl::Status SetAnisotropicWeight(float eta);
  float anisotropic_weight() const { return anisotropic_weight_; }
  bool anisotropic() const { return anisotropic_weight_ > 1; }

  // Centroid j of sub-space m: sub_dim() floats at centroids()[(m * codebook_size() + j) * sub_dim()].
  absl::Span<const float> centroids() const { return centroids_; }

  // The k-means iterations per sub-space Train runs unless told otherwise.
  static constexpr int kKMeansIterations = 25;

  // Learns the codebooks from at least codebook_size() vectors, with at most
  // `kmeans_iterations` Lloyd iterations per sub-space. `seed` makes it deterministic;
  // progress reports stage "pq", one unit per sub-space (then "pq-anisotropic" when
  // anisotropic).
  //
  // `datapoints`: when `vectors` stand for other vectors (IVF-PQ's residuals x - c), those
  // vectors x, row for row; empty means `vectors` themselves. Only anisotropic PQ reads
  // (and checks) them, for the direction its loss weighs (the same for Encode).
  absl::Status Train(MatrixView vectors, uint64_t seed, const BuildOptions& options,
                     int kmeans_iterations = kKMeansIterations, MatrixView datapoints = {});

  // Writes code_size() bytes per vector into `codes` (vectors.rows * code_size() bytes).
  absl::Status Encode(MatrixView vectors, uint8_t* codes, int num_threads,
                      MatrixView datapoints = {}) const;
  // Writes the reconstruction of each code (rows x dim floats) into `vectors`.
  void Decode(const uint8_t* codes, int64_t rows, float* vectors) const;
  // The centroid index of sub-space m in one vector's code.
  int CodeOf(const uint8_t* code, int m) const { return SubcodeOf(code, nbits_, m); }

  // Mean squared reconstruction error per vector: the mean over rows of ||x - decode(encode(x))||^2
  // (encoded anisotropically when anisotropic(), so larger than plain PQ's).
  absl::StatusOr<double> ReconstructionError(MatrixView vectors, int num_threads) const;

  // The mean over rows of the anisotropic loss ||r||^2 + (eta - 1) (r.u)^2 of
  // decode(encode(x)) with this quantizer's eta (the plain error when eta <= 1).
  absl::StatusOr<double> AnisotropicError(MatrixView vectors, int num_threads,
                                          MatrixView datapoints = {}) const;

  // Sections "<prefix>.dim", ".subspaces", ".nbits", ".centroids" and, when anisotropic,
  // ".anisotropic_weight" (files without it read as plain PQ). Read checks that the saved
  // shape is this quantizer's.
  void Write(absl::string_view prefix, IndexFileWriter* writer) const;
  absl::Status Read(absl::string_view prefix, const IndexFileReader& reader);

 private:
  ProductQuantizer(int dim, int num_subspaces, int nbits)
      : dim_(dim), num_subspaces_(num_subspaces), nbits_(nbits) {}

  // The sub-vectors of sub-space m of the listed rows of `vectors` (every row when
  // `rows` is empty), contiguous.
  std::vector<float> SubVectors(MatrixView vectors, int m, const std::vector<int64_t>& rows) const;
  // Checks `datapoints` against `vectors` and returns them, or `vectors` when empty or
  // when this quantizer is plain.
  absl::StatusOr<MatrixView> DatapointsFor(MatrixView vectors, MatrixView datapoints) const;
  // Assign after the checks every public encoding entry makes (trained, finite vectors
  // of the right dimension, matching datapoints, which it resolves in place).
  absl::Status CheckedAssign(MatrixView vectors, MatrixView* datapoints, int num_threads,
                             std::vector<int32_t>* labels) const;
  // The centroid index per sub-space of each vector (rows x M): the nearest, refined by
  // the anisotropic loss when anisotropic().
  absl::Status Assign(MatrixView vectors, MatrixView datapoints, int32_t* labels,
                      int num_threads) const;
  // The anisotropic loss summed over `vectors` of their reconstructions from `labels`.
  double TotalAnisotropicLoss(MatrixView vectors, MatrixView datapoints,
                              const int32_t* labels) const;
  // Anisotropic Lloyd iterations from the k-means codebooks (the definition says how).
  // Progress reports stage "pq-anisotropic", one unit per kept iteration, with the mean
  // loss as objective.
  absl::Status TrainAnisotropic(MatrixView vectors, MatrixView datapoints,
                                const BuildOptions& options);

  int dim_;
  int num_subspaces_;
  int nbits_;
  std::vector<float> centroids_;  // num_subspaces x codebook_size x sub_dim
  float anisotropic_weight_ = 0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_PRODUCT_QUANTIZER_H_
