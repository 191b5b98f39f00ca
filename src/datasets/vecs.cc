// Reads and writes the TEXMEX vector formats declared in vqsearch/dataset.h: .fvecs
// (float32), .ivecs (int32) and .bvecs (uint8). Each record is a little-endian int32
// dimension followed by that many components; a file is a sequence of such records.

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "io/file_path.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"

namespace vqsearch {
namespace {

// Records are copied to and from memory as they lie in the file.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "vecs files are little-endian; a big-endian host needs byte swapping here");

// Large files stream through a buffer of about this many bytes (whole records), so that
// neither a read per value nor a second copy of the file is needed.
constexpr int64_t kChunkBytes = int64_t{4} << 20;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

absl::Status ErrnoError(int error, absl::string_view message) {
  const std::string text = absl::StrCat(message, ": ", std::strerror(error));
  if (error == ENOENT) return absl::NotFoundError(text);
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(text);
  return absl::InternalError(text);
}

// Reads up to max_rows records (all when negative) whose components have type Component
// and stores them as Value.
template <typename Component, typename Value>
absl::Status ReadVecs(const std::string& path, int64_t max_rows, int* dim,
                      std::vector<Value>* values) {
  *dim = 0;
  values->clear();
  VQS_RETURN_IF_ERROR(internal::CheckPath(path));
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) return ErrnoError(errno, absl::StrCat("cannot open ", path));
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return absl::InvalidArgumentError(absl::StrCat(path, ": ", error.message()));
  // No records: nothing fixes a dimension, so the result is an empty matrix, which is
  // also what writing zero rows produces.
  if (size == 0) return absl::OkStatus();

  int32_t first_dim = 0;
  if (size < sizeof(first_dim) || std::fread(&first_dim, sizeof(first_dim), 1, file.get()) != 1) {
    return absl::DataLossError(absl::StrCat(path, " is truncated: ", size,
                                            " bytes cannot hold a record's dimension"));
  }
  if (first_dim <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the first record of ", path, " declares dimension ", first_dim));
  }
  const int64_t record_bytes =
      static_cast<int64_t>(sizeof(int32_t)) + int64_t{first_dim} * sizeof(Component);
  const int64_t rows_in_file = static_cast<int64_t>(size / record_bytes);
  const int64_t rows = max_rows < 0 ? rows_in_file : std::min(max_rows, rows_in_file);
  const bool wants_partial_record = (max_rows < 0 || max_rows > rows_in_file) &&
                                    size % static_cast<uintmax_t>(record_bytes) != 0;

