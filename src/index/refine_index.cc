// Exact re-ranking over a compressed base index; see refine_index.h.

#include "index/refine_index.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_set.h"
#include "index/id_policy.h"
#include "io/index_file.h"
#include "linalg/gemm.h"
#include "search/exact_rerank.h"
#include "search/top_k.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {

size_t RefineIndex::MemoryUsageBytes() const {
  return base_->MemoryUsageBytes() + vectors_.size() * sizeof(float) +
         ids_.size() * sizeof(int64_t);
}

absl::Status RefineIndex::DoTrain(MatrixView vectors, const BuildOptions& options) {
  return base_->Train(vectors, options);
}

absl::Status RefineIndex::DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                                const BuildOptions& options) {
  // The base index knows each vector by its storage position.
  const int64_t first = static_cast<int64_t>(ids_.size());
  std::vector<int64_t> positions(vectors.rows);
  std::iota(positions.begin(), positions.end(), first);
  VQS_RETURN_IF_ERROR(base_->Add(vectors, positions, options));
  vectors_.insert(vectors_.end(), vectors.data, vectors.data + vectors.size());
  if (metric() == Metric::kCosine) NormalizeRows(vectors_.data() + first * dim(), vectors.rows, dim());
  AppendIds(vectors.rows, ids, &next_sequential_id_, &ids_);
  has_user_ids_ = has_user_ids_ || !ids.empty();
  return absl::OkStatus();
}

absl::Status RefineIndex::DoSearch(MatrixView queries, int k, const SearchParams& params,
                                   SearchResults* results) const {
  const int factor = params.refine_factor > 0 ? params.refine_factor : kDefaultRefineFactor;
  const int candidates = static_cast<int>(std::min<int64_t>(int64_t{k} * factor, 1 << 20));
  SearchResults proposed;
  VQS_RETURN_IF_ERROR(base_->Search(queries, candidates, params, &proposed));

  const bool l2 = metric() == Metric::kL2;
  results->num_queries = queries.rows;
  results->k = k;
  results->distances.assign(static_cast<size_t>(queries.rows) * k, 0.0f);
  results->ids.assign(static_cast<size_t>(queries.rows) * k, -1);
  ParallelFor(queries.rows, params.num_threads, [&](int64_t q, int) {
    thread_local RerankScratch scratch;
    thread_local std::vector<float> normalized;
    const float* query = queries.row(q);
    if (metric() == Metric::kCosine) {
      normalized.assign(query, query + dim());
      NormalizeRows(normalized.data(), 1, dim());
      query = normalized.data();
    }
    TopK shortlist(candidates);
    const int64_t* positions = proposed.ids_row(q);
    const float* scores = proposed.distances_row(q);
    for (int i = 0; i < candidates; ++i) {
      if (positions[i] >= 0) shortlist.Push(l2 ? scores[i] : -scores[i], positions[i]);
    }
    RerankExact(
        l2, query, dim(), k, &shortlist, &scratch, results->distances.data() + q * k,
        results->ids.data() + q * k,
        [this](int64_t position) { return vectors_.data() + position * dim(); },
        [this](int64_t position) { return ids_[position]; });
  });
  return absl::OkStatus();
}

absl::StatusOr<size_t> RefineIndex::Remove(absl::Span<const int64_t> ids) {
  const absl::flat_hash_set<int64_t> doomed(ids.begin(), ids.end());
  std::vector<int64_t> positions;
  for (size_t position = 0; position < ids_.size(); ++position) {
    if (doomed.contains(ids_[position])) positions.push_back(static_cast<int64_t>(position));
  }
  return base_->Remove(positions);
}

absl::Status RefineIndex::WriteState(IndexFileWriter* writer) const {
  VQS_ASSIGN_OR_RETURN(std::string base, base_->Serialize());
  writer->AddOwned("refine.base", SectionType::kUInt8, std::move(base));
  writer->AddFloat32("refine.vectors", vectors_);
  writer->AddInt64("refine.ids", ids_);
  writer->AddInt64Scalar("refine.has_user_ids", has_user_ids_ ? 1 : 0);
  writer->AddInt64Scalar("refine.next_sequential_id", next_sequential_id_);
  return absl::OkStatus();
}

absl::Status RefineIndex::ReadState(const IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(absl::Span<const uint8_t> base_bytes, reader.UInt8("refine.base"));
  VQS_ASSIGN_OR_RETURN(
      std::unique_ptr<Index> base,
      Index::Deserialize(std::string_view(reinterpret_cast<const char*>(base_bytes.data()),
                                          base_bytes.size())));
  if (base->dim() != dim() || base->metric() != metric()) {
    return absl::DataLossError("the refined base index has another dimension or metric");
  }
  VQS_ASSIGN_OR_RETURN(absl::Span<const int64_t> ids, reader.Int64("refine.ids"));
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> vectors,
                       reader.Float32("refine.vectors", static_cast<int64_t>(ids.size()) * dim()));
  VQS_ASSIGN_OR_RETURN(const int64_t has_user_ids, reader.Int64Scalar("refine.has_user_ids"));
  VQS_ASSIGN_OR_RETURN(next_sequential_id_, reader.Int64Scalar("refine.next_sequential_id"));
  base_ = std::move(base);
  vectors_.assign(vectors.begin(), vectors.end());
  ids_.assign(ids.begin(), ids.end());
  has_user_ids_ = has_user_ids != 0;
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
