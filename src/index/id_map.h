// IdMap: the ids of an index's vectors, one value every index type uses. It applies the
// Add-time rule (an index either always receives user ids or never does: mixed, some ids
// would be positions and others user values that can collide with them), hands out
// sequential ids when none are given (a counter that outlives removals, so an id is never
// handed out twice), checks that user ids are new, and reads and writes its file sections,
// applying the same rules to the ids a file holds.
//
// Where the ids themselves live depends on the index:
//   kPositions  the map stores one id per storage position (Flat, SQ, Refine)
//   kCounter    ids live elsewhere (IVF keeps them in its lists beside the codes); the map
//               only hands them out
//   kFlag       another index hands them out (PreTransform's base); the map only records
//               whether user ids were given

#ifndef VQSEARCH_INDEX_ID_MAP_H_
#define VQSEARCH_INDEX_ID_MAP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "io/mapped_array.h"

namespace vqsearch {
class Index;
}  // namespace vqsearch

namespace vqsearch::internal {

class IndexFileWriter;
class IndexFileReader;

class IdMap {
 public:
  enum class Storage { kPositions, kCounter, kFlag };

  // File sections "<prefix>.ids" (kPositions), "<prefix>.has_user_ids" and
  // "<prefix>.next_sequential_id" (not kFlag). A kCounter map names the section where
  // its index keeps the ids, `counted_ids_section`, so that Read can check them (none
  // when empty).
  IdMap(Storage storage, std::string prefix, std::string counted_ids_section = {});

  bool has_user_ids() const { return has_user_ids_; }

  // Checks `ids` for an Add of `rows` vectors to an index holding `index_size` vectors.
  absl::Status CheckAdd(int64_t index_size, int64_t rows, absl::Span<const int64_t> ids) const;

  // kCounter: appends the ids of `rows` new vectors to `out`: `ids` itself or, when it is
  // empty, the next sequential ones. Until Commit, Rewind(next_sequential_id()) undoes it.
  void Assign(int64_t rows, absl::Span<const int64_t> ids, std::vector<int64_t>* out);
  // Records that an Add with `ids` (empty: sequential) completed.
  void Commit(absl::Span<const int64_t> ids) { has_user_ids_ = has_user_ids_ || !ids.empty(); }
  int64_t next_sequential_id() const { return next_sequential_id_; }
  void Rewind(int64_t next_sequential_id) { next_sequential_id_ = next_sequential_id; }

  // kPositions: assigns the ids of `rows` vectors appended at the end and commits.
  void Append(int64_t rows, absl::Span<const int64_t> ids);
  // kPositions: the stored ids, position by position.
  int64_t size() const { return static_cast<int64_t>(ids_.size()); }
  int64_t operator[](int64_t position) const { return ids_[position]; }
  const int64_t* data() const { return ids_.data(); }
  const int64_t* begin() const { return ids_.begin(); }
  const int64_t* end() const { return ids_.end(); }
  size_t MemoryUsageBytes() const { return ids_.capacity() * sizeof(int64_t); }
  // kPositions: removes the positions whose ids are in `doomed`, keeping the order of the
  // others; move(from, to) is called for each kept position that moves down, so the index
  // can move its rows alongside. Returns how many were removed.
  template <typename MoveRow>
  size_t Remove(const absl::flat_hash_set<int64_t>& doomed, MoveRow move);

  void Write(IndexFileWriter* writer) const;
  // Reads the sections Write wrote, checked against the id rules: "<prefix>.has_user_ids"
  // is 0 or 1, "<prefix>.next_sequential_id" >= 0, and the stored ids (kPositions and
  // kCounter) are >= 0; sequential ids are also unique and below the next sequential
  // id, so later Adds never hand out an id twice. Files written before user ids had to
  // be unique may repeat them; they load. A broken rule is a DataLoss error naming the
  // section and the rule.
  absl::Status Read(const IndexFileReader& reader);

 private:
  Storage storage_;
  std::string prefix_;
  std::string ids_section_;  // where the ids are (not kFlag)
  MappedArray<int64_t> ids_;  // kPositions only; a view of a mapped file's section
  bool has_user_ids_ = false;
  int64_t next_sequential_id_ = 0;
};

template <typename MoveRow>
size_t IdMap::Remove(const absl::flat_hash_set<int64_t>& doomed, MoveRow move) {
  int64_t kept = 0;
  for (int64_t i = 0; i < size(); ++i) {
    if (doomed.contains(ids_[i])) continue;
    if (kept != i) {
      move(i, kept);
      ids_.mutable_data()[kept] = ids_[i];
    }
    ++kept;
  }
  const size_t removed = static_cast<size_t>(size() - kept);
  ids_.resize(kept);
  return removed;
}

// Checks that no id of `ids` (user ids for an Add) repeats within them or is already
// held by `index`, none of whose ids exceeds `stored_upper_bound`: ids all above it are
// new without reading the stored ones.
absl::Status CheckIdsAreNew(absl::Span<const int64_t> ids, const Index& index,
                            int64_t stored_upper_bound);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_ID_MAP_H_
