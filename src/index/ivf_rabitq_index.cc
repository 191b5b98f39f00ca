// IVF over RaBitQ codes of rotated residuals; see ivf_rabitq_index.h.

#include "index/ivf_rabitq_index.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "index/code_layout.h"
#include "io/index_file.h"
#include "quant/rabitq_scorer.h"
#include "simd/dispatch.h"
#include "simd/pq4_fast_scan.h"
#include "simd/vector_ops.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// The rotation's seed: fixed, so that a build is reproducible; it is saved with the index.
constexpr uint64_t kRotationSeed = 0x5ab17;

// Rows rotated and encoded per task of Encode.
constexpr int64_t kEncodeRows = 256;

// A probed list's "table" is the scorer with the query's rotated residual quantized in
// (bitwise), or its fast-scan tables built from it.
class RaBitQListScanner : public ListScanner {
 public:
  // `lower_bound_eps0` > 0: scores are the lower ends of their bounds at that confidence.
  RaBitQListScanner(const RaBitQQuantizer* quantizer, const RaBitQFastScanFormat* format,
                    RaBitQScan scan, const HadamardRotation* rotation,
                    const float* rotated_centroids, bool l2, float lower_bound_eps0)
      : quantizer_(quantizer), format_(format), scan_(scan), rotation_(rotation),
        rotated_centroids_(rotated_centroids), l2_(l2),
        query_bits_(RaBitQScorer::DefaultQueryBits(quantizer->bits())),
        kernels_(&ActiveKernels<FastScanKernels, FastScanKernelsFor>()) {
    scorer_.set_lower_bound(lower_bound_eps0);
    fast_scan_scorer_.set_lower_bound(lower_bound_eps0);
  }

  void SetQueries(MatrixView block) override {
    rotated_.resize(static_cast<size_t>(block.rows) * rotation_->padded_dim());
    for (int64_t i = 0; i < block.rows; ++i) {
      rotation_->Apply(block.row(i), rotated_.data() + i * rotation_->padded_dim());
    }
  }

  ListTable SetList(int64_t query, int64_t list) override {
    const int n = rotation_->padded_dim();
    const float* rotated = rotated_.data() + query * n;
    const float* centroid = rotated_centroids_ + list * n;
    ListTable table;
    if (scan_ == RaBitQScan::kBitwise) {
      scorer_.Reset(*quantizer_, l2_, rotated, centroid, query_bits_);
      table.rabitq = &scorer_;
    } else {
      fast_scan_scorer_.Reset(*format_, l2_, rotated, centroid,
                              scan_ == RaBitQScan::kFastScan16, *kernels_);
      table.rabitq_fast_scan = &fast_scan_scorer_;
    }
    return table;
  }

  CodeKind kind() const override {
    return scan_ == RaBitQScan::kBitwise ? CodeKind::kRaBitQ : CodeKind::kRaBitQFastScan;
  }
  int num_subcodes() const override { return quantizer_->padded_dim(); }

 private:
  const RaBitQQuantizer* quantizer_;
  const RaBitQFastScanFormat* format_;
  RaBitQScan scan_;
  const HadamardRotation* rotation_;
  const float* rotated_centroids_;
  bool l2_;
  int query_bits_;
  const FastScanKernels* kernels_;
  std::vector<float> rotated_;  // the block's rotated queries
  RaBitQScorer scorer_;
  RaBitQFastScanScorer fast_scan_scorer_;
};

RaBitQQuantizer MakeQuantizer(int dim, int bits) {
  return *RaBitQQuantizer::Create(HadamardRotation::PaddedDim(dim), bits);
}

bool IsFastScan(RaBitQScan scan) { return scan != RaBitQScan::kBitwise; }

size_t EntryBytes(int dim, int bits, RaBitQScan scan) {
  const RaBitQQuantizer quantizer = MakeQuantizer(dim, bits);
  return IsFastScan(scan) ? RaBitQFastScanFormat(quantizer).entry_bytes() : quantizer.code_size();
}

