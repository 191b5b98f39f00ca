// IVF over residual-quantized residuals with per-query ADC tables and a quantized norm
// term; see ivf_rq_index.h.

#include "index/ivf_rq_index.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "index/code_layout.h"
#include "io/index_file.h"
#include "linalg/gemm.h"
#include "quant/norm_term_codec.h"
#include "simd/pq4_fast_scan.h"
#include "simd/vector_ops.h"
#include "util/status_macros.h"
#include "util/subcodes.h"

namespace vqsearch::internal {
namespace {

int NormStages(const ResidualQuantizer& rq, Metric metric) {
  return metric == Metric::kL2 ? NormTermCodec::SubcodesFor(rq.nbits()) : 0;
}

size_t CodeSize(const ResidualQuantizer& rq, Metric metric) {
  return SubcodeBytes(rq.num_stages() + NormStages(rq, metric), rq.nbits());
}

std::shared_ptr<const CodeLayout> LayoutOf(const ResidualQuantizer& rq, Metric metric) {
  if (rq.nbits() != 4) return nullptr;
  return std::make_shared<FastScanCodeLayout>(rq.num_stages() + NormStages(rq, metric));
}

}  // namespace

IvfRqIndex::IvfRqIndex(std::string spec, int dim, Metric metric, int64_t nlist,
                       ResidualQuantizer rq)
    : IvfIndex(std::move(spec), dim, metric, nlist, CodeSize(rq, CodecScoringMetric(metric)),
               LayoutOf(rq, CodecScoringMetric(metric))),
      rq_(std::move(rq)),
      norm_(rq_.nbits()) {}

void IvfRqIndex::SetCosineScoring(Metric scoring) {
  IvfIndex::SetCosineScoring(scoring);
  // The norm term, and with it the code size, exists for L2 only.
  ResetLists(CodeSize(rq_, scoring), LayoutOf(rq_, scoring));
}

int IvfRqIndex::num_subcodes() const {
  return rq_.num_stages() + NormStages(rq_, scoring_metric());
}

absl::Status IvfRqIndex::TrainCodec(const CodecTrainingSet& training, MatrixView centroids,
                                    const BuildOptions& options) {
  const absl::Span<const int64_t> lists = training.lists;
  const std::vector<float> residuals = Residuals(training.vectors, lists.data(), centroids);
  VQS_RETURN_IF_ERROR(rq_.Train(MatrixView(residuals, dim()), /*seed=*/4321, options));
  if (!stores_norm()) return absl::OkStatus();
  return norm_.TrainOnSample(
      NormTrainingSample(MatrixView(residuals, dim()), lists), centroids, rq_.code_size(),
      [&](MatrixView sample, uint8_t* codes) {
        return rq_.Encode(sample, codes, options.num_threads);
      },
      [&](const uint8_t* codes, int64_t rows, float* out) { rq_.Decode(codes, rows, out); },
      options.num_threads);
}

absl::Status IvfRqIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                int num_threads) const {
  const std::vector<float> residuals = Residuals(vectors, lists, centroids());
  std::vector<uint8_t> rq_codes(vectors.rows * rq_.code_size());
  VQS_RETURN_IF_ERROR(rq_.Encode(MatrixView(residuals, dim()), rq_codes.data(), num_threads));
  // Joined code: the RQ stages, then the norm's.
  const int stages = rq_.num_stages(), nbits = rq_.nbits();
  const size_t code_size = this->lists().code_size();
  std::fill_n(codes, vectors.rows * code_size, 0);
  for (int64_t i = 0; i < vectors.rows; ++i) {
    uint8_t* code = codes + i * code_size;
    const uint8_t* rq_code = rq_codes.data() + i * rq_.code_size();
    for (int s = 0; s < stages; ++s) SetSubcode(code, nbits, s, rq_.CodeOf(rq_code, s));
  }
  if (!stores_norm()) return absl::OkStatus();
  return norm_.EncodeTermsInto(
      {rq_codes.data(), static_cast<size_t>(rq_.code_size()), vectors.rows, lists, centroids()},
      [&](const uint8_t* in, int64_t rows, float* out) { rq_.Decode(in, rows, out); }, stages,
      code_size, codes, num_threads);
}

