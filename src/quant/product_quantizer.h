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

#ifndef VQSEARCH_QUANT_PRODUCT_QUANTIZER_H_
#define VQSEARCH_QUANT_PRODUCT_QUANTIZER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/progress.h"

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
  int code_size() const { return nbits_ == 8 ? num_subspaces_ : (num_subspaces_ + 1) / 2; }
  bool is_trained() const { return !centroids_.empty(); }

  // Centroid j of sub-space m: sub_dim() floats at centroids()[(m * codebook_size() + j) * sub_dim()].
  absl::Span<const float> centroids() const { return centroids_; }

  // Learns the codebooks from at least codebook_size() vectors, with at most
  // `kmeans_iterations` Lloyd iterations per sub-space. `seed` makes it deterministic;
  // progress reports stage "pq", one unit per sub-space.
  absl::Status Train(MatrixView vectors, uint64_t seed, const BuildOptions& options,
                     int kmeans_iterations = 25);

  // Writes code_size() bytes per vector into `codes` (vectors.rows * code_size() bytes).
  absl::Status Encode(MatrixView vectors, uint8_t* codes, int num_threads) const;
  // Writes the reconstruction of each code (rows x dim floats) into `vectors`.
  void Decode(const uint8_t* codes, int64_t rows, float* vectors) const;
  // The centroid index of sub-space m in one vector's code.
  int CodeOf(const uint8_t* code, int m) const {
    if (nbits_ == 8) return code[m];
    return (m % 2 == 0) ? (code[m / 2] & 0x0F) : (code[m / 2] >> 4);
  }

  // Mean squared reconstruction error per vector: the mean over rows of ||x - decode(encode(x))||^2.
  absl::StatusOr<double> ReconstructionError(MatrixView vectors, int num_threads) const;

  // Sections "<prefix>.dim", ".subspaces", ".nbits" and ".centroids". Read checks that
  // the saved shape is this quantizer's.
  void Write(absl::string_view prefix, IndexFileWriter* writer) const;
  absl::Status Read(absl::string_view prefix, const IndexFileReader& reader);

 private:
  ProductQuantizer(int dim, int num_subspaces, int nbits)
      : dim_(dim), num_subspaces_(num_subspaces), nbits_(nbits) {}

  // The sub-vectors of sub-space m of `vectors`, contiguous.
  std::vector<float> SubVectors(MatrixView vectors, int m) const;

  int dim_;
  int num_subspaces_;
  int nbits_;
  std::vector<float> centroids_;  // num_subspaces x codebook_size x sub_dim
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_PRODUCT_QUANTIZER_H_
