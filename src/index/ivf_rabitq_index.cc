// IVF over RaBitQ codes of rotated residuals; see ivf_rabitq_index.h.

#include "index/ivf_rabitq_index.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "quant/rabitq_scorer.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// The rotation's seed: fixed, so that a build is reproducible; it is saved with the index.
constexpr uint64_t kRotationSeed = 0x5ab17;

// Rows rotated and encoded per task of Encode.
constexpr int64_t kEncodeRows = 256;

// A probed list's "table" is the scorer with the query's rotated residual quantized in.
class RaBitQListScanner : public ListScanner {
 public:
  // `lower_bound_eps0` > 0: scores are the lower ends of their bounds at that confidence.
  RaBitQListScanner(const RaBitQQuantizer* quantizer, const HadamardRotation* rotation,
                    const float* rotated_centroids, bool l2, float lower_bound_eps0)
      : quantizer_(quantizer), rotation_(rotation), rotated_centroids_(rotated_centroids),
        l2_(l2), query_bits_(RaBitQScorer::DefaultQueryBits(quantizer->bits())) {
    scorer_.set_lower_bound(lower_bound_eps0);
  }

  void SetQueries(MatrixView block) override {
    rotated_.resize(static_cast<size_t>(block.rows) * rotation_->padded_dim());
    for (int64_t i = 0; i < block.rows; ++i) {
      rotation_->Apply(block.row(i), rotated_.data() + i * rotation_->padded_dim());
    }
  }

  ListTable SetList(int64_t query, int64_t list) override {
    const int n = rotation_->padded_dim();
    scorer_.Reset(*quantizer_, l2_, rotated_.data() + query * n, rotated_centroids_ + list * n,
                  query_bits_);
    ListTable table;
    table.rabitq = &scorer_;
    return table;
  }

  CodeKind kind() const override { return CodeKind::kRaBitQ; }
  int num_subcodes() const override { return quantizer_->padded_dim(); }

 private:
  const RaBitQQuantizer* quantizer_;
  const HadamardRotation* rotation_;
  const float* rotated_centroids_;
  bool l2_;
  int query_bits_;
  std::vector<float> rotated_;  // the block's rotated queries
  RaBitQScorer scorer_;
};

RaBitQQuantizer MakeQuantizer(int dim, int bits) {
  return *RaBitQQuantizer::Create(HadamardRotation::PaddedDim(dim), bits);
}

}  // namespace

IvfRaBitQIndex::IvfRaBitQIndex(std::string spec, int dim, Metric metric, int64_t nlist, int bits)
    : IvfIndex(std::move(spec), dim, metric, nlist, MakeQuantizer(dim, bits).code_size()),
      quantizer_(MakeQuantizer(dim, bits)) {}

void IvfRaBitQIndex::RotateCentroids(MatrixView centroids) {
  rotated_centroids_.resize(static_cast<size_t>(centroids.rows) * rotation_.padded_dim());
  rotation_.ApplyRows(centroids, rotated_centroids_.data(), 1);
}

absl::Status IvfRaBitQIndex::TrainCodec(MatrixView, MatrixView centroids, const BuildOptions&) {
  VQS_ASSIGN_OR_RETURN(rotation_, HadamardRotation::Create(dim(), kRotationSeed));
  RotateCentroids(centroids);
  return absl::OkStatus();
}

absl::Status IvfRaBitQIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                    int num_threads) const {
  const int n = rotation_.padded_dim();
  const size_t code_size = quantizer_.code_size();
  const int64_t tasks = (vectors.rows + kEncodeRows - 1) / kEncodeRows;
  ParallelFor(tasks, num_threads, [&](int64_t task, int) {
    std::vector<float> rotated(n);
    const int64_t end = std::min(vectors.rows, (task + 1) * kEncodeRows);
    for (int64_t i = task * kEncodeRows; i < end; ++i) {
      // P (x - c) = P x - P c.
      rotation_.Apply(vectors.row(i), rotated.data());
      const float* centroid = rotated_centroids_.data() + lists[i] * n;
      for (int j = 0; j < n; ++j) rotated[j] -= centroid[j];
      quantizer_.Encode(rotated.data(), codes + i * code_size);
    }
  });
  return absl::OkStatus();
}

std::unique_ptr<ListScanner> IvfRaBitQIndex::MakeScanner() const {
  return MakeScannerFor(SearchParams());
}

std::unique_ptr<ListScanner> IvfRaBitQIndex::MakeScannerFor(const SearchParams& params) const {
  return std::make_unique<RaBitQListScanner>(&quantizer_, &rotation_, rotated_centroids_.data(),
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
  const size_t code_size = quantizer_.code_size();
  for (int64_t list = 0; list < nlist(); ++list) {
    for (int64_t i = 0; i < lists().list_size(list); ++i) {
      const RaBitQFactors f = quantizer_.Factors(lists().codes(list) + i * code_size);
      if (!std::isfinite(f.norm_sq) || !std::isfinite(f.rescale) ||
          !std::isfinite(f.rescale_sum) || !std::isfinite(f.error) || f.norm_sq < 0 ||
          f.error < 0) {
        return reader.SectionError("ivf.lists.codes", absl::StrCat("entry ", i, " of list ", list,
                                                             " has invalid RaBitQ factors"));
      }
    }
  }
  RotateCentroids(centroids());
  return absl::OkStatus();
}

namespace {

absl::StatusOr<int> ParseRaBitQBits(absl::string_view component) {
  int bits = 0;
  if (!absl::SimpleAtoi(component.substr(6), &bits) || bits < 1 || bits > 8) {
    return absl::InvalidArgumentError(absl::StrCat(
        "malformed codec \"", component, "\" (RaBitQ<b>, b = 1..8 bits per dimension)"));
  }
  return bits;
}

absl::Status CheckRaBitQ(absl::string_view component) {
  return ParseRaBitQBits(component).status();
}

absl::StatusOr<std::unique_ptr<Index>> CreateRaBitQ(const CodecArgs& args) {
  VQS_ASSIGN_OR_RETURN(const int bits, ParseRaBitQBits(args.component));
  // A whole-spec RaBitQ<b> is one list around the mean.
  return std::make_unique<IvfRaBitQIndex>(args.spec, args.dim, args.metric,
                                          std::max<int64_t>(args.nlist, 1), bits);
}

}  // namespace

const CodecEntry kRaBitQCodec = {"RaBitQ", "RaBitQ<b>", CheckRaBitQ, CreateRaBitQ};

}  // namespace vqsearch::internal
