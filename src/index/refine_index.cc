// Exact re-ranking over a compressed base index; see refine_index.h.

#include "index/refine_index.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "index/codec_metric.h"
#include "index/nested_index.h"
#include "index/sq_index.h"
#include "index/reconstruct_access.h"
#include "io/index_file.h"
#include "quant/scalar_quantizer_scorer.h"
#include "search/exact_rerank.h"
#include "simd/vector_ops.h"
#include "search/top_k.h"
#include "util/parallel_for.h"
#include "util/prefetch.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// The user's filter as the base index must apply it: the base knows vectors by storage
// position, the filter by user id.
class PositionFilter : public IdFilter {
 public:
  PositionFilter(const IdFilter* user_filter, const IdMap* ids)
      : user_filter_(user_filter), ids_(ids) {}
  bool Contains(int64_t position) const override {
    return user_filter_->Contains((*ids_)[position]);
  }

 private:
  const IdFilter* user_filter_;
  const IdMap* ids_;
};

// The k best of `count` proposed positions (-1 pads the end of a row) by
// score_of(position), smaller is closer, into k result slots as squared L2 distances
// (`l2`) or similarities. record_of(position) is the stored record score_of reads, of
// `record_bytes`, prefetched ahead. Candidates are kept by position and only the k kept
// are mapped to user ids: the id array is as large as the index and read at random, so a
// lookup per candidate would cost a cache miss each.
template <typename RecordOf, typename ScoreOf>
void RerankPositions(bool l2, const int64_t* positions, int count, int k, size_t record_bytes,
                     RecordOf record_of, ScoreOf score_of, const IdMap& id_map,
                     float* distances, int64_t* ids) {
  TopK best(k);
  int held = 0;
  while (held < count && positions[held] >= 0) ++held;
  ScoreWithPrefetch(
      held, record_bytes, [&](int i) { return record_of(positions[i]); },
      [&](int i) { best.Push(score_of(positions[i]), positions[i]); });
  WriteApproximate(l2, 0.0f, &best, distances, ids,
                   [&id_map](int64_t position) { return id_map[position]; });
}

}  // namespace

size_t RefineIndex::MemoryUsageBytes() const {
  return base_->MemoryUsageBytes() + vectors_.size() * sizeof(float) + codes_.size() +
         ids_.size() * sizeof(int64_t);
}

absl::Status RefineIndex::DoTrain(MatrixView vectors, const BuildOptions& options) {
  VQS_RETURN_IF_ERROR(base_->Train(vectors, options));
  if (!sq_) return absl::OkStatus();
  std::vector<float> storage;
  return sq_->Train(NormalizedForMetric(metric(), vectors, &storage, options.num_threads),
                    options.num_threads);
}

absl::Status RefineIndex::DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                                const BuildOptions& options) {
  // The base index knows each vector by its storage position.
  const int64_t first = ids_.size();
  std::vector<int64_t> positions(vectors.rows);
  std::iota(positions.begin(), positions.end(), first);
  std::vector<float> storage;
  const MatrixView prepared =
      NormalizedForMetric(metric(), vectors, &storage, options.num_threads);
  std::vector<uint8_t> codes;
  if (sq_) {
    codes.resize(vectors.rows * sq_->code_size());
    VQS_RETURN_IF_ERROR(sq_->Encode(prepared, codes.data(), options.num_threads));
  }
  // Searches of this index read the base's state (its size, its lists) under this
  // index's lock, so the base's Add, encoding included, runs under it too.
  const std::unique_lock<std::shared_mutex> lock = StateLock();
  VQS_RETURN_IF_ERROR(base_->Add(vectors, positions, options));
  if (sq_) {
    codes_.Append(codes.data(), codes.size());
  } else {
    vectors_.Append(prepared.data, prepared.size());
  }
  ids_.Append(vectors.rows, ids);
  return absl::OkStatus();
}

