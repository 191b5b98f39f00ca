// Reconstruct (vqsearch/reconstruct.h): reads the vectors a FlatIndex stores by position,
// through an id -> position map built once per call.

#include "vqsearch/reconstruct.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "index/flat_index.h"

namespace vqsearch {
namespace internal {

// FlatIndex and Index name this class a friend, so reading the storage (under the
// index's reader lock) needs no public accessor that every other caller would also see.
class ReconstructAccess {
 public:
  static absl::Status Flat(const FlatIndex& index, absl::Span<const int64_t> ids, float* out) {
    const std::shared_lock<std::shared_mutex> lock = index.ReaderLock();
    absl::flat_hash_map<int64_t, int64_t> position_of;
    position_of.reserve(index.ids_.size());
    for (int64_t p = 0; p < index.ids_.size(); ++p) position_of[index.ids_[p]] = p;
    const int dim = index.dim();
    for (size_t i = 0; i < ids.size(); ++i) {
      const auto found = position_of.find(ids[i]);
      if (found == position_of.end()) {
        return absl::NotFoundError(absl::StrCat("reconstruct: id ", ids[i], " is not stored"));
      }
      std::copy_n(index.vectors_.data() + found->second * dim, dim, out + i * dim);
    }
    return absl::OkStatus();
  }
};

}  // namespace internal

absl::Status Reconstruct(const Index& index, absl::Span<const int64_t> ids, float* out) {
  if (const auto* flat = dynamic_cast<const internal::FlatIndex*>(&index)) {
    return internal::ReconstructAccess::Flat(*flat, ids, out);
  }
  return absl::UnimplementedError(
      absl::StrCat("reconstruct: index \"", index.spec(),
                   "\" does not keep its vectors (only Flat does; its codes are lossy)"));
}

}  // namespace vqsearch
