// The vqsearch index file: a versioned container of named, typed, checksummed sections.
// Every index type saves through it, so one reader validates every file.
//
// Layout (all integers little-endian; vqsearch only builds on little-endian hosts):
//   [0, 64)      header: magic "VQSINDEX", u32 format version, u32 section count,
//                u64 section-table offset, u64 file size, u32 CRC-32C of the table,
//                zero padding, and at byte 60 a u32 CRC-32C of header bytes [0, 60)
//   table        one 64-byte entry per section: name (40 bytes, NUL-padded),
//                u32 element type, u32 CRC-32C of the payload, u64 offset, u64 length
//   payloads     each at a 64-byte-aligned offset, so a memory-mapped file can be
//                used in place by SIMD code
//
// Compatibility: a reader accepts every version up to kIndexFormatVersion; a change to
// the layout bumps the version and keeps the old reading path. New sections need no
// version bump: readers look sections up by name. Versions:
//   1  the first;
//   2  the same layout; cosine indexes of approximate codes record how they score
//      (`*.cosine_scored_by_l2`, index/codec_metric.h), version 1 files having scored
//      cosine by inner product. The bump keeps tests/golden/v1 (written by the older
//      scoring) apart from the files the current code regenerates.
//   3  the same layout; IVF-PQ fast-scan codes may carry their norm term in two more
//      sub-codes (`ivfpq.norm_subcodes`, index/ivf_pq_index.h), which an older reader
//      would take for a wrong code size.
//   4  the same layout; IVF-PQ codes may encode the vectors themselves rather than their
//      residuals (`ivfpq.codes_of_vectors`, index/ivf_pq_index.h), which an older reader
//      would score as residuals.

#ifndef VQSEARCH_IO_INDEX_FILE_H_
#define VQSEARCH_IO_INDEX_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace vqsearch::internal {

inline constexpr uint32_t kIndexFormatVersion = 4;
inline constexpr size_t kSectionNameCapacity = 40;  // including the terminating NUL

enum class SectionType : uint32_t {
  kString = 1,
  kInt64 = 2,
  kInt32 = 3,
  kFloat32 = 4,
  kUInt8 = 5,
};

// Collects sections and writes them in one go. Array sections are not copied: the
// arrays must stay alive and unchanged until ToBytes or WriteFile returns.
class IndexFileWriter {
 public:
  void AddString(absl::string_view name, std::string value);
  void AddInt64Scalar(absl::string_view name, int64_t value);
  void AddInt64(absl::string_view name, absl::Span<const int64_t> values);
  void AddInt32(absl::string_view name, absl::Span<const int32_t> values);
  void AddFloat32(absl::string_view name, absl::Span<const float> values);
  void AddUInt8(absl::string_view name, absl::Span<const uint8_t> values);
  // A section whose bytes the writer keeps (for data assembled just for the file).
  void AddOwned(absl::string_view name, SectionType type, std::string bytes);

  // The whole file in memory. Fails on a duplicate or over-long section name.
  absl::StatusOr<std::string> ToBytes() const;
  // Writes the file crash-safely: to a temporary file beside `path` whose name is unique
  // to the call (`<path>.tmp.<pid>.<n>`, so concurrent saves to one path never share
  // one; the last rename wins), syncs it, renames it over `path` and syncs the
  // directory. Readers and a crash at any point leave either the old or the new file.
  // Temporary files that saves of dead processes left beside `path` are removed first.
  absl::Status WriteFile(const std::string& path) const;

 private:
  struct Section {
    std::string name;
    SectionType type;
    const void* data;
    size_t length;  // bytes
    std::shared_ptr<const std::string> owned;  // backing store of copied sections
  };
  void AddRaw(absl::string_view name, SectionType type, const void* data, size_t length);

  std::vector<Section> sections_;
};

