// Exact 1-D Lloyd-Max on sorted data; see scalar_quantizer_lloyd_max.h.

#include "quant/scalar_quantizer_lloyd_max.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace vqsearch::internal {
namespace {

// Lloyd converges geometrically but slowly in 1-D when levels creep through sparse
// tails; past this many steps the remaining gains are negligible.
constexpr int kMaxIterations = 200;
constexpr double kRelativeTolerance = 1e-7;

// The distinct sorted values with prefix sums of their counts, sums and squared sums:
// the statistics of any run [b, e) of distinct values in O(1).
class SortedValues {
 public:
  SortedValues(const float* sorted, int64_t n) {
    weight_.push_back(0);
    sum_.push_back(0);
    squares_.push_back(0);
    for (int64_t i = 0; i < n; ++i) {
      const float v = sorted[i];
      if (distinct_.empty() || v != distinct_.back()) {
        distinct_.push_back(v);
        weight_.push_back(weight_.back());
        sum_.push_back(sum_.back());
        squares_.push_back(squares_.back());
      }
      weight_.back() += 1;
      sum_.back() += v;
      squares_.back() += double{v} * v;
    }
  }

  int64_t size() const { return static_cast<int64_t>(distinct_.size()); }
  float value(int64_t i) const { return distinct_[i]; }
  double Weight(int64_t b, int64_t e) const { return weight_[e] - weight_[b]; }
  double Mean(int64_t b, int64_t e) const { return (sum_[e] - sum_[b]) / Weight(b, e); }
  // Squared error of the run [b, e) about its mean.
  double Error(int64_t b, int64_t e) const {
    const double s = sum_[e] - sum_[b];
    return std::max(0.0, squares_[e] - squares_[b] - s * s / Weight(b, e));
  }
  // First distinct value above t.
  int64_t UpperBound(double t) const {
    return std::upper_bound(distinct_.begin(), distinct_.end(), t) - distinct_.begin();
  }
  // The index s in (b, e) where the run [b, e) splits into halves of about equal weight.
  int64_t Median(int64_t b, int64_t e) const {
    const double half = weight_[b] + Weight(b, e) / 2;
    const int64_t s =
        std::lower_bound(weight_.begin() + b + 1, weight_.begin() + e + 1, half) - weight_.begin();
    return std::clamp<int64_t>(s, b + 1, e - 1);
  }

 private:
  std::vector<float> distinct_;
  std::vector<double> weight_, sum_, squares_;  // prefix sums, size() + 1 entries
};

// The non-empty cells of `levels` (ascending) as runs [b, e) of distinct values: values
// up to the midpoint of two levels belong to the lower one.
std::vector<std::pair<int64_t, int64_t>> Cells(const SortedValues& values,
                                               const std::vector<double>& levels) {
  std::vector<std::pair<int64_t, int64_t>> cells;
  int64_t begin = 0;
  for (size_t k = 0; k < levels.size(); ++k) {
    const int64_t end =
        k + 1 < levels.size() ? values.UpperBound((levels[k] + levels[k + 1]) / 2) : values.size();
    if (end > begin) cells.emplace_back(begin, end);
    begin = std::max(begin, end);
  }
  return cells;
}

}  // namespace

std::vector<float> LloydMaxLevels(float* values, int64_t n, int count) {
  std::sort(values, values + n);
  const SortedValues sorted(values, n);
  std::vector<float> result(count);
  if (sorted.size() <= count) {
    for (int k = 0; k < count; ++k) {
      result[k] = sorted.value(std::min<int64_t>(k, sorted.size() - 1));
    }
    return result;
  }
  const double low = sorted.value(0), high = sorted.value(sorted.size() - 1);
  std::vector<double> levels(count);
  for (int k = 0; k < count; ++k) levels[k] = low + (high - low) * k / (count - 1);

  double previous_error = -1;
  for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
    std::vector<std::pair<int64_t, int64_t>> cells = Cells(sorted, levels);
    // Re-seed the levels of empty cells: each splits the cell of largest error in two.
    // More distinct values than levels means some cell holds two or more, so its error
    // is positive and it can split.
    while (static_cast<int>(cells.size()) < count) {
      size_t worst = 0;
      for (size_t c = 1; c < cells.size(); ++c) {
        if (sorted.Error(cells[c].first, cells[c].second) >
            sorted.Error(cells[worst].first, cells[worst].second)) {
          worst = c;
        }
      }
      const auto [b, e] = cells[worst];
      const int64_t s = sorted.Median(b, e);
      cells[worst] = {b, s};
      cells.insert(cells.begin() + worst + 1, {s, e});
    }
    double error = 0;
    for (int k = 0; k < count; ++k) {
      levels[k] = sorted.Mean(cells[k].first, cells[k].second);
      error += sorted.Error(cells[k].first, cells[k].second);
    }
    if (previous_error >= 0 && previous_error - error <= kRelativeTolerance * previous_error) break;
    previous_error = error;
  }
  for (int k = 0; k < count; ++k) result[k] = static_cast<float>(levels[k]);
  return result;
}

}  // namespace vqsearch::internal
