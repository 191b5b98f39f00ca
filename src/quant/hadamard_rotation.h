// HadamardRotation: a seeded random orthogonal transform that costs O(D log D) per vector
// instead of the d x d matrix product of a dense random rotation. RaBitQ codes
// (quant/rabitq_quantizer.h) need their vectors in a random basis, so that every
// coordinate of a unit vector is about 1/sqrt(D) and the sign of each says about as much.
//
// Shape: the input of `dim` floats is padded with zeros to D = dim rounded up to a
// multiple of 64 (RaBitQ's bit planes are then whole 64-bit words). Let B be the largest
// power of two <= D. Each of kRounds rounds is
//   x <- H_tail S_2 H_head S_1 x
// where S_1, S_2 flip the signs of random coordinates (of all D), H_head is the
// normalized Walsh-Hadamard transform of coordinates [0, B) and H_tail that of
// [D - B, D). Every factor is orthogonal, so the product is. Why blocks that overlap
// instead of padding to the next power of two: B > D / 2, so the two blocks cover every
// coordinate and, after the first round, every output depends on every input, while the
// output stays D-dimensional; padding 784 to 1024 would cost RaBitQ 30% more bits per
// vector for the same information. (When D is a power of two the tail block is the head
// block and each round is two sign-flip + Hadamard passes.)
//
// The signs are drawn from the seed and saved with the index, so a file does not depend
// on the generator's implementation.

#ifndef VQSEARCH_QUANT_HADAMARD_ROTATION_H_
#define VQSEARCH_QUANT_HADAMARD_ROTATION_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

class IndexFileWriter;
class IndexFileReader;

class HadamardRotation {
 public:
  static constexpr int kRounds = 3;

  HadamardRotation() = default;
  // Errors: dim < 1.
  static absl::StatusOr<HadamardRotation> Create(int dim, uint64_t seed);

  // D for `dim`: dim rounded up to a multiple of 64.
  static int PaddedDim(int dim) { return (dim + 63) / 64 * 64; }

  int dim() const { return dim_; }
  int padded_dim() const { return padded_dim_; }

  // out (padded_dim floats) = the rotation of x (dim floats). x and out may not overlap.
  void Apply(const float* x, float* out) const;
  // out (dim floats) = the transpose of Apply applied to y (padded_dim floats): the
  // factors undone in reverse order, then the padding cropped. So Invert(Apply(x)) = x,
  // and <Apply(x), y> = <x, Invert(y)> for every y, also when y has weight on the
  // padding (which Invert drops). y and out may not overlap.
  void Invert(const float* y, float* out) const;
  // The rotation of every row, into `out` (rows x padded_dim floats), on `num_threads`
  // threads (util/parallel_for.h).
  void ApplyRows(MatrixView vectors, float* out, int num_threads) const;

  // Sections "<prefix>.dim" and "<prefix>.signs" (one byte, 0 or 1, per coordinate of
  // each sign flip).
  void Write(absl::string_view prefix, IndexFileWriter* writer) const;
  absl::Status Read(absl::string_view prefix, const IndexFileReader& reader);

 private:
  explicit HadamardRotation(int dim) : dim_(dim), padded_dim_(PaddedDim(dim)) {}
  size_t sign_count() const { return size_t{2} * kRounds * padded_dim_; }

  int dim_ = 0;
  int padded_dim_ = 0;
  std::vector<uint8_t> flips_;  // 2 * kRounds * padded_dim: 1 where a sign flips
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_HADAMARD_ROTATION_H_
