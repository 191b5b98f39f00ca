// PqDistanceTables: the ADC tables of residual product quantization inside an IVF index
// (the table-building half of IVF-PQ search; the scan kernels in src/simd consume them).
//
// Residuals r = x - c against the list centroid c are encoded. For L2,
//   ||q - c - r||^2 = ||q - c||^2 + (||r||^2 + 2 c.r) - 2 q.r
// and with r a concatenation of sub-space centroids both inner terms split per sub-space:
//   ||r||^2 + 2 c.r = sum_m (||C_m[j]||^2 + 2 c_m.C_m[j])   depends on the list only, so
//                                                           it is precomputed once
//   q.r             = sum_m q_m.C_m[j]                      depends on the query only
// A probed list's table is then the precomputed list table minus twice the query table:
// one multiply-add per entry instead of recomputing sub-space distances (as in FAISS's
// IVFPQ with precomputed tables). For inner product, q.x = q.c + sum_m q_m.C_m[j]; the
// table is the negated query table (smaller is closer everywhere in the library).

#ifndef VQSEARCH_QUANT_PQ_DISTANCE_TABLES_H_
#define VQSEARCH_QUANT_PQ_DISTANCE_TABLES_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "quant/product_quantizer.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

class PqDistanceTables {
 public:
  // `pq` (trained) must outlive this object; `centroids` are the IVF lists' centroids.
  // `l2` selects the L2 decomposition; otherwise tables score by negated inner product.
  PqDistanceTables(const ProductQuantizer* pq, MatrixView centroids, bool l2);

  // Bytes of the precomputed list terms and the transposed codebooks.
  size_t MemoryUsageBytes() const {
    return (list_terms_.capacity() + transposed_codebooks_.capacity()) * sizeof(float);
  }

  // Entries of one table: num_subspaces x codebook_size.
  size_t table_size() const { return table_size_; }

  // True when ListTable returns the query table itself for every list (inner product):
  // whatever a scan derives from the table (a quantized fast-scan table) is then derived
  // once per query, and only the offset changes from list to list.
  bool list_independent() const { return !l2_; }

  // The query parts of the tables of `queries`: table_size() floats per query, q_m.C_m[j]
  // (L2) or -q_m.C_m[j] (inner product), by one sgemm per sub-space for the whole block
  // (directly, for a handful of queries). `scratch` is reused between calls.
  void QueryTables(MatrixView queries, std::vector<float>* scratch, float* tables) const;

  // The table of probed list `list` (centroid `centroid`) for one query (`query` itself,
  // `query_table` from QueryTables): table_size() entries, written into `scratch` (L2) or
  // query_table itself (inner product). Sets *offset to the constant every code's
  // distance adds: ||q - c||^2, or -q.c.
  const float* ListTable(const float* query, const float* query_table, int64_t list,
                         const float* centroid, float* scratch, float* offset) const;

 private:
  const ProductQuantizer* pq_;
  int dim_;
  bool l2_;
  size_t table_size_;
  // L2: per list, table_size values ||C_m[j]||^2 + 2 c_m.C_m[j].
  std::vector<float> list_terms_;
  // Each sub-space's codebook transposed (sub_dim rows of codebook_size), for the tables
  // of single queries.
  std::vector<float> transposed_codebooks_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_PQ_DISTANCE_TABLES_H_
