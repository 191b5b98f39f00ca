// The Add-time id rule shared by every index.

#include "index/id_policy.h"

#include "absl/strings/str_cat.h"

namespace vqsearch::internal {

absl::Status CheckIdsForAdd(bool has_user_ids, int64_t index_size, int64_t rows,
                            absl::Span<const int64_t> ids) {
  if (ids.empty()) {
    if (has_user_ids && rows > 0) {
      return absl::InvalidArgumentError(
          "this index was given user ids, so every Add must pass ids (one per vector)");
    }
    return absl::OkStatus();
  }
  if (static_cast<int64_t>(ids.size()) != rows) {
    return absl::InvalidArgumentError(
        absl::StrCat("got ", ids.size(), " ids for ", rows, " vectors: pass one id per vector"));
  }
  if (!has_user_ids && index_size > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "this index already holds ", index_size,
        " vectors added without ids (numbered by position), so ids cannot be given now"));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "id ", ids[i], " at position ", i, " is negative: -1 marks a missing result"));
    }
  }
  return absl::OkStatus();
}

void AppendIds(int64_t rows, absl::Span<const int64_t> ids, int64_t* next_sequential_id,
               std::vector<int64_t>* out) {
  if (!ids.empty()) {
    out->insert(out->end(), ids.begin(), ids.end());
    return;
  }
  for (int64_t i = 0; i < rows; ++i) out->push_back((*next_sequential_id)++);
}

}  // namespace vqsearch::internal
