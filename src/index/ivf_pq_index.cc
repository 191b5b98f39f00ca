// IVF-PQ with ADC tables, 8-bit or 4-bit fast scan; see ivf_pq_index.h.

#include "index/ivf_pq_index.h"

#include <memory>
#include <vector>

#include "index/code_layout.h"
#include "io/index_file.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

std::shared_ptr<const CodeLayout> LayoutOf(const ProductQuantizer& pq) {
  if (pq.nbits() != 4) return nullptr;
  return std::make_shared<FastScanCodeLayout>(pq.num_subspaces());
}

// Per-query tables from PqDistanceTables; a probed list's table is the list's terms
// combined with the query's (L2) or the query's own (inner product, where fast scan
// quantizes it once per query).
class PqListScanner : public ListScanner {
 public:
  PqListScanner(const PqDistanceTables* tables, MatrixView centroids, int num_subspaces,
                bool fast_scan)
      : tables_(tables), centroids_(centroids), num_subspaces_(num_subspaces),
        fast_scan_(fast_scan), fast_scan_tables_(num_subspaces, tables->list_independent()) {}

  void SetQueries(MatrixView block) override {
    block_ = block;
    buffers_.query_tables.resize(block.rows * tables_->table_size());
    tables_->QueryTables(block, &buffers_.scratch, buffers_.query_tables.data());
    buffers_.list_table.resize(tables_->table_size());
    fast_scan_tables_.Reset();
  }

  ListTable SetList(int64_t query, int64_t list) override {
    ListTable table;
    table.table = tables_->ListTable(
        block_.row(query), buffers_.query_tables.data() + query * tables_->table_size(), list,
        centroids_.row(list), buffers_.list_table.data(), &table.offset);
    if (fast_scan_) fast_scan_tables_.Fill(query, &buffers_.lut, &table);
    return table;
  }

  CodeKind kind() const override { return fast_scan_ ? CodeKind::kFastScan : CodeKind::kBytes; }
  int num_subcodes() const override { return num_subspaces_; }

 private:
  // Per thread and kept across searches, so that a search allocates no tables.
  struct Buffers {
    std::vector<float> query_tables, scratch, list_table;
    std::vector<uint8_t> lut;
  };
  static thread_local Buffers buffers_;

  const PqDistanceTables* tables_;
  MatrixView centroids_;
  int num_subspaces_;
  bool fast_scan_;
  FastScanTables fast_scan_tables_;
  MatrixView block_;
};

thread_local PqListScanner::Buffers PqListScanner::buffers_;

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

std::unique_ptr<ListScanner> IvfPqIndex::MakeScanner() const {
  return std::make_unique<PqListScanner>(tables_.get(), centroids(), pq_.num_subspaces(),
                                         fast_scan());
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
