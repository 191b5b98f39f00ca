// Inverted lists: per-list code and id arrays; see inverted_lists.h.

#include "index/inverted_lists.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "util/status_macros.h"

namespace vqsearch::internal {

InvertedLists::InvertedLists(int64_t nlist, size_t code_size,
                             std::shared_ptr<const CodeLayout> layout)
    : nlist_(nlist), code_size_(code_size), layout_(std::move(layout)) {}

void InvertedLists::Allocate() {
  if (!ids_.empty()) return;
  codes_.resize(nlist_);
  ids_.resize(nlist_);
}

size_t InvertedLists::StorageBytes(int64_t entries) const {
  return layout_ ? layout_->StorageBytes(entries) : static_cast<size_t>(entries) * code_size_;
}

void InvertedLists::ReadCode(int64_t list, int64_t offset, uint8_t* code) const {
  if (layout_) {
    layout_->Read(codes_[list].data(), offset, code);
  } else {
    std::memcpy(code, codes_[list].data() + offset * code_size_, code_size_);
  }
}

void InvertedLists::ForEachId(absl::FunctionRef<void(int64_t)> visit) const {
  for (const MappedArray<int64_t>& ids : ids_) {
    for (int64_t id : ids) visit(id);
  }
}

void InvertedLists::Reserve(int64_t list, int64_t count) {
  Allocate();
  const int64_t needed = list_size(list) + count;
  MappedArray<int64_t>& ids = ids_[list];
  if (static_cast<size_t>(needed) <= ids.capacity()) return;
  const int64_t target = std::max<int64_t>(needed, ids.capacity() + ids.capacity() / 8);
  ids.reserve(target);
  codes_[list].reserve(StorageBytes(target));
}

void InvertedLists::Append(int64_t list, const uint8_t* codes, const int64_t* ids, int64_t count) {
  Allocate();
  const int64_t first = list_size(list);
  if (layout_) {
    codes_[list].resize(StorageBytes(first + count));
    for (int64_t i = 0; i < count; ++i) {
      layout_->Write(codes + i * code_size_, first + i, codes_[list].mutable_data());
    }
  } else {
    codes_[list].Append(codes, count * code_size_);
  }
  ids_[list].Append(ids, count);
}

void InvertedLists::Truncate(int64_t list, int64_t size) {
  codes_[list].resize(StorageBytes(size));
  ids_[list].resize(size);
}

size_t InvertedLists::Remove(const absl::flat_hash_set<int64_t>& doomed) {
  size_t removed = 0;
  std::vector<uint8_t> code(code_size_);
  for (int64_t list = 0; list < static_cast<int64_t>(ids_.size()); ++list) {
    MappedArray<int64_t>& ids = ids_[list];
    MappedArray<uint8_t>& codes = codes_[list];
    size_t kept = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (doomed.contains(ids[i])) continue;
      if (kept != i) {
        // Only lists that lose an entry are written (copied first when mapped).
        ids.mutable_data()[kept] = ids[i];
        uint8_t* list_codes = codes.mutable_data();
        if (layout_) {
          layout_->Read(list_codes, static_cast<int64_t>(i), code.data());
          layout_->Write(code.data(), static_cast<int64_t>(kept), list_codes);
        } else {
          std::memcpy(list_codes + kept * code_size_, list_codes + i * code_size_, code_size_);
        }
      }
      ++kept;
    }
    removed += ids.size() - kept;
    Truncate(list, static_cast<int64_t>(kept));
  }
  return removed;
}

void InvertedLists::Compact() {
  for (int64_t list = 0; list < static_cast<int64_t>(ids_.size()); ++list) {
    codes_[list].shrink_to_fit();
    ids_[list].shrink_to_fit();
  }
}

int64_t InvertedLists::total_size() const {
  int64_t total = 0;
  for (const auto& ids : ids_) total += static_cast<int64_t>(ids.size());
  return total;
}

