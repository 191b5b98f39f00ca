// Writing and validating index files; see index_file.h for the layout.

#include "io/index_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "absl/base/config.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "io/crc32c.h"
#include "io/file_path.h"
#include "io/posix_io.h"
#include "util/status_macros.h"

#ifndef ABSL_IS_LITTLE_ENDIAN
#error "vqsearch index files are little-endian and are read in place: big-endian hosts are unsupported"
#endif

namespace vqsearch::internal {
namespace {

constexpr char kMagic[8] = {'V', 'Q', 'S', 'I', 'N', 'D', 'E', 'X'};
constexpr size_t kHeaderSize = 64;
constexpr size_t kEntrySize = 64;
constexpr size_t kAlignment = 64;
constexpr size_t kHeaderCrcOffset = 60;

size_t AlignUp(size_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

template <typename T>
void Put(std::string* out, size_t offset, T value) {
  std::memcpy(out->data() + offset, &value, sizeof(T));
}
template <typename T>
T Get(const uint8_t* data, size_t offset) {
  T value;
  std::memcpy(&value, data + offset, sizeof(T));
  return value;
}

absl::string_view TypeName(SectionType type) {
  switch (type) {
    case SectionType::kString:
      return "string";
    case SectionType::kInt64:
      return "int64";
    case SectionType::kInt32:
      return "int32";
    case SectionType::kFloat32:
      return "float32";
    case SectionType::kUInt8:
      return "uint8";
  }
  return "unknown";
}

absl::Status ErrnoError(absl::string_view action, const std::string& path) {
  return absl::UnavailableError(absl::StrCat("cannot ", action, " ", path, ": ", std::strerror(errno)));
}

// Temporary files are `<path>.tmp.<pid>.<n>`.
constexpr absl::string_view kTempInfix = ".tmp.";

// The directory part of `path` ("." for a bare name) and the file name.
std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}
std::string FileNameOf(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// The rename is durable once the directory entry is: sync the directory. File systems
// that cannot sync a directory (EINVAL) order the rename by themselves.
absl::Status SyncDirectoryOf(const std::string& path) {
  const std::string directory = DirectoryOf(path);
  const int fd = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open the directory to sync", directory);
  const bool synced = fsync(fd) == 0 || errno == EINVAL;
  const int sync_errno = errno;
  close(fd);
  errno = sync_errno;
  return synced ? absl::OkStatus() : ErrnoError("sync the directory", directory);
}

// A save killed before its rename leaves its temporary file behind. Files of processes
// that no longer exist are removed, so leftovers never accumulate; a live process's
// file (which may be a save in progress) is kept. A recycled pid keeps a leftover alive
// only until that process ends too.
void RemoveTempFilesOfDeadSaves(const std::string& path) {
  const std::string directory = DirectoryOf(path);
  const std::string prefix = absl::StrCat(FileNameOf(path), kTempInfix);
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr) return;  // the save itself reports a missing directory
  while (const dirent* entry = readdir(dir)) {
    const absl::string_view name = entry->d_name;
    if (!absl::StartsWith(name, prefix)) continue;
    // "<pid>" (older saves) or "<pid>.<n>".
    const std::vector<absl::string_view> parts = absl::StrSplit(name.substr(prefix.size()), '.');
    int pid = 0;
    uint64_t n = 0;
    if (parts.size() > 2 || !absl::SimpleAtoi(parts[0], &pid) || pid <= 0 ||
        (parts.size() == 2 && !absl::SimpleAtoi(parts[1], &n))) {
      continue;
    }
    if (pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH) continue;
    unlink(absl::StrCat(directory, "/", name).c_str());
  }
  closedir(dir);
}

}  // namespace

void IndexFileWriter::AddRaw(absl::string_view name, SectionType type, const void* data,
                             size_t length) {
  sections_.push_back(Section{std::string(name), type, data, length, nullptr});
}

void IndexFileWriter::AddOwned(absl::string_view name, SectionType type, std::string bytes) {
  auto owned = std::make_shared<const std::string>(std::move(bytes));
  sections_.push_back(Section{std::string(name), type, owned->data(), owned->size(), owned});
}

void IndexFileWriter::AddString(absl::string_view name, std::string value) {
  AddOwned(name, SectionType::kString, std::move(value));
}

void IndexFileWriter::AddInt64Scalar(absl::string_view name, int64_t value) {
  AddOwned(name, SectionType::kInt64, std::string(reinterpret_cast<const char*>(&value), sizeof(value)));
}

void IndexFileWriter::AddInt64(absl::string_view name, absl::Span<const int64_t> values) {
  AddRaw(name, SectionType::kInt64, values.data(), values.size() * sizeof(int64_t));
}

void IndexFileWriter::AddInt32(absl::string_view name, absl::Span<const int32_t> values) {
  AddRaw(name, SectionType::kInt32, values.data(), values.size() * sizeof(int32_t));
}

void IndexFileWriter::AddFloat32(absl::string_view name, absl::Span<const float> values) {
  AddRaw(name, SectionType::kFloat32, values.data(), values.size() * sizeof(float));
}

void IndexFileWriter::AddUInt8(absl::string_view name, absl::Span<const uint8_t> values) {
  AddRaw(name, SectionType::kUInt8, values.data(), values.size());
}

absl::StatusOr<std::string> IndexFileWriter::ToBytes() const {
  absl::flat_hash_set<std::string_view> names;
  for (const Section& section : sections_) {
    if (section.name.empty() || section.name.size() >= kSectionNameCapacity) {
      return absl::InternalError(absl::StrCat("section name \"", section.name, "\" must have 1 to ",
                                              kSectionNameCapacity - 1, " characters"));
    }
    if (!names.insert(section.name).second) {
      return absl::InternalError(absl::StrCat("section \"", section.name, "\" written twice"));
    }
  }
  const size_t table_offset = kHeaderSize;
  size_t offset = AlignUp(table_offset + sections_.size() * kEntrySize);
  std::vector<size_t> offsets;
  for (const Section& section : sections_) {
    offsets.push_back(offset);
    offset = AlignUp(offset + section.length);
  }
  const size_t file_size = offset;

  std::string out(file_size, '\0');
  for (size_t i = 0; i < sections_.size(); ++i) {
    const Section& section = sections_[i];
    const size_t entry = table_offset + i * kEntrySize;
    std::memcpy(out.data() + entry, section.name.data(), section.name.size());
    Put<uint32_t>(&out, entry + 40, static_cast<uint32_t>(section.type));
    Put<uint32_t>(&out, entry + 44, Crc32c(section.data, section.length));
    Put<uint64_t>(&out, entry + 48, offsets[i]);
    Put<uint64_t>(&out, entry + 56, section.length);
    if (section.length > 0) std::memcpy(out.data() + offsets[i], section.data, section.length);
  }
  std::memcpy(out.data(), kMagic, sizeof(kMagic));
  Put<uint32_t>(&out, 8, kIndexFormatVersion);
  Put<uint32_t>(&out, 12, static_cast<uint32_t>(sections_.size()));
  Put<uint64_t>(&out, 16, table_offset);
  Put<uint64_t>(&out, 24, file_size);
  Put<uint32_t>(&out, 32, Crc32c(out.data() + table_offset, sections_.size() * kEntrySize));
  Put<uint32_t>(&out, kHeaderCrcOffset, Crc32c(out.data(), kHeaderCrcOffset));
  return out;
}

absl::Status IndexFileWriter::WriteFile(const std::string& path) const {
  VQS_RETURN_IF_ERROR(CheckPath(path));
  VQS_ASSIGN_OR_RETURN(const std::string bytes, ToBytes());
  RemoveTempFilesOfDeadSaves(path);
  static std::atomic<uint64_t> saves{0};
  const std::string temp_path = absl::StrCat(path, kTempInfix, getpid(), ".", saves++);
  const int fd = open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return ErrnoError("create", temp_path);
  const bool written = WriteAll(fd, bytes) && fsync(fd) == 0;
  const int write_errno = errno;
  const bool closed = close(fd) == 0;
  if (!written || !closed) {
    errno = written ? errno : write_errno;
    absl::Status status = ErrnoError("write", temp_path);
    unlink(temp_path.c_str());
    return status;
  }
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    absl::Status status = ErrnoError("rename the finished file to", path);
    unlink(temp_path.c_str());
    return status;
  }
  return SyncDirectoryOf(path);
}

