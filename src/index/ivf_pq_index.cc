// IVF-PQ with ADC tables; see ivf_pq_index.h.

#include "index/ivf_pq_index.h"

#include <algorithm>

#include "io/index_file.h"
#include "linalg/gemm.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/top_k.h"
#include "simd/pq8_scan.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// Queries whose distance tables are computed together (one sgemm per sub-space).
constexpr int64_t kQueryBlock = 64;

}  // namespace

IvfPqIndex::IvfPqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ProductQuantizer pq)
    : IvfIndex(std::move(spec), dim, metric, nlist, pq.code_size()), pq_(std::move(pq)) {}

absl::Status IvfPqIndex::TrainCodec(MatrixView vectors, MatrixView centroids,
                                    const BuildOptions& options) {
  VQS_ASSIGN_OR_RETURN(const std::vector<float> residuals,
                       TrainingResiduals(vectors, centroids, options.num_threads));
  VQS_RETURN_IF_ERROR(pq_.Train(MatrixView(residuals, dim()), /*seed=*/4321, options));
  if (scoring_metric() == Metric::kL2) PrecomputeListTerms(centroids);
  return absl::OkStatus();
}

void IvfPqIndex::PrecomputeListTerms(MatrixView centroids) {
  const int m_count = pq_.num_subspaces(), ksub = pq_.codebook_size(), d = pq_.sub_dim();
  const float* codebooks = pq_.centroids().data();
  list_terms_.assign(static_cast<size_t>(centroids.rows) * m_count * ksub, 0.0f);
  for (int64_t list = 0; list < centroids.rows; ++list) {
    float* terms = list_terms_.data() + list * m_count * ksub;
    for (int m = 0; m < m_count; ++m) {
      const float* c_m = centroids.row(list) + m * d;
      for (int j = 0; j < ksub; ++j) {
        const float* word = codebooks + (static_cast<size_t>(m) * ksub + j) * d;
        terms[m * ksub + j] = SquaredNorm(word, d) + 2 * Dot(c_m, word, d);
      }
    }
  }
}

absl::Status IvfPqIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                int num_threads) const {
  const std::vector<float> residuals = Residuals(vectors, lists, centroids());
  return pq_.Encode(MatrixView(residuals, dim()), codes, num_threads);
}

void IvfPqIndex::ScanList(int64_t list, const float* table, float offset,
                          std::vector<float>* scores, TopK* heap) const {
  const int64_t entries = lists().list_size(list);
  scores->resize(entries);
  ScanCodes8(lists().codes(list), entries, pq_.num_subspaces(), table, offset, scores->data());
  CollectScores(scores->data(), nullptr, 0, 0.0f, EncodeEntry(list, 0), entries, heap);
}

void IvfPqIndex::SearchProbed(MatrixView queries, const int64_t* probes, int nprobe, int k,
                              const SearchParams& params, SearchResults* results) const {
  const bool l2 = scoring_metric() == Metric::kL2;
  const int m_count = pq_.num_subspaces(), ksub = pq_.codebook_size(), d = pq_.sub_dim();
  const size_t table_size = static_cast<size_t>(m_count) * ksub;
  const float* codebooks = pq_.centroids().data();
  const int64_t blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
  ParallelFor(blocks, params.num_threads, [&](int64_t block, int) {
    thread_local std::vector<float> query_tables, sub_queries, list_table, scores;
    thread_local TopK heap(k);
    if (heap.k() != k) heap = TopK(k);
    const int64_t first = block * kQueryBlock;
    const MatrixView part = queries.Slice(first, std::min(kQueryBlock, queries.rows - first));
    // q_m . C_m[j] for every query of the block, sub-space and codeword: one sgemm per
    // sub-space. Negated for inner product, whose smaller-is-closer score is -(q.c + q.r).
    query_tables.resize(part.rows * table_size);
    sub_queries.resize(part.rows * d);
    for (int m = 0; m < m_count; ++m) {
      for (int64_t i = 0; i < part.rows; ++i) {
        std::copy_n(part.row(i) + m * d, d, sub_queries.data() + i * d);
      }
      InnerProducts(MatrixView(sub_queries.data(), part.rows, d),
                    MatrixView(codebooks + static_cast<size_t>(m) * ksub * d, ksub, d),
                    l2 ? 1.0f : -1.0f, 0.0f, query_tables.data() + m * ksub,
                    static_cast<int64_t>(table_size));
    }
    list_table.resize(table_size);
    for (int64_t i = 0; i < part.rows; ++i) {
      const int64_t q = first + i;
      const float* x = queries.row(q);
      const float* query_table = query_tables.data() + i * table_size;
      heap.Clear();
      for (int p = 0; p < nprobe; ++p) {
        const int64_t list = probes[q * nprobe + p];
        if (list < 0 || lists().list_size(list) == 0) continue;
        const float* centroid = centroids().row(list);
        if (l2) {
          // ||q - c||^2 + list term - 2 q.r: the list's table, one multiply-add per entry.
          const float* terms = list_terms_.data() + list * table_size;
          for (size_t e = 0; e < table_size; ++e) list_table[e] = terms[e] - 2 * query_table[e];
          ScanList(list, list_table.data(), SquaredL2(x, centroid, dim()), &scores, &heap);
        } else {
          ScanList(list, query_table, -Dot(x, centroid, dim()), &scores, &heap);
        }
      }
      WriteApproximate(l2, 0.0f, &heap, results->distances.data() + q * k,
                       results->ids.data() + q * k,
                       [this](int64_t entry) { return lists().IdOfEntry(entry); });
    }
  });
}

void IvfPqIndex::WriteCodec(IndexFileWriter* writer) const { pq_.Write("ivfpq.pq", writer); }

absl::Status IvfPqIndex::ReadCodec(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(pq_.Read("ivfpq.pq", reader));
  if (!pq_.is_trained()) return absl::DataLossError("a trained IVF-PQ index was saved without its PQ");
  if (scoring_metric() == Metric::kL2) PrecomputeListTerms(centroids());
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
