// The one IVF search loop: every codec's probed lists scored into each query's top-k.
// The loop splits the batch into blocks over threads, picks the traversal order and the
// kernel from its codec's code layout, applies id filters to the candidates that beat
// the threshold, and writes the final k as user ids. The codec only supplies a
// ListScanner (index/list_scanner.h) per block.
//
// Traversal: codes scored through ADC tables (PQ, RQ) go query by query, in blocks whose
// per-query tables a scanner builds together; scalar-quantized and RaBitQ codes and float
// records, whose per-(query, list) set-up is only a fold of the query, go list by list over
// larger blocks, so that a list is read from memory once per block and then from cache
// for every other query of the block that probes it (float records: all of them in one
// sgemm).

#ifndef VQSEARCH_INDEX_IVF_SCAN_LOOP_H_
#define VQSEARCH_INDEX_IVF_SCAN_LOOP_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "index/inverted_lists.h"
#include "index/list_scanner.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/search_params.h"

namespace vqsearch::internal {

// Scores the lists `probes` names (nprobe per query, nearest first, -1 for none) for each
// of the (prepared, validated) `queries` into `results` (already sized, padded with -1).
// Distances are squared L2 (`l2`) or similarities. `make_scanner` is called once per
// block of queries, on the thread that scans it, and once more to learn the code kind.
void ScanProbedLists(const InvertedLists& lists, MatrixView queries, const int64_t* probes,
                     int nprobe, int k, bool l2, const SearchParams& params,
                     const std::function<std::unique_ptr<ListScanner>()>& make_scanner,
                     SearchResults* results);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_SCAN_LOOP_H_
