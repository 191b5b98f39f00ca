// IVF-Flat: list-grouped sgemm scan of raw vectors; see ivf_flat_index.h.

#include "index/ivf_flat_index.h"

#include <algorithm>
#include <cstring>

#include "linalg/gemm.h"
#include "search/candidate_filter.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/top_k.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"

namespace vqsearch::internal {
namespace {

// Bounds of one sgemm: queries per call and list entries per call (a 1 MiB tile at most).
constexpr int64_t kQueriesPerGemm = 256;
constexpr int64_t kEntriesPerGemm = 1024;

}  // namespace

struct IvfFlatIndex::Scratch {
  ListMajorBlock block;                    // the block's queries grouped by list, and heaps
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
  const int64_t block = QueryBlockSize(queries.rows, nprobe, threads);
  const int64_t num_blocks = (queries.rows + block - 1) / block;
  ParallelFor(num_blocks, threads, [&](int64_t b, int) {
    thread_local Scratch scratch;  // reused across calls, like Flat's

    const int64_t begin = b * block;
    const int64_t count = std::min(block, queries.rows - begin);
    SearchBlock(queries.Slice(begin, count), begin, probes + begin * nprobe, nprobe, k,
                params.filter, results, &scratch);
  });
}

void IvfFlatIndex::SearchBlock(MatrixView queries, int64_t first_query, const int64_t* probes,
                               int nprobe, int k, const IdFilter* filter, SearchResults* results,
                               Scratch* scratch) const {
  const bool l2 = scoring_metric() == Metric::kL2;
  const int64_t num_lists = nlist();
  const int64_t stride = dim() + 1;  // floats per entry: the residual, then its squared norm

  ListMajorBlock& groups = scratch->block;
  groups.Prepare(probes, queries.rows, nprobe, num_lists, k);
  scratch->gathered.resize(kQueriesPerGemm * dim());
  scratch->offsets.resize(kQueriesPerGemm);
  scratch->tile.resize(kQueriesPerGemm * kEntriesPerGemm);

  // Scores follow collect_scores.h: smaller is closer.
  const float alpha = l2 ? -2.0f : -1.0f;
  for (int64_t list = 0; list < num_lists; ++list) {
    const int64_t entries = lists().list_size(list);
    const int64_t prober_count = groups.prober_count(list);
    if (entries == 0 || prober_count == 0) continue;
    const float* records = reinterpret_cast<const float*>(lists().codes(list));
    for (int64_t qb = 0; qb < prober_count; qb += kQueriesPerGemm) {
      const int64_t qn = std::min(kQueriesPerGemm, prober_count - qb);
      const int32_t* probers = groups.probers(list) + qb;
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
        const CandidateFilter admitted(filter, lists().ids(list) + eb);
        for (int64_t i = 0; i < qn; ++i) {
          CollectScores(tile + i * en, l2 ? block_records + dim() : nullptr, stride,
                        scratch->offsets[i], EncodeEntry(list, eb), en,
                        &groups.heaps[probers[i]], admitted);
        }
      }
    }
  }

  // Scores are already complete distances (the offsets carried ||g||^2 or q.c).
  auto id_of = [this](int64_t entry) { return lists().IdOfEntry(entry); };
  for (int64_t q = 0; q < queries.rows; ++q) {
    const int64_t row = first_query + q;
    WriteApproximate(l2, 0.0f, &groups.heaps[q], results->distances.data() + row * k,
                     results->ids.data() + row * k, id_of);
  }
}

}  // namespace vqsearch::internal