void IndexFileReader::AlignedFree::operator()(uint8_t* p) const {
  ::operator delete[](p, std::align_val_t(kAlignment));
}

std::unique_ptr<uint8_t, IndexFileReader::AlignedFree> IndexFileReader::AllocateAligned(
    size_t size) {
  return std::unique_ptr<uint8_t, AlignedFree>(static_cast<uint8_t*>(
      ::operator new[](std::max<size_t>(size, 1), std::align_val_t(kAlignment))));
}

absl::StatusOr<IndexFileReader> IndexFileReader::FromBuffer(std::shared_ptr<const uint8_t> data,
                                                            size_t size, bool mapped,
                                                            std::string source) {
  IndexFileReader reader;
  reader.source_ = std::move(source);
  reader.size_ = size;
  reader.data_ = std::move(data);
  reader.mapped_ = mapped;
  VQS_RETURN_IF_ERROR(reader.Parse());
  return reader;
}

absl::StatusOr<IndexFileReader> IndexFileReader::FromBytes(std::string_view bytes,
                                                           std::string source) {
  auto data = AllocateAligned(bytes.size());
  if (!bytes.empty()) std::memcpy(data.get(), bytes.data(), bytes.size());
  return FromBuffer(std::move(data), bytes.size(), false, std::move(source));
}

