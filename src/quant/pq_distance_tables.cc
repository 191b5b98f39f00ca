// ADC tables of residual PQ; see pq_distance_tables.h.

#include "quant/pq_distance_tables.h"

#include <algorithm>

#include "linalg/gemm.h"
#include "simd/vector_ops.h"

namespace vqsearch::internal {
namespace {

// Fewer queries than this get their tables from WeightedRowSum: an sgemm per sub-space
// costs about a microsecond of call overhead (98 calls for PQ98), more than the products
// of one query, while a block of queries shares the calls.
constexpr int64_t kMinRowsForGemm = 8;

}  // namespace

PqDistanceTables::PqDistanceTables(const ProductQuantizer* pq, MatrixView centroids, bool l2,
                                   const NormTermCodec* norm, PqCodes codes)
    : pq_(pq),
      dim_(pq->dim()),
      l2_(l2),
      norm_(norm),
      codes_(codes),
      table_size_(static_cast<size_t>(pq->num_subspaces() + (norm ? norm->num_subcodes() : 0)) *
                  pq->codebook_size()) {
  const int m_count = pq->num_subspaces(), ksub = pq->codebook_size(), d = pq->sub_dim();
  const float* codebooks = pq->centroids().data();
  transposed_codebooks_.resize(static_cast<size_t>(m_count) * ksub * d);
  for (int m = 0; m < m_count; ++m) {
    const float* words = codebooks + static_cast<size_t>(m) * ksub * d;
    float* transposed = transposed_codebooks_.data() + static_cast<size_t>(m) * ksub * d;
    for (int j = 0; j < ksub; ++j) {
      for (int t = 0; t < d; ++t) transposed[t * ksub + j] = words[j * d + t];
    }
  }
  if (codes_ == PqCodes::kVectors) {
    if (!l2_) return;
    codeword_norms_.resize(table_size_);
    for (size_t e = 0; e < table_size_; ++e) codeword_norms_[e] = SquaredNorm(codebooks + e * d, d);
    return;
  }
  if (!l2_ || norm_ != nullptr) return;
  list_terms_.assign(static_cast<size_t>(centroids.rows) * table_size_, 0.0f);
  for (int64_t list = 0; list < centroids.rows; ++list) {
    float* terms = list_terms_.data() + list * table_size_;
    for (int m = 0; m < m_count; ++m) {
      const float* c_m = centroids.row(list) + m * d;
      for (int j = 0; j < ksub; ++j) {
        const float* word = codebooks + (static_cast<size_t>(m) * ksub + j) * d;
        terms[m * ksub + j] = SquaredNorm(word, d) + 2 * Dot(c_m, word, d);
      }
    }
  }
}

void PqDistanceTables::QueryTables(MatrixView queries, std::vector<float>* scratch,
                                   float* tables) const {
  const int m_count = pq_->num_subspaces(), ksub = pq_->codebook_size(), d = pq_->sub_dim();
  const float* codebooks = pq_->centroids().data();
  const float sign = !l2_                                               ? -1.0f
                     : norm_ != nullptr || codes_ == PqCodes::kVectors ? -2.0f
                                                                       : 1.0f;
  if (queries.rows < kMinRowsForGemm) {
    for (int64_t i = 0; i < queries.rows; ++i) {
      for (int m = 0; m < m_count; ++m) {
        // table[j] = sign * <query, word j>, over the transposed words (d rows of ksub
        // values) so that the loop over words vectorizes without reassociating sums.
        WeightedRowSum(queries.row(i) + m * d, sign,
                       transposed_codebooks_.data() + static_cast<size_t>(m) * ksub * d, d, ksub,
                       tables + i * table_size_ + m * ksub);
      }
    }
    CompleteQueryTables(queries.rows, tables);
    return;
  }
  scratch->resize(queries.rows * d);
  for (int m = 0; m < m_count; ++m) {
    for (int64_t i = 0; i < queries.rows; ++i) {
      std::copy_n(queries.row(i) + m * d, d, scratch->data() + i * d);
    }
    InnerProducts(MatrixView(scratch->data(), queries.rows, d),
                  MatrixView(codebooks + static_cast<size_t>(m) * ksub * d, ksub, d),
                  sign, 0.0f, tables + m * ksub, static_cast<int64_t>(table_size_));
  }
  CompleteQueryTables(queries.rows, tables);
}

void PqDistanceTables::CompleteQueryTables(int64_t rows, float* tables) const {
  if (!codeword_norms_.empty()) {
    for (int64_t i = 0; i < rows; ++i) {
      float* table = tables + i * table_size_;
      for (size_t e = 0; e < table_size_; ++e) table[e] += codeword_norms_[e];
    }
    return;
  }
  if (norm_ == nullptr) return;
  const absl::Span<const float> levels = norm_->levels();
  const size_t first = static_cast<size_t>(pq_->num_subspaces()) * pq_->codebook_size();
  for (int64_t i = 0; i < rows; ++i) std::copy(levels.begin(), levels.end(), tables + i * table_size_ + first);
}

const float* PqDistanceTables::ListTable(const float* query, float query_squared_norm,
                                         const float* query_table, int64_t list,
                                         const float* centroid, float* scratch,
                                         float* offset) const {
  if (codes_ == PqCodes::kVectors) {
    *offset = l2_ ? query_squared_norm : 0.0f;
    return query_table;
  }
  if (!l2_) {
    *offset = -Dot(query, centroid, dim_);
    return query_table;
  }
  if (norm_ != nullptr) {
    *offset = SquaredL2(query, centroid, dim_);
    return query_table;
  }
  AddScaled(list_terms_.data() + list * table_size_, -2.0f, query_table, table_size_, scratch);
  *offset = SquaredL2(query, centroid, dim_);
  return scratch;
}

}  // namespace vqsearch::internal