  if (std::fseek(file.get(), 0, SEEK_SET) != 0) {
    return ErrnoError(errno, absl::StrCat("cannot rewind ", path));
  }
  values->resize(static_cast<size_t>(rows * first_dim));
  const int64_t chunk_rows = std::max<int64_t>(1, kChunkBytes / record_bytes);
  // Sized by the records the file holds, never by one declared record alone: a few bytes
  // declaring a 2^31 dimension hold no record and must not allocate 8 GB.
  std::vector<char> buffer(static_cast<size_t>(std::min(chunk_rows, rows) * record_bytes));
  Value* out = values->data();
  for (int64_t begin = 0; begin < rows; begin += chunk_rows) {
    const int64_t count = std::min(chunk_rows, rows - begin);
    if (std::fread(buffer.data(), static_cast<size_t>(record_bytes), static_cast<size_t>(count),
                   file.get()) != static_cast<size_t>(count)) {
      if (std::ferror(file.get())) return ErrnoError(errno, absl::StrCat("cannot read ", path));
      return absl::DataLossError(absl::StrCat(path, " ended early (was it truncated meanwhile?)"));
    }
    for (int64_t r = 0; r < count; ++r) {
      const char* record = buffer.data() + r * record_bytes;
      int32_t record_dim;
      std::memcpy(&record_dim, record, sizeof(record_dim));
      if (record_dim != first_dim) {
        return absl::InvalidArgumentError(absl::StrCat("record ", begin + r, " of ", path,
                                                       " has dimension ", record_dim,
                                                       " but the first record has ", first_dim));
      }
      const char* components = record + sizeof(int32_t);
      for (int32_t j = 0; j < first_dim; ++j) {
        Component component;
        std::memcpy(&component, components + j * sizeof(Component), sizeof(Component));
        *out++ = static_cast<Value>(component);
      }
    }
  }
  if (wants_partial_record) {
    return absl::DataLossError(absl::StrCat(
        path, " is truncated: its last ", size % static_cast<uintmax_t>(record_bytes),
        " bytes do not make a whole record of ", record_bytes, " bytes (dimension ", first_dim,
        ")"));
  }
  *dim = first_dim;
  return absl::OkStatus();
}

// Writes rows x dim values as Component records to path + ".tmp", then renames it over
// `path` so that readers never see a half-written file.
template <typename Component, typename Value>
absl::Status WriteVecs(const std::string& path, const Value* values, int64_t rows, int dim) {
  VQS_RETURN_IF_ERROR(internal::CheckPath(path));
  const std::string temp_path = path + ".tmp";
  FilePtr file(std::fopen(temp_path.c_str(), "wb"));
  if (file == nullptr) return ErrnoError(errno, absl::StrCat("cannot create ", temp_path));
  const int64_t record_bytes =
      static_cast<int64_t>(sizeof(int32_t)) + int64_t{dim} * sizeof(Component);
  const int64_t chunk_rows = std::max<int64_t>(1, kChunkBytes / record_bytes);
  std::vector<char> buffer(
      static_cast<size_t>(std::min(chunk_rows, std::max<int64_t>(rows, 1)) * record_bytes));
  const int32_t header = dim;
  absl::Status status;
  for (int64_t begin = 0; begin < rows && status.ok(); begin += chunk_rows) {
    const int64_t count = std::min(chunk_rows, rows - begin);
    for (int64_t r = 0; r < count; ++r) {
      char* record = buffer.data() + r * record_bytes;
      std::memcpy(record, &header, sizeof(header));
      const Value* row = values + (begin + r) * dim;
      for (int j = 0; j < dim; ++j) {
        const Component component = static_cast<Component>(row[j]);
        std::memcpy(record + sizeof(int32_t) + j * sizeof(Component), &component,
                    sizeof(Component));
      }
    }
    if (std::fwrite(buffer.data(), static_cast<size_t>(record_bytes), static_cast<size_t>(count),
                    file.get()) != static_cast<size_t>(count)) {
      status = ErrnoError(errno, absl::StrCat("cannot write ", temp_path));
    }
  }
  // fclose flushes the last buffered bytes, so its failure is a write failure too.
  if (std::fclose(file.release()) != 0 && status.ok()) {
    status = ErrnoError(errno, absl::StrCat("cannot write ", temp_path));
  }
  if (status.ok() && std::rename(temp_path.c_str(), path.c_str()) != 0) {
    status = ErrnoError(errno, absl::StrCat("cannot rename ", temp_path, " to ", path));
  }
  if (!status.ok()) std::remove(temp_path.c_str());
  return status;
}

absl::Status CheckMatrixView(const std::string& path, MatrixView matrix) {
  if (matrix.dim <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write ", path, ": dimension ", matrix.dim, " is not positive"));
  }
  if (matrix.rows < 0 || (matrix.rows > 0 && matrix.data == nullptr)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write ", path, ": the matrix has ", matrix.rows,
                     " rows and data ", matrix.data == nullptr ? "null" : "set"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FloatMatrix> ReadFvecs(const std::string& path, int64_t max_rows) {
  FloatMatrix matrix;
  VQS_RETURN_IF_ERROR((ReadVecs<float, float>(path, max_rows, &matrix.dim, &matrix.values)));
  return matrix;
}

absl::StatusOr<IntMatrix> ReadIvecs(const std::string& path, int64_t max_rows) {
  IntMatrix matrix;
  VQS_RETURN_IF_ERROR((ReadVecs<int32_t, int32_t>(path, max_rows, &matrix.dim, &matrix.values)));
  return matrix;
}

absl::StatusOr<FloatMatrix> ReadBvecs(const std::string& path, int64_t max_rows) {
  FloatMatrix matrix;
  VQS_RETURN_IF_ERROR((ReadVecs<uint8_t, float>(path, max_rows, &matrix.dim, &matrix.values)));
  return matrix;
}

absl::Status WriteFvecs(const std::string& path, MatrixView matrix) {
  VQS_RETURN_IF_ERROR(CheckMatrixView(path, matrix));
  return WriteVecs<float>(path, matrix.data, matrix.rows, matrix.dim);
}

absl::Status WriteIvecs(const std::string& path, const IntMatrix& matrix) {
  if (matrix.dim <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write ", path, ": dimension ", matrix.dim, " is not positive"));
  }
  if (matrix.values.size() % matrix.dim != 0) {
    return absl::InvalidArgumentError(absl::StrCat("cannot write ", path, ": ",
                                                   matrix.values.size(),
                                                   " values are not a multiple of dimension ",
                                                   matrix.dim));
  }
  return WriteVecs<int32_t>(path, matrix.values.data(), matrix.rows(), matrix.dim);
}

absl::Status WriteBvecs(const std::string& path, MatrixView matrix) {
  VQS_RETURN_IF_ERROR(CheckMatrixView(path, matrix));
  // Checked before the file is created: a float-to-uint8 cast of anything else is
  // undefined or silently lossy.
  for (int64_t r = 0; r < matrix.rows; ++r) {
    const float* row = matrix.row(r);
    for (int j = 0; j < matrix.dim; ++j) {
      const float value = row[j];
      if (!(value >= 0.0f && value <= 255.0f) || value != std::floor(value)) {
        return absl::InvalidArgumentError(
            absl::StrCat("cannot write ", path, ": row ", r, " component ", j, " is ", value,
                         "; bvecs holds integers in [0, 255]"));
      }
    }
  }
  return WriteVecs<uint8_t>(path, matrix.data, matrix.rows, matrix.dim);
}

}  // namespace vqsearch