namespace {

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

// Opens `path` for reading and returns its size: a regular file (a device such as
// /dev/zero, or a pipe, is refused instead of read without end) of at least a header.
absl::StatusOr<int> OpenIndexFile(const std::string& path, size_t* size) {
  VQS_RETURN_IF_ERROR(CheckPath(path));
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no index file at ", path));
    return ErrnoError("open", path);
  }
  FdCloser closer{fd};
  struct stat info;
  if (fstat(fd, &info) != 0) return ErrnoError("inspect", path);
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a regular file"));
  }
  *size = static_cast<size_t>(info.st_size);
  if (*size < kHeaderSize) {
    return absl::DataLossError(absl::StrCat(path, " is not a valid vqsearch index file: it is ",
                                            *size, " bytes, shorter than the ", kHeaderSize,
                                            "-byte header"));
  }
  closer.fd = -1;  // the caller closes it
  return fd;
}

}  // namespace

absl::StatusOr<IndexFileReader> IndexFileReader::FromFile(const std::string& path) {
  size_t size = 0;
  VQS_ASSIGN_OR_RETURN(const int fd, OpenIndexFile(path, &size));
  const FdCloser closer{fd};
  std::unique_ptr<uint8_t, AlignedFree> data = AllocateAligned(size);
  // Only the size taken from the opened file is read; a file that shrank while being
  // read comes out short, and Parse reports the mismatch.
  const int64_t got = ReadUpTo(fd, data.get(), size);
  if (got < 0) return ErrnoError("read", path);
  return FromBuffer(std::shared_ptr<const uint8_t>(std::move(data)), static_cast<size_t>(got),
                    false, path);
}

absl::StatusOr<IndexFileReader> IndexFileReader::MapFile(const std::string& path) {
  size_t size = 0;
  VQS_ASSIGN_OR_RETURN(const int fd, OpenIndexFile(path, &size));
  const FdCloser closer{fd};
  // Page-aligned, hence 64-byte aligned like the read buffer. The mapping outlives the
  // descriptor.
  void* mapped = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (mapped == MAP_FAILED) return ErrnoError("map", path);
  std::shared_ptr<const uint8_t> data(static_cast<const uint8_t*>(mapped),
                                      [size](const uint8_t* p) {
                                        munmap(const_cast<uint8_t*>(p), size);
                                      });
  return FromBuffer(std::move(data), size, true, path);
}

absl::StatusOr<IndexFileReader> IndexFileReader::Nested(absl::string_view name) const {
  VQS_ASSIGN_OR_RETURN(const absl::Span<const uint8_t> bytes, UInt8(name));
  // Sections start 64-byte aligned, so the nested file's sections are aligned too.
  return FromBuffer(std::shared_ptr<const uint8_t>(data_, bytes.data()), bytes.size(), mapped_,
                    "serialized index");
}

void IndexFileReader::ReleaseMappedPages() const {
  // MADV_DONTNEED on a private file mapping never written drops the pages; touching
  // them again reads the file, so the data stays the same.
  if (mapped_) madvise(const_cast<uint8_t*>(data_.get()), size_, MADV_DONTNEED);
}

