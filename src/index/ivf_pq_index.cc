// IVF-PQ with ADC tables, 8-bit or 4-bit fast scan; see ivf_pq_index.h.

#include "index/ivf_pq_index.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "index/code_layout.h"
#include "io/index_file.h"
#include "quant/near_pair_noise.h"
#include "quant/norm_term_codec.h"
#include "simd/vector_ops.h"
#include "util/progress_reporter.h"
#include "util/row_sample.h"
#include "util/subcodes.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

constexpr uint64_t kPqSeed = 4321;
// The choice between codes of residuals and of vectors is measured on about this many
// training rows, kChoiceQueries of them queries; a seed list brings its
// kChoiceListsPerSeed nearest lists (itself included).
constexpr int64_t kChoiceSampleRows = 8192;
constexpr int64_t kChoiceQueries = 256;
constexpr int kChoiceListsPerSeed = 4;
// What one probed list's own table costs, in codes of that list scanned. Fast scan: a
// perf profile of SIFT-1M at nlist 4096 (~244 codes a list, 64 sub-spaces) put as many
// samples in the per-list table work (adding the list's terms to the query's table, the
// per-sub-space minima, the uint8 quantization) as in the kernel, which looks up 32 codes
// a shuffle. 8-bit codes: the table's 256 entries a sub-space are only added, 8 a vector
// instruction, against one gathered lookup a code and sub-space. Both scale with the
// number of sub-spaces, so neither depends on the code size.
constexpr double kFastScanListTableCostInCodes = 256;
constexpr double kByteListTableCostInCodes = 32;

// The cost of scanning one probed list of `codes_per_list` codes, relative to a scan
// with one table a query: a table of the list's own adds its build to every probe.
double RelativeListScanCost(const PqDistanceTables& tables, bool fast_scan,
                            double codes_per_list) {
  if (tables.list_independent()) return 1;
  const double table_cost = fast_scan ? kFastScanListTableCostInCodes : kByteListTableCostInCodes;
  return 1 + table_cost / std::max(1.0, codes_per_list);
}

// Norm terms exist for fast-scan codes scored by L2 (anisotropic PQ scores inner products).
bool StoresNorm(const ProductQuantizer& pq, Metric scoring) {
  return pq.nbits() == 4 && scoring == Metric::kL2;
}

// What CodecScoringMetric makes of cosine for `pq`: anisotropic PQ's loss is one of
// inner products.
Metric CosineScoring(const ProductQuantizer& pq) {
  return pq.anisotropic_weight() > 1 ? Metric::kInnerProduct : Metric::kL2;
}

// Whether tables with norm terms keep the precision of per-list tables on these vectors
// and their residuals. A list's table entries span about ||q_m - c_m|| times the spread
// of a sub-space's codewords; the per-query table's span ||q_m|| times it, and the norm
// row spans as much again, because the two cancel only in the sum. Its uint8
// quantization so loses log2(sqrt(kappa)) bits, kappa = E||x||^2 / E||x - c||^2: 1.5-2.2
// on word vectors under cosine (unit vectors spread over the sphere, where recall did
// not change), 6-9 on clustered image data (Fashion-MNIST and its PCA), where recall at
// equal nprobe dropped by 0.04-0.09. Norm terms are kept while they cost at most one bit.
bool NormTermsKeepTablesPrecise(MatrixView vectors, MatrixView residuals) {
  constexpr double kMaxKappa = 4;  // (2^1)^2: one bit
  double vector_norms = 0, residual_norms = 0;
  for (int64_t i = 0; i < vectors.rows; ++i) {
    vector_norms += SquaredNorm(vectors.row(i), vectors.dim);
    residual_norms += SquaredNorm(residuals.row(i), residuals.dim);
  }
  return vector_norms <= kMaxKappa * residual_norms;
}

int Subcodes(const ProductQuantizer& pq, bool stores_norm) {
  return pq.num_subspaces() + (stores_norm ? NormTermCodec::SubcodesFor(pq.nbits()) : 0);
}

size_t CodeSize(const ProductQuantizer& pq, bool stores_norm) {
  return SubcodeBytes(Subcodes(pq, stores_norm), pq.nbits());
}

