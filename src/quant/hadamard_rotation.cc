// The random Walsh-Hadamard rotation; see hadamard_rotation.h.

#include "quant/hadamard_rotation.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

int LargestPowerOfTwoAtMost(int n) {
  int p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

// The normalized Walsh-Hadamard transform of x[0, n), n a power of two, in place.
void Fwht(float* x, int n) {
  for (int h = 1; h < n; h *= 2) {
    for (int i = 0; i < n; i += 2 * h) {
      float* a = x + i;
      float* b = x + i + h;
      for (int j = 0; j < h; ++j) {
        const float u = a[j], v = b[j];
        a[j] = u + v;
        b[j] = u - v;
      }
    }
  }
  const float scale = 1.0f / std::sqrt(static_cast<float>(n));
  for (int i = 0; i < n; ++i) x[i] *= scale;
}

void FlipSigns(const uint8_t* flips, int n, float* x) {
  for (int i = 0; i < n; ++i) x[i] = flips[i] ? -x[i] : x[i];
}

}  // namespace

absl::StatusOr<HadamardRotation> HadamardRotation::Create(int dim, uint64_t seed) {
  if (dim < 1) return absl::InvalidArgumentError(absl::StrCat("rotation dimension ", dim, " < 1"));
  HadamardRotation rotation(dim);
  rotation.flips_.resize(rotation.sign_count());
  // Raw 64-bit words of a standard engine: the same bits from every library.
  std::mt19937_64 engine(seed);
  for (size_t i = 0; i < rotation.flips_.size(); i += 64) {
    const uint64_t word = engine();
    for (size_t b = 0; b < 64 && i + b < rotation.flips_.size(); ++b) {
      rotation.flips_[i + b] = (word >> b) & 1;
    }
  }
  return rotation;
}

void HadamardRotation::Apply(const float* x, float* out) const {
  const int n = padded_dim_;
  const int block = LargestPowerOfTwoAtMost(n);
  std::memcpy(out, x, sizeof(float) * dim_);
  std::fill(out + dim_, out + n, 0.0f);
  const uint8_t* flips = flips_.data();
  for (int round = 0; round < kRounds; ++round) {
    FlipSigns(flips, n, out);
    Fwht(out, block);
    FlipSigns(flips + n, n, out);
    Fwht(out + n - block, block);
    flips += 2 * n;
  }
}

void HadamardRotation::Invert(const float* y, float* out) const {
  const int n = padded_dim_;
  const int block = LargestPowerOfTwoAtMost(n);
  thread_local std::vector<float> work;
  work.assign(y, y + n);
  // Each factor is symmetric and orthogonal (the normalized Hadamard transform is its own
  // inverse), so the transpose runs the same factors backwards.
  const uint8_t* flips = flips_.data() + 2 * kRounds * n;
  for (int round = 0; round < kRounds; ++round) {
    flips -= 2 * n;
    Fwht(work.data() + n - block, block);
    FlipSigns(flips + n, n, work.data());
    Fwht(work.data(), block);
    FlipSigns(flips, n, work.data());
  }
  std::memcpy(out, work.data(), sizeof(float) * dim_);
}

void HadamardRotation::ApplyRows(MatrixView vectors, float* out, int num_threads) const {
  constexpr int64_t kRowsPerTask = 256;
  const int64_t tasks = (vectors.rows + kRowsPerTask - 1) / kRowsPerTask;
  ParallelFor(tasks, num_threads, [&](int64_t task, int) {
    const int64_t end = std::min(vectors.rows, (task + 1) * kRowsPerTask);
    for (int64_t i = task * kRowsPerTask; i < end; ++i) {
      Apply(vectors.row(i), out + i * padded_dim_);
    }
  });
}

void HadamardRotation::Write(absl::string_view prefix, IndexFileWriter* writer) const {
  writer->AddInt64Scalar(absl::StrCat(prefix, ".dim"), dim_);
  writer->AddUInt8(absl::StrCat(prefix, ".signs"), flips_);
}

absl::Status HadamardRotation::Read(absl::string_view prefix, const IndexFileReader& reader) {
  const std::string dim_name = absl::StrCat(prefix, ".dim");
  VQS_ASSIGN_OR_RETURN(const int64_t dim, reader.Int64Scalar(dim_name));
  if (dim != dim_ && dim_ != 0) {
    return reader.SectionError(dim_name, absl::StrCat("the index has dimension ", dim_));
  }
  if (dim < 1 || dim > (int64_t{1} << 24)) {
    return reader.SectionError(dim_name, "a rotation dimension in [1, 2^24] is expected");
  }
  HadamardRotation read(static_cast<int>(dim));
  const std::string signs_name = absl::StrCat(prefix, ".signs");
  VQS_ASSIGN_OR_RETURN(absl::Span<const uint8_t> signs,
                       reader.UInt8(signs_name, static_cast<int64_t>(read.sign_count())));
  for (uint8_t s : signs) {
    if (s > 1) return reader.SectionError(signs_name, "sign flips are 0 or 1");
  }
  read.flips_.assign(signs.begin(), signs.end());
  *this = std::move(read);
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
