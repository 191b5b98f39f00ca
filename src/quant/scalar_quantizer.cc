// Per-dimension scalar quantization; see scalar_quantizer.h.

#include "quant/scalar_quantizer.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <iterator>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "quant/reconstruction_error.h"
#include "quant/scalar_quantizer_lloyd_max.h"
#include "simd/sq_decode.h"
#include "simd/sq_float16.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"
#include "util/row_sample.h"
#include "util/status_macros.h"
#include "linalg/vector_checks.h"

namespace vqsearch::internal {
namespace {

// Rows encoded per parallel task.
constexpr int64_t kEncodeBatch = 1024;

struct NamedType {
  SqType type;
  const char* name;
};
constexpr NamedType kTypeNames[] = {{SqType::kUniform8, "SQ8"},
                                    {SqType::kUniform4, "SQ4"},
                                    {SqType::kFloat16, "SQfp16"},
                                    {SqType::kNonUniform8, "SQ8nu"},
                                    {SqType::kNonUniform4, "SQ4nu"}};

// The uniform level nearest to x, clamped to the range. Rounding is a truncation of the
// clamped, non-negative position plus one half (a library rounding call per value took
// most of the training time at the x86-64 baseline).
int UniformLevel(float x, float low, float inverse_step, int levels) {
  const float position = std::clamp((x - low) * inverse_step, 0.0f, static_cast<float>(levels - 1));
  return static_cast<int>(position + 0.5f);
}

// The sum of (x - its uniform level)^2 over `values`: float sums of short runs (exact
// enough to rank clip candidates, and vectorized), added in double.
double SquaredRoundingError(const float* values, int64_t n, float low, float inverse_step,
                            float step, int levels) {
  constexpr int64_t kRun = 256;
  double total = 0.0;
  for (int64_t begin = 0; begin < n; begin += kRun) {
    const int64_t end = std::min(n, begin + kRun);
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (int64_t i = begin; i < end; ++i) {
      const float level = static_cast<float>(UniformLevel(values[i], low, inverse_step, levels));
      const float diff = values[i] - (low + level * step);
      sum += diff * diff;
    }
    total += sum;
  }
  return total;
}

// Dimensions trained per parallel task. Their columns are copied out of the row-major
// vectors together, so each row is read once per task as one contiguous run instead of
// once per dimension.
constexpr int kColumnBlock = 16;
// Values of the middle of a dimension (inside every clip candidate's range, where each
// only rounds) the candidates' errors are compared on (SqRange::kBestClip): a rounding
// error's mean, which 65,536 of them estimate to a fraction of a percent, while
// evaluating every candidate over every training value was a tenth of an IVF-PQ build
// with Refine(SQ8).
constexpr int64_t kClipErrorValues = 65536;

// Training rows a dimension's range is learned from, above which evenly spaced rows are
// taken: order statistics of 262,144 values are within ~0.2% of their rank (10% of the
// values beyond a clip are within +-600 of 26,214), and the range search was 14% of a
// SIFT-1M IVF-PQ build with every one of its 1M rows. The extremes, which min-max ranges
// and heavy tails depend on, are always those of every row.
constexpr int64_t kRangeSampleRows = int64_t{1} << 18;

// Columns [first, first + count) of `vectors`, column after column, into `columns`:
// each column's values in `rows` (every row when empty), then, when rows were sampled,
// the column's least and greatest value over every row. Returns the values per column.
int64_t CopyColumns(MatrixView vectors, int first, int count, const std::vector<int64_t>& rows,
                    std::vector<float>* columns) {
  const bool sampled = !rows.empty();
  const int64_t kept = sampled ? static_cast<int64_t>(rows.size()) : vectors.rows;
  const int64_t per_column = kept + (sampled ? 2 : 0);
  columns->resize(static_cast<size_t>(count) * per_column);
  for (int64_t i = 0; i < kept; ++i) {
    const float* row = vectors.row(sampled ? rows[i] : i) + first;
    for (int c = 0; c < count; ++c) (*columns)[c * per_column + i] = row[c];
  }
  if (sampled) {
    std::vector<float> lows(vectors.row(0) + first, vectors.row(0) + first + count);
    std::vector<float> highs = lows;
    for (int64_t i = 1; i < vectors.rows; ++i) {
      const float* row = vectors.row(i) + first;
      for (int c = 0; c < count; ++c) {
        lows[c] = std::min(lows[c], row[c]);
        highs[c] = std::max(highs[c], row[c]);
      }
    }
    for (int c = 0; c < count; ++c) {
      (*columns)[c * per_column + kept] = lows[c];
      (*columns)[c * per_column + kept + 1] = highs[c];
    }
  }
  return per_column;
}


}  // namespace

absl::StatusOr<ScalarQuantizer> ScalarQuantizer::Create(int dim, SqType type, SqOptions options) {
  if (dim < 1) {
    return absl::InvalidArgumentError(absl::StrCat("SQ dimension must be >= 1, got ", dim));
  }
  if (options.range == SqRange::kQuantile &&
      !(options.clip_quantile >= 0.0 && options.clip_quantile < 0.5)) {
    return absl::InvalidArgumentError(
        absl::StrCat("SQ clip_quantile must be in [0, 0.5), got ", options.clip_quantile));
  }
  return ScalarQuantizer(dim, type, options);
}

absl::StatusOr<SqType> ScalarQuantizer::ParseType(absl::string_view name) {
  for (const NamedType& entry : kTypeNames) {
    if (name == entry.name) return entry.type;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown scalar quantizer \"", std::string(name),
                                                 "\": expected SQ8, SQ4, SQfp16, SQ8nu or SQ4nu"));
}

