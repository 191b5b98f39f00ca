// Brute-force search over scalar-quantized codes; see sq_index.h.

#include "index/sq_index.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "index/codec_metric.h"
#include "index/reconstruct_access.h"
#include "io/index_file.h"
#include "quant/scalar_quantizer_scorer.h"
#include "search/candidate_filter.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/top_k.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// A block of queries is scanned over a chunk of codes at a time, so the chunk (at most
// 256 KiB) is read from memory once per block and from cache for its other queries.
constexpr int64_t kQueryBlock = 64;
constexpr int64_t kChunkBytes = 256 << 10;

}  // namespace

size_t SqIndex::MemoryUsageBytes() const { return codes_.capacity() + ids_.MemoryUsageBytes(); }

absl::Status SqIndex::DoTrain(MatrixView vectors, const BuildOptions& options) {
  std::vector<float> storage;
  return sq_.Train(NormalizedForMetric(metric(), vectors, &storage, options.num_threads),
                   options.num_threads);
}

absl::Status SqIndex::DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                            const BuildOptions& options) {
  std::vector<float> storage;
  const MatrixView prepared =
      NormalizedForMetric(metric(), vectors, &storage, options.num_threads);
  std::vector<uint8_t> codes(vectors.rows * sq_.code_size());
  VQS_RETURN_IF_ERROR(sq_.Encode(prepared, codes.data(), options.num_threads));
  const std::unique_lock<std::shared_mutex> lock = StateLock();
  codes_.Append(codes.data(), codes.size());
  ids_.Append(vectors.rows, ids);
  return absl::OkStatus();
}

absl::Status SqIndex::DoSearch(MatrixView queries, int k, const SearchParams& params,
                               SearchResults* results) const {
  const bool l2 = scoring_ == Metric::kL2;
  std::vector<float> storage;
  const MatrixView prepared =
      NormalizedForMetric(metric(), queries, &storage, params.num_threads);
  results->num_queries = queries.rows;
  results->k = k;
  results->distances.assign(static_cast<size_t>(queries.rows) * k, 0.0f);
  results->ids.assign(static_cast<size_t>(queries.rows) * k, -1);
  const size_t code_size = sq_.code_size();
  const int64_t chunk = std::max<int64_t>(1, kChunkBytes / static_cast<int64_t>(code_size));
  const int64_t num_blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
  ParallelFor(num_blocks, params.num_threads, [&](int64_t b, int) {
    thread_local SqScorer scorer;
    thread_local std::vector<float> scores;
    const int64_t first = b * kQueryBlock;
    const int64_t count = std::min(kQueryBlock, queries.rows - first);
    std::vector<TopK> heaps(count, TopK(k));
    scores.resize(chunk);
    for (int64_t begin = 0; begin < size(); begin += chunk) {
      const int64_t n = std::min(chunk, size() - begin);
      const CandidateFilter admitted(params.filter, ids_.data() + begin);
      for (int64_t q = 0; q < count; ++q) {
        // Folding the query again per chunk costs d operations against n x d.
        scorer.Reset(sq_, l2, prepared.row(first + q), nullptr);
        scorer.Score(codes_.data() + begin * code_size, n, scores.data());
        CollectScores(scores.data(), nullptr, 0, 0.0f, begin, n, &heaps[q], admitted);
      }
    }
    for (int64_t q = 0; q < count; ++q) {
      const int64_t row = first + q;
      WriteApproximate(l2, 0.0f, &heaps[q], results->distances.data() + row * k,
                       results->ids.data() + row * k,
                       [this](int64_t position) { return ids_[position]; });
    }
  });
  if (metric() == Metric::kCosine && l2) {
    CosineFromUnitL2(results->ids.data(), static_cast<int64_t>(results->ids.size()),
                     results->distances.data());
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> SqIndex::DoRemove(absl::Span<const int64_t> ids) {
  const absl::flat_hash_set<int64_t> doomed(ids.begin(), ids.end());
  const size_t code_size = sq_.code_size();
  const size_t removed = ids_.Remove(doomed, [&](int64_t from, int64_t to) {
    uint8_t* codes = codes_.mutable_data();
    std::copy_n(codes + from * code_size, code_size, codes + to * code_size);
  });
  codes_.resize(size() * code_size);
  return removed;
}

absl::Status SqIndex::DoReconstruct(absl::Span<const int64_t> ids, float* out) const {
  return ReconstructFrom(PositionsOf(ids_), ids, dim(), out, [&](int64_t position, float* row) {
    sq_.Decode(codes_.data() + position * sq_.code_size(), 1, row);
    return absl::OkStatus();
  });
}

absl::Status SqIndex::WriteState(IndexFileWriter* writer) const {
  sq_.Write("sq.quantizer", writer);
  writer->AddUInt8("sq.codes", codes_.span());
  ids_.Write(writer);
  WriteCosineScoring(metric(), scoring_, "sq.cosine_scored_by_l2", writer);
  return absl::OkStatus();
}

absl::Status SqIndex::ReadState(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(sq_.Read("sq.quantizer", reader));
  VQS_ASSIGN_OR_RETURN(scoring_, ReadCosineScoring(metric(), reader, "sq.cosine_scored_by_l2"));
  VQS_RETURN_IF_ERROR(ids_.Read(reader));
  VQS_ASSIGN_OR_RETURN(
      absl::Span<const uint8_t> codes,
      reader.UInt8("sq.codes", size() * static_cast<int64_t>(sq_.code_size())));
  codes_ = MappedArray<uint8_t>::Of(codes, reader.mapping());
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
