// Blocked sgemm scans of float rows; see nearest_rows.h.

#include "search/nearest_rows.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "linalg/gemm.h"
#include "search/candidate_filter.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/top_k.h"
#include "util/parallel_for.h"

namespace vqsearch::internal {
namespace {

// A query block times a row block is one sgemm. OpenBLAS packs the row block on every
// call, so many queries per call amortize that (with 256, packing took 5% of k-means
// time); the 2048 x 1024 tile is 8 MiB per thread.
constexpr int64_t kQueryBlock = 2048;
constexpr int64_t kRowBlock = 1024;

struct Scratch {
  std::vector<float> tile;                // block rows x kRowBlock scores
  std::vector<float> normalized_queries;  // the block's queries at unit length
  std::vector<TopK> heaps;                // one shortlist per query of the block
  RerankScratch rerank;
};

// Searches the block `queries`, whose first row is query `first_query` of the call, into
// its rows of `results`.
void SearchBlock(MatrixView queries, int64_t first_query, const SearchedRows& searched, int k,
                 const NearestRowsOptions& options, SearchResults* results, Scratch* scratch) {
  const bool l2 = options.l2;
  const int dim = queries.dim;
  const int64_t size = searched.rows.rows;
  if (options.normalize_queries) {
    scratch->normalized_queries.assign(queries.data, queries.data + queries.size());
    NormalizeRows(scratch->normalized_queries.data(), queries.rows, dim);
    queries = MatrixView(scratch->normalized_queries.data(), queries.rows, dim);
  }
  // Sized for this block: a one-query search needs one heap and a 4 KiB tile.
  const int shortlist = options.exact_rerank ? ShortlistSize(k) : k;
  scratch->heaps.assign(queries.rows, TopK(shortlist));
  scratch->tile.resize(queries.rows * std::min(kRowBlock, size));

  // Scores follow collect_scores.h: smaller is closer.
  const float alpha = l2 ? -2.0f : -1.0f;
  for (int64_t base = 0; base < size; base += kRowBlock) {
    const int64_t count = std::min(kRowBlock, size - base);
    float* tile = scratch->tile.data();
    InnerProducts(queries, searched.rows.Slice(base, count), alpha, 0.0f, tile, count);
    const CandidateFilter admitted =
        options.filter == nullptr ? CandidateFilter()
                                  : CandidateFilter(options.filter, searched.ids + base);
    for (int64_t q = 0; q < queries.rows; ++q) {
      CollectScores(tile + q * count, l2 ? searched.squared_norms + base : nullptr, 1, 0.0f, base,
                    count, &scratch->heaps[q], admitted);
    }
  }

  auto id_of = [&searched](int64_t position) {
    return searched.ids != nullptr ? searched.ids[position] : position;
  };
  for (int64_t q = 0; q < queries.rows; ++q) {
    const int64_t row = first_query + q;
    float* distances = results->distances.data() + row * k;
    int64_t* ids = results->ids.data() + row * k;
    if (options.exact_rerank) {
      RerankExact(
          l2, queries.row(q), dim, k, &scratch->heaps[q], &scratch->rerank, distances, ids,
          [&searched](int64_t position) { return searched.rows.row(position); }, id_of);
    } else {
      float query_norm = 0.0f;
      if (l2) SquaredNorms(queries.Slice(q, 1), &query_norm);
      WriteApproximate(l2, query_norm, &scratch->heaps[q], distances, ids, id_of);
    }
  }
}

}  // namespace

void NearestRows(MatrixView queries, const SearchedRows& rows, int k,
                 const NearestRowsOptions& options, SearchResults* results) {
  results->num_queries = queries.rows;
  results->k = k;
  results->distances.assign(static_cast<size_t>(queries.rows) * k, 0.0f);
  results->ids.assign(static_cast<size_t>(queries.rows) * k, -1);

  const int64_t num_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
  const int threads = static_cast<int>(std::min<int64_t>(ResolveThreadCount(options.num_threads),
                                                         std::max<int64_t>(num_blocks, 1)));
  ParallelFor(num_blocks, threads, [&](int64_t block, int) {
    // Per block, not kept per thread: a thread_local 8 MiB tile stayed resident in every
    // OpenMP worker after training. Allocating it costs far less than a block's sgemms,
    // and a one-query block's scratch is a few KiB.
    Scratch scratch;
    const int64_t begin = block * kQueryBlock;
    const int64_t count = std::min(kQueryBlock, queries.rows - begin);
    SearchBlock(queries.Slice(begin, count), begin, rows, k, options, results, &scratch);
  });
}

absl::StatusOr<std::vector<int64_t>> NearestRowLabels(SearchResults nearest,
                                                      absl::string_view what) {
  for (size_t i = 0; i < nearest.ids.size(); ++i) {
    if (nearest.ids[i] < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " ", i, " has no nearest centroid: its distances to the centroids overflow "
          "float (coordinates too large)"));
    }
  }
  return std::move(nearest.ids);
}

}  // namespace vqsearch::internal
