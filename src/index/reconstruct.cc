// Reconstruct (vqsearch/reconstruct.h): checks the ids, takes the reader lock and lets
// the index decode (Index::DoReconstruct); plus the helpers of index/reconstruct_access.h.

#include "vqsearch/reconstruct.h"

#include "absl/strings/str_cat.h"
#include "index/id_map.h"
#include "index/reconstruct_access.h"

namespace vqsearch {
namespace internal {

absl::Status ReconstructAccess::Locked(const Index& index, absl::Span<const int64_t> ids,
                                       float* out) {
  const auto* decodable = dynamic_cast<const Decodable*>(&index);
  if (decodable == nullptr) {
    return absl::UnimplementedError(
        absl::StrCat("reconstruct: index \"", index.spec(), "\" cannot decode its codes"));
  }
  const std::shared_lock<std::shared_mutex> lock = index.ReaderLock();
  return decodable->DoReconstruct(ids, out);
}

absl::Status IdNotStored(int64_t id) {
  return absl::NotFoundError(absl::StrCat("reconstruct: id ", id, " is not stored"));
}

PositionOf PositionsOf(const IdMap& ids) {
  PositionOf position_of;
  position_of.reserve(ids.size());
  for (int64_t p = 0; p < ids.size(); ++p) position_of[ids[p]] = p;
  return position_of;
}

absl::Status ReconstructFrom(const PositionOf& position_of, absl::Span<const int64_t> ids,
                             int dim, float* out,
                             absl::FunctionRef<absl::Status(int64_t, float*)> decode) {
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto found = position_of.find(ids[i]);
    if (found == position_of.end()) return IdNotStored(ids[i]);
    const absl::Status status = decode(found->second, out + i * dim);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace internal

absl::Status Reconstruct(const Index& index, absl::Span<const int64_t> ids, float* out) {
  for (int64_t id : ids) {
    if (id < 0) return absl::InvalidArgumentError(absl::StrCat("reconstruct: id ", id, " < 0"));
  }
  if (!ids.empty() && out == nullptr) {
    return absl::InvalidArgumentError("reconstruct: out is null");
  }
  return internal::ReconstructAccess::Locked(index, ids, out);
}

}  // namespace vqsearch