std::string ScalarQuantizer::TypeName(SqType type) {
  for (const auto& entry : kTypeNames) {
    if (entry.type == type) return entry.name;
  }
  return "SQ?";
}

SqLayout ScalarQuantizer::layout() const {
  switch (type_) {
    case SqType::kUniform8:
      return SqLayout::kUint8;
    case SqType::kUniform4:
      return SqLayout::kUint4;
    case SqType::kFloat16:
      return SqLayout::kFloat16;
    case SqType::kNonUniform8:
      return SqLayout::kTable8;
    case SqType::kNonUniform4:
      return SqLayout::kTable4;
  }
  return SqLayout::kUint8;
}

int ScalarQuantizer::levels_per_dim() const {
  return (type_ == SqType::kUniform8 || type_ == SqType::kNonUniform8) ? 256 : 16;
}

bool ScalarQuantizer::is_trained() const {
  if (type_ == SqType::kFloat16) return true;
  return uniform() ? !steps_.empty() : !levels_.empty();
}

absl::Status ScalarQuantizer::Train(MatrixView vectors, int num_threads) {
  VQS_RETURN_IF_ERROR(CheckVectors(vectors, dim_, "SQ training vectors"));
  if (vectors.rows < 1) return absl::InvalidArgumentError("SQ training needs at least one vector");
  if (type_ == SqType::kFloat16) return absl::OkStatus();
  const int levels = levels_per_dim();
  std::vector<float> lows(dim_), steps(dim_), table;
  if (!uniform()) table.resize(static_cast<size_t>(dim_) * levels);
  const int64_t blocks = (dim_ + kColumnBlock - 1) / kColumnBlock;
  // Per call, not thread_local: a block of training columns would stay resident in every
  // worker after training.
  std::vector<std::vector<float>> columns_of(std::max(1, ResolveThreadCount(num_threads)));
  const std::vector<int64_t> rows = vectors.rows > kRangeSampleRows
                                        ? EvenlySpacedRows(vectors.rows, kRangeSampleRows)
                                        : std::vector<int64_t>();
  ParallelFor(blocks, num_threads, [&](int64_t block, int worker) {
    std::vector<float>& columns = columns_of[worker];
    const int first = static_cast<int>(block * kColumnBlock);
    const int count = std::min(kColumnBlock, dim_ - first);
    const int64_t n = CopyColumns(vectors, first, count, rows, &columns);
    for (int c = 0; c < count; ++c) {
      float* column = columns.data() + c * n;
      const int j = first + c;
      if (uniform()) {
        std::tie(lows[j], steps[j]) = UniformRange(column, n);
      } else {
        const std::vector<float> dim_levels = LloydMaxLevels(column, n, levels);
        std::copy(dim_levels.begin(), dim_levels.end(),
                  table.begin() + static_cast<size_t>(j) * levels);
      }
    }
  });
  if (uniform()) {
    SetRanges(std::move(lows), std::move(steps));
  } else {
    levels_ = std::move(table);
    ComputeBoundaries();
  }
  return absl::OkStatus();
}

