// The IVF search loop shared by the codecs of ADC tables (PQ and RQ, 8-bit or fast scan):
// query blocks spread over threads, each query's probed lists scored into its top-k with
// the kernel its codec's code layout needs, id filters applied to the candidates that
// beat the threshold, and the final k written as user ids. The codec only supplies a
// ListScanner (index/list_scanner.h) per block.

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
// block of queries, on the thread that scans it.
void ScanProbedLists(const InvertedLists& lists, MatrixView queries, const int64_t* probes,
                     int nprobe, int k, bool l2, const SearchParams& params,
                     const std::function<std::unique_ptr<ListScanner>()>& make_scanner,
                     SearchResults* results);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_SCAN_LOOP_H_