std::shared_ptr<const CodeLayout> LayoutOf(const ProductQuantizer& pq, bool stores_norm) {
  if (pq.nbits() != 4) return nullptr;
  return std::make_shared<FastScanCodeLayout>(Subcodes(pq, stores_norm));
}

// Training rows to compare codecs on near pairs with (quant/near_pair_noise.h): every
// row of a few groups of neighbouring lists, a seed list and its nearest, so that a
// query's neighbours lie as near as in the whole set (a uniform sample of the same size
// is sparser, and the order of its farther pairs is decided by other error terms).
// Seeds are evenly spaced lists, taken until about kChoiceSampleRows rows; the queries
// are evenly spaced rows of the seed lists.
struct ChoiceSample {
  std::vector<int64_t> rows;     // training rows, increasing
  std::vector<int64_t> queries;  // positions in `rows`
};

ChoiceSample PickChoiceSample(absl::Span<const int64_t> lists, MatrixView centroids) {
  const int64_t nlist = centroids.rows, n = static_cast<int64_t>(lists.size());
  std::vector<int64_t> list_sizes(nlist, 0);
  for (int64_t list : lists) ++list_sizes[list];
  const int64_t per_seed = std::max<int64_t>(1, kChoiceListsPerSeed * n / nlist);
  const std::vector<int64_t> seeds = EvenlySpacedRows(nlist, (kChoiceSampleRows + per_seed - 1) / per_seed);
  std::vector<char> in_pool(nlist, 0), is_seed(nlist, 0);
  std::vector<std::pair<float, int64_t>> nearest(nlist);
  int64_t pool_rows = 0;
  for (int64_t seed : seeds) {
    if (pool_rows >= kChoiceSampleRows) break;
    is_seed[seed] = 1;
    for (int64_t list = 0; list < nlist; ++list) {
      nearest[list] = {SquaredL2(centroids.row(seed), centroids.row(list), centroids.dim), list};
    }
    const int64_t take = std::min<int64_t>(kChoiceListsPerSeed, nlist);
    std::partial_sort(nearest.begin(), nearest.begin() + take, nearest.end());
    for (int64_t t = 0; t < take; ++t) {
      const int64_t list = nearest[t].second;
      if (!in_pool[list]) pool_rows += list_sizes[list];
      in_pool[list] = 1;
    }
  }
  ChoiceSample sample;
  std::vector<int64_t> seed_positions;
  for (int64_t row = 0; row < n; ++row) {
    if (!in_pool[lists[row]]) continue;
    if (is_seed[lists[row]]) seed_positions.push_back(static_cast<int64_t>(sample.rows.size()));
    sample.rows.push_back(row);
  }
  for (int64_t i : EvenlySpacedRows(static_cast<int64_t>(seed_positions.size()), kChoiceQueries)) {
    sample.queries.push_back(seed_positions[i]);
  }
  return sample;
}

// Per-query tables from PqDistanceTables; a probed list's table is the list's terms
// combined with the query's (L2) or the query's own (inner product, where fast scan
// quantizes it once per query).
class PqListScanner : public ListScanner {
 public:
  PqListScanner(const PqDistanceTables* tables, MatrixView centroids, int num_subcodes,
                bool fast_scan)
      : tables_(tables), centroids_(centroids), num_subcodes_(num_subcodes),
        fast_scan_(fast_scan), fast_scan_tables_(num_subcodes, tables->list_independent()) {}

  void SetQueries(MatrixView block) override {
    block_ = block;
    buffers_.query_tables.resize(block.rows * tables_->table_size());
    tables_->QueryTables(block, &buffers_.scratch, buffers_.query_tables.data());
    buffers_.list_table.resize(tables_->table_size());
    buffers_.query_norms.resize(block.rows);
    for (int64_t i = 0; i < block.rows; ++i) {
      buffers_.query_norms[i] = SquaredNorm(block.row(i), block.dim);
    }
    fast_scan_tables_.Reset(block.rows);
  }

  ListTable SetList(int64_t query, int64_t list) override {
    ListTable table;
    table.table = tables_->ListTable(
        block_.row(query), buffers_.query_norms[query],
        buffers_.query_tables.data() + query * tables_->table_size(), list,
        centroids_.row(list), buffers_.list_table.data(), &table.offset);
    if (fast_scan_) fast_scan_tables_.Fill(query, &buffers_.lut, &table);
    return table;
  }

