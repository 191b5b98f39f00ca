// ScalarQuantizer: compresses each dimension of a vector on its own, to 8 or 4 bits or to
// a half-precision float. It is the codec of the SQ indexes (`SQ8`, `IVF<n>,SQ8`, ...) and
// of Refine(SQ8) storage; simd/sq_scan.h scores its codes without decoding them to memory.
//
// Types (the spec names in quotes):
//   "SQ8", "SQ4"     uniform: 256 or 16 evenly spaced levels per dimension between a low
//                    and a high value learnt from training data (SqOptions::range);
//                    value(c) = low + c * step with step = (high - low) / (levels - 1), so
//                    both ends are levels and data with at most `levels` evenly spaced
//                    values (8-bit pixels) is stored exactly under min/max. Values outside
//                    [low, high] are clamped.
//   "SQfp16"         IEEE half precision, nothing to learn; values beyond +-65504 saturate.
//   "SQ8nu", "SQ4nu" non-uniform: 256 or 16 levels per dimension placed by Lloyd-Max
//                    (1-D k-means, run exactly on the sorted training values), a value is
//                    coded by its nearest level. Lloyd starts from the min/max uniform
//                    levels, so on the training data its squared error never exceeds
//                    theirs; it wins on skewed dimensions (long tails, spikes).
//
// Codes: one byte per dimension (8-bit), two dimensions per byte with the even one in the
// low nibble (4-bit), two bytes per dimension (fp16); see simd/sq_scan.h.

#ifndef VQSEARCH_QUANT_SCALAR_QUANTIZER_H_
#define VQSEARCH_QUANT_SCALAR_QUANTIZER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "simd/sq_scan.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

class IndexFileWriter;
class IndexFileReader;

enum class SqType { kUniform8, kUniform4, kFloat16, kNonUniform8, kNonUniform4 };

// How a uniform type sets a dimension's [low, high] from its training values. Clipping a
// fraction q of the values at each end trades their clamping error for a finer step
// over the rest: worth it with 16 levels on bell-shaped data (on gaussian data clipping
// 0.3% cuts the 4-bit squared error by 44%), rarely with 256 levels, never on data the
// min/max grid holds exactly.
enum class SqRange {
  kBestClip,  // per dimension, the q of kClipCandidates with the lowest training error
  kMinMax,    // the training minimum and maximum (q = 0), FAISS's default
  kQuantile,  // q = SqOptions::clip_quantile for every dimension
};

struct SqOptions {
  // The default picks, dimension by dimension, what the data rewards: min/max for 8-bit
  // pixels or uniform data, clipping for 4-bit codes of bell-shaped or long-tailed data.
  SqRange range = SqRange::kBestClip;
  // kQuantile only; in [0, 0.5).
  double clip_quantile = 0.001;
};

// The clip fractions kBestClip chooses from, 0 (min/max) first.
inline constexpr double kClipCandidates[] = {0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1};

class ScalarQuantizer {
 public:
  // Errors: dim < 1, a kQuantile clip_quantile outside [0, 0.5).
  static absl::StatusOr<ScalarQuantizer> Create(int dim, SqType type, SqOptions options = {});
  // The type a spec component names ("SQ8", "SQ4", "SQfp16", "SQ8nu", "SQ4nu"); an
  // InvalidArgument error listing them otherwise.
  static absl::StatusOr<SqType> ParseType(absl::string_view name);
  static std::string TypeName(SqType type);

  int dim() const { return dim_; }
  SqType type() const { return type_; }
  SqLayout layout() const;
  size_t code_size() const { return SqCodeSize(layout(), dim_); }
  bool uniform() const { return type_ == SqType::kUniform8 || type_ == SqType::kUniform4; }
  // fp16 has nothing to learn and is always trained.
  bool is_trained() const;

  // Uniform types: dimension j decodes level c to lows()[j] + c * steps()[j].
  absl::Span<const float> lows() const { return lows_; }
  absl::Span<const float> steps() const { return steps_; }
  // Non-uniform types: the ascending levels of dimension j, levels_per_dim() of them
  // from levels()[j * levels_per_dim()] (the table of simd/sq_scan.h).
  absl::Span<const float> levels() const { return levels_; }
  int levels_per_dim() const;

  // Learns the per-dimension ranges or levels from at least one vector; dimensions are
  // spread over threads. Training again replaces what was learnt.
  absl::Status Train(MatrixView vectors, int num_threads);
  // Writes code_size() bytes per vector into `codes`; rows are spread over threads.
  absl::Status Encode(MatrixView vectors, uint8_t* codes, int num_threads) const;
  // Writes the reconstruction of each code (rows x dim floats) into `vectors`.
  void Decode(const uint8_t* codes, int64_t rows, float* vectors) const;
  // Mean over rows of ||x - decode(encode(x))||^2.
  absl::StatusOr<double> ReconstructionError(MatrixView vectors, int num_threads) const;

  // Sections "<prefix>.dim", ".type", ".lows", ".steps", ".levels" (empty when unused
  // or untrained). Read checks that the saved dimension and type are this quantizer's
  // and that every array has its size.
  void Write(absl::string_view prefix, IndexFileWriter* writer) const;
  absl::Status Read(absl::string_view prefix, const IndexFileReader& reader);

 private:
  ScalarQuantizer(int dim, SqType type, SqOptions options)
      : dim_(dim), type_(type), options_(options) {}

  // Sets the uniform ranges and their inverse steps.
  void SetRanges(std::vector<float> lows, std::vector<float> steps);
  // Low and step of a uniform dimension from its n training values (reordered in place).
  std::pair<float, float> UniformRange(float* column, int64_t n) const;
  // Midpoints between consecutive levels of each dimension, from levels_.
  void ComputeBoundaries();
  // Codes dimension j of value x.
  int Level(int j, float x) const;

  int dim_;
  SqType type_;
  SqOptions options_;
  std::vector<float> lows_;           // uniform: dim
  std::vector<float> steps_;          // uniform: dim
  std::vector<float> inverse_steps_;  // uniform: 1 / step, or 0 for a constant dimension
  std::vector<float> levels_;         // non-uniform: dim x levels_per_dim()
  std::vector<float> boundaries_;     // non-uniform: dim x (levels_per_dim() - 1)
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_SCALAR_QUANTIZER_H_