absl::Status RefineIndex::DoSearch(MatrixView queries, int k, const SearchParams& params,
                                   SearchResults* results) const {
  const int factor = params.refine_factor > 0 ? params.refine_factor.value() : kDefaultRefineFactor;
  const int candidates = static_cast<int>(std::min<int64_t>(int64_t{k} * factor, 1 << 20));
  // Every candidate the base proposes passes the filter, so re-ranking keeps only those.
  SearchParams base_params = params;
  base_params.refine_factor.Reset();  // the base index does not take it
  const PositionFilter positions_filter(params.filter, &ids_);
  if (params.filter != nullptr) base_params.filter = &positions_filter;
  SearchResults proposed;
  VQS_RETURN_IF_ERROR(base_->Search(queries, candidates, base_params, &proposed));

  results->num_queries = queries.rows;
  results->k = k;
  results->distances.assign(static_cast<size_t>(queries.rows) * k, 0.0f);
  results->ids.assign(static_cast<size_t>(queries.rows) * k, -1);
  std::vector<float> storage;
  const MatrixView prepared =
      NormalizedForMetric(metric(), queries, &storage, params.num_threads);
  ParallelFor(queries.rows, params.num_threads, [&](int64_t q, int) {
    const float* query = prepared.row(q);
    const int64_t* positions = proposed.ids_row(q);
    if (sq_) {
      vectors_read_.fetch_add(proposed.row_size(q), std::memory_order_relaxed);
      RerankCodes(query, positions, candidates, k, results->distances.data() + q * k,
                  results->ids.data() + q * k);
      return;
    }
    if (params.rerank_bound > 0) {
      vectors_read_.fetch_add(RerankByBound(query, positions, proposed.distances_row(q),
                                            candidates, k,
                                            results->distances.data() + q * k,
                                            results->ids.data() + q * k),
                              std::memory_order_relaxed);
      return;
    }
    vectors_read_.fetch_add(proposed.row_size(q), std::memory_order_relaxed);
    RerankVectors(query, positions, candidates, k, results->distances.data() + q * k,
                  results->ids.data() + q * k);
  });
  return absl::OkStatus();
}

void RefineIndex::RerankCodes(const float* query, const int64_t* positions, int count, int k,
                              float* distances, int64_t* ids) const {
  thread_local SqScorer scorer;
  const bool l2 = sq_scoring_ == Metric::kL2;
  scorer.Reset(*sq_, l2, query, nullptr);
  const size_t code_size = sq_->code_size();
  const auto code_of = [&](int64_t position) { return codes_.data() + position * code_size; };
  RerankPositions(
      l2, positions, count, k, code_size, code_of,
      [&](int64_t position) {
        float score;
        scorer.Score(code_of(position), 1, &score);
        return score;
      },
      ids_, distances, ids);
  if (metric() == Metric::kCosine && l2) CosineFromUnitL2(ids, k, distances);
}

float RefineIndex::VectorScore(const float* query, int64_t position) const {
  const float* vector = vectors_.data() + position * dim();
  return metric() == Metric::kL2 ? SquaredL2(query, vector, dim()) : -Dot(query, vector, dim());
}

void RefineIndex::RerankVectors(const float* query, const int64_t* positions, int count, int k,
                                float* distances, int64_t* ids) const {
  RerankPositions(
      metric() == Metric::kL2, positions, count, k, dim() * sizeof(float),
      [this](int64_t position) { return vectors_.data() + position * dim(); },
      [&](int64_t position) { return VectorScore(query, position); }, ids_, distances, ids);
}

int RefineIndex::RerankByBound(const float* query, const int64_t* positions, const float* bounds,
                               int count, int k, float* distances, int64_t* ids) const {
  const bool l2 = metric() == Metric::kL2;
  TopK best(k);
  int read = 0;
  for (int i = 0; i < count && positions[i] >= 0; ++i) {
    // Scores are smaller-is-closer: similarities (inner product, cosine) negated. The
    // threshold is the k-th exact score so far, or above it (a large k's reservoir), which
    // only reads more.
    const float bound = l2 ? bounds[i] : -bounds[i];
    if (bound >= best.threshold()) break;
    best.Push(VectorScore(query, positions[i]), positions[i]);
    ++read;
  }
  WriteApproximate(l2, 0.0f, &best, distances, ids,
                   [this](int64_t position) { return ids_[position]; });
  return read;
}

