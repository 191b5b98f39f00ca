// The Add-time id rule shared by every index.

#include "index/id_policy.h"

#include <algorithm>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "util/status_macros.h"
#include "vqsearch/index.h"

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

absl::Status CheckIdsAreNew(absl::Span<const int64_t> ids, const Index& index,
                            int64_t stored_upper_bound) {
  if (ids.empty()) return absl::OkStatus();
  absl::flat_hash_map<int64_t, size_t> position_of;
  position_of.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto [it, inserted] = position_of.try_emplace(ids[i], i);
    if (!inserted) {
      return absl::InvalidArgumentError(absl::StrCat("id ", ids[i], " is given twice, at positions ",
                                                     it->second, " and ", i,
                                                     ": each id names one vector"));
    }
  }
  if (*std::min_element(ids.begin(), ids.end()) > stored_upper_bound) return absl::OkStatus();
  int64_t stored = -1;
  index.ForEachId([&](int64_t id) {
    if (stored < 0 && position_of.contains(id)) stored = id;
  });
  if (stored >= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "id ", stored, " (position ", position_of[stored],
        ") is already in the index: remove it first to replace its vector"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredIds> ReadStoredIds(const IndexFileReader& reader, absl::string_view prefix,
                                        absl::string_view ids_section, int64_t expected_count) {
  StoredIds stored;
  VQS_ASSIGN_OR_RETURN(stored.has_user_ids, reader.Flag(absl::StrCat(prefix, ".has_user_ids")));
  const std::string next_name = absl::StrCat(prefix, ".next_sequential_id");
  VQS_ASSIGN_OR_RETURN(stored.next_sequential_id, reader.Int64Scalar(next_name));
  if (stored.next_sequential_id < 0) {
    return reader.SectionError(next_name, absl::StrCat("next sequential id ",
                                                       stored.next_sequential_id, " is negative"));
  }
  // The next sequential id first, with its own message; then the range and repeats.
  VQS_ASSIGN_OR_RETURN(const absl::Span<const int64_t> ids,
                       reader.Int64(ids_section, expected_count));
  for (size_t i = 0; i < ids.size() && !stored.has_user_ids; ++i) {
    if (ids[i] >= stored.next_sequential_id) {
      return reader.SectionError(
          ids_section, absl::StrCat("sequential id ", ids[i], " at ", i, " is not below ",
                                    next_name, " = ", stored.next_sequential_id,
                                    ", so a later Add would hand it out again"));
    }
  }
  const int64_t limit = stored.has_user_ids ? std::numeric_limits<int64_t>::max()
                                            : stored.next_sequential_id;
  VQS_ASSIGN_OR_RETURN(stored.ids, reader.Ids(ids_section, expected_count, limit,
                                              /*unique=*/!stored.has_user_ids));
  return stored;
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
