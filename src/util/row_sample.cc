// Evenly spaced and random row samples; see row_sample.h.

#include "util/row_sample.h"

#include <algorithm>
#include <numeric>

namespace vqsearch::internal {

std::vector<int64_t> EvenlySpacedRows(int64_t rows, int64_t limit) {
  const int64_t count = std::max<int64_t>(std::min(rows, limit), 0);
  std::vector<int64_t> picked(count);
  const double step = count > 0 ? static_cast<double>(rows) / count : 0.0;
  for (int64_t i = 0; i < count; ++i) picked[i] = static_cast<int64_t>(i * step);
  return picked;
}

std::vector<int64_t> RandomRows(int64_t rows, int64_t count, std::mt19937_64* rng) {
  std::vector<int64_t> all(rows);
  std::iota(all.begin(), all.end(), 0);
  for (int64_t i = 0; i < count; ++i) {
    std::uniform_int_distribution<int64_t> pick(i, rows - 1);
    std::swap(all[i], all[pick(*rng)]);
  }
  all.resize(count);
  std::sort(all.begin(), all.end());
  return all;
}

std::vector<float> GatherRows(MatrixView vectors, const std::vector<int64_t>& rows) {
  std::vector<float> out(rows.size() * static_cast<size_t>(vectors.dim));
  for (size_t i = 0; i < rows.size(); ++i) {
    std::copy_n(vectors.row(rows[i]), vectors.dim, out.data() + i * vectors.dim);
  }
  return out;
}

}  // namespace vqsearch::internal
