// The id rule, sequential ids and their file sections; see id_map.h.

#include "index/id_map.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "util/status_macros.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {

IdMap::IdMap(Storage storage, std::string prefix, std::string counted_ids_section)
    : storage_(storage),
      prefix_(std::move(prefix)),
      ids_section_(storage == Storage::kPositions ? absl::StrCat(prefix_, ".ids")
                                                  : std::move(counted_ids_section)) {}

absl::Status IdMap::CheckAdd(int64_t index_size, int64_t rows,
                             absl::Span<const int64_t> ids) const {
  if (ids.empty()) {
    if (has_user_ids_ && rows > 0) {
      return absl::InvalidArgumentError(
          "this index was given user ids, so every Add must pass ids (one per vector)");
    }
    return absl::OkStatus();
  }
  if (static_cast<int64_t>(ids.size()) != rows) {
    return absl::InvalidArgumentError(
        absl::StrCat("got ", ids.size(), " ids for ", rows, " vectors: pass one id per vector"));
  }
  if (!has_user_ids_ && index_size > 0) {
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

void IdMap::Assign(int64_t rows, absl::Span<const int64_t> ids, std::vector<int64_t>* out) {
  if (!ids.empty()) {
    out->insert(out->end(), ids.begin(), ids.end());
    return;
  }
  for (int64_t i = 0; i < rows; ++i) out->push_back(next_sequential_id_++);
}

void IdMap::Append(int64_t rows, absl::Span<const int64_t> ids) {
  std::vector<int64_t> assigned;
  Assign(rows, ids, &assigned);
  ids_.Append(assigned.data(), assigned.size());
  Commit(ids);
}

void IdMap::Write(IndexFileWriter* writer) const {
  if (storage_ == Storage::kPositions) writer->AddInt64(absl::StrCat(prefix_, ".ids"), ids_.span());
  writer->AddInt64Scalar(absl::StrCat(prefix_, ".has_user_ids"), has_user_ids_ ? 1 : 0);
  if (storage_ != Storage::kFlag) {
    writer->AddInt64Scalar(absl::StrCat(prefix_, ".next_sequential_id"), next_sequential_id_);
  }
}

absl::Status IdMap::Read(const IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(has_user_ids_, reader.Flag(absl::StrCat(prefix_, ".has_user_ids")));
  if (storage_ == Storage::kFlag) return absl::OkStatus();
  const std::string next_name = absl::StrCat(prefix_, ".next_sequential_id");
  VQS_ASSIGN_OR_RETURN(next_sequential_id_, reader.Int64Scalar(next_name));
  if (next_sequential_id_ < 0) {
    return reader.SectionError(next_name, absl::StrCat("next sequential id ",
                                                       next_sequential_id_, " is negative"));
  }
  if (ids_section_.empty()) return absl::OkStatus();  // a counter told of no ids to check
  // The next sequential id first, with its own message; then the range and repeats.
  VQS_ASSIGN_OR_RETURN(const absl::Span<const int64_t> ids, reader.Int64(ids_section_));
  for (size_t i = 0; i < ids.size() && !has_user_ids_; ++i) {
    if (ids[i] >= next_sequential_id_) {
      return reader.SectionError(
          ids_section_, absl::StrCat("sequential id ", ids[i], " at ", i, " is not below ",
                                     next_name, " = ", next_sequential_id_,
                                     ", so a later Add would hand it out again"));
    }
  }
  const int64_t limit =
      has_user_ids_ ? std::numeric_limits<int64_t>::max() : next_sequential_id_;
  VQS_ASSIGN_OR_RETURN(const absl::Span<const int64_t> checked,
                       reader.Ids(ids_section_, -1, limit, /*unique=*/!has_user_ids_));
  if (storage_ == Storage::kPositions) ids_ = MappedArray<int64_t>::Of(checked, reader.mapping());
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

}  // namespace vqsearch::internal