absl::Status IndexFileReader::Corrupt(absl::string_view what) const {
  return absl::DataLossError(absl::StrCat(source_, " is not a valid vqsearch index file: ", what));
}

absl::Status IndexFileReader::SectionError(absl::string_view section,
                                           absl::string_view rule) const {
  return Corrupt(absl::StrCat("section ", section, ": ", rule));
}

absl::Status IndexFileReader::Parse() {
  const uint8_t* data = data_.get();
  if (size_ < kHeaderSize || std::memcmp(data, kMagic, sizeof(kMagic)) != 0) {
    return Corrupt("it does not start with the vqsearch magic bytes");
  }
  if (Get<uint32_t>(data, kHeaderCrcOffset) != Crc32c(data, kHeaderCrcOffset)) {
    return Corrupt("header checksum mismatch");
  }
  format_version_ = Get<uint32_t>(data, 8);
  if (format_version_ == 0 || format_version_ > kIndexFormatVersion) {
    return Corrupt(absl::StrCat("format version ", format_version_, " is not supported (this build reads 1 to ",
                                kIndexFormatVersion, "; a newer vqsearch wrote it)"));
  }
  const uint32_t count = Get<uint32_t>(data, 12);
  const uint64_t table_offset = Get<uint64_t>(data, 16);
  const uint64_t file_size = Get<uint64_t>(data, 24);
  if (file_size != size_) {
    return Corrupt(absl::StrCat("it is ", size_, " bytes but its header says ", file_size,
                                " (truncated or appended to)"));
  }
  if (table_offset > size_ || count > (size_ - table_offset) / kEntrySize) {
    return Corrupt("section table out of bounds");
  }
  if (Get<uint32_t>(data, 32) != Crc32c(data + table_offset, count * kEntrySize)) {
    return Corrupt("section table checksum mismatch");
  }
  sections_.clear();
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* entry = data + table_offset + i * kEntrySize;
    const char* name = reinterpret_cast<const char*>(entry);
    const size_t name_length = strnlen(name, kSectionNameCapacity);
    if (name_length == 0 || name_length == kSectionNameCapacity) return Corrupt("bad section name");
    Section section{std::string(name, name_length), static_cast<SectionType>(Get<uint32_t>(entry, 40)),
                    Get<uint64_t>(entry, 48), Get<uint64_t>(entry, 56)};
    if (section.offset % kAlignment != 0 || section.offset > size_ ||
        section.length > size_ - section.offset) {
      return Corrupt(absl::StrCat("section ", section.name, " out of bounds"));
    }
    if (Get<uint32_t>(entry, 44) != Crc32c(data + section.offset, section.length)) {
      return Corrupt(absl::StrCat("checksum mismatch in section ", section.name));
    }
    sections_.push_back(std::move(section));
  }
  return absl::OkStatus();
}

std::vector<IndexFileReader::SectionInfo> IndexFileReader::ListSections() const {
  std::vector<SectionInfo> sections;
  for (const Section& section : sections_) {
    sections.push_back({section.name, section.type, section.length});
  }
  return sections;
}

bool IndexFileReader::Has(absl::string_view name) const {
  for (const Section& section : sections_) {
    if (section.name == name) return true;
  }
  return false;
}

absl::StatusOr<const IndexFileReader::Section*> IndexFileReader::Find(absl::string_view name,
                                                                     SectionType type,
                                                                     size_t element_size,
                                                                     int64_t expected_count) const {
  for (const Section& section : sections_) {
    if (section.name != name) continue;
    if (section.type != type) {
      return Corrupt(absl::StrCat("section ", name, " holds ", TypeName(section.type), ", expected ",
                                  TypeName(type)));
    }
    if (section.length % element_size != 0) {
      return Corrupt(absl::StrCat("section ", name, " length ", section.length,
                                  " is not a whole number of ", TypeName(type), " values"));
    }
    const int64_t count = static_cast<int64_t>(section.length / element_size);
    if (expected_count >= 0 && count != expected_count) {
      return Corrupt(absl::StrCat("section ", name, " holds ", count, " values, expected ", expected_count));
    }
    return &section;
  }
  return Corrupt(absl::StrCat("section ", name, " is missing"));
}

absl::StatusOr<std::string> IndexFileReader::String(absl::string_view name) const {
  VQS_ASSIGN_OR_RETURN(const Section* section, Find(name, SectionType::kString, 1, -1));
  return std::string(reinterpret_cast<const char*>(data_.get() + section->offset), section->length);
}

