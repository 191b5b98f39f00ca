// InvertedLists: the storage every IVF index shares, whatever its codec (raw floats, PQ
// codes, fast-scan blocks, ...). List i holds its entries contiguously: their codes in one
// array, laid out as the codec's CodeLayout says (code_size bytes per entry back to back
// by default), and their int64 ids in another, in insertion order, so a scan streams
// through memory.

#ifndef VQSEARCH_INDEX_INVERTED_LISTS_H_
#define VQSEARCH_INDEX_INVERTED_LISTS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "index/code_layout.h"
#include "io/mapped_array.h"

namespace vqsearch::internal {

class IndexFileWriter;
class IndexFileReader;

// Sizes of the lists: the imbalance factor is nlist * sum(size^2) / total^2, 1 for
// perfectly even lists; the expected number of entries scanned grows with it.
struct ListStatistics {
  int64_t total = 0;
  int64_t min_size = 0;
  int64_t max_size = 0;
  int64_t empty_lists = 0;
  double imbalance_factor = 0;
};

// An entry named by its list and offset in one int64 (lists hold fewer than 2^32
// entries): scans keep these in their heaps and look the user id up for the final k only.
inline int64_t EncodeEntry(int64_t list, int64_t offset) { return (list << 32) | offset; }
inline int64_t EntryList(int64_t entry) { return entry >> 32; }
inline int64_t EntryOffset(int64_t entry) { return entry & 0xFFFFFFFF; }

class InvertedLists {
 public:
  // `layout` null: code_size bytes per entry back to back. Nothing per list is allocated
  // until Allocate (or Append, Read): an untrained index of many lists costs nothing.
  InvertedLists(int64_t nlist, size_t code_size, std::shared_ptr<const CodeLayout> layout = nullptr);

  // Creates the nlist empty lists, unless they exist; the per-list accessors need them.
  void Allocate();

  int64_t nlist() const { return nlist_; }
  size_t code_size() const { return code_size_; }
  int64_t list_size(int64_t list) const { return static_cast<int64_t>(ids_[list].size()); }
  // The list's code storage, in the layout's arrangement.
  const uint8_t* codes(int64_t list) const { return codes_[list].data(); }
  const int64_t* ids(int64_t list) const { return ids_[list].data(); }
  // Copies the code of entry `offset` of `list` into code_size bytes at `code`, whatever
  // the layout.
  void ReadCode(int64_t list, int64_t offset, uint8_t* code) const;
  // The user id of an entry named by EncodeEntry.
  int64_t IdOfEntry(int64_t entry) const { return ids_[EntryList(entry)][EntryOffset(entry)]; }
  // Calls `visit` with the id of every entry, list by list (none before Allocate).
  void ForEachId(absl::FunctionRef<void(int64_t)> visit) const;

  // Makes room for `count` more entries in `list`: exactly, so that one large add leaves
  // no slack, yet by at least an eighth of the list, so that many small adds still take
  // amortized constant time.
  void Reserve(int64_t list, int64_t count);
  // Appends `count` entries (count * code_size bytes of codes, back to back) to `list`.
  void Append(int64_t list, const uint8_t* codes, const int64_t* ids, int64_t count);
  // Drops the entries of `list` past its first `size` (undoes appends).
  void Truncate(int64_t list, int64_t size);
  // Removes every entry whose id is in `doomed`, keeping the others in order; returns how
  // many were removed.
  size_t Remove(const absl::flat_hash_set<int64_t>& doomed);
  // Returns unused capacity to the allocator (after large removals).
  void Compact();

  int64_t total_size() const;
  ListStatistics Statistics() const;
  // Bytes of the codes and ids (Reserve keeps capacity within an eighth of this).
  size_t MemoryUsageBytes() const;

  // Sections "<prefix>.sizes", "<prefix>.codes", "<prefix>.ids".
  void Write(absl::string_view prefix, IndexFileWriter* writer) const;
  // From a mapped file (IndexFileReader::MapFile), the lists view the file's sections.
  absl::Status Read(absl::string_view prefix, const IndexFileReader& reader);

 private:
  // Bytes of code storage `entries` entries take.
  size_t StorageBytes(int64_t entries) const;

  int64_t nlist_;
  size_t code_size_;
  std::shared_ptr<const CodeLayout> layout_;
  // nlist entries each once allocated, empty before; views of a mapped file's sections
  // after a mapped load, until a list is changed (io/mapped_array.h).
  std::vector<MappedArray<uint8_t>> codes_;
  std::vector<MappedArray<int64_t>> ids_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_INVERTED_LISTS_H_
