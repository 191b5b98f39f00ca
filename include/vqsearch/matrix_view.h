// File: vqsearch/matrix_view.h
//
// A non-owning view of a dense float32 matrix stored row-major: `rows` vectors of `dim`
// floats each, row i starting at data + i * dim. This is how every vqsearch call takes a
// batch of vectors; the caller keeps the memory alive for the duration of the call.

#ifndef VQSEARCH_MATRIX_VIEW_H_
#define VQSEARCH_MATRIX_VIEW_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace vqsearch {

struct MatrixView {
  const float* data = nullptr;
  int64_t rows = 0;
  int dim = 0;

  MatrixView() = default;
  MatrixView(const float* data, int64_t rows, int dim) : data(data), rows(rows), dim(dim) {}
  // Views a vector holding rows x dim floats; rows is derived from its size.
  MatrixView(const std::vector<float>& values, int dim)
      : data(values.data()), rows(dim > 0 ? static_cast<int64_t>(values.size()) / dim : 0), dim(dim) {}

  const float* row(int64_t i) const { return data + i * static_cast<int64_t>(dim); }
  absl::Span<const float> row_span(int64_t i) const {
    return absl::Span<const float>(row(i), static_cast<size_t>(dim));
  }
  size_t size() const { return static_cast<size_t>(rows) * static_cast<size_t>(dim); }
  bool empty() const { return rows == 0; }
  // Rows [begin, begin + count) as a view.
  MatrixView Slice(int64_t begin, int64_t count) const { return MatrixView(row(begin), count, dim); }
};

}  // namespace vqsearch

#endif  // VQSEARCH_MATRIX_VIEW_H_
