// IVF over scalar-quantized codes, direct or residual; see ivf_sq_index.h.

#include "index/ivf_sq_index.h"

#include <algorithm>
#include <vector>

#include "io/index_file.h"
#include "quant/scalar_quantizer_scorer.h"
#include "search/candidate_filter.h"
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
  const int threads = ResolveThreadCount(params.num_threads);
  const int64_t block = QueryBlockSize(queries.rows, nprobe, threads);
  const int64_t num_blocks = (queries.rows + block - 1) / block;
  ParallelFor(num_blocks, threads, [&](int64_t b, int) {
    thread_local ListMajorBlock groups;
    thread_local SqScorer scorer;
    thread_local std::vector<float> scores;
    const int64_t first = b * block;
    const int64_t count = std::min(block, queries.rows - first);
    groups.Prepare(probes + first * nprobe, count, nprobe, nlist(), k);
    for (int64_t list = 0; list < nlist(); ++list) {
      const int64_t entries = lists().list_size(list);
      if (entries == 0) continue;
      scores.resize(entries);
      const CandidateFilter admitted(params.filter, lists().ids(list));
      const int32_t* probers = groups.probers(list);
      for (int64_t i = 0; i < groups.prober_count(list); ++i) {
        // Re-folding a direct-coded query per list costs d operations against the
        // list's entries x d: less than keeping a folded copy of every query of the block.
        scorer.Reset(sq_, l2, queries.row(first + probers[i]),
                     by_residual_ ? centroids().row(list) : nullptr);
        scorer.Score(lists().codes(list), entries, scores.data());
        CollectScores(scores.data(), nullptr, 0, 0.0f, EncodeEntry(list, 0), entries,
                      &groups.heaps[probers[i]], admitted);
      }
    }
    for (int64_t q = 0; q < count; ++q) {
      const int64_t row = first + q;
      WriteApproximate(l2, 0.0f, &groups.heaps[q], results->distances.data() + row * k,
                       results->ids.data() + row * k,
                       [this](int64_t entry) { return lists().IdOfEntry(entry); });
    }
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
  VQS_ASSIGN_OR_RETURN(by_residual_, reader.Flag("ivfsq.by_residual"));
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
