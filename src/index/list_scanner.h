// ListScanner: what a codec gives the IVF search loop (index/ivf_scan_loop.h) so that one
// loop serves every codec of ADC tables. The loop owns the query blocks, the threads, the
// per-query top-k, id filters and the choice of kernel; the codec only knows its tables:
// SetQueries builds the per-query part for a block of queries, SetList the table and
// offset of one probed list for one query of the block, and kind() says how its codes
// are laid out, which picks the kernel.

#ifndef VQSEARCH_INDEX_LIST_SCANNER_H_
#define VQSEARCH_INDEX_LIST_SCANNER_H_

#include <cstdint>
#include <vector>

#include "simd/pq4_fast_scan.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// How a codec's codes are laid out, and so which kernel scores them.
enum class CodeKind {
  // One byte per sub-code, table[s * 256 + byte]: simd/pq8_scan.h.
  kBytes,
  // 4-bit sub-codes in fast-scan blocks, scored by the quantized table:
  // simd/pq4_fast_scan.h.
  kFastScan,
  // The same, with the threshold's survivors re-scored from the float table (for tables
  // whose sub-codes span very different ranges, where one uint8 scale loses order).
  kFastScanRescored,
};

// The table of one (query, list) pair. A code's distance is offset + the sum of its
// sub-codes' entries of `table`; fast-scan kinds also give the quantized table, whose
// bias already includes the offset.
struct ListTable {
  const float* table = nullptr;
  float offset = 0;
  const uint8_t* lut = nullptr;
  QuantizedTable quantized;
};

// Quantizes a float table of `subcodes` rows for fast scan into `lut` (resized to fit).
inline QuantizedTable QuantizeListTable(const float* table, int subcodes,
                                        std::vector<uint8_t>* lut) {
  lut->resize(FastScanPaddedSubspaces(subcodes) * 16);
  return QuantizeFastScanTable(table, subcodes, lut->data());
}

class ListScanner {
 public:
  virtual ~ListScanner() = default;
  // Builds the per-query tables of a block of (prepared) queries.
  virtual void SetQueries(MatrixView block) = 0;
  // The table of `list` for query `query` of the block; valid until the next call.
  virtual ListTable SetList(int64_t query, int64_t list) = 0;
  virtual CodeKind kind() const = 0;
  // Sub-codes per code (table rows).
  virtual int num_subcodes() const = 0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_LIST_SCANNER_H_
