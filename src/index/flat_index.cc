// Exact search by blocked sgemm; see flat_index.h.

#include "index/flat_index.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "index/id_policy.h"
#include "io/index_file.h"
#include "linalg/gemm.h"
#include "search/candidate_filter.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/top_k.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// A query block times a database block is one sgemm. OpenBLAS packs the database block
// on every call, so many queries per call amortize that (with 256, packing took 5% of
// k-means time); the 2048 x 1024 tile is 8 MiB per thread.
constexpr int64_t kQueryBlock = 2048;
constexpr int64_t kDatabaseBlock = 1024;

}  // namespace

struct FlatIndex::Scratch {
  std::vector<float> tile;               // block rows x kDatabaseBlock scores
  std::vector<float> normalized_queries;  // cosine: the block's queries at unit length
  std::vector<TopK> heaps;                // one shortlist per query of the block
  RerankScratch rerank;
};

size_t FlatIndex::MemoryUsageBytes() const {
  return vectors_.capacity() * sizeof(float) + squared_norms_.capacity() * sizeof(float) +
         ids_.capacity() * sizeof(int64_t);
}

absl::Status FlatIndex::DoTrain(MatrixView, const BuildOptions&) {
  return absl::OkStatus();  // exact search learns nothing
}

absl::Status FlatIndex::DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                              const BuildOptions&) {
  const int64_t first = size();
  vectors_.insert(vectors_.end(), vectors.data, vectors.data + vectors.size());
  float* added = vectors_.data() + first * dim();
  if (metric() == Metric::kCosine) NormalizeRows(added, vectors.rows, dim());
  if (metric() == Metric::kL2) {
    squared_norms_.resize(first + vectors.rows);
    SquaredNorms(MatrixView(added, vectors.rows, dim()), squared_norms_.data() + first);
  }
  AppendIds(vectors.rows, ids, &next_sequential_id_, &ids_);
  has_user_ids_ = has_user_ids_ || !ids.empty();
  return absl::OkStatus();
}

absl::Status FlatIndex::DoSearch(MatrixView queries, int k, const SearchParams& params,
                                 SearchResults* results) const {
  SearchValidated(queries, k, params, results);
  return absl::OkStatus();
}

void FlatIndex::SearchValidated(MatrixView queries, int k, const SearchParams& params,
                                SearchResults* results) const {
  results->num_queries = queries.rows;
  results->k = k;
  results->distances.assign(static_cast<size_t>(queries.rows) * k, 0.0f);
  results->ids.assign(static_cast<size_t>(queries.rows) * k, -1);

  const int64_t num_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
  const int threads = static_cast<int>(std::min<int64_t>(ResolveThreadCount(params.num_threads),
                                                         std::max<int64_t>(num_blocks, 1)));
  ParallelFor(num_blocks, threads, [&](int64_t block, int) {
    // Per block, not kept per thread: a thread_local 8 MiB tile stayed resident in every
    // OpenMP worker after training. Allocating it costs far less than a block's sgemms,
    // and a one-query block's scratch is a few KiB.
    Scratch scratch;
    const int64_t begin = block * kQueryBlock;
    const int64_t count = std::min(kQueryBlock, queries.rows - begin);
    SearchBlock(queries.Slice(begin, count), begin, k, params.filter, results, &scratch);
  });
}

