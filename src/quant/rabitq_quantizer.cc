// RaBitQ and Extended RaBitQ encoding; see rabitq_quantizer.h.

#include "quant/rabitq_quantizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace vqsearch::internal {
namespace {

// Where the rescale search walks: the code's range, top + 1 grid steps from zero, reaches
// |t o_j| = top + 1, i.e. it clips coordinates beyond (top + 1) / t. For the near-Gaussian
// coordinates of a rotated unit vector (standard deviation 1 / sqrt(D)), the uniform
// quantizers of least error clip at 2.0 (4 levels) to 3.9 (256 levels) standard
// deviations (Max, 1960), and the cosine's best clipping is close to theirs; the walk
// covers clipping at kMaxClip down to kMinClip deviations, with margin on both sides (the
// tests compare it with a brute-force scan from 1 deviation up). About 0.4 (top + 1) D
// critical values lie between (21000 for a 784-d vector at 7 bits).
constexpr double kMinClip = 1.5;
constexpr double kMaxClip = 6.0;

// The magnitude indices m_j (y_j = +-(m_j + 1/2)) that maximize <y, a> / ||y|| for
// a = |o| (n values of a unit vector) with m_j <= top, by the walk over critical rescale
// factors of the header.
void BestMagnitudes(const std::vector<double>& a, int top, std::vector<int>* magnitudes) {
  const int n = static_cast<int>(a.size());
  std::vector<int>& m = *magnitudes;
  m.assign(n, 0);
  if (top == 0) return;
  const double t_begin = (top + 1) * std::sqrt(n) / kMaxClip;
  const double t_end = (top + 1) * std::sqrt(n) / kMinClip;
  // The code at t_begin.
  double dot = 0, norm_sq = 0;
  for (int j = 0; j < n; ++j) {
    m[j] = static_cast<int>(std::min<double>(top, std::floor(t_begin * a[j])));
    dot += (m[j] + 0.5) * a[j];
    norm_sq += (m[j] + 0.5) * (m[j] + 0.5);
  }
  // Every crossing (t, j) up to t_end (at rescale t, m_j rises by one), put in order by a
  // counting sort into about 8 crossings a bucket and a sort of each bucket: several
  // times cheaper than a heap of each dimension's next crossing, in the same order.
  thread_local std::vector<std::pair<double, int>> crossings, ordered;
  thread_local std::vector<int64_t> bucket_start;
  crossings.clear();
  for (int j = 0; j < n; ++j) {
    if (a[j] <= 0) continue;
    for (int level = m[j] + 1; level <= top; ++level) {
      const double t = level / a[j];
      if (t > t_end) break;
      crossings.emplace_back(t, j);
    }
  }
  const auto count = static_cast<int64_t>(crossings.size());
  const int64_t buckets = std::max<int64_t>(1, count / 8);
  const double scale = buckets / (t_end - t_begin);
  const auto bucket_of = [&](double t) {
    return std::clamp<int64_t>(static_cast<int64_t>((t - t_begin) * scale), 0, buckets - 1);
  };
  bucket_start.assign(buckets + 1, 0);
  for (const auto& crossing : crossings) ++bucket_start[bucket_of(crossing.first) + 1];
  for (int64_t b = 0; b < buckets; ++b) bucket_start[b + 1] += bucket_start[b];
  ordered.resize(count);
  for (const auto& crossing : crossings) {
    ordered[bucket_start[bucket_of(crossing.first)]++] = crossing;
  }
  for (int64_t b = 0, begin = 0; b < buckets; ++b) {
    // bucket_start[b] is now the end of bucket b.
    std::sort(ordered.begin() + begin, ordered.begin() + bucket_start[b]);
    begin = bucket_start[b];
  }
  double best = dot / std::sqrt(norm_sq);
  int64_t best_steps = 0;
  for (int64_t step = 0; step < count; ++step) {
    const int j = ordered[step].second;
    // m_j + 1/2 -> m_j + 3/2.
    dot += a[j];
    norm_sq += 2.0 * m[j] + 2.0;
    ++m[j];
    const double cosine = dot / std::sqrt(norm_sq);
    if (cosine > best) {
      best = cosine;
      best_steps = step + 1;
    }
  }
  // Back to the best code: undo the crossings after it.
  for (int64_t step = count; step > best_steps; --step) --m[ordered[step - 1].second];
}

}  // namespace

