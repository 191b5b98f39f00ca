// IVF-PQ with ADC tables, 8-bit or 4-bit fast scan; see ivf_pq_index.h.

#include "index/ivf_pq_index.h"

#include <algorithm>

#include "index/code_layout.h"
#include "io/index_file.h"
#include "search/candidate_filter.h"
#include "search/collect_scores.h"
#include "search/exact_rerank.h"
#include "search/fast_scan_top_k.h"
#include "search/top_k.h"
#include "simd/pq4_fast_scan.h"
#include "simd/pq8_scan.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// Queries whose distance tables are computed together (one sgemm per sub-space).
constexpr int64_t kQueryBlock = 64;

std::shared_ptr<const CodeLayout> LayoutOf(const ProductQuantizer& pq) {
  if (pq.nbits() != 4) return nullptr;
  return std::make_shared<FastScanCodeLayout>(pq.num_subspaces());
}

}  // namespace

IvfPqIndex::IvfPqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ProductQuantizer pq)
    : IvfIndex(std::move(spec), dim, metric, nlist, pq.code_size(), LayoutOf(pq),
               // Anisotropic PQ's loss is one of inner products.
               pq.anisotropic_weight() > 1 ? Metric::kInnerProduct : Metric::kL2),
      pq_(std::move(pq)) {}

absl::Status IvfPqIndex::TrainCodec(MatrixView vectors, MatrixView centroids,
                                    const BuildOptions& options) {
  VQS_ASSIGN_OR_RETURN(const std::vector<float> residuals,
                       TrainingResiduals(vectors, centroids, options.num_threads));
  // The residuals stand for the vectors: anisotropic PQ weighs their error along the
  // vectors' directions.
  VQS_RETURN_IF_ERROR(pq_.Train(MatrixView(residuals, dim()), /*seed=*/4321, options,
                                ProductQuantizer::kKMeansIterations, vectors));
  tables_ = std::make_unique<PqDistanceTables>(&pq_, centroids, scoring_metric() == Metric::kL2);
  return absl::OkStatus();
}

absl::Status IvfPqIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                int num_threads) const {
  const std::vector<float> residuals = Residuals(vectors, lists, centroids());
  return pq_.Encode(MatrixView(residuals, dim()), codes, num_threads, vectors);
}

void IvfPqIndex::ScanList8(int64_t list, const float* table, float offset,
                           const IdFilter* filter, TopK* heap) const {
  const int64_t entries = lists().list_size(list);
  thread_local std::vector<float> scores;
  scores.resize(entries);
  ScanCodes8(lists().codes(list), entries, pq_.num_subspaces(), table, offset, scores.data());
  CollectScores(scores.data(), nullptr, 0, 0.0f, EncodeEntry(list, 0), entries, heap,
                CandidateFilter(filter, lists().ids(list)));
}

void IvfPqIndex::ScanListFastScan(int64_t list, const uint8_t* lut, QuantizedTable quantized,
                                  const IdFilter* filter, TopK* heap) const {
  FastScanTopK sink(heap, quantized, EncodeEntry(list, 0),
                    CandidateFilter(filter, lists().ids(list)));
  if (sink.CanImprove()) {
    FastScan4(lists().codes(list), lists().list_size(list), pq_.num_subspaces(), lut, &sink);
  }
}

void IvfPqIndex::SearchProbed(MatrixView queries, const int64_t* probes, int nprobe, int k,
                              const SearchParams& params, SearchResults* results) const {
  const bool l2 = scoring_metric() == Metric::kL2;
  const size_t table_size = tables_->table_size();
  const int m = pq_.num_subspaces();
  // A list-independent table is quantized once per query instead of once per probe:
  // on short lists that quantization costs as much as the scan.
  const bool quantize_per_list = !tables_->list_independent();
  const int64_t blocks = (queries.rows + kQueryBlock - 1) / kQueryBlock;
  ParallelFor(blocks, params.num_threads, [&](int64_t block, int) {
    thread_local std::vector<float> query_tables, scratch, list_table;
    thread_local std::vector<uint8_t> lut;
    thread_local TopK heap(k);
    if (heap.k() != k) heap = TopK(k);
    const int64_t first = block * kQueryBlock;
    const MatrixView part = queries.Slice(first, std::min(kQueryBlock, queries.rows - first));
    query_tables.resize(part.rows * table_size);
    tables_->QueryTables(part, &scratch, query_tables.data());
    list_table.resize(table_size);
    lut.resize(FastScanPaddedSubspaces(m) * 16);
    for (int64_t i = 0; i < part.rows; ++i) {
      const int64_t q = first + i;
      const float* query_table = query_tables.data() + i * table_size;
      QuantizedTable query_quantized;
      if (fast_scan() && !quantize_per_list) {
        query_quantized = QuantizeFastScanTable(query_table, m, lut.data());
      }
      heap.Clear();
      for (int p = 0; p < nprobe; ++p) {
        const int64_t list = probes[q * nprobe + p];
        if (list < 0 || lists().list_size(list) == 0) continue;
        float offset = 0;
        const float* table = tables_->ListTable(queries.row(q), query_table, list,
                                                centroids().row(list), list_table.data(), &offset);
        if (!fast_scan()) {
          ScanList8(list, table, offset, params.filter, &heap);
          continue;
        }
        QuantizedTable quantized =
            quantize_per_list ? QuantizeFastScanTable(table, m, lut.data()) : query_quantized;
        quantized.bias += offset;
        ScanListFastScan(list, lut.data(), quantized, params.filter, &heap);
      }
      WriteApproximate(l2, 0.0f, &heap, results->distances.data() + q * k,
                       results->ids.data() + q * k,
                       [this](int64_t entry) { return lists().IdOfEntry(entry); });
    }
  });
}

size_t IvfPqIndex::CodecMemoryBytes() const {
  return pq_.centroids().size() * sizeof(float) + (tables_ ? tables_->MemoryUsageBytes() : 0);
}

void IvfPqIndex::WriteCodec(IndexFileWriter* writer) const { pq_.Write("ivfpq.pq", writer); }

absl::Status IvfPqIndex::ReadCodec(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(pq_.Read("ivfpq.pq", reader));
  if (!pq_.is_trained()) return absl::DataLossError("a trained IVF-PQ index was saved without its PQ");
  tables_ = std::make_unique<PqDistanceTables>(&pq_, centroids(), scoring_metric() == Metric::kL2);
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