std::shared_ptr<const CodeLayout> LayoutOf(int dim, int bits, RaBitQScan scan) {
  if (!IsFastScan(scan)) return nullptr;
  return std::make_shared<RaBitQFastScanCodeLayout>(
      RaBitQFastScanFormat(MakeQuantizer(dim, bits)));
}

}  // namespace

IvfRaBitQIndex::IvfRaBitQIndex(std::string spec, int dim, Metric metric, int64_t nlist, int bits,
                               RaBitQScan scan)
    : IvfIndex(std::move(spec), dim, metric, nlist, EntryBytes(dim, bits, scan),
               LayoutOf(dim, bits, scan)),
      quantizer_(MakeQuantizer(dim, bits)), scan_(scan), fast_scan_format_(quantizer_) {}

void IvfRaBitQIndex::RotateCentroids(MatrixView centroids) {
  rotated_centroids_.resize(static_cast<size_t>(centroids.rows) * rotation_.padded_dim());
  rotation_.ApplyRows(centroids, rotated_centroids_.data(), 1);
}

absl::Status IvfRaBitQIndex::TrainCodec(const CodecTrainingSet&, MatrixView centroids,
                                        const BuildOptions&) {
  VQS_ASSIGN_OR_RETURN(rotation_, HadamardRotation::Create(dim(), kRotationSeed));
  RotateCentroids(centroids);
  return absl::OkStatus();
}

absl::Status IvfRaBitQIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                    int num_threads) const {
  const int n = rotation_.padded_dim();
  const size_t code_size = IvfIndex::lists().code_size();
  const int64_t tasks = (vectors.rows + kEncodeRows - 1) / kEncodeRows;
  ParallelFor(tasks, num_threads, [&](int64_t task, int) {
    std::vector<float> rotated(n);
    const int64_t end = std::min(vectors.rows, (task + 1) * kEncodeRows);
    for (int64_t i = task * kEncodeRows; i < end; ++i) {
      // P (x - c) = P x - P c.
      rotation_.Apply(vectors.row(i), rotated.data());
      const float* centroid = rotated_centroids_.data() + lists[i] * n;
      for (int j = 0; j < n; ++j) rotated[j] -= centroid[j];
      if (IsFastScan(scan_)) {
        fast_scan_format_.Encode(rotated.data(), codes + i * code_size);
      } else {
        quantizer_.Encode(rotated.data(), codes + i * code_size);
      }
    }
  });
  return absl::OkStatus();
}

absl::Status IvfRaBitQIndex::DecodeEntry(int64_t list, const uint8_t* code, float* out) const {
  // A fast-scan entry starts with the b-bit code, which is all Decode reads.
  thread_local std::vector<float> residual;
  residual.resize(rotation_.padded_dim());
  quantizer_.Decode(code, residual.data());
  rotation_.Invert(residual.data(), out);
  // The centroid is added in the input space rather than rotated: c itself, not its
  // round trip through P.
  Accumulate(centroids().row(list), dim(), out);
  return absl::OkStatus();
}

std::unique_ptr<ListScanner> IvfRaBitQIndex::MakeScanner() const {
  return MakeScannerFor(SearchParams());
}

std::unique_ptr<ListScanner> IvfRaBitQIndex::MakeScannerFor(const SearchParams& params) const {
  return std::make_unique<RaBitQListScanner>(&quantizer_, &fast_scan_format_, scan_, &rotation_,
                                             rotated_centroids_.data(),
                                             scoring_metric() == Metric::kL2,
                                             params.rerank_bound / 10.0f);
}

std::vector<SearchParamInfo> IvfRaBitQIndex::search_params() const {
  std::vector<SearchParamInfo> taken = IvfIndex::search_params();
  taken.push_back({"rerank_bound", 0, 0, 100,
                   "with Refine(Flat): rank candidates by the lower end of their error bound at "
                   "confidence eps0 = rerank_bound / 10 and re-rank only those whose bound is "
                   "below the k-th exact distance (0: by estimate, a fixed refine_factor)"});
  return taken;
}