  CodeKind kind() const override { return fast_scan_ ? CodeKind::kFastScan : CodeKind::kBytes; }
  int num_subcodes() const override { return num_subcodes_; }

 private:
  // Per thread and kept across searches, so that a search allocates no tables.
  struct Buffers {
    std::vector<float> query_tables, scratch, list_table, query_norms;
    std::vector<uint8_t> lut;
  };
  static thread_local Buffers buffers_;

  const PqDistanceTables* tables_;
  MatrixView centroids_;
  int num_subcodes_;
  bool fast_scan_;
  FastScanTables fast_scan_tables_;
  MatrixView block_;
};

thread_local PqListScanner::Buffers PqListScanner::buffers_;

}  // namespace

IvfPqIndex::IvfPqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ProductQuantizer pq)
    : IvfIndex(std::move(spec), dim, metric, nlist,
               CodeSize(pq, StoresNorm(pq, CodecScoringMetric(metric, CosineScoring(pq)))),
               LayoutOf(pq, StoresNorm(pq, CodecScoringMetric(metric, CosineScoring(pq)))),
               CosineScoring(pq)),
      pq_(std::move(pq)),
      stores_norm_(StoresNorm(pq_, scoring_metric())) {}

void IvfPqIndex::SetStoresNorm(bool stores_norm) {
  stores_norm_ = stores_norm;
  ResetLists(CodeSize(pq_, stores_norm), LayoutOf(pq_, stores_norm));
}

void IvfPqIndex::SetCosineScoring(Metric scoring) {
  IvfIndex::SetCosineScoring(scoring);
  SetStoresNorm(StoresNorm(pq_, scoring));
}

std::unique_ptr<PqDistanceTables> IvfPqIndex::MakeTables(MatrixView centroids) const {
  return std::make_unique<PqDistanceTables>(&pq_, centroids, scoring_metric() == Metric::kL2,
                                            stores_norm_ ? &norm_ : nullptr, codes_);
}

absl::Status IvfPqIndex::TrainOnResiduals(MatrixView vectors, MatrixView residuals,
                                          absl::Span<const int64_t> lists, MatrixView centroids,
                                          const BuildOptions& options) {
  codes_ = PqCodes::kResiduals;
  // The residuals stand for the vectors: anisotropic PQ weighs their error along the
  // vectors' directions.
  VQS_RETURN_IF_ERROR(pq_.Train(residuals, kPqSeed, options, ProductQuantizer::kKMeansIterations,
                                vectors));
  const NormTrainingSample sample(residuals, lists);
  const std::vector<float> sample_vectors = GatherRows(vectors, sample.rows);
  SetStoresNorm(StoresNorm(pq_, scoring_metric()) &&
                NormTermsKeepTablesPrecise(MatrixView(sample_vectors, dim()),
                                           sample.residual_view()));
  if (stores_norm_) {
    VQS_RETURN_IF_ERROR(norm_.TrainOnSample(
        sample, centroids, pq_.code_size(),
        [&](MatrixView sample_residuals, uint8_t* codes) {
          return pq_.Encode(sample_residuals, codes, options.num_threads,
                            MatrixView(sample_vectors, dim()));
        },
        [&](const uint8_t* codes, int64_t rows, float* out) { pq_.Decode(codes, rows, out); },
        options.num_threads));
  }
  tables_ = MakeTables(centroids);
  return absl::OkStatus();
}

absl::Status IvfPqIndex::TrainOnVectors(MatrixView vectors, MatrixView centroids,
                                        const BuildOptions& options) {
  codes_ = PqCodes::kVectors;
  SetStoresNorm(false);
  // Its own progress stage: "pq" is the residuals' quantizer.
  VQS_RETURN_IF_ERROR(pq_.Train(vectors, kPqSeed, WithProgressStage(options, "pq-vectors")));
  tables_ = MakeTables(centroids);
  return absl::OkStatus();
}