std::vector<float> IvfRqIndex::Reconstruct(std::vector<int64_t>* ids,
                                           std::vector<float>* norm_errors) const {
  std::vector<float> vectors(static_cast<size_t>(size()) * dim());
  ids->clear();
  if (norm_errors != nullptr) norm_errors->clear();
  std::vector<uint8_t> code(lists().code_size());
  std::vector<float> residual(norm_errors != nullptr && stores_norm() ? dim() : 0);
  float* out = vectors.data();
  for (int64_t list = 0; list < nlist(); ++list) {
    for (int64_t e = 0; e < lists().list_size(list); ++e, out += dim()) {
      lists().ReadCode(list, e, code.data());
      DecodeEntry(list, code.data(), out).IgnoreError();  // always OkStatus
      ids->push_back(lists().ids(list)[e]);
      if (norm_errors != nullptr) {
        float error = 0;
        if (stores_norm()) {
          rq_.Decode(code.data(), 1, residual.data());
          const float exact = NormTerm(residual.data(), centroids().row(list), dim());
          error = norm_.Decode(code.data(), rq_.num_stages()) - exact;
        }
        norm_errors->push_back(error);
      }
    }
  }
  return vectors;
}

absl::Status IvfRqIndex::DecodeEntry(int64_t list, const uint8_t* code, float* out) const {
  rq_.Decode(code, 1, out);  // the stages are packed as the quantizer packs them
  Accumulate(centroids().row(list), dim(), out);
  return absl::OkStatus();
}

void IvfRqIndex::QueryTables(MatrixView queries, float* tables) const {
  const int ksub = rq_.codebook_size();
  const int64_t table_size = static_cast<int64_t>(num_subcodes()) * ksub;
  const float factor = stores_norm() ? -2.0f : -1.0f;
  for (int s = 0; s < rq_.num_stages(); ++s) {
    const MatrixView codebook(rq_.codebooks().data() + static_cast<size_t>(s) * ksub * dim(),
                              ksub, dim());
    InnerProducts(queries, codebook, factor, 0.0f, tables + s * ksub, table_size);
  }
  if (!stores_norm()) return;
  // One-dimensional codewords are the levels themselves, stage after stage.
  const absl::Span<const float> levels = norm_.levels();
  for (int64_t i = 0; i < queries.rows; ++i) {
    std::copy(levels.begin(), levels.end(),
              tables + i * table_size + static_cast<int64_t>(rq_.num_stages()) * ksub);
  }
}

// The tables of a block of queries do not depend on the list: fast scan quantizes a
// query's once, and a list adds only its offset, ||q - c||^2 (L2) or -q.c.
class IvfRqIndex::Scanner : public ListScanner {
 public:
  explicit Scanner(const IvfRqIndex* index)
      : index_(index),
        l2_(index->scoring_metric() == Metric::kL2),
        subcodes_(index->num_subcodes()),
        table_size_(static_cast<int64_t>(subcodes_) * index->rq_.codebook_size()),
        fast_scan_tables_(subcodes_, /*per_query=*/true) {}

  void SetQueries(MatrixView block) override {
    block_ = block;
    buffers_.tables.resize(block.rows * table_size_);
    index_->QueryTables(block, buffers_.tables.data());
    fast_scan_tables_.Reset(block.rows);
  }

  ListTable SetList(int64_t query, int64_t list) override {
    ListTable table;
    table.table = buffers_.tables.data() + query * table_size_;
    const float* centroid = index_->centroids().row(list);
    table.offset = l2_ ? SquaredL2(block_.row(query), centroid, index_->dim())
                       : -Dot(block_.row(query), centroid, index_->dim());
    if (index_->fast_scan()) fast_scan_tables_.Fill(query, &buffers_.lut, &table);
    return table;
  }

  CodeKind kind() const override {
    return index_->fast_scan() ? CodeKind::kFastScanRescored : CodeKind::kBytes;
  }
  int num_subcodes() const override { return subcodes_; }

 private:
  // Per thread and kept across searches, so that a search allocates no tables.
  struct Buffers {
    std::vector<float> tables;
    std::vector<uint8_t> lut;
  };
  static thread_local Buffers buffers_;

  const IvfRqIndex* index_;
  bool l2_;
  int subcodes_;
  int64_t table_size_;
  FastScanTables fast_scan_tables_;
  MatrixView block_;
};

