// ListScanner: what a codec gives the IVF search loop (index/ivf_scan_loop.h) so that one
// loop serves every codec. The loop owns the query blocks, the threads, the traversal
// order, the per-query top-k, id filters and the choice of kernel; the codec only knows
// its tables: SetQueries builds the per-query part for a block of queries, SetList the
// table and offset of one probed list for one query of the block, and kind() says how
// its codes are laid out, which picks the kernel.

#ifndef VQSEARCH_INDEX_LIST_SCANNER_H_
#define VQSEARCH_INDEX_LIST_SCANNER_H_

#include <cstdint>
#include <vector>

#include "simd/pq4_fast_scan.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

class RaBitQFastScanScorer;
class RaBitQScorer;
class SqScorer;

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
  // Scalar-quantized codes, scored by the scorer SetList folded the query (and the
  // list's offset) into: quant/scalar_quantizer_scorer.h.
  kScalarQuantized,
  // RaBitQ codes, scored by the scorer SetList quantized the query's rotated residual
  // into: quant/rabitq_scorer.h.
  kRaBitQ,
  // RaBitQ entries in fast-scan blocks, scored (with their top-k pruning) by the scorer
  // SetList built the query's tables into: quant/rabitq_fast_scan.h.
  kRaBitQFastScan,
  // Float records, num_subcodes() floats followed by their squared norm; the table is a
  // row of num_subcodes() floats (the query, or its residual against the list centroid)
  // whose inner products with the records, by sgemm, give the scores.
  kFloatRecords,
};

// The table of one (query, list) pair. A code's distance is offset + the sum of its
// sub-codes' entries of `table` (float records: offset - 2 or - 1 times the inner
// product of `table` with the record, plus the record's norm under L2); fast-scan kinds
// also give the quantized table, whose bias already includes the offset; the
// scalar-quantized and RaBitQ kinds give only their scorers.
struct ListTable {
  const float* table = nullptr;
  float offset = 0;
  const uint8_t* lut = nullptr;
  QuantizedTable quantized;
  const SqScorer* scorer = nullptr;
  const RaBitQScorer* rabitq = nullptr;
  const RaBitQFastScanScorer* rabitq_fast_scan = nullptr;
};

// The fast-scan half of a scanner's SetList: the quantized table of a (query, list) pair
// from its float table and offset. A table that does not depend on the list
// (`per_query`) is quantized on the query's first list and kept for its others, whose
// offsets only move the bias, in whatever order the loop visits the pairs (query by query
// or list by list): on short lists quantizing costs as much as the scan, and the same
// table gives the same bytes, scale and bias.
class FastScanTables {
 public:
  FastScanTables(int subcodes, bool per_query)
      : subcodes_(subcodes), per_query_(per_query),
        lut_bytes_(static_cast<size_t>(FastScanPaddedSubspaces(subcodes)) * 16) {}

  // Forgets the tables of the last block; the next has `rows` queries.
  void Reset(int64_t rows) {
    rows_ = rows;
    quantized_.assign(per_query_ ? rows : 0, QuantizedTable{});
    filled_.assign(per_query_ ? rows : 0, 0);
  }

  // Sets table->quantized and table->lut for query `query` of the block, quantizing
  // table->table into `luts` (storage the caller keeps across blocks: one table, or one
  // per query of the block when per_query) when needed.
  void Fill(int64_t query, std::vector<uint8_t>* luts, ListTable* table) {
    if (!per_query_) {
      luts->resize(lut_bytes_);
      table->quantized = QuantizeFastScanTable(table->table, subcodes_, luts->data());
      table->quantized.bias += table->offset;
      table->lut = luts->data();
      return;
    }
    if (luts->size() < static_cast<size_t>(rows_) * lut_bytes_) luts->resize(rows_ * lut_bytes_);
    uint8_t* lut = luts->data() + query * lut_bytes_;
    if (!filled_[query]) {
      quantized_[query] = QuantizeFastScanTable(table->table, subcodes_, lut);
      filled_[query] = 1;
    }
    table->quantized = quantized_[query];
    table->quantized.bias += table->offset;
    table->lut = lut;
  }

 private:
  int subcodes_;
  bool per_query_;
  size_t lut_bytes_;
  int64_t rows_ = 0;
  std::vector<QuantizedTable> quantized_;  // per query of the block, when per_query
  std::vector<char> filled_;               // whether quantized_[q] and its bytes are set
};

class ListScanner {
 public:
  virtual ~ListScanner() = default;
  // Builds the per-query tables of a block of (prepared) queries.
  virtual void SetQueries(MatrixView block) = 0;
  // The table of `list` for query `query` of the block; valid until the next call.
  virtual ListTable SetList(int64_t query, int64_t list) = 0;
  virtual CodeKind kind() const = 0;
  // Entries of a table per code: sub-codes (table rows) for ADC tables, dimensions for
  // float records; unused by the scalar-quantized kind.
  virtual int num_subcodes() const = 0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_LIST_SCANNER_H_