absl::StatusOr<RaBitQQuantizer> RaBitQQuantizer::Create(int padded_dim, int bits) {
  if (padded_dim <= 0 || padded_dim % 64 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("RaBitQ dimension must be a positive multiple of 64, got ", padded_dim));
  }
  if (bits < 1 || bits > kMaxBits) {
    return absl::InvalidArgumentError(
        absl::StrCat("RaBitQ codes have 1 to ", kMaxBits, " bits per dimension, not ", bits));
  }
  return RaBitQQuantizer(padded_dim, bits);
}

void RaBitQQuantizer::Encode(const float* r, uint8_t* code) const {
  const int n = padded_dim_;
  double norm_sq = 0;
  for (int j = 0; j < n; ++j) norm_sq += double{r[j]} * r[j];
  const double norm = std::sqrt(norm_sq);
  thread_local std::vector<double> a;
  thread_local std::vector<int> m;
  a.resize(n);
  for (int j = 0; j < n; ++j) a[j] = norm > 0 ? std::fabs(r[j]) / norm : 0.0;
  const int top = (1 << (bits_ - 1)) - 1;
  if (norm > 0) {
    BestMagnitudes(a, top, &m);
  } else {
    m.assign(n, 0);
  }
  // u_j = 2^(b-1) + m_j for o_j >= 0, 2^(b-1) - 1 - m_j otherwise; y_j = u_j - (2^b-1)/2.
  std::memset(code, 0, bits_ * plane_bytes());
  const double centre = ((1 << bits_) - 1) / 2.0;
  double y_dot_o = 0, y_norm_sq = 0, y_sum = 0;
  for (int j = 0; j < n; ++j) {
    const int u = r[j] >= 0 ? (1 << (bits_ - 1)) + m[j] : (1 << (bits_ - 1)) - 1 - m[j];
    const double y = u - centre;
    y_dot_o += y * (norm > 0 ? r[j] / norm : 0.0);
    y_norm_sq += y * y;
    y_sum += y;
    for (int k = 0; k < bits_; ++k) {
      if ((u >> (bits_ - 1 - k)) & 1) {
        code[k * plane_bytes() + j / 8] |= static_cast<uint8_t>(1u << (j % 8));
      }
    }
  }
  RaBitQFactors factors{};
  factors.norm_sq = static_cast<float>(norm_sq);
  if (norm > 0) {
    const double rescale = norm / y_dot_o;
    const double cosine = std::min(1.0, y_dot_o / std::sqrt(y_norm_sq));
    factors.rescale = static_cast<float>(rescale);
    factors.rescale_sum = static_cast<float>(rescale * y_sum);
    factors.error = static_cast<float>(norm * std::sqrt(1.0 - cosine * cosine) / cosine /
                                       std::sqrt(std::max(1, n - 1)));
  }
  std::memcpy(code + bits_ * plane_bytes(), &factors, sizeof(factors));
}

RaBitQFactors RaBitQQuantizer::Factors(const uint8_t* code) const {
  RaBitQFactors factors;
  std::memcpy(&factors, code + bits_ * plane_bytes(), sizeof(factors));
  return factors;
}

void RaBitQQuantizer::Levels(const uint8_t* code, int* levels) const {
  for (int j = 0; j < padded_dim_; ++j) {
    int u = 0;
    for (int k = 0; k < bits_; ++k) {
      u = (u << 1) | ((code[k * plane_bytes() + j / 8] >> (j % 8)) & 1);
    }
    levels[j] = u;
  }
}

void RaBitQQuantizer::Decode(const uint8_t* code, float* out) const {
  thread_local std::vector<int> levels;
  levels.resize(padded_dim_);
  Levels(code, levels.data());
  // y_j is a half-integer below 2^7 in magnitude: exact in float, so out_j is rescale * y_j
  // rounded once.
  const float centre = ((1 << bits_) - 1) / 2.0f;
  const float rescale = Factors(code).rescale;
  for (int j = 0; j < padded_dim_; ++j) out[j] = rescale * (levels[j] - centre);
}

float RaBitQQuantizer::EstimateDot(const uint8_t* code, const float* q) const {
  thread_local std::vector<float> decoded;
  decoded.resize(padded_dim_);
  Decode(code, decoded.data());
  double dot = 0;
  for (int j = 0; j < padded_dim_; ++j) dot += double{decoded[j]} * q[j];
  return static_cast<float>(dot);
}

}  // namespace vqsearch::internal
