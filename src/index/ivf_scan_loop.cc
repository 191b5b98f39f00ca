// The query-major IVF scan loop; see ivf_scan_loop.h.

#include "index/ivf_scan_loop.h"

#include <algorithm>
#include <vector>

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

// Queries whose tables a scanner builds together (one sgemm per sub-space or stage).
constexpr int64_t kQueryBlock = 64;

// Scores one list's `entries` codes with `table` into `heap`, by the kernel of `kind`.
void ScanList(CodeKind kind, int subcodes, const uint8_t* codes, int64_t entries,
              int64_t first_entry, const ListTable& table, CandidateFilter admitted,
              TopK* heap) {
  switch (kind) {
    case CodeKind::kFastScan: {
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
    case CodeKind::kBytes: {
      thread_local std::vector<float> scores;
      scores.resize(entries);
      ScanCodes8(codes, entries, subcodes, table.table, table.offset, scores.data());
      CollectScores(scores.data(), nullptr, 0, 0.0f, first_entry, entries, heap, admitted);
      return;
    }
  }
}

}  // namespace

void ScanProbedLists(const InvertedLists& lists, MatrixView queries, const int64_t* probes,
                     int nprobe, int k, bool l2, const SearchParams& params,
                     const std::function<std::unique_ptr<ListScanner>()>& make_scanner,
                     SearchResults* results) {
  const int64_t blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
  ParallelFor(blocks, params.num_threads, [&](int64_t block, int) {
    thread_local TopK heap(k);
    if (heap.k() != k) heap = TopK(k);
    const std::unique_ptr<ListScanner> scanner = make_scanner();
    const CodeKind kind = scanner->kind();
    const int subcodes = scanner->num_subcodes();
    const int64_t first = block * kQueryBlock;
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
                 table, CandidateFilter(params.filter, lists.ids(list)), &heap);
      }
      WriteApproximate(l2, 0.0f, &heap, results->distances.data() + q * k,
                       results->ids.data() + q * k,
                       [&lists](int64_t entry) { return lists.IdOfEntry(entry); });
    }
  });
}

}  // namespace vqsearch::internal
