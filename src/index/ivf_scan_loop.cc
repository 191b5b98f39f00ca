// The IVF scan loop, query-major and list-major; see ivf_scan_loop.h.

#include "index/ivf_scan_loop.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "linalg/gemm.h"
#include "quant/rabitq_fast_scan.h"
#include "quant/rabitq_scorer.h"
#include "quant/scalar_quantizer_scorer.h"
#include "search/candidate_filter.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/fast_scan_top_k.h"
#include "search/top_k.h"
#include "simd/pq4_fast_scan.h"
#include "simd/pq8_scan.h"
#include "util/parallel_for.h"

namespace vqsearch::internal {
namespace {

// Query-major: queries whose tables a scanner builds together (one sgemm per sub-space
// or stage).
constexpr int64_t kQueryBlock = 64;

// List-major blocks are sized so a probed list is shared by about this many queries,
// within these bounds.
constexpr int64_t kTargetQueriesPerList = 32;
constexpr int64_t kMinListMajorBlock = 256;
constexpr int64_t kMaxListMajorBlock = 4096;

// Float records: bounds of one sgemm, queries per call and list entries per call (a 1 MiB
// tile at most).
constexpr int64_t kQueriesPerGemm = 256;
constexpr int64_t kEntriesPerGemm = 1024;

// Fast-scan lists shorter than this go query by query.
constexpr double kListMajorMinCodesPerList = 4 * kFastScanBlock;

double MeanListSize(const InvertedLists& lists) {
  return static_cast<double>(lists.total_size()) / static_cast<double>(lists.nlist());
}

// Whether blocks of `block` queries go list by list. For fast-scan codes, a (query, list)
// pair then reads the query's table (16 bytes a sub-code) from L2 instead of L1, and
// saves re-reading the list (16 bytes a sub-code per 32-code block) from memory: worth it
// for lists of several blocks that the block's queries share. SIFT-1M (~244 codes a
// list, 8 blocks): 1.7x the QPS; 100-d and 384-d word vectors (~88 codes, 3 blocks, 2-4
// MB of codes): 10-30% fewer QPS, so shorter lists stay query-major.
bool IsListMajor(CodeKind kind, int64_t block, int nprobe, const InvertedLists& lists) {
  if (kind == CodeKind::kBytes) return false;
  if (kind != CodeKind::kFastScan && kind != CodeKind::kFastScanRescored) return true;
  return block * nprobe >= 2 * lists.nlist() && MeanListSize(lists) >= kListMajorMinCodesPerList;
}

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Queries per list-major block for a batch of `rows` queries on `threads` threads: large
// enough that a probed list is shared by many queries, and cut into equal blocks whose
// count is a multiple of the thread count. Blocks of equal size cost about the same, so
// any other count leaves threads idle at the end: 10000 SIFT queries in 5 blocks of 2048
// kept 2 threads at 1.67x one thread's QPS.
int64_t ListMajorBlockSize(int64_t rows, int nprobe, int64_t nlist, int threads) {
  const int64_t target = std::clamp(kTargetQueriesPerList * nlist / nprobe, kMinListMajorBlock,
                                    kMaxListMajorBlock);
  const int64_t blocks = CeilDiv(CeilDiv(rows, target), threads) * threads;
  return std::max<int64_t>(1, CeilDiv(rows, blocks));
}

// A list-major block's queries grouped by the lists they probe, with one heap per query.
struct ListMajorBlock {
  std::vector<int64_t> list_begin;    // nlist + 1 offsets into list_queries
  std::vector<int32_t> list_queries;  // block-relative query numbers, grouped by list
  std::vector<TopK> heaps;            // one per query of the block