std::pair<float, float> ScalarQuantizer::UniformRange(float* column, int64_t n) const {
  const int levels = levels_per_dim();
  std::vector<double> clips = {options_.range == SqRange::kQuantile ? options_.clip_quantile : 0.0};
  if (options_.range == SqRange::kBestClip) {
    clips.assign(std::begin(kClipCandidates), std::end(kClipCandidates));
  }
  auto rank_of = [n](double q) { return std::min(static_cast<int64_t>(q * (n - 1)), (n - 1) / 2); };
  // Only the values at the clips' ranks from each end are read. Each is placed by
  // nth_element within what the one of the next larger clip left, largest first: O(n)
  // in all, where sorting the tails (up to a tenth of the values at each end) was not.
  std::vector<int64_t> ranks;
  for (double q : clips) ranks.push_back(rank_of(q));
  std::sort(ranks.begin(), ranks.end(), std::greater<>());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  if (2 * (ranks.front() + 1) >= n) {
    std::sort(column, column + n);
  } else {
    int64_t end = n;
    for (int64_t rank : ranks) {
      std::nth_element(column, column + rank, column + end);
      end = rank;
    }
    int64_t begin = ranks.front() + 1;
    for (int64_t rank : ranks) {
      std::nth_element(column + begin, column + (n - 1 - rank), column + n);
      begin = n - rank;
    }
  }
  // The range that clips a fraction q of the values at each end.
  auto range = [&](double q) {
    const int64_t rank = rank_of(q);
    const float low = column[rank];
    return std::pair<float, float>(low, (column[n - 1 - rank] - low) / (levels - 1));
  };
  if (clips.size() == 1) return range(clips[0]);
  // The candidates' errors are compared on every value of the two tails the largest clip
  // reaches, where they differ by what they clip (and a heavy tail's few extreme values
  // weigh most), and on at most kClipErrorValues evenly spaced values of the middle,
  // where every candidate only rounds; each sampled value stands for its share of the
  // middle. The scored values are gathered once, tails then sampled middle, and each
  // candidate makes one vectorized pass over them.
  constexpr int kCandidates = static_cast<int>(std::size(kClipCandidates));
  const int64_t middle_begin = std::min(n, ranks.front() + 1);
  const int64_t middle_end = std::max(middle_begin, n - 1 - ranks.front());
  const int64_t middle = middle_end - middle_begin;
  const int64_t stride = middle > 0 ? (middle + kClipErrorValues - 1) / kClipErrorValues : 1;
  std::vector<float> scored(column, column + middle_begin);
  scored.insert(scored.end(), column + middle_end, column + n);
  const int64_t tails = static_cast<int64_t>(scored.size());
  for (int64_t i = middle_begin; i < middle_end; i += stride) scored.push_back(column[i]);
  const int64_t sampled = static_cast<int64_t>(scored.size()) - tails;
  const double middle_weight =
      sampled > 0 ? static_cast<double>(middle) / static_cast<double>(sampled) : 0.0;
  float lows[kCandidates], steps[kCandidates];
  double errors[kCandidates];
  for (int c = 0; c < kCandidates; ++c) {
    std::tie(lows[c], steps[c]) = range(clips[c]);
    const float inverse = steps[c] > 0 ? 1.0f / steps[c] : 0.0f;
    errors[c] = SquaredRoundingError(scored.data(), tails, lows[c], inverse, steps[c], levels) +
                middle_weight * SquaredRoundingError(scored.data() + tails, sampled, lows[c],
                                                     inverse, steps[c], levels);
  }
  // The first of the least errors: q = 0 (min-max) unless clipping does better.
  const int best = static_cast<int>(std::min_element(errors, errors + kCandidates) - errors);
  return {lows[best], steps[best]};
}

void ScalarQuantizer::SetRanges(std::vector<float> lows, std::vector<float> steps) {
  lows_ = std::move(lows);
  steps_ = std::move(steps);
  inverse_steps_.resize(steps_.size());
  for (size_t j = 0; j < steps_.size(); ++j) {
    inverse_steps_[j] = steps_[j] > 0 ? 1.0f / steps_[j] : 0.0f;
  }
}

void ScalarQuantizer::ComputeBoundaries() {
  const int levels = levels_per_dim();
  boundaries_.resize(static_cast<size_t>(dim_) * (levels - 1));
  for (int j = 0; j < dim_; ++j) {
    const float* level = levels_.data() + static_cast<size_t>(j) * levels;
    float* boundary = boundaries_.data() + static_cast<size_t>(j) * (levels - 1);
    for (int k = 0; k + 1 < levels; ++k) boundary[k] = (level[k] + level[k + 1]) / 2;
  }
}

int ScalarQuantizer::Level(int j, float x) const {
  const int levels = levels_per_dim();
  if (uniform()) {
    return UniformLevel(x, lows_[j], inverse_steps_[j], levels);
  }
  // The level of a value at a midpoint is the lower one, as in Lloyd-Max training.
  const float* boundary = boundaries_.data() + static_cast<size_t>(j) * (levels - 1);
  return static_cast<int>(std::lower_bound(boundary, boundary + levels - 1, x) - boundary);
}