ListStatistics InvertedLists::Statistics() const {
  ListStatistics stats;
  // Lists not yet allocated are empty.
  const bool unallocated = static_cast<int64_t>(ids_.size()) < nlist();
  stats.min_size = nlist() > 0 && !unallocated ? std::numeric_limits<int64_t>::max() : 0;
  stats.empty_lists = nlist() - static_cast<int64_t>(ids_.size());
  double sum_of_squares = 0;
  for (const auto& ids : ids_) {
    const int64_t size = static_cast<int64_t>(ids.size());
    stats.total += size;
    stats.min_size = std::min(stats.min_size, size);
    stats.max_size = std::max(stats.max_size, size);
    stats.empty_lists += size == 0;
    sum_of_squares += static_cast<double>(size) * size;
  }
  if (stats.total > 0) {
    stats.imbalance_factor = nlist() * sum_of_squares / (static_cast<double>(stats.total) * stats.total);
  }
  return stats;
}

size_t InvertedLists::MemoryUsageBytes() const {
  size_t bytes = 0;
  for (int64_t list = 0; list < static_cast<int64_t>(ids_.size()); ++list) {
    bytes += codes_[list].size() + ids_[list].size() * sizeof(int64_t);
  }
  return bytes;
}

void InvertedLists::Write(absl::string_view prefix, IndexFileWriter* writer) const {
  // Lists not yet allocated are written as empty ones.
  std::string sizes(static_cast<size_t>(nlist()) * sizeof(int64_t), '\0'), codes, ids;
  for (int64_t list = 0; list < static_cast<int64_t>(ids_.size()); ++list) {
    const int64_t size = list_size(list);
    std::memcpy(sizes.data() + list * sizeof(int64_t), &size, sizeof(size));
    codes.append(reinterpret_cast<const char*>(codes_[list].data()), codes_[list].size());
    ids.append(reinterpret_cast<const char*>(ids_[list].data()), ids_[list].size() * sizeof(int64_t));
  }
  writer->AddOwned(absl::StrCat(prefix, ".sizes"), SectionType::kInt64, std::move(sizes));
  writer->AddOwned(absl::StrCat(prefix, ".codes"), SectionType::kUInt8, std::move(codes));
  writer->AddOwned(absl::StrCat(prefix, ".ids"), SectionType::kInt64, std::move(ids));
}

absl::Status InvertedLists::Read(absl::string_view prefix, const IndexFileReader& reader) {
  const std::string sizes_section = absl::StrCat(prefix, ".sizes");
  VQS_ASSIGN_OR_RETURN(absl::Span<const int64_t> sizes, reader.Int64(sizes_section, nlist()));
  // Lists hold fewer than 2^32 entries (EncodeEntry), which also keeps the byte counts
  // below from overflowing.
  int64_t total = 0, code_bytes = 0;
  for (size_t list = 0; list < sizes.size(); ++list) {
    const int64_t size = sizes[list];
    if (size < 0 || size >= (int64_t{1} << 32)) {
      return reader.SectionError(sizes_section, absl::StrCat("list ", list, " has size ", size,
                                                             ", outside [0, 2^32)"));
    }
    total += size;
    code_bytes += static_cast<int64_t>(StorageBytes(size));
    if (code_bytes > std::numeric_limits<int64_t>::max() / 2) {
      return reader.SectionError(sizes_section, "the list sizes add up to more than any file holds");
    }
  }
  VQS_ASSIGN_OR_RETURN(absl::Span<const uint8_t> codes,
                       reader.UInt8(absl::StrCat(prefix, ".codes"), code_bytes));
  VQS_ASSIGN_OR_RETURN(absl::Span<const int64_t> ids,
                       reader.Int64(absl::StrCat(prefix, ".ids"), total));
  Allocate();
  const uint8_t* next_code = codes.data();
  const int64_t* next_id = ids.data();
  for (int64_t list = 0; list < nlist(); ++list) {
    const size_t bytes = StorageBytes(sizes[list]);
    codes_[list] = MappedArray<uint8_t>::Of({next_code, bytes}, reader.mapping());
    ids_[list] = MappedArray<int64_t>::Of({next_id, static_cast<size_t>(sizes[list])}, reader.mapping());
    next_code += bytes;
    next_id += sizes[list];
  }
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