void FlatIndex::SearchBlock(MatrixView queries, int64_t first_query, int k,
                            const IdFilter* filter, SearchResults* results,
                            Scratch* scratch) const {
  const bool l2 = metric() == Metric::kL2;
  if (metric() == Metric::kCosine) {
    scratch->normalized_queries.assign(queries.data, queries.data + queries.size());
    NormalizeRows(scratch->normalized_queries.data(), queries.rows, dim());
    queries = MatrixView(scratch->normalized_queries.data(), queries.rows, dim());
  }
  // Sized for this block: a one-query search needs one heap and a 4 KiB tile.
  const int shortlist = exact_rerank_ ? ShortlistSize(k) : k;
  scratch->heaps.assign(queries.rows, TopK(shortlist));
  scratch->tile.resize(queries.rows * std::min(kDatabaseBlock, size()));

  // Scores follow collect_scores.h: smaller is closer.
  const float alpha = l2 ? -2.0f : -1.0f;
  for (int64_t base = 0; base < size(); base += kDatabaseBlock) {
    const int64_t count = std::min(kDatabaseBlock, size() - base);
    float* tile = scratch->tile.data();
    InnerProducts(queries, MatrixView(vectors_.data() + base * dim(), count, dim()), alpha, 0.0f,
                  tile, count);
    const CandidateFilter admitted(filter, ids_.data() + base);
    for (int64_t q = 0; q < queries.rows; ++q) {
      CollectScores(tile + q * count, l2 ? squared_norms_.data() + base : nullptr, 1, 0.0f, base,
                    count, &scratch->heaps[q], admitted);
    }
  }

  auto id_of = [this](int64_t position) { return ids_[position]; };
  for (int64_t q = 0; q < queries.rows; ++q) {
    const int64_t row = first_query + q;
    float* distances = results->distances.data() + row * k;
    int64_t* ids = results->ids.data() + row * k;
    if (exact_rerank_) {
      RerankExact(
          l2, queries.row(q), dim(), k, &scratch->heaps[q], &scratch->rerank, distances, ids,
          [this](int64_t position) { return vectors_.data() + position * dim(); }, id_of);
    } else {
      float query_norm = 0.0f;
      if (l2) SquaredNorms(queries.Slice(q, 1), &query_norm);
      WriteApproximate(l2, query_norm, &scratch->heaps[q], distances, ids, id_of);
    }
  }
}

absl::StatusOr<size_t> FlatIndex::Remove(absl::Span<const int64_t> ids) {
  const absl::flat_hash_set<int64_t> doomed(ids.begin(), ids.end());
  int64_t kept = 0;
  for (int64_t i = 0; i < size(); ++i) {
    if (doomed.contains(ids_[i])) continue;
    if (kept != i) {
      std::copy_n(vectors_.data() + i * dim(), dim(), vectors_.data() + kept * dim());
      if (!squared_norms_.empty()) squared_norms_[kept] = squared_norms_[i];
      ids_[kept] = ids_[i];
    }
    ++kept;
  }
  const size_t removed = static_cast<size_t>(size() - kept);
  vectors_.resize(kept * dim());
  if (!squared_norms_.empty()) squared_norms_.resize(kept);
  ids_.resize(kept);
  return removed;
}

absl::Status FlatIndex::WriteState(IndexFileWriter* writer) const {
  writer->AddFloat32("flat.vectors", vectors_);
  writer->AddInt64("flat.ids", ids_);
  writer->AddInt64Scalar("flat.has_user_ids", has_user_ids_ ? 1 : 0);
  writer->AddInt64Scalar("flat.next_sequential_id", next_sequential_id_);
  return absl::OkStatus();
}

absl::Status FlatIndex::ReadState(const IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(const StoredIds stored, ReadStoredIds(reader, "flat", "flat.ids"));
  VQS_ASSIGN_OR_RETURN(
      absl::Span<const float> vectors,
      reader.FiniteFloat32("flat.vectors", static_cast<int64_t>(stored.ids.size()) * dim()));
  vectors_.assign(vectors.begin(), vectors.end());
  ids_.assign(stored.ids.begin(), stored.ids.end());
  has_user_ids_ = stored.has_user_ids;
  next_sequential_id_ = stored.next_sequential_id;
  if (metric() == Metric::kL2) {
    squared_norms_.resize(ids_.size());
    SquaredNorms(MatrixView(vectors_.data(), size(), dim()), squared_norms_.data());
  }
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
