// Exact search by blocked sgemm; see flat_index.h.

#include "index/flat_index.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "index/reconstruct_access.h"
#include "io/index_file.h"
#include "linalg/gemm.h"
#include "search/nearest_rows.h"
#include "util/status_macros.h"

namespace vqsearch::internal {

size_t FlatIndex::MemoryUsageBytes() const {
  return vectors_.capacity() * sizeof(float) + squared_norms_.capacity() * sizeof(float) +
         ids_.MemoryUsageBytes();
}

absl::Status FlatIndex::DoTrain(MatrixView, const BuildOptions&) {
  return absl::OkStatus();  // exact search learns nothing
}

absl::Status FlatIndex::DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                              const BuildOptions&) {
  const std::unique_lock<std::shared_mutex> lock = StateLock();  // nothing to encode
  const int64_t first = size();
  vectors_.Append(vectors.data, vectors.size());
  float* added = vectors_.mutable_data() + first * dim();
  if (metric() == Metric::kCosine) NormalizeRows(added, vectors.rows, dim());
  if (metric() == Metric::kL2) {
    squared_norms_.resize(first + vectors.rows);
    SquaredNorms(MatrixView(added, vectors.rows, dim()), squared_norms_.data() + first);
  }
  ids_.Append(vectors.rows, ids);
  return absl::OkStatus();
}

absl::Status FlatIndex::DoSearch(MatrixView queries, int k, const SearchParams& params,
                                 SearchResults* results) const {
  SearchValidated(queries, k, params, results);
  return absl::OkStatus();
}

void FlatIndex::SearchValidated(MatrixView queries, int k, const SearchParams& params,
                                SearchResults* results) const {
  NearestRowsOptions options;
  options.l2 = metric() == Metric::kL2;
  options.exact_rerank = exact_rerank_;
  options.normalize_queries = metric() == Metric::kCosine;
  options.filter = params.filter;
  options.num_threads = params.num_threads;
  const SearchedRows rows{MatrixView(vectors_.data(), size(), dim()),
                          options.l2 ? squared_norms_.data() : nullptr, ids_.data()};
  NearestRows(queries, rows, k, options, results);
}

absl::StatusOr<size_t> FlatIndex::DoRemove(absl::Span<const int64_t> ids) {
  const absl::flat_hash_set<int64_t> doomed(ids.begin(), ids.end());
  const size_t removed = ids_.Remove(doomed, [this](int64_t from, int64_t to) {
    float* rows = vectors_.mutable_data();
    std::copy_n(rows + from * dim(), dim(), rows + to * dim());
    if (!squared_norms_.empty()) squared_norms_[to] = squared_norms_[from];
  });
  vectors_.resize(size() * dim());
  if (!squared_norms_.empty()) squared_norms_.resize(size());
  return removed;
}

absl::Status FlatIndex::DoReconstruct(absl::Span<const int64_t> ids, float* out) const {
  return ReconstructFrom(PositionsOf(ids_), ids, dim(), out, [&](int64_t position, float* row) {
    std::copy_n(vectors_.data() + position * dim(), dim(), row);
    return absl::OkStatus();
  });
}

absl::Status FlatIndex::WriteState(IndexFileWriter* writer) const {
  writer->AddFloat32("flat.vectors", vectors_.span());
  ids_.Write(writer);
  return absl::OkStatus();
}

absl::Status FlatIndex::ReadState(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(ids_.Read(reader));
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> vectors,
                       reader.FiniteFloat32("flat.vectors", size() * dim()));
  vectors_ = MappedArray<float>::Of(vectors, reader.mapping());
  if (metric() == Metric::kL2) {
    squared_norms_.resize(size());
    SquaredNorms(MatrixView(vectors_.data(), size(), dim()), squared_norms_.data());
  }
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
