// The id rule, sequential ids and their file sections; see id_map.h.

#include "index/id_map.h"

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "util/status_macros.h"

namespace vqsearch::internal {

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
  Assign(rows, ids, &ids_);
  Commit(ids);
}

void IdMap::Write(IndexFileWriter* writer) const {
  if (storage_ == Storage::kPositions) writer->AddInt64(absl::StrCat(prefix_, ".ids"), ids_);
  writer->AddInt64Scalar(absl::StrCat(prefix_, ".has_user_ids"), has_user_ids_ ? 1 : 0);
  if (storage_ != Storage::kFlag) {
    writer->AddInt64Scalar(absl::StrCat(prefix_, ".next_sequential_id"), next_sequential_id_);
  }
}

absl::Status IdMap::Read(const IndexFileReader& reader) {
  if (storage_ == Storage::kPositions) {
    VQS_ASSIGN_OR_RETURN(absl::Span<const int64_t> ids,
                         reader.Int64(absl::StrCat(prefix_, ".ids")));
    ids_.assign(ids.begin(), ids.end());
  }
  VQS_ASSIGN_OR_RETURN(const int64_t has_user_ids,
                       reader.Int64Scalar(absl::StrCat(prefix_, ".has_user_ids")));
  has_user_ids_ = has_user_ids != 0;
  if (storage_ != Storage::kFlag) {
    VQS_ASSIGN_OR_RETURN(next_sequential_id_,
                         reader.Int64Scalar(absl::StrCat(prefix_, ".next_sequential_id")));
  }
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
