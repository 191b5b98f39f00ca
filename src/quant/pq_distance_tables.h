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
//
// When the codes are of the vectors themselves rather than of residuals (PqCodes::kVectors,
// for data the coarse centroids barely explain), the L2 table holds the sub-space
// distances ||q_m - C_m[j]||^2 (as ||C_m[j]||^2 - 2 q_m.C_m[j], the offset ||q||^2) and
// the inner-product table -q_m.C_m[j]: neither depends on the list, nor needs a norm term.
//
// When the codes carry their norm term (quant/norm_term_codec.h: beta = ||r||^2 + 2 c.r,
// stored in sub-codes after the M of the PQ code), the L2 table is -2 q.r plus the
// norm's levels as further rows, and does not depend on the list either: no list terms
// are kept, and a probed list adds only its offset ||q - c||^2.

#ifndef VQSEARCH_QUANT_PQ_DISTANCE_TABLES_H_
#define VQSEARCH_QUANT_PQ_DISTANCE_TABLES_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "quant/norm_term_codec.h"
#include "quant/product_quantizer.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::internal {

// What the PQ codes of an IVF list encode: the residuals x - c against the list's
// centroid, or the vectors x.
enum class PqCodes { kResiduals, kVectors };

class PqDistanceTables {
 public:
  // `pq` (trained) must outlive this object, as must `norm` (trained, or null when the
  // codes carry no norm term); `centroids` are the IVF lists' centroids. `l2` selects the
  // L2 decomposition; otherwise tables score by negated inner product (and `norm` must
  // be null). Codes of kVectors take no norm term (`norm` null) and ignore `centroids`.
  PqDistanceTables(const ProductQuantizer* pq, MatrixView centroids, bool l2,
                   const NormTermCodec* norm = nullptr, PqCodes codes = PqCodes::kResiduals);

  // Bytes of the precomputed list terms (L2 on residuals without norm terms), the
  // codewords' norms (L2 on vectors) and the transposed codebooks.
  size_t MemoryUsageBytes() const {
    return (list_terms_.capacity() + codeword_norms_.capacity() +
            transposed_codebooks_.capacity()) *
           sizeof(float);
  }

  // Entries of one table: (num_subspaces + the norm's sub-codes) x codebook_size.
  size_t table_size() const { return table_size_; }

  // True when ListTable returns the query table itself for every list (inner product,
  // L2 with stored norm terms, or codes of the vectors themselves):
  // whatever a scan derives from the table (a quantized fast-scan table) is then derived
  // once per query, and only the offset changes from list to list.
  bool list_independent() const {
    return !l2_ || norm_ != nullptr || codes_ == PqCodes::kVectors;
  }

  // The query parts of the tables of `queries`: table_size() floats per query, q_m.C_m[j]
  // (L2), -2 q_m.C_m[j] followed by the norm levels (L2 with norm terms),
  // ||C_m[j]||^2 - 2 q_m.C_m[j] (L2 on codes of vectors) or -q_m.C_m[j] (inner product), by one sgemm per sub-space for the whole block (directly, for a
  // handful of queries). `scratch` is reused between calls.
  void QueryTables(MatrixView queries, std::vector<float>* scratch, float* tables) const;

  // The table of probed list `list` (centroid `centroid`) for one query (`query` itself,
  // its squared norm, `query_table` from QueryTables): table_size() entries, written into
  // `scratch` (L2) or query_table itself (inner product). Sets *offset to the constant
  // every code's distance adds: ||q - c||^2, or -q.c (codes of vectors: ||q||^2, the
  // same for every list, or 0). With norm terms, and on codes of vectors, the table is
  // query_table.
  const float* ListTable(const float* query, float query_squared_norm, const float* query_table,
                         int64_t list, const float* centroid, float* scratch,
                         float* offset) const;

 private:
  // Completes `rows` query tables of -2 q_m.C_m[j] (or q_m.C_m[j], -q_m.C_m[j]): the norm
  // levels into their last rows, or the codewords' squared norms onto the entries of
  // codes of vectors under L2; a no-op for the other kinds.
  void CompleteQueryTables(int64_t rows, float* tables) const;

  const ProductQuantizer* pq_;
  int dim_;
  bool l2_;
  const NormTermCodec* norm_;
  PqCodes codes_;
  size_t table_size_;
  // L2 on codes of vectors: ||C_m[j]||^2, table_size values.
  std::vector<float> codeword_norms_;
  // L2 on residuals without norm terms: per list, table_size values
  // ||C_m[j]||^2 + 2 c_m.C_m[j].
  std::vector<float> list_terms_;
  // Each sub-space's codebook transposed (sub_dim rows of codebook_size), for the tables
  // of single queries.
  std::vector<float> transposed_codebooks_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_PQ_DISTANCE_TABLES_H_