absl::StatusOr<double> IvfPqIndex::FirstStageNoise(MatrixView sample,
                                                   const std::vector<int64_t>& sample_lists,
                                                   const std::vector<int64_t>& queries,
                                                   MatrixView centroids, int num_threads) const {
  const size_t code_size = lists().code_size();
  std::vector<uint8_t> codes(sample.rows * code_size);
  VQS_RETURN_IF_ERROR(EncodeAgainst(centroids, sample, sample_lists.data(), codes.data(), num_threads));
  const int subcodes = Subcodes(pq_, stores_norm_), nbits = pq_.nbits();
  PqListScanner scanner(tables_.get(), centroids, subcodes, fast_scan());
  const std::vector<float> query_vectors = GatherRows(sample, queries);
  scanner.SetQueries(MatrixView(query_vectors, dim()));
  // A code's score as the scan gives it: through the uint8 table under fast scan (its
  // rounding is part of the noise), the float table otherwise.
  return NearPairNoise(
      sample, queries, scoring_metric() == Metric::kL2,
      [&](int64_t query, absl::Span<const int64_t> rows, float* scores) {
        for (size_t t = 0; t < rows.size(); ++t) {
          const ListTable table = scanner.SetList(query, sample_lists[rows[t]]);
          const uint8_t* code = codes.data() + rows[t] * code_size;
          if (fast_scan()) {
            uint32_t sum = 0;
            for (int s = 0; s < subcodes; ++s) sum += table.lut[16 * s + SubcodeOf(code, 4, s)];
            scores[t] = table.quantized.Distance(sum);
          } else {
            float score = table.offset;
            for (int s = 0; s < subcodes; ++s) {
              score += table.table[(s << nbits) + SubcodeOf(code, nbits, s)];
            }
            scores[t] = score;
          }
        }
      });
}

absl::Status IvfPqIndex::TrainCodec(const CodecTrainingSet& training, MatrixView centroids,
                                    const BuildOptions& options) {
  const MatrixView vectors = training.vectors;
  const absl::Span<const int64_t> lists = training.lists;
  const std::vector<float> residuals = Residuals(vectors, lists.data(), centroids);
  // Anisotropic PQ's loss is one of residuals and their vectors.
  if (pq_.anisotropic()) {
    return TrainOnResiduals(vectors, MatrixView(residuals, dim()), lists, centroids, options);
  }
  // Both codecs score the near pairs of a sample as the search would; the one with the
  // less noisy order is kept.
  const ChoiceSample choice = PickChoiceSample(lists, centroids);
  const std::vector<float> sample = GatherRows(vectors, choice.rows);
  std::vector<int64_t> sample_lists;
  for (int64_t row : choice.rows) sample_lists.push_back(lists[row]);
  const MatrixView sample_view(sample, dim());

  VQS_RETURN_IF_ERROR(TrainOnVectors(vectors, centroids, options));
  VQS_ASSIGN_OR_RETURN(const double vector_noise,
                       FirstStageNoise(sample_view, sample_lists, choice.queries, centroids,
                                       options.num_threads));
  ProductQuantizer of_vectors = pq_;
  VQS_RETURN_IF_ERROR(
      TrainOnResiduals(vectors, MatrixView(residuals, dim()), lists, centroids, options));
  VQS_ASSIGN_OR_RETURN(const double residual_noise,
                       FirstStageNoise(sample_view, sample_lists, choice.queries, centroids,
                                       options.num_threads));
  // Noise is a variance, and averaging c independent estimates cuts a variance c-fold for
  // c times the work: a codec that costs c times as much a probed list is kept only if
  // its noise is at least c times smaller. Lists hold about as many codes as the training
  // rows give them (the runner and most users train on what they add).
  const double codes_per_list = static_cast<double>(training.total_rows) / nlist();
  if (residual_noise * RelativeListScanCost(*tables_, fast_scan(), codes_per_list) <= vector_noise) {
    return absl::OkStatus();
  }
  pq_ = std::move(of_vectors);
  codes_ = PqCodes::kVectors;
  SetStoresNorm(false);
  tables_ = MakeTables(centroids);
  return absl::OkStatus();
}

absl::Status IvfPqIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                int num_threads) const {
  return EncodeAgainst(centroids(), vectors, lists, codes, num_threads);
}

