// IVF over residual-quantized residuals with per-query ADC tables; see ivf_rq_index.h.

#include "index/ivf_rq_index.h"

#include <algorithm>
#include <cstring>

#include "io/index_file.h"
#include "linalg/gemm.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/top_k.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// Queries whose tables are computed together (one sgemm per stage).
constexpr int64_t kQueryBlock = 64;

size_t CodeSize(const ResidualQuantizer& rq, Metric metric) {
  return rq.code_size() + (metric == Metric::kL2 ? sizeof(float) : 0);
}

}  // namespace

IvfRqIndex::IvfRqIndex(std::string spec, int dim, Metric metric, int64_t nlist,
                       ResidualQuantizer rq)
    : IvfIndex(std::move(spec), dim, metric, nlist, CodeSize(rq, metric)), rq_(std::move(rq)) {}

absl::Status IvfRqIndex::TrainCodec(MatrixView vectors, MatrixView centroids,
                                    const BuildOptions& options) {
  VQS_ASSIGN_OR_RETURN(const std::vector<float> residuals,
                       TrainingResiduals(vectors, centroids, options.num_threads));
  return rq_.Train(MatrixView(residuals, dim()), /*seed=*/4321, options);
}

absl::Status IvfRqIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                int num_threads) const {
  const std::vector<float> residuals = Residuals(vectors, lists, centroids());
  const size_t rq_size = rq_.code_size(), code_size = this->lists().code_size();
  std::vector<uint8_t> rq_codes(vectors.rows * rq_size);
  VQS_RETURN_IF_ERROR(rq_.Encode(MatrixView(residuals, dim()), rq_codes.data(), num_threads));
  std::vector<float> decoded(dim());
  for (int64_t i = 0; i < vectors.rows; ++i) {
    uint8_t* code = codes + i * code_size;
    std::memcpy(code, rq_codes.data() + i * rq_size, rq_size);
    if (!stores_norm_term()) continue;
    rq_.Decode(code, 1, decoded.data());
    const float term = SquaredNorm(decoded.data(), dim()) +
                       2 * Dot(centroids().row(lists[i]), decoded.data(), dim());
    std::memcpy(code + rq_size, &term, sizeof(float));
  }
  return absl::OkStatus();
}

std::vector<float> IvfRqIndex::Reconstruct(std::vector<int64_t>* ids) const {
  std::vector<float> vectors(static_cast<size_t>(size()) * dim());
  ids->clear();
  float* out = vectors.data();
  for (int64_t list = 0; list < nlist(); ++list) {
    for (int64_t e = 0; e < lists().list_size(list); ++e, out += dim()) {
      rq_.Decode(lists().codes(list) + e * lists().code_size(), 1, out);
      Accumulate(centroids().row(list), dim(), out);
      ids->push_back(lists().ids(list)[e]);
    }
  }
  return vectors;
}

void IvfRqIndex::ScoreList(const uint8_t* codes, int64_t entries, const float* table,
                           float offset, float* scores) const {
  const size_t code_size = lists().code_size(), rq_size = rq_.code_size();
  const int stages = rq_.num_stages(), ksub = rq_.codebook_size();
  for (int64_t e = 0; e < entries; ++e) {
    const uint8_t* code = codes + e * code_size;
    float score = offset;
    if (stores_norm_term()) {
      float term;
      std::memcpy(&term, code + rq_size, sizeof(float));
      score += term;
    }
    for (int s = 0; s < stages; ++s) score += table[s * ksub + rq_.CodeOf(code, s)];
    scores[e] = score;
  }
}

void IvfRqIndex::SearchProbed(MatrixView queries, const int64_t* probes, int nprobe, int k,
                              const SearchParams& params, SearchResults* results) const {
  const bool l2 = scoring_metric() == Metric::kL2;
  const int stages = rq_.num_stages(), ksub = rq_.codebook_size();
  const int64_t table_size = static_cast<int64_t>(stages) * ksub;
  const int64_t blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
  ParallelFor(blocks, params.num_threads, [&](int64_t block, int) {
    thread_local std::vector<float> tables, scores;
    thread_local TopK heap(k);
    if (heap.k() != k) heap = TopK(k);
    const int64_t first = block * kQueryBlock;
    const MatrixView part = queries.Slice(first, std::min(kQueryBlock, queries.rows - first));
    // tables[i][s * ksub + j] = -2 q_i.C_s[j] (L2) or -q_i.C_s[j] (inner product), so
    // that smaller scores are closer.
    tables.resize(part.rows * table_size);
    for (int s = 0; s < stages; ++s) {
      const MatrixView codebook(rq_.codebooks().data() + static_cast<size_t>(s) * ksub * dim(),
                                ksub, dim());
      InnerProducts(part, codebook, l2 ? -2.0f : -1.0f, 0.0f, tables.data() + s * ksub, table_size);
    }
    for (int64_t i = 0; i < part.rows; ++i) {
      const int64_t q = first + i;
      heap.Clear();
      for (int p = 0; p < nprobe; ++p) {
        const int64_t list = probes[q * nprobe + p];
        if (list < 0 || lists().list_size(list) == 0) continue;
        const int64_t entries = lists().list_size(list);
        const float* centroid = centroids().row(list);
        const float offset =
            l2 ? SquaredL2(queries.row(q), centroid, dim()) : -Dot(queries.row(q), centroid, dim());
        scores.resize(entries);
        ScoreList(lists().codes(list), entries, tables.data() + i * table_size, offset,
                  scores.data());
        CollectScores(scores.data(), nullptr, 0, 0.0f, EncodeEntry(list, 0), entries, &heap);
      }
      WriteApproximate(l2, 0.0f, &heap, results->distances.data() + q * k,
                       results->ids.data() + q * k,
                       [this](int64_t entry) { return lists().IdOfEntry(entry); });
    }
  });
}

void IvfRqIndex::WriteCodec(IndexFileWriter* writer) const { rq_.Write("ivfrq.rq", writer); }

absl::Status IvfRqIndex::ReadCodec(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(rq_.Read("ivfrq.rq", reader));
  if (!rq_.is_trained()) return absl::DataLossError("a trained IVF-RQ index was saved without its RQ");
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