size_t IvfRaBitQIndex::CodecMemoryBytes() const {
  return rotated_centroids_.size() * sizeof(float) +
         size_t{2} * HadamardRotation::kRounds * rotation_.padded_dim();
}

void IvfRaBitQIndex::WriteCodec(IndexFileWriter* writer) const {
  rotation_.Write("ivfrabitq.rotation", writer);
}

absl::Status IvfRaBitQIndex::ReadCodec(const IndexFileReader& reader) {
  rotation_ = *HadamardRotation::Create(dim(), 0);  // the dimension Read checks against
  VQS_RETURN_IF_ERROR(rotation_.Read("ivfrabitq.rotation", reader));
  // The codes' factors are floats the scan uses as they are: each must be finite, and
  // the norm and the error factor not negative.
  // Fast-scan entries carry the 1-bit code's factors too.
  std::vector<uint8_t> entry(lists().code_size());
  const auto valid = [](const RaBitQFactors& f) {
    return std::isfinite(f.norm_sq) && std::isfinite(f.rescale) && std::isfinite(f.rescale_sum) &&
           std::isfinite(f.error) && f.norm_sq >= 0 && f.error >= 0;
  };
  for (int64_t list = 0; list < nlist(); ++list) {
    for (int64_t i = 0; i < lists().list_size(list); ++i) {
      lists().ReadCode(list, i, entry.data());
      if (!valid(quantizer_.Factors(entry.data())) ||
          (IsFastScan(scan_) && !valid(fast_scan_format_.OneBitFactors(entry.data())))) {
        return reader.SectionError("ivf.lists.codes", absl::StrCat("entry ", i, " of list ", list,
                                                             " has invalid RaBitQ factors"));
      }
    }
  }
  RotateCentroids(centroids());
  return absl::OkStatus();
}

namespace {

// RaBitQ<b>, RaBitQ<b>fs or RaBitQ<b>fs16.
struct RaBitQSpec {
  int bits = 0;
  RaBitQScan scan = RaBitQScan::kBitwise;
};

absl::StatusOr<RaBitQSpec> ParseRaBitQ(absl::string_view component) {
  RaBitQSpec spec;
  absl::string_view bits = component.substr(6);
  if (absl::ConsumeSuffix(&bits, "fs16")) {
    spec.scan = RaBitQScan::kFastScan16;
  } else if (absl::ConsumeSuffix(&bits, "fs")) {
    spec.scan = RaBitQScan::kFastScan;
  }
  if (!absl::SimpleAtoi(bits, &spec.bits) || spec.bits < 1 || spec.bits > 8) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed codec \"", component,
                     "\" (RaBitQ<b>, RaBitQ<b>fs or RaBitQ<b>fs16, b = 1..8 bits per dimension)"));
  }
  return spec;
}

absl::Status CheckRaBitQ(absl::string_view component) { return ParseRaBitQ(component).status(); }

absl::StatusOr<std::unique_ptr<Index>> CreateRaBitQ(const CodecArgs& args) {
  VQS_ASSIGN_OR_RETURN(const RaBitQSpec spec, ParseRaBitQ(args.component));
  if (spec.scan != RaBitQScan::kBitwise &&
      HadamardRotation::PaddedDim(args.dim) > RaBitQFastScanFormat::kMaxPaddedDim) {
    return absl::InvalidArgumentError(absl::StrCat(
        "RaBitQ fast scan takes dimensions up to ", RaBitQFastScanFormat::kMaxPaddedDim,
        " (", args.dim, " pads to ", HadamardRotation::PaddedDim(args.dim),
        "); use the bitwise RaBitQ", spec.bits));
  }
  // A whole-spec RaBitQ<b> is one list around the mean.
  return std::make_unique<IvfRaBitQIndex>(args.spec, args.dim, args.metric,
                                          std::max<int64_t>(args.nlist, 1), spec.bits, spec.scan);
}

}  // namespace

const CodecEntry kRaBitQCodec = {"RaBitQ", "RaBitQ<b>[fs|fs16]", CheckRaBitQ, CreateRaBitQ};

}  // namespace vqsearch::internal
