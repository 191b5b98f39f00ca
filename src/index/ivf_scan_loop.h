// The one IVF search loop: every codec's probed lists scored into each query's top-k.
// The loop splits the batch into blocks over threads, picks the traversal order and the
// kernel from its codec's code layout, applies id filters to the candidates that beat
// the threshold, and writes the final k as user ids. The codec only supplies a
// ListScanner (index/list_scanner.h) per block.
//
// Traversal: list by list over blocks of queries, so that a list is read from memory once
// per block and then from cache for every other query of the block that probes it (float
// records: all of them in one sgemm). A scanner builds the per-query part of its tables
// for the whole block, and fast-scan tables that do not depend on the list are quantized
// once per query of the block. On SIFT-1M at nlist 4096 (lists of ~244 32-byte codes,
// 32 MB of codes in all) query by query left the fast-scan kernel waiting on memory at a
// third of its in-cache speed. 8-bit ADC codes (PQ<m>x8, RQ<m>x8) go query by query, in
// small blocks: their tables (256 floats a sub-space) are too large to keep for every
// query of a large block; so do fast-scan codes in short lists (under 4 blocks of 32) or
// when a block's queries hardly share lists (one query, or a few over many lists).

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