absl::Status IvfPqIndex::EncodeAgainst(MatrixView centroids, MatrixView vectors,
                                       const int64_t* lists, uint8_t* codes,
                                       int num_threads) const {
  if (codes_ == PqCodes::kVectors) return pq_.Encode(vectors, codes, num_threads);
  const std::vector<float> residuals = Residuals(vectors, lists, centroids);
  if (!stores_norm_) return pq_.Encode(MatrixView(residuals, dim()), codes, num_threads, vectors);
  // Joined code: the PQ code's sub-codes (packed as the quantizer packs them), then the
  // norm's.
  std::vector<uint8_t> pq_codes(vectors.rows * pq_.code_size());
  VQS_RETURN_IF_ERROR(
      pq_.Encode(MatrixView(residuals, dim()), pq_codes.data(), num_threads, vectors));
  const size_t code_size = this->lists().code_size();
  std::fill_n(codes, vectors.rows * code_size, 0);
  for (int64_t i = 0; i < vectors.rows; ++i) {
    std::copy_n(pq_codes.data() + i * pq_.code_size(), pq_.code_size(), codes + i * code_size);
  }
  return norm_.EncodeTermsInto(
      {pq_codes.data(), static_cast<size_t>(pq_.code_size()), vectors.rows, lists, centroids},
      [&](const uint8_t* in, int64_t rows, float* out) { pq_.Decode(in, rows, out); },
      pq_.num_subspaces(), code_size, codes, num_threads);
}

absl::Status IvfPqIndex::DecodeEntry(int64_t list, const uint8_t* code, float* out) const {
  pq_.Decode(code, 1, out);
  if (codes_ == PqCodes::kResiduals) Accumulate(centroids().row(list), dim(), out);
  return absl::OkStatus();
}

std::unique_ptr<ListScanner> IvfPqIndex::MakeScanner() const {
  return std::make_unique<PqListScanner>(tables_.get(), centroids(),
                                         Subcodes(pq_, stores_norm_), fast_scan());
}

size_t IvfPqIndex::CodecMemoryBytes() const {
  return pq_.centroids().size() * sizeof(float) + (tables_ ? tables_->MemoryUsageBytes() : 0) +
         (stores_norm_ ? norm_.MemoryUsageBytes() : 0);
}

void IvfPqIndex::WriteCodec(IndexFileWriter* writer) const {
  pq_.Write("ivfpq.pq", writer);
  writer->AddInt64Scalar("ivfpq.norm_subcodes", stores_norm_ ? norm_.num_subcodes() : 0);
  writer->AddInt64Scalar("ivfpq.codes_of_vectors", codes_ == PqCodes::kVectors ? 1 : 0);
  if (stores_norm_ && norm_.is_trained()) norm_.Write("ivfpq.norm", writer);
}

absl::Status IvfPqIndex::ReadCodeFormat(const IndexFileReader& reader) {
  int64_t norm_subcodes = 0;  // files from before norm terms existed have none
  if (reader.Has("ivfpq.norm_subcodes")) {
    VQS_ASSIGN_OR_RETURN(norm_subcodes, reader.Int64Scalar("ivfpq.norm_subcodes"));
  }
  bool codes_of_vectors = false;  // files from before version 4 encode residuals
  if (reader.Has("ivfpq.codes_of_vectors")) {
    VQS_ASSIGN_OR_RETURN(codes_of_vectors, reader.Flag("ivfpq.codes_of_vectors"));
  }
  if (codes_of_vectors && norm_subcodes != 0) {
    return reader.SectionError("ivfpq.codes_of_vectors", "codes of vectors take no norm sub-codes");
  }
  codes_ = codes_of_vectors ? PqCodes::kVectors : PqCodes::kResiduals;
  const bool stores_norm = norm_subcodes != 0;
  if (stores_norm && (!StoresNorm(pq_, scoring_metric()) ||
                      norm_subcodes != NormTermCodec::SubcodesFor(pq_.nbits()))) {
    return absl::DataLossError(absl::StrCat("ivfpq.norm_subcodes: ", norm_subcodes,
                                            " norm sub-codes for a code that takes none or ",
                                            NormTermCodec::SubcodesFor(pq_.nbits())));
  }
  if (stores_norm != stores_norm_) SetStoresNorm(stores_norm);
  return absl::OkStatus();
}

absl::Status IvfPqIndex::ReadCodec(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(pq_.Read("ivfpq.pq", reader));
  if (!pq_.is_trained()) return absl::DataLossError("a trained IVF-PQ index was saved without its PQ");
  if (stores_norm_) {
    VQS_RETURN_IF_ERROR(norm_.Read("ivfpq.norm", reader));
    if (!norm_.is_trained()) {
      return absl::DataLossError("ivfpq.norm: a trained IVF-PQ index was saved without its norm codec");
    }
  }
  tables_ = MakeTables(centroids());
  return absl::OkStatus();
}

