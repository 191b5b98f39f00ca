// IVF over scalar-quantized codes, direct or residual; see ivf_sq_index.h.

#include "index/ivf_sq_index.h"

#include <vector>

#include "io/index_file.h"
#include "quant/scalar_quantizer_scorer.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/top_k.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {

IvfSqIndex::IvfSqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ScalarQuantizer sq)
    : IvfIndex(std::move(spec), dim, metric, nlist, sq.code_size()), sq_(std::move(sq)) {}

absl::Status IvfSqIndex::TrainCodec(MatrixView vectors, MatrixView centroids,
                                    const BuildOptions& options) {
  VQS_ASSIGN_OR_RETURN(const std::vector<float> residuals,
                       TrainingResiduals(vectors, centroids, options.num_threads));
  const MatrixView residual_view(residuals, dim());
  ScalarQuantizer direct = sq_, residual = sq_;
  VQS_RETURN_IF_ERROR(direct.Train(vectors, options.num_threads));
  VQS_RETURN_IF_ERROR(residual.Train(residual_view, options.num_threads));
  // x - (c + decode(r)) = r - decode(r): both errors are errors on the vectors.
  VQS_ASSIGN_OR_RETURN(const double direct_error,
                       direct.ReconstructionError(vectors, options.num_threads));
  VQS_ASSIGN_OR_RETURN(const double residual_error,
                       residual.ReconstructionError(residual_view, options.num_threads));
  by_residual_ = residual_error < direct_error;
  sq_ = by_residual_ ? std::move(residual) : std::move(direct);
  return absl::OkStatus();
}

absl::Status IvfSqIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                int num_threads) const {
  if (!by_residual_) return sq_.Encode(vectors, codes, num_threads);
  const std::vector<float> residuals = Residuals(vectors, lists, centroids());
  return sq_.Encode(MatrixView(residuals, dim()), codes, num_threads);
}

void IvfSqIndex::SearchProbed(MatrixView queries, const int64_t* probes, int nprobe, int k,
                              const SearchParams& params, SearchResults* results) const {
  const bool l2 = scoring_metric() == Metric::kL2;
  ParallelFor(queries.rows, params.num_threads, [&](int64_t q, int) {
    thread_local SqScorer scorer;
    thread_local std::vector<float> scores;
    TopK heap(k);
    const float* query = queries.row(q);
    if (!by_residual_) scorer.Reset(sq_, l2, query, nullptr);
    for (int p = 0; p < nprobe; ++p) {
      const int64_t list = probes[q * nprobe + p];
      if (list < 0) continue;
      const int64_t entries = lists().list_size(list);
      if (entries == 0) continue;
      if (by_residual_) scorer.Reset(sq_, l2, query, centroids().row(list));
      scores.resize(entries);
      scorer.Score(lists().codes(list), entries, scores.data());
      CollectScores(scores.data(), nullptr, 0, 0.0f, EncodeEntry(list, 0), entries, &heap);
    }
    WriteApproximate(l2, 0.0f, &heap, results->distances.data() + q * k,
                     results->ids.data() + q * k,
                     [this](int64_t entry) { return lists().IdOfEntry(entry); });
  });
}

void IvfSqIndex::WriteCodec(IndexFileWriter* writer) const {
  sq_.Write("ivfsq.sq", writer);
  writer->AddInt64Scalar("ivfsq.by_residual", by_residual_ ? 1 : 0);
}

absl::Status IvfSqIndex::ReadCodec(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(sq_.Read("ivfsq.sq", reader));
  if (!sq_.is_trained()) {
    return absl::DataLossError("a trained IVF-SQ index was saved without its quantizer");
  }
  VQS_ASSIGN_OR_RETURN(const int64_t by_residual, reader.Int64Scalar("ivfsq.by_residual"));
  by_residual_ = by_residual != 0;
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
