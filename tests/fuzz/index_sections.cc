// See index_sections.h.

#include "index_sections.h"

#include <cstring>

namespace vqsearch::fuzz {
namespace {

// Offsets of the layout in src/io/index_file.h.
constexpr char kMagic[8] = {'V', 'Q', 'S', 'I', 'N', 'D', 'E', 'X'};
constexpr size_t kHeaderSize = 64;
constexpr size_t kEntrySize = 64;
constexpr size_t kCountOffset = 12;
constexpr size_t kTableOffsetOffset = 16;
constexpr size_t kEntryTypeOffset = 40;
constexpr size_t kEntryOffsetOffset = 48;
constexpr size_t kEntryLengthOffset = 56;

template <typename T>
T Get(const uint8_t* data, size_t offset) {
  T value;
  std::memcpy(&value, data + offset, sizeof(T));
  return value;
}

}  // namespace

std::optional<std::vector<FileSection>> SplitSections(const uint8_t* data, size_t size) {
  if (size < kHeaderSize || std::memcmp(data, kMagic, sizeof(kMagic)) != 0) return std::nullopt;
  const uint32_t count = Get<uint32_t>(data, kCountOffset);
  const uint64_t table = Get<uint64_t>(data, kTableOffsetOffset);
  if (table > size || count > (size - table) / kEntrySize) return std::nullopt;
  std::vector<FileSection> sections;
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* entry = data + table + i * kEntrySize;
    const uint64_t offset = Get<uint64_t>(entry, kEntryOffsetOffset);
    const uint64_t length = Get<uint64_t>(entry, kEntryLengthOffset);
    if (offset > size || length > size - offset) return std::nullopt;
    const char* name = reinterpret_cast<const char*>(entry);
    sections.push_back(FileSection{std::string(name, strnlen(name, internal::kSectionNameCapacity)),
                                   Get<uint32_t>(entry, kEntryTypeOffset),
                                   std::string(reinterpret_cast<const char*>(data + offset), length)});
  }
  return sections;
}

std::optional<std::string> JoinSections(const std::vector<FileSection>& sections) {
  internal::IndexFileWriter writer;
  for (const FileSection& section : sections) {
    writer.AddOwned(section.name, static_cast<internal::SectionType>(section.type), section.bytes);
  }
  absl::StatusOr<std::string> bytes = writer.ToBytes();
  if (!bytes.ok()) return std::nullopt;
  return *std::move(bytes);
}

}  // namespace vqsearch::fuzz