absl::Status ScalarQuantizer::Encode(MatrixView vectors, uint8_t* codes, int num_threads) const {
  if (!is_trained()) return absl::FailedPreconditionError("SQ must be trained before encoding");
  VQS_RETURN_IF_ERROR(CheckVectors(vectors, dim_, "vectors to encode"));
  const size_t size = code_size();
  const int64_t batches = (vectors.rows + kEncodeBatch - 1) / kEncodeBatch;
  ParallelFor(batches, num_threads, [&](int64_t batch, int) {
    const int64_t end = std::min(vectors.rows, (batch + 1) * kEncodeBatch);
    for (int64_t i = batch * kEncodeBatch; i < end; ++i) {
      const float* x = vectors.row(i);
      uint8_t* code = codes + i * size;
      switch (layout()) {
        case SqLayout::kFloat16:
          for (int j = 0; j < dim_; ++j) {
            const uint16_t half = FloatToHalf(std::clamp(x[j], -kMaxFloat16, kMaxFloat16));
            std::memcpy(code + 2 * j, &half, sizeof(half));
          }
          break;
        case SqLayout::kUint8:
        case SqLayout::kTable8:
          for (int j = 0; j < dim_; ++j) code[j] = static_cast<uint8_t>(Level(j, x[j]));
          break;
        case SqLayout::kUint4:
        case SqLayout::kTable4:
          std::memset(code, 0, size);
          for (int j = 0; j < dim_; ++j) {
            code[j / 2] |= static_cast<uint8_t>(Level(j, x[j]) << (4 * (j % 2)));
          }
          break;
      }
    }
  });
  return absl::OkStatus();
}

void ScalarQuantizer::Decode(const uint8_t* codes, int64_t rows, float* vectors) const {
  const SqLayout code_layout = layout();
  for (int64_t i = 0; i < rows; ++i) {
    const uint8_t* code = codes + i * code_size();
    float* x = vectors + i * dim_;
    for (int j = 0; j < dim_; ++j) {
      const float v = SqValue(code_layout, code, j, levels_.data());
      x[j] = uniform() ? lows_[j] + v * steps_[j] : v;
    }
  }
}

absl::StatusOr<double> ScalarQuantizer::ReconstructionError(MatrixView vectors,
                                                            int num_threads) const {
  return MeanReconstructionError(*this, vectors, num_threads);
}

void ScalarQuantizer::Write(absl::string_view prefix, IndexFileWriter* writer) const {
  writer->AddInt64Scalar(absl::StrCat(prefix, ".dim"), dim_);
  writer->AddString(absl::StrCat(prefix, ".type"), TypeName(type_));
  writer->AddFloat32(absl::StrCat(prefix, ".lows"), lows_);
  writer->AddFloat32(absl::StrCat(prefix, ".steps"), steps_);
  writer->AddFloat32(absl::StrCat(prefix, ".levels"), levels_);
}

absl::Status ScalarQuantizer::Read(absl::string_view prefix, const IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(const int64_t dim, reader.Int64Scalar(absl::StrCat(prefix, ".dim")));
  VQS_ASSIGN_OR_RETURN(const std::string type, reader.String(absl::StrCat(prefix, ".type")));
  if (dim != dim_ || type != TypeName(type_)) {
    return absl::DataLossError(absl::StrCat("saved scalar quantizer is ", type, " over ", dim,
                                            " dimensions, expected ", TypeName(type_), " over ",
                                            dim_));
  }
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> lows, reader.Float32(absl::StrCat(prefix, ".lows")));
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> steps,
                       reader.Float32(absl::StrCat(prefix, ".steps")));
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> levels,
                       reader.Float32(absl::StrCat(prefix, ".levels")));
  // Each array is empty (unused by the type, or saved untrained) or has its full size.
  const size_t uniform_size = uniform() ? dim_ : 0;
  const size_t levels_size =
      (uniform() || type_ == SqType::kFloat16) ? 0 : static_cast<size_t>(dim_) * levels_per_dim();
  const bool trained = !lows.empty() || !levels.empty();
  if (lows.size() != steps.size() ||
      (trained && (lows.size() != uniform_size || levels.size() != levels_size))) {
    return absl::DataLossError(absl::StrCat(
        "saved ", type, " has ", lows.size(), " lows, ", steps.size(), " steps and ", levels.size(),
        " levels, expected ", uniform_size, ", ", uniform_size, " and ", levels_size));
  }
  if (!AllFinite(lows.data(), lows.size()) || !AllFinite(steps.data(), steps.size()) ||
      !AllFinite(levels.data(), levels.size()) ||
      std::any_of(steps.begin(), steps.end(), [](float step) { return step < 0; })) {
    return absl::DataLossError(
        absl::StrCat("saved ", type, " has non-finite or negative parameters"));
  }
  SetRanges(std::vector<float>(lows.begin(), lows.end()),
            std::vector<float>(steps.begin(), steps.end()));
  levels_.assign(levels.begin(), levels.end());
  if (!levels_.empty()) ComputeBoundaries();
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
