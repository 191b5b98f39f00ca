// Exact search by blocked sgemm; see flat_index.h.

#include "index/flat_index.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
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
  std::vector<float> tile;               // kQueryBlock x kDatabaseBlock scores
  std::vector<float> normalized_queries;  // cosine: the block's queries at unit length
  std::vector<TopK> heaps;                // one shortlist per query of the block
  RerankScratch rerank;
};

size_t FlatIndex::MemoryUsageBytes() const {
  return vectors_.size() * sizeof(float) + squared_norms_.size() * sizeof(float) +
         ids_.MemoryUsageBytes();
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
  results->num_queries = queries.rows;
  results->k = k;
  results->distances.assign(static_cast<size_t>(queries.rows) * k, 0.0f);
  results->ids.assign(static_cast<size_t>(queries.rows) * k, -1);

  const int64_t num_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
  const int threads = static_cast<int>(std::min<int64_t>(ResolveThreadCount(params.num_threads),
                                                         std::max<int64_t>(num_blocks, 1)));
  ParallelFor(num_blocks, threads, [&](int64_t block, int) {
    // Kept per thread across calls: the 4 MiB tile is not allocated and faulted in again
    // for every search (k-means searches once per iteration).
    thread_local Scratch scratch;
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
  const int shortlist = exact_rerank_ ? ShortlistSize(k) : k;
  if (scratch->heaps.empty() || scratch->heaps.front().k() != shortlist) {
    scratch->heaps.assign(kQueryBlock, TopK(shortlist));
  }
  for (TopK& heap : scratch->heaps) heap.Clear();
  scratch->tile.resize(kQueryBlock * kDatabaseBlock);

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
  const size_t removed = ids_.Remove(doomed, [this](int64_t from, int64_t to) {
    std::copy_n(vectors_.data() + from * dim(), dim(), vectors_.data() + to * dim());
    if (!squared_norms_.empty()) squared_norms_[to] = squared_norms_[from];
  });
  vectors_.resize(size() * dim());
  if (!squared_norms_.empty()) squared_norms_.resize(size());
  return removed;
}

absl::Status FlatIndex::WriteState(IndexFileWriter* writer) const {
  writer->AddFloat32("flat.vectors", vectors_);
  ids_.Write(writer);
  return absl::OkStatus();
}

absl::Status FlatIndex::ReadState(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(ids_.Read(reader));
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> vectors,
                       reader.Float32("flat.vectors", size() * dim()));
  vectors_.assign(vectors.begin(), vectors.end());
  if (metric() == Metric::kL2) {
    squared_norms_.resize(size());
    SquaredNorms(MatrixView(vectors_.data(), size(), dim()), squared_norms_.data());
  }
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
