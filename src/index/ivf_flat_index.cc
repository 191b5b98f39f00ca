// IVF-Flat: list-grouped sgemm scan of raw vectors; see ivf_flat_index.h.

#include "index/ivf_flat_index.h"

#include <algorithm>
#include <cstring>

#include "linalg/gemm.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/top_k.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"

namespace vqsearch::internal {
namespace {

// Queries of a block that probe the same list are multiplied with it together; blocks
// are sized so a probed list is shared by about this many queries on average.
constexpr int64_t kTargetQueriesPerList = 32;
constexpr int64_t kMinQueryBlock = 256;
constexpr int64_t kMaxQueryBlock = 4096;
// Bounds of one sgemm: queries per call and list entries per call (a 1 MiB tile at most).
constexpr int64_t kQueriesPerGemm = 256;
constexpr int64_t kEntriesPerGemm = 1024;

}  // namespace

struct IvfFlatIndex::Scratch {
  std::vector<TopK> heaps;                 // one per query of the block
  std::vector<int64_t> list_begin;         // nlist + 1 offsets into list_queries
  std::vector<int32_t> list_queries;       // block-relative queries, grouped by list
  std::vector<float> gathered;             // kQueriesPerGemm x dim: g = q - c, or q
  std::vector<float> offsets;              // per gathered row: ||g||^2, or -q.c
  std::vector<float> tile;                 // kQueriesPerGemm x kEntriesPerGemm
};

absl::Status IvfFlatIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                  int) const {
  const size_t record = this->lists().code_size();
  std::vector<float> residual(dim() + 1);
  for (int64_t i = 0; i < vectors.rows; ++i) {
    const float* x = vectors.row(i);
    const float* centroid = centroids().row(lists[i]);
    residual[dim()] = SubtractAndSquaredNorm(x, centroid, dim(), residual.data());
    std::memcpy(codes + i * record, residual.data(), record);
  }
  return absl::OkStatus();
}

void IvfFlatIndex::SearchProbed(MatrixView queries, const int64_t* probes, int nprobe, int k,
                                const SearchParams& params, SearchResults* results) const {
  const int threads = ResolveThreadCount(params.num_threads);
  // Large blocks share lists among more queries; enough blocks keep every thread busy.
  int64_t block = kTargetQueriesPerList * nlist() / nprobe;
  block = std::clamp(block, kMinQueryBlock, kMaxQueryBlock);
  block = std::max<int64_t>(1, std::min(block, (queries.rows + threads - 1) / threads));
  const int64_t num_blocks = (queries.rows + block - 1) / block;
  ParallelFor(num_blocks, threads, [&](int64_t b, int) {
    thread_local Scratch scratch;  // reused across calls, like Flat's

    const int64_t begin = b * block;
    const int64_t count = std::min(block, queries.rows - begin);
    SearchBlock(queries.Slice(begin, count), begin, probes + begin * nprobe, nprobe, k, results,
                &scratch);
  });
}

void IvfFlatIndex::SearchBlock(MatrixView queries, int64_t first_query, const int64_t* probes,
                               int nprobe, int k, SearchResults* results, Scratch* scratch) const {
  const bool l2 = scoring_metric() == Metric::kL2;
  const int64_t num_lists = nlist();
  const int64_t stride = dim() + 1;  // floats per entry: the residual, then its squared norm

  // Group the block's queries by the lists they probe (a counting sort by list).
  scratch->list_begin.assign(num_lists + 1, 0);
  for (int64_t i = 0; i < queries.rows * nprobe; ++i) {
    if (probes[i] >= 0) ++scratch->list_begin[probes[i] + 1];
  }
  for (int64_t list = 0; list < num_lists; ++list) {
    scratch->list_begin[list + 1] += scratch->list_begin[list];
  }
  scratch->list_queries.resize(scratch->list_begin[num_lists]);
  {
    std::vector<int64_t> fill(scratch->list_begin.begin(), scratch->list_begin.end() - 1);
    for (int64_t q = 0; q < queries.rows; ++q) {
      for (int p = 0; p < nprobe; ++p) {
        const int64_t list = probes[q * nprobe + p];
        if (list >= 0) scratch->list_queries[fill[list]++] = static_cast<int32_t>(q);
      }
    }
  }

  if (scratch->heaps.size() < static_cast<size_t>(queries.rows) ||
      (!scratch->heaps.empty() && scratch->heaps.front().k() != k)) {
    scratch->heaps.assign(queries.rows, TopK(k));
  }
  for (int64_t q = 0; q < queries.rows; ++q) scratch->heaps[q].Clear();
  scratch->gathered.resize(kQueriesPerGemm * dim());
  scratch->offsets.resize(kQueriesPerGemm);
  scratch->tile.resize(kQueriesPerGemm * kEntriesPerGemm);

  // Scores follow collect_scores.h: smaller is closer.
  const float alpha = l2 ? -2.0f : -1.0f;
  for (int64_t list = 0; list < num_lists; ++list) {
    const int64_t entries = lists().list_size(list);
    const int64_t first = scratch->list_begin[list];
    const int64_t prober_count = scratch->list_begin[list + 1] - first;
    if (entries == 0 || prober_count == 0) continue;
    const float* records = reinterpret_cast<const float*>(lists().codes(list));
    for (int64_t qb = 0; qb < prober_count; qb += kQueriesPerGemm) {
      const int64_t qn = std::min(kQueriesPerGemm, prober_count - qb);
      const int32_t* probers = scratch->list_queries.data() + first + qb;
      const float* centroid = centroids().row(list);
      for (int64_t i = 0; i < qn; ++i) {
        const float* q = queries.row(probers[i]);
        float* g = scratch->gathered.data() + i * dim();
        if (l2) {
          scratch->offsets[i] = SubtractAndSquaredNorm(q, centroid, dim(), g);
        } else {
          std::memcpy(g, q, dim() * sizeof(float));
          scratch->offsets[i] = -Dot(q, centroid, dim());
        }
      }
      const MatrixView gathered(scratch->gathered.data(), qn, dim());
      for (int64_t eb = 0; eb < entries; eb += kEntriesPerGemm) {
        const int64_t en = std::min(kEntriesPerGemm, entries - eb);
        const float* block_records = records + eb * stride;
        float* tile = scratch->tile.data();
        InnerProductsStrided(gathered, block_records, en, stride, alpha, 0.0f, tile, en);
        for (int64_t i = 0; i < qn; ++i) {
          CollectScores(tile + i * en, l2 ? block_records + dim() : nullptr, stride,
                        scratch->offsets[i], EncodeEntry(list, eb), en,
                        &scratch->heaps[probers[i]]);
        }
      }
    }
  }

  // Scores are already complete distances (the offsets carried ||g||^2 or q.c).
  auto id_of = [this](int64_t entry) { return lists().IdOfEntry(entry); };
  for (int64_t q = 0; q < queries.rows; ++q) {
    const int64_t row = first_query + q;
    WriteApproximate(l2, 0.0f, &scratch->heaps[q], results->distances.data() + row * k,
                     results->ids.data() + row * k, id_of);
  }
}

}  // namespace vqsearch::internal
