// Save, Load and the rest of vqsearch/io.h: the common header sections (spec, dimension,
// metric) that let Load rebuild any index, around the index's own sections.

#include "vqsearch/io.h"

#include <algorithm>
#include <limits>
#include <new>
#include <shared_mutex>

#include "absl/strings/str_cat.h"
#include "index/nested_index.h"
#include "io/index_file.h"
#include "util/status_macros.h"

namespace vqsearch {
namespace internal {

// Index's friend: reaches WriteState, ReadState and the id bound Load restores.
class IndexIo {
 public:
  // The writer points into the index's arrays until the file is written: hold `index`'s
  // reader lock (ReaderLock) until then.
  static std::shared_lock<std::shared_mutex> ReaderLock(const Index& index) {
    return index.ReaderLock();
  }

  static absl::Status WriteTo(const Index& index, IndexFileWriter* writer) {
    writer->AddString("index.spec", index.spec());
    writer->AddInt64Scalar("index.dim", index.dim());
    writer->AddString("index.metric", std::string(MetricName(index.metric())));
    return index.WriteState(writer);
  }

  static absl::StatusOr<std::unique_ptr<Index>> ReadFrom(const IndexFileReader& reader) {
    VQS_ASSIGN_OR_RETURN(const std::string spec, reader.String("index.spec"));
    VQS_ASSIGN_OR_RETURN(const int64_t dim, reader.Int64Scalar("index.dim"));
    VQS_ASSIGN_OR_RETURN(const std::string metric_name, reader.String("index.metric"));
    VQS_ASSIGN_OR_RETURN(const Metric metric, ParseMetric(metric_name));
    if (dim <= 0 || dim > std::numeric_limits<int>::max()) {
      return absl::DataLossError(absl::StrCat("index file has invalid dimension ", dim));
    }
    VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> index,
                         Index::Create(spec, static_cast<int>(dim), metric));
    VQS_RETURN_IF_ERROR(index->ReadState(reader));
    int64_t& bound = index->id_upper_bound_;
    index->ForEachId([&bound](int64_t id) { bound = std::max(bound, id); });
    // Untrained indexes cannot encode or search, so they cannot have been given vectors.
    if (!index->is_trained() && index->size() > 0) {
      return reader.SectionError("index.spec", absl::StrCat("the index \"", spec,
                                                            "\" is saved untrained but holds ",
                                                            index->size(), " vectors"));
    }
    return index;
  }
};

absl::StatusOr<std::unique_ptr<Index>> ReadIndex(const IndexFileReader& reader) {
  return IndexIo::ReadFrom(reader);
}

}  // namespace internal

namespace {

// Runs `io`, turning an exhausted memory into an error: a file or an index larger than
// memory must not throw through a call that promises a status.
template <typename Io>
auto StatusOnBadAlloc(absl::string_view what, Io io) -> decltype(io()) {
  try {
    return io();
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(absl::StrCat("out of memory while ", what));
  }
}

}  // namespace

absl::Status Save(const Index& index, const std::string& path) {
  return StatusOnBadAlloc(absl::StrCat("saving ", path), [&]() -> absl::Status {
    const std::shared_lock<std::shared_mutex> lock = internal::IndexIo::ReaderLock(index);
    internal::IndexFileWriter writer;
    VQS_RETURN_IF_ERROR(internal::IndexIo::WriteTo(index, &writer));
    return writer.WriteFile(path);
  });
}

absl::StatusOr<std::string> Serialize(const Index& index) {
  return StatusOnBadAlloc("serializing an index", [&]() -> absl::StatusOr<std::string> {
    const std::shared_lock<std::shared_mutex> lock = internal::IndexIo::ReaderLock(index);
    internal::IndexFileWriter writer;
    VQS_RETURN_IF_ERROR(internal::IndexIo::WriteTo(index, &writer));
    return writer.ToBytes();
  });
}

absl::StatusOr<std::unique_ptr<Index>> Load(const std::string& path, const LoadOptions& options) {
  return StatusOnBadAlloc(
      absl::StrCat("loading ", path), [&]() -> absl::StatusOr<std::unique_ptr<Index>> {
        VQS_ASSIGN_OR_RETURN(const internal::IndexFileReader reader,
                             options.mmap ? internal::IndexFileReader::MapFile(path)
                                          : internal::IndexFileReader::FromFile(path));
        absl::StatusOr<std::unique_ptr<Index>> index = internal::IndexIo::ReadFrom(reader);
        reader.ReleaseMappedPages();
        return index;
      });
}

absl::StatusOr<std::unique_ptr<Index>> Deserialize(std::string_view bytes) {
  return StatusOnBadAlloc("deserializing an index",
                          [&]() -> absl::StatusOr<std::unique_ptr<Index>> {
                            VQS_ASSIGN_OR_RETURN(const internal::IndexFileReader reader,
                                                 internal::IndexFileReader::FromBytes(bytes));
                            return internal::IndexIo::ReadFrom(reader);
                          });
}

}  // namespace vqsearch