// A validated index file held in memory (64-byte aligned) or memory-mapped. Every
// section's checksum is verified when the file is opened; lookups then check the
// section's type and size.
class IndexFileReader {
 public:
  // `source` names the data in error messages (a path, or "serialized index").
  static absl::StatusOr<IndexFileReader> FromBytes(std::string_view bytes,
                                                   std::string source = "serialized index");
  // `path` must name a regular file; it is read in one buffer of its size.
  static absl::StatusOr<IndexFileReader> FromFile(const std::string& path);
  // Maps `path` read-only (MAP_PRIVATE) instead of reading it; the checks are FromFile's,
  // checksums included, so opening reads the file once. Sections then point into the
  // mapping, which mapping() keeps alive for arrays that serve searches from it.
  static absl::StatusOr<IndexFileReader> MapFile(const std::string& path);

  // The index file stored in UInt8 section `name` (a nested index), read in place: it
  // shares this reader's memory or mapping. Its checksums are verified again.
  absl::StatusOr<IndexFileReader> Nested(absl::string_view name) const;

  // The mapping that sections point into; null when the file was read into memory.
  std::shared_ptr<const void> mapping() const { return mapped_ ? data_ : nullptr; }
  // Drops the mapped pages this process has touched (checksums, id checks) from its
  // resident set; they are read from the file again when a search touches them.
  void ReleaseMappedPages() const;

  uint32_t format_version() const { return format_version_; }
  bool Has(absl::string_view name) const;

  // Every section's name, element type and payload length in bytes, in table order, for
  // tools that describe a file (vqs info).
  struct SectionInfo {
    std::string name;
    SectionType type;
    uint64_t length;
  };
  std::vector<SectionInfo> ListSections() const;

  absl::StatusOr<std::string> String(absl::string_view name) const;
  absl::StatusOr<int64_t> Int64Scalar(absl::string_view name) const;
  // Array lookups; `expected_count` >= 0 also checks the element count.
  absl::StatusOr<absl::Span<const int64_t>> Int64(absl::string_view name,
                                                  int64_t expected_count = -1) const;
  absl::StatusOr<absl::Span<const int32_t>> Int32(absl::string_view name,
                                                  int64_t expected_count = -1) const;
  absl::StatusOr<absl::Span<const float>> Float32(absl::string_view name,
                                                  int64_t expected_count = -1) const;
  absl::StatusOr<absl::Span<const uint8_t>> UInt8(absl::string_view name,
                                                  int64_t expected_count = -1) const;

  // Checked lookups for values the index relies on; their errors name the section and
  // the rule the file breaks.
  // A scalar that must be 0 or 1.
  absl::StatusOr<bool> Flag(absl::string_view name) const;
  // Float32 values that must all be finite (codebooks, rotations, stored vectors).
  absl::StatusOr<absl::Span<const float>> FiniteFloat32(absl::string_view name,
                                                        int64_t expected_count = -1) const;
  // Ids that must lie in [0, limit) and, when `unique`, appear at most once.
  absl::StatusOr<absl::Span<const int64_t>> Ids(absl::string_view name, int64_t expected_count,
                                                int64_t limit, bool unique) const;

  // DataLoss: "<source> is not a valid vqsearch index file: section <section>: <rule>".
  absl::Status SectionError(absl::string_view section, absl::string_view rule) const;

 private:
  struct Section {
    std::string name;
    SectionType type;
    uint64_t offset;
    uint64_t length;
  };
  struct AlignedFree {
    void operator()(uint8_t* p) const;
  };

  // Takes `size` bytes at `data` (64-byte aligned; read, or mapped when `mapped`) and
  // validates them.
  static absl::StatusOr<IndexFileReader> FromBuffer(std::shared_ptr<const uint8_t> data,
                                                    size_t size, bool mapped, std::string source);
  static std::unique_ptr<uint8_t, AlignedFree> AllocateAligned(size_t size);
  absl::Status Parse();
  template <typename T>
  absl::StatusOr<absl::Span<const T>> Array(absl::string_view name, SectionType type,
                                            int64_t expected_count) const;
  absl::StatusOr<const Section*> Find(absl::string_view name, SectionType type,
                                      size_t element_size, int64_t expected_count) const;
  absl::Status Corrupt(absl::string_view what) const;

  std::string source_;
  std::shared_ptr<const uint8_t> data_;
  size_t size_ = 0;
  bool mapped_ = false;
  uint32_t format_version_ = 0;
  std::vector<Section> sections_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_IO_INDEX_FILE_H_
