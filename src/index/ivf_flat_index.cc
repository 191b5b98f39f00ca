// IVF-Flat: residual records scored by sgemm in the shared loop; see ivf_flat_index.h.

#include "index/ivf_flat_index.h"

#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "index/flat_index.h"
#include "simd/vector_ops.h"

namespace vqsearch::internal {
namespace {

// A probed list's table is the row the loop multiplies with the list's records: g = q - c
// with offset ||g||^2 (L2), or q itself with offset -q.c (inner product).
class FlatListScanner : public ListScanner {
 public:
  FlatListScanner(MatrixView centroids, bool l2)
      : centroids_(centroids), l2_(l2), residual_(centroids.dim) {}

  void SetQueries(MatrixView block) override { block_ = block; }

  ListTable SetList(int64_t query, int64_t list) override {
    const float* q = block_.row(query);
    const float* centroid = centroids_.row(list);
    ListTable table;
    if (l2_) {
      table.offset = SubtractAndSquaredNorm(q, centroid, centroids_.dim, residual_.data());
      table.table = residual_.data();
    } else {
      table.offset = -Dot(q, centroid, centroids_.dim);
      table.table = q;
    }
    return table;
  }

  CodeKind kind() const override { return CodeKind::kFloatRecords; }
  int num_subcodes() const override { return centroids_.dim; }

 private:
  MatrixView centroids_;
  bool l2_;
  std::vector<float> residual_;
  MatrixView block_;
};

}  // namespace

absl::Status IvfFlatIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                  int) const {
  const size_t record = this->lists().code_size();
  std::vector<float> residual(dim() + 1);
  for (int64_t i = 0; i < vectors.rows; ++i) {
    const float* x = vectors.row(i);
    const float* centroid = centroids().row(lists[i]);
    residual[dim()] = SubtractAndSquaredNorm(x, centroid, dim(), residual.data());
    std::memcpy(codes + i * record, residual.data(), record);
  }
  return absl::OkStatus();
}

absl::Status IvfFlatIndex::DecodeEntry(int64_t list, const uint8_t* code, float* out) const {
  std::memcpy(out, code, static_cast<size_t>(dim()) * sizeof(float));
  Accumulate(centroids().row(list), dim(), out);
  return absl::OkStatus();
}

std::unique_ptr<ListScanner> IvfFlatIndex::MakeScanner() const {
  return std::make_unique<FlatListScanner>(centroids(), scoring_metric() == Metric::kL2);
}

namespace {

absl::Status CheckFlat(absl::string_view component) {
  if (component == "Flat") return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("unknown component \"", component, "\""));
}

absl::StatusOr<std::unique_ptr<Index>> CreateFlat(const CodecArgs& args) {
  if (args.nlist == 0) return std::make_unique<FlatIndex>(args.dim, args.metric);
  return std::make_unique<IvfFlatIndex>(args.spec, args.dim, args.metric, args.nlist);
}

}  // namespace

const CodecEntry kFlatCodec = {"Flat", "Flat", CheckFlat, CreateFlat};

}  // namespace vqsearch::internal