thread_local IvfRqIndex::Scanner::Buffers IvfRqIndex::Scanner::buffers_;

std::unique_ptr<ListScanner> IvfRqIndex::MakeScanner() const {
  return std::make_unique<Scanner>(this);
}

size_t IvfRqIndex::CodecMemoryBytes() const {
  return rq_.MemoryUsageBytes() + (stores_norm() ? norm_.MemoryUsageBytes() : 0);
}

void IvfRqIndex::WriteCodec(IndexFileWriter* writer) const {
  rq_.Write("ivfrq.rq", writer);
  if (stores_norm()) norm_.Write("ivfrq.norm", writer);
}

absl::Status IvfRqIndex::ReadCodec(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(rq_.Read("ivfrq.rq", reader));
  if (!rq_.is_trained()) return absl::DataLossError("a trained IVF-RQ index was saved without its RQ");
  if (!stores_norm()) return absl::OkStatus();
  VQS_RETURN_IF_ERROR(norm_.Read("ivfrq.norm", reader));
  if (!norm_.is_trained()) {
    return absl::DataLossError("a trained IVF-RQ index was saved without its norm quantizer");
  }
  return absl::OkStatus();
}

namespace {

// The shape of an "RQ<m>x8" or "RQ<m>x4fs" component, optionally followed by "_beam<w>".
struct RqComponent {
  int stages = 0;
  int nbits = 0;
  bool fast_scan = false;
  // Beam 4 by default: most of what wide beams gain (in residual_quantizer_test beam 2
  // already finds 101 of the 125 better encodings beam 8 finds) for 4x greedy's cost.
  int beam = 4;
};

// The shape of `component`, or nullopt when it is not of that form.
std::optional<RqComponent> ParseRq(absl::string_view component) {
  RqComponent rq;
  const absl::string_view rest = absl::string_view(component).substr(2);
  const size_t beam_at = rest.find("_beam");
  absl::string_view shape = rest.substr(0, beam_at);
  rq.fast_scan = absl::ConsumeSuffix(&shape, "fs");
  const size_t x = shape.find('x');
  if (x == absl::string_view::npos || !absl::SimpleAtoi(shape.substr(0, x), &rq.stages) ||
      !absl::SimpleAtoi(shape.substr(x + 1), &rq.nbits) ||
      (beam_at != absl::string_view::npos && !absl::SimpleAtoi(rest.substr(beam_at + 5), &rq.beam))) {
    return std::nullopt;
  }
  return rq;
}

absl::Status CheckRq(absl::string_view component) {
  const std::optional<RqComponent> rq = ParseRq(component);
  if (!rq) {
    return absl::InvalidArgumentError(absl::StrCat(
        "malformed codec \"", component, "\" (RQ<m>x8[_beam<w>] or RQ<m>x4fs[_beam<w>])"));
  }
  if (rq->nbits == 8 && rq->fast_scan) {
    return absl::InvalidArgumentError("fast scan (fs) needs 4-bit codes: RQ<m>x4fs");
  }
  if (rq->nbits == 4 && !rq->fast_scan) {
    return absl::InvalidArgumentError("4-bit codes are scanned by fast scan: write RQ<m>x4fs");
  }
  // Two of fast scan's 256 sub-codes hold the norm term.
  if (rq->fast_scan && rq->stages > 254) {
    return absl::InvalidArgumentError(
        absl::StrCat("RQ fast scan handles at most 254 stages, got ", rq->stages));
  }
  return absl::OkStatus();
}

// The IVF-RQ index (`nlist` 1 without IVF: one list).
absl::StatusOr<std::unique_ptr<Index>> CreateRq(const CodecArgs& args) {
  const RqComponent shape = *ParseRq(args.component);
  VQS_ASSIGN_OR_RETURN(ResidualQuantizer rq, ResidualQuantizer::Create(args.dim, shape.stages,
                                                                       shape.nbits, shape.beam));
  return std::make_unique<IvfRqIndex>(args.spec, args.dim, args.metric,
                                      args.nlist == 0 ? 1 : args.nlist, std::move(rq));
}

}  // namespace

const CodecEntry kRqCodec = {"RQ", "RQ<m>x8|x4fs[_beam<w>]", CheckRq,
                             CreateRq};

}  // namespace vqsearch::internal