std::vector<SearchParamInfo> RefineIndex::search_params() const {
  std::vector<SearchParamInfo> taken = base_->search_params();
  // Bound-driven re-ranking compares bounds on exact distances with exact distances.
  if (sq_) {
    taken.erase(std::remove_if(taken.begin(), taken.end(),
                               [](const SearchParamInfo& p) { return p.name == "rerank_bound"; }),
                taken.end());
  }
  taken.push_back({"refine_factor", kDefaultRefineFactor, 0, 1 << 20,
                   "refine_factor x k candidates of the base index are re-ranked (0 = the default)"});
  return taken;
}

absl::StatusOr<size_t> RefineIndex::DoRemove(absl::Span<const int64_t> ids) {
  const absl::flat_hash_set<int64_t> doomed(ids.begin(), ids.end());
  std::vector<int64_t> positions;
  for (int64_t position = 0; position < ids_.size(); ++position) {
    if (doomed.contains(ids_[position])) positions.push_back(position);
  }
  return base_->Remove(positions);
}

absl::Status RefineIndex::DoReconstruct(absl::Span<const int64_t> ids, float* out) const {
  PositionOf position_of;
  position_of.reserve(size());
  base_->ForEachId([&](int64_t position) { position_of[ids_[position]] = position; });
  return ReconstructFrom(position_of, ids, dim(), out, [&](int64_t position, float* row) {
    if (sq_) {
      sq_->Decode(codes_.data() + position * sq_->code_size(), 1, row);
    } else {
      std::copy_n(vectors_.data() + position * dim(), dim(), row);
    }
    return absl::OkStatus();
  });
}

absl::Status RefineIndex::WriteState(IndexFileWriter* writer) const {
  VQS_RETURN_IF_ERROR(WriteNestedIndex(*base_, "refine.base", writer));
  writer->AddFloat32("refine.vectors", vectors_.span());
  if (sq_) {
    sq_->Write("refine.sq", writer);
    writer->AddUInt8("refine.codes", codes_.span());
  }
  ids_.Write(writer);
  if (sq_) WriteCosineScoring(metric(), sq_scoring_, "refine.cosine_scored_by_l2", writer);
  return absl::OkStatus();
}

absl::Status RefineIndex::ReadState(const IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> base,
                       ReadNestedIndex(reader, "refine.base", *base_));
  VQS_RETURN_IF_ERROR(ids_.Read(reader));
  const int64_t count = ids_.size();
  // The base knows the vectors by storage position: each one it proposes must have a
  // stored copy and an id here.
  int64_t bad_position = -1;
  base->ForEachId([&](int64_t position) {
    if (position >= count && bad_position < 0) bad_position = position;
  });
  if (bad_position >= 0) {
    return reader.SectionError("refine.base", absl::StrCat("the base index holds position ",
                                                           bad_position, " but only ", count,
                                                           " vectors are stored"));
  }
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> vectors,
                       reader.FiniteFloat32("refine.vectors", sq_ ? 0 : count * dim()));
  if (sq_) {
    VQS_RETURN_IF_ERROR(sq_->Read("refine.sq", reader));
    VQS_ASSIGN_OR_RETURN(sq_scoring_,
                         ReadCosineScoring(metric(), reader, "refine.cosine_scored_by_l2"));
    if (count > 0 && !sq_->is_trained()) {
      return absl::DataLossError(
          "a Refine(SQ) index holding vectors was saved without its quantizer");
    }
    const auto code_size = static_cast<int64_t>(sq_->code_size());
    VQS_ASSIGN_OR_RETURN(absl::Span<const uint8_t> codes,
                         reader.UInt8("refine.codes", count * code_size));
    codes_ = MappedArray<uint8_t>::Of(codes, reader.mapping());
  }
  base_ = std::move(base);
  vectors_ = MappedArray<float>::Of(vectors, reader.mapping());
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