  // Groups the `rows` queries of a block by the lists in `probes` (nprobe per query,
  // -1 for none; a counting sort by list), leaving out each query's probes before
  // `first_probe`, and empties `rows` heaps of size k.
  void Prepare(const int64_t* probes, int64_t rows, int nprobe, int first_probe, int64_t nlist,
               int k) {
    list_begin.assign(nlist + 1, 0);
    for (int64_t q = 0; q < rows; ++q) {
      for (int p = first_probe; p < nprobe; ++p) {
        if (probes[q * nprobe + p] >= 0) ++list_begin[probes[q * nprobe + p] + 1];
      }
    }
    for (int64_t list = 0; list < nlist; ++list) list_begin[list + 1] += list_begin[list];
    list_queries.resize(list_begin[nlist]);
    std::vector<int64_t> fill(list_begin.begin(), list_begin.end() - 1);
    for (int64_t q = 0; q < rows; ++q) {
      for (int p = first_probe; p < nprobe; ++p) {
        const int64_t list = probes[q * nprobe + p];
        if (list >= 0) list_queries[fill[list]++] = static_cast<int32_t>(q);
      }
    }
    if (heaps.size() < static_cast<size_t>(rows) || (!heaps.empty() && heaps.front().k() != k)) {
      heaps.assign(rows, TopK(k));
    }
    for (int64_t q = 0; q < rows; ++q) heaps[q].Clear();
  }
  // The block-relative queries that probe `list`, and how many there are.
  const int32_t* probers(int64_t list) const { return list_queries.data() + list_begin[list]; }
  int64_t prober_count(int64_t list) const { return list_begin[list + 1] - list_begin[list]; }
};

// Per thread and kept across searches, so that a list-major search allocates nothing.
struct ListMajorScratch {
  ListMajorBlock groups;
  std::vector<float> gathered;  // float records: kQueriesPerGemm tables of a list
  std::vector<float> offsets;   // their offsets
  std::vector<float> tile;      // kQueriesPerGemm x kEntriesPerGemm scores
};

// Scores one list's `entries` codes with `table` into `heap`, by the kernel of `kind`
// (any but float records, which are scored a list at a time).
void ScanList(CodeKind kind, int subcodes, const uint8_t* codes, int64_t entries,
              int64_t first_entry, const ListTable& table, CandidateFilter admitted,
              TopK* heap) {
  switch (kind) {
    case CodeKind::kFastScan: {
      if (heap->size() == 0 && admitted.AdmitsAll() &&
          ScanIntoEmptyHeap(codes, entries, subcodes, table.lut, table.quantized, first_entry,
                            heap)) {
        return;
      }
      FastScanTopK sink(heap, table.quantized, first_entry, admitted);
      if (sink.CanImprove()) FastScan4(codes, entries, subcodes, table.lut, &sink);
      return;
    }
    case CodeKind::kFastScanRescored: {
      FloatRescoringTopK sink(heap, table.quantized, first_entry, admitted, codes, subcodes,
                              table.table, table.offset);
      if (sink.CanImprove()) FastScan4(codes, entries, subcodes, table.lut, &sink);
      return;
    }
    case CodeKind::kRaBitQFastScan:
      table.rabitq_fast_scan->Scan(codes, entries, first_entry, admitted, heap);
      return;
    case CodeKind::kBytes:
    case CodeKind::kScalarQuantized:
    case CodeKind::kRaBitQ: {
      thread_local std::vector<float> scores;
      scores.resize(entries);
      if (kind == CodeKind::kBytes) {
        ScanCodes8(codes, entries, subcodes, table.table, table.offset, scores.data());
      } else if (kind == CodeKind::kRaBitQ) {
        table.rabitq->Score(codes, entries, scores.data());
      } else {
        table.scorer->Score(codes, entries, scores.data());
      }
      CollectScores(scores.data(), nullptr, 0, 0.0f, first_entry, entries, heap, admitted);
      return;
    }
    case CodeKind::kFloatRecords:
      return;
  }
}

// Float records: scores `list` for its `count` probers of the block by sgemm, the
// probers' tables gathered kQueriesPerGemm at a time.
void ScanRecords(const InvertedLists& lists, int64_t list, const int32_t* probers, int64_t count,
                 bool l2, const IdFilter* filter, ListScanner* scanner,
                 ListMajorScratch* scratch) {
  const int dim = scanner->num_subcodes();
  const int64_t stride = dim + 1;  // floats per record: the vector, then its squared norm
  const int64_t entries = lists.list_size(list);
  const float* records = reinterpret_cast<const float*>(lists.codes(list));
  scratch->gathered.resize(kQueriesPerGemm * dim);
  scratch->offsets.resize(kQueriesPerGemm);
  scratch->tile.resize(kQueriesPerGemm * kEntriesPerGemm);
  // Scores follow collect_scores.h: smaller is closer.
  const float alpha = l2 ? -2.0f : -1.0f;
  for (int64_t qb = 0; qb < count; qb += kQueriesPerGemm) {
    const int64_t qn = std::min(kQueriesPerGemm, count - qb);
    for (int64_t i = 0; i < qn; ++i) {
      const ListTable table = scanner->SetList(probers[qb + i], list);
      std::memcpy(scratch->gathered.data() + i * dim, table.table, dim * sizeof(float));
      scratch->offsets[i] = table.offset;
    }
    const MatrixView gathered(scratch->gathered.data(), qn, dim);
    for (int64_t eb = 0; eb < entries; eb += kEntriesPerGemm) {
      const int64_t en = std::min(kEntriesPerGemm, entries - eb);
      const float* block_records = records + eb * stride;
      float* tile = scratch->tile.data();
      InnerProductsStrided(gathered, block_records, en, stride, alpha, 0.0f, tile, en);
      const CandidateFilter admitted(filter, lists.ids(list) + eb);
      for (int64_t i = 0; i < qn; ++i) {
        CollectScores(tile + i * en, l2 ? block_records + dim : nullptr, stride,
                      scratch->offsets[i], EncodeEntry(list, eb), en,
                      &scratch->groups.heaps[probers[qb + i]], admitted);
      }
    }
  }
}

// Writes the final k of `heap` as query `q`'s row of `results`, as user ids.
void WriteRow(const InvertedLists& lists, bool l2, int k, int64_t q, TopK* heap,
              SearchResults* results) {
  WriteApproximate(l2, 0.0f, heap, results->distances.data() + q * k, results->ids.data() + q * k,
                   [&lists](int64_t entry) { return lists.IdOfEntry(entry); });
}

// One query-major block: each query's probed lists in probe order, with its own tables.
void ScanQueryMajor(const InvertedLists& lists, MatrixView queries, int64_t first,
                    const int64_t* probes, int nprobe, int k, bool l2, const IdFilter* filter,
                    ListScanner* scanner, SearchResults* results) {
  thread_local TopK heap(k);
  if (heap.k() != k) heap = TopK(k);
  const CodeKind kind = scanner->kind();
  const int subcodes = scanner->num_subcodes();
  const MatrixView part = queries.Slice(first, std::min(kQueryBlock, queries.rows - first));
  scanner->SetQueries(part);
  for (int64_t i = 0; i < part.rows; ++i) {
    const int64_t q = first + i;
    heap.Clear();
    for (int p = 0; p < nprobe; ++p) {
      const int64_t list = probes[q * nprobe + p];
      if (list < 0 || lists.list_size(list) == 0) continue;
      const ListTable table = scanner->SetList(i, list);
      ScanList(kind, subcodes, lists.codes(list), lists.list_size(list), EncodeEntry(list, 0),
               table, CandidateFilter(filter, lists.ids(list)), &heap);
    }
    WriteRow(lists, l2, k, q, &heap, results);
  }
}

// One list-major block of `count` queries from `first`: every list in list order, for
// each query of the block that probes it.
void ScanListMajor(const InvertedLists& lists, MatrixView queries, int64_t first, int64_t count,
                   const int64_t* probes, int nprobe, int k, bool l2, const IdFilter* filter,
                   ListScanner* scanner, SearchResults* results) {
  thread_local ListMajorScratch scratch;
  ListMajorBlock& groups = scratch.groups;
  const CodeKind kind = scanner->kind();
  // Each query first scans its nearest lists on its own, as many as hold 2k codes on
  // average (one, unless k is large against the lists): in list order alone a query meets
  // its lists in no order of distance, and its threshold tightens slowly (on SIFT-1M at
  // nprobe 64 the extra top-k work outweighed the kernel). A large k's reservoir has no
  // threshold until 2k entries arrived, so those should come from the nearest lists.
  // Float records keep every probe in the grouped sgemm.
  const double probes_for_2k =
      std::min<double>(nprobe, std::ceil(2.0 * k / std::max(MeanListSize(lists), 1.0)));
  const int first_probe =
      kind == CodeKind::kFloatRecords
          ? 0
          : std::min(nprobe, std::max(1, static_cast<int>(probes_for_2k)));
  groups.Prepare(probes + first * nprobe, count, nprobe, first_probe, lists.nlist(), k);
  scanner->SetQueries(queries.Slice(first, count));
  for (int64_t q = 0; q < count; ++q) {
    for (int p = 0; p < first_probe; ++p) {
      const int64_t list = probes[(first + q) * nprobe + p];
      if (list < 0 || lists.list_size(list) == 0) continue;
      const ListTable table = scanner->SetList(q, list);
      ScanList(kind, scanner->num_subcodes(), lists.codes(list), lists.list_size(list),
               EncodeEntry(list, 0), table, CandidateFilter(filter, lists.ids(list)),
               &groups.heaps[q]);
    }
  }
  for (int64_t list = 0; list < lists.nlist(); ++list) {
    const int64_t entries = lists.list_size(list);
    const int64_t prober_count = groups.prober_count(list);
    if (entries == 0 || prober_count == 0) continue;
    const int32_t* probers = groups.probers(list);
    if (kind == CodeKind::kFloatRecords) {
      ScanRecords(lists, list, probers, prober_count, l2, filter, scanner, &scratch);
      continue;
    }
    const CandidateFilter admitted(filter, lists.ids(list));
    for (int64_t i = 0; i < prober_count; ++i) {
      const ListTable table = scanner->SetList(probers[i], list);
      ScanList(kind, scanner->num_subcodes(), lists.codes(list), entries, EncodeEntry(list, 0),
               table, admitted, &groups.heaps[probers[i]]);
    }
  }
  for (int64_t q = 0; q < count; ++q) WriteRow(lists, l2, k, first + q, &groups.heaps[q], results);
}

}  // namespace

void ScanProbedLists(const InvertedLists& lists, MatrixView queries, const int64_t* probes,
                     int nprobe, int k, bool l2, const SearchParams& params,
                     const std::function<std::unique_ptr<ListScanner>()>& make_scanner,
                     SearchResults* results) {
  const int threads = ResolveThreadCount(params.num_threads);
  const int64_t block = ListMajorBlockSize(queries.rows, nprobe, lists.nlist(), threads);
  if (IsListMajor(make_scanner()->kind(), block, nprobe, lists)) {
    const int64_t blocks = (queries.rows + block - 1) / block;
    ParallelFor(blocks, threads, [&](int64_t b, int) {
      const int64_t first = b * block;
      ScanListMajor(lists, queries, first, std::min(block, queries.rows - first), probes, nprobe,
                    k, l2, params.filter, make_scanner().get(), results);
    });
    return;
  }
  const int64_t blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
  ParallelFor(blocks, params.num_threads, [&](int64_t block, int) {
    ScanQueryMajor(lists, queries, block * kQueryBlock, probes, nprobe, k, l2, params.filter,
                   make_scanner().get(), results);
  });
}

}  // namespace vqsearch::internal