namespace {

// The shape of a "PQ<m>", "PQ<m>x<nbits>" or "PQ<m>x<nbits>fs" component, each optionally
// followed by "_eta<eta>" (anisotropic PQ; `eta` is 0 without it).
struct PqComponent {
  int subspaces = 0;
  int nbits = 8;
  bool fast_scan = false;
  bool anisotropic = false;
  float eta = 0;
};

// The shape of `component`, or nullopt when it is not of that form.
std::optional<PqComponent> ParsePq(absl::string_view component) {
  PqComponent pq;
  absl::string_view rest = absl::string_view(component).substr(2);
  if (const size_t suffix = rest.find("_eta"); suffix != absl::string_view::npos) {
    if (!absl::SimpleAtof(rest.substr(suffix + 4), &pq.eta)) return std::nullopt;
    pq.anisotropic = true;
    rest = rest.substr(0, suffix);
  }
  pq.fast_scan = absl::ConsumeSuffix(&rest, "fs");
  const size_t x = rest.find('x');
  const bool parsed = x == absl::string_view::npos
                          ? absl::SimpleAtoi(rest, &pq.subspaces)
                          : absl::SimpleAtoi(rest.substr(0, x), &pq.subspaces) &&
                                absl::SimpleAtoi(rest.substr(x + 1), &pq.nbits);
  if (!parsed) return std::nullopt;
  return pq;
}

absl::Status CheckPq(absl::string_view component) {
  const std::optional<PqComponent> pq = ParsePq(component);
  if (!pq) return absl::InvalidArgumentError(absl::StrCat("unknown codec \"", component, "\""));
  if (pq->nbits == 8 && pq->fast_scan) {
    return absl::InvalidArgumentError("fast scan (fs) needs 4-bit codes: PQ<m>x4fs");
  }
  if (pq->nbits == 4 && !pq->fast_scan) {
    return absl::InvalidArgumentError("4-bit codes are scanned by fast scan: write PQ<m>x4fs");
  }
  if (pq->nbits != 4 && pq->nbits != 8) {
    return absl::InvalidArgumentError(
        absl::StrCat("PQ codes have 8 bits (PQ<m>x8) or 4 (PQ<m>x4fs), not ", pq->nbits));
  }
  if (pq->fast_scan && pq->subspaces > 256) {
    return absl::InvalidArgumentError(
        absl::StrCat("fast scan handles at most 256 sub-spaces, got ", pq->subspaces));
  }
  return absl::OkStatus();
}

// The IVF-PQ index (`nlist` 1 without IVF: one list).
absl::StatusOr<std::unique_ptr<Index>> CreatePq(const CodecArgs& args) {
  const PqComponent shape = *ParsePq(args.component);
  VQS_ASSIGN_OR_RETURN(ProductQuantizer pq,
                       ProductQuantizer::Create(args.dim, shape.subspaces, shape.nbits));
  if (shape.anisotropic) {
    // The loss weighs the error along each vector because inner products grow with it;
    // L2 distances do not, so the option would silently do harm there.
    if (args.metric == Metric::kL2) {
      return absl::InvalidArgumentError(
          "anisotropic PQ (_eta<eta>) is for inner product or cosine, not L2");
    }
    if (!(shape.eta > 1)) {
      return absl::InvalidArgumentError(absl::StrCat("_eta<eta> needs eta > 1, got ", shape.eta));
    }
    VQS_RETURN_IF_ERROR(pq.SetAnisotropicWeight(shape.eta));
  }
  return std::make_unique<IvfPqIndex>(args.spec, args.dim, args.metric,
                                      args.nlist == 0 ? 1 : args.nlist, std::move(pq));
}

// OPQ fits its rotation to the code width of the PQ after it.
int PqRotationBits(absl::string_view component) { return ParsePq(component)->nbits; }

}  // namespace

const CodecEntry kPqCodec = {"PQ", "PQ<m>[x8|x4fs][_eta<eta>]", CheckPq,
                             CreatePq, PqRotationBits};

}  // namespace vqsearch::internal