absl::StatusOr<int64_t> IndexFileReader::Int64Scalar(absl::string_view name) const {
  VQS_ASSIGN_OR_RETURN(absl::Span<const int64_t> values, Int64(name, 1));
  return values[0];
}

template <typename T>
absl::StatusOr<absl::Span<const T>> IndexFileReader::Array(absl::string_view name, SectionType type,
                                                           int64_t expected_count) const {
  VQS_ASSIGN_OR_RETURN(const Section* section, Find(name, type, sizeof(T), expected_count));
  // Payloads are 64-byte aligned in a 64-byte aligned buffer, so the cast is aligned.
  return absl::Span<const T>(reinterpret_cast<const T*>(data_.get() + section->offset),
                             section->length / sizeof(T));
}

absl::StatusOr<absl::Span<const int64_t>> IndexFileReader::Int64(absl::string_view name,
                                                                 int64_t expected_count) const {
  return Array<int64_t>(name, SectionType::kInt64, expected_count);
}
absl::StatusOr<absl::Span<const int32_t>> IndexFileReader::Int32(absl::string_view name,
                                                                 int64_t expected_count) const {
  return Array<int32_t>(name, SectionType::kInt32, expected_count);
}
absl::StatusOr<absl::Span<const float>> IndexFileReader::Float32(absl::string_view name,
                                                                 int64_t expected_count) const {
  return Array<float>(name, SectionType::kFloat32, expected_count);
}
absl::StatusOr<absl::Span<const uint8_t>> IndexFileReader::UInt8(absl::string_view name,
                                                                 int64_t expected_count) const {
  return Array<uint8_t>(name, SectionType::kUInt8, expected_count);
}

absl::StatusOr<bool> IndexFileReader::Flag(absl::string_view name) const {
  VQS_ASSIGN_OR_RETURN(const int64_t value, Int64Scalar(name));
  if (value != 0 && value != 1) {
    return SectionError(name, absl::StrCat("holds ", value, ", expected 0 or 1"));
  }
  return value == 1;
}

absl::StatusOr<absl::Span<const float>> IndexFileReader::FiniteFloat32(
    absl::string_view name, int64_t expected_count) const {
  VQS_ASSIGN_OR_RETURN(absl::Span<const float> values, Float32(name, expected_count));
  const auto bad = std::find_if(values.begin(), values.end(),
                                [](float value) { return !std::isfinite(value); });
  if (bad != values.end()) {
    return SectionError(name, absl::StrCat("value ", bad - values.begin(), " is ", *bad,
                                           "; stored values must be finite"));
  }
  return values;
}

absl::StatusOr<absl::Span<const int64_t>> IndexFileReader::Ids(absl::string_view name,
                                                               int64_t expected_count,
                                                               int64_t limit,
                                                               bool unique) const {
  VQS_ASSIGN_OR_RETURN(absl::Span<const int64_t> ids, Int64(name, expected_count));
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0) {
      return SectionError(name, absl::StrCat("id ", ids[i], " at ", i,
                                             " is negative: ids are >= 0 (-1 marks no result)"));
    }
    if (ids[i] >= limit) {
      return SectionError(name, absl::StrCat("id ", ids[i], " at ", i, " is not below ", limit));
    }
  }
  if (!unique || ids.size() < 2) return ids;
  // A bitmap when the range is small next to the ids (sequential ids: the common
  // case), otherwise a sorted copy; both take memory proportional to the file.
  int64_t repeated = -1;
  if (static_cast<uint64_t>(limit) / 64 <= ids.size()) {
    std::vector<bool> seen(static_cast<size_t>(limit));
    for (size_t i = 0; i < ids.size() && repeated < 0; ++i) {
      if (seen[ids[i]]) repeated = ids[i];
      seen[ids[i]] = true;
    }
  } else {
    std::vector<int64_t> sorted(ids.begin(), ids.end());
    std::sort(sorted.begin(), sorted.end());
    const auto twice = std::adjacent_find(sorted.begin(), sorted.end());
    if (twice != sorted.end()) repeated = *twice;
  }
  if (repeated >= 0) {
    return SectionError(name, absl::StrCat("id ", repeated, " appears more than once"));
  }
  return ids;
}

}  // namespace vqsearch::internal
