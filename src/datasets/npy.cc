// Reads NumPy .npy files (vqsearch/dataset.h: ReadNpy): a 2-D array of float32, float64,
// uint8, int8, int32 or int64, C order, converted to float32. Files are untrusted: the
// magic, the version, the header's length and every key of its dictionary are checked
// against the format's specification, and the data must fill the rest of the file
// exactly, before anything of the file's size is allocated.

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "io/file_path.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"

namespace vqsearch {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "only little-endian .npy data is read as it lies; a big-endian host needs swapping");

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
// Real headers are a few hundred bytes; this bounds what a hostile length can make us read.
constexpr uint32_t kMaxHeaderBytes = 1 << 16;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

enum class ElementType { kFloat32, kFloat64, kUInt8, kInt8, kInt32, kInt64 };

struct Header {
  ElementType type = ElementType::kFloat32;
  size_t element_size = 4;
  int64_t rows = 0;
  int64_t cols = 0;
};

absl::Status Malformed(const std::string& path, absl::string_view rule) {
  return absl::DataLossError(absl::StrCat(path, " is not a valid .npy file: ", rule));
}

// "'<f4'" etc.: little-endian ('<'), or '|' for one-byte types (where order is moot).
absl::Status ParseDescr(const std::string& path, absl::string_view descr, Header* header) {
  struct Known {
    absl::string_view names[2];
    ElementType type;
    size_t size;
  };
  static constexpr Known kKnown[] = {
      {{"<f4", "<f4"}, ElementType::kFloat32, 4}, {{"<f8", "<f8"}, ElementType::kFloat64, 8},
      {{"|u1", "<u1"}, ElementType::kUInt8, 1},   {{"|i1", "<i1"}, ElementType::kInt8, 1},
      {{"<i4", "<i4"}, ElementType::kInt32, 4},   {{"<i8", "<i8"}, ElementType::kInt64, 8},
  };
  for (const Known& known : kKnown) {
    if (descr == known.names[0] || descr == known.names[1]) {
      header->type = known.type;
      header->element_size = known.size;
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": unsupported .npy dtype '", descr,
                   "': expected little-endian float32, float64, uint8, int8, int32 or int64"));
}

// A cursor over the header's dictionary literal, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (1000, 128), }
class HeaderParser {
 public:
  explicit HeaderParser(absl::string_view text) : text_(text) {}

  void SkipSpaces() {
    while (!text_.empty() && text_.front() == ' ') text_.remove_prefix(1);
  }
  bool Consume(absl::string_view token) {
    SkipSpaces();
    if (!absl::StartsWith(text_, token)) return false;
    text_.remove_prefix(token.size());
    return true;
  }
  // A quoted string without escapes (no valid key or dtype has any).
  bool String(std::string* out) {
    SkipSpaces();
    if (text_.empty() || (text_.front() != '\'' && text_.front() != '"')) return false;
    const char quote = text_.front();
    const size_t end = text_.find(quote, 1);
    if (end == absl::string_view::npos) return false;
    *out = std::string(text_.substr(1, end - 1));
    if (out->find('\\') != std::string::npos) return false;
    text_.remove_prefix(end + 1);
    return true;
  }
  bool Integer(int64_t* out) {
    SkipSpaces();
    size_t length = 0;
    while (length < text_.size() && absl::ascii_isdigit(text_[length])) ++length;
    if (length == 0 || length > 18) return false;  // 18 digits cannot overflow int64
    if (!absl::SimpleAtoi(text_.substr(0, length), out)) return false;
    text_.remove_prefix(length);
    return true;
  }
  bool AtEnd() {
    SkipSpaces();
    return text_.empty();
  }

 private:
  absl::string_view text_;
};

absl::Status ParseHeader(const std::string& path, absl::string_view text, Header* header) {
  // The header is ASCII (versions 1 and 2) or UTF-8 (3), padded with spaces and ended by
  // a newline.
  if (text.empty() || text.back() != '\n') return Malformed(path, "the header does not end in a newline");
  text.remove_suffix(1);
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
      return Malformed(path, "the header holds a byte outside printable ASCII");
    }
  }
  HeaderParser parser(text);
  if (!parser.Consume("{")) return Malformed(path, "the header is not a dictionary");
  bool has_descr = false, has_order = false, has_shape = false;
  std::vector<int64_t> shape;
  while (!parser.Consume("}")) {
    std::string key;
    if (!parser.String(&key) || !parser.Consume(":")) {
      return Malformed(path, "the header dictionary is malformed");
    }
    if (key == "descr" && !has_descr) {
      std::string descr;
      if (!parser.String(&descr)) return Malformed(path, "'descr' is not a string");
      VQS_RETURN_IF_ERROR(ParseDescr(path, descr, header));
      has_descr = true;
    } else if (key == "fortran_order" && !has_order) {
      if (parser.Consume("True")) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": Fortran-ordered arrays are not read; save a C-ordered copy "
                               "(numpy.ascontiguousarray)"));
      }
      if (!parser.Consume("False")) return Malformed(path, "'fortran_order' is not a boolean");
      has_order = true;
    } else if (key == "shape" && !has_shape) {
      if (!parser.Consume("(")) return Malformed(path, "'shape' is not a tuple");
      while (!parser.Consume(")")) {
        int64_t extent = 0;
        if (!parser.Integer(&extent)) return Malformed(path, "'shape' holds a non-integer");
        if (shape.size() == 32) return Malformed(path, "'shape' has more than 32 dimensions");
        shape.push_back(extent);
        if (parser.Consume(")")) break;
        if (!parser.Consume(",")) return Malformed(path, "'shape' is malformed");
      }
      has_shape = true;
    } else {
      return Malformed(path, absl::StrCat("the header has an unexpected or repeated key '", key, "'"));
    }
    if (!parser.Consume(",")) {
      if (!parser.Consume("}")) return Malformed(path, "the header dictionary is malformed");
      break;
    }
  }
  if (!parser.AtEnd()) return Malformed(path, "the header has text after its dictionary");
  if (!has_descr || !has_order || !has_shape) {
    return Malformed(path, "the header lacks 'descr', 'fortran_order' or 'shape'");
  }
  if (shape.size() != 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": the array has ", shape.size(), " dimensions; vectors must be a 2-D array (rows, dim)"));
  }
  if (shape[1] < 1 || shape[1] > std::numeric_limits<int>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the vectors' dimension ", shape[1], " is out of range"));
  }
  header->rows = shape[0];
  header->cols = shape[1];
  return absl::OkStatus();
}

template <typename T>
void Convert(const std::vector<char>& bytes, std::vector<float>* values) {
  const size_t count = bytes.size() / sizeof(T);
  values->resize(count);
  for (size_t i = 0; i < count; ++i) {
    T value;
    std::memcpy(&value, bytes.data() + i * sizeof(T), sizeof(T));
    (*values)[i] = static_cast<float>(value);
  }
}

}  // namespace

absl::StatusOr<FloatMatrix> ReadNpy(const std::string& path, int64_t max_rows) {
  VQS_RETURN_IF_ERROR(internal::CheckPath(path));
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    const std::string text = absl::StrCat("cannot open ", path, ": ", std::strerror(errno));
    return errno == ENOENT ? absl::NotFoundError(text) : absl::InvalidArgumentError(text);
  }
  if (!S_ISREG(info.st_mode)) return absl::InvalidArgumentError(absl::StrCat(path, " is not a regular file"));
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  }
  const uint64_t file_size = static_cast<uint64_t>(info.st_size);

  unsigned char preamble[12] = {};
  if (file_size < 10 || std::fread(preamble, 1, 10, file.get()) != 10 ||
      std::memcmp(preamble, kMagic, kMagicSize) != 0) {
    return Malformed(path, "it does not start with the magic \"\\x93NUMPY\"");
  }
  const int major = preamble[6];
  uint64_t header_length = 0;
  size_t preamble_size = 10;
  if (major == 1) {
    header_length = preamble[8] | (uint32_t{preamble[9]} << 8);
  } else if (major == 2 || major == 3) {
    if (std::fread(preamble + 10, 1, 2, file.get()) != 2) return Malformed(path, "it ends in its preamble");
    header_length = preamble[8] | (uint32_t{preamble[9]} << 8) | (uint32_t{preamble[10]} << 16) |
                    (uint32_t{preamble[11]} << 24);
    preamble_size = 12;
  } else {
    return Malformed(path, absl::StrCat("format version ", major, " is not 1, 2 or 3"));
  }
  if (header_length > kMaxHeaderBytes || preamble_size + header_length > file_size) {
    return Malformed(path, absl::StrCat("its header length ", header_length,
                                        " exceeds the file or the 64 KiB limit"));
  }
  std::string text(header_length, '\0');
  if (std::fread(text.data(), 1, header_length, file.get()) != header_length) {
    return Malformed(path, "it ends in its header");
  }
  Header header;
  VQS_RETURN_IF_ERROR(ParseHeader(path, text, &header));

  // rows x cols x element size must equal what follows the header, computed without
  // overflow: cols <= INT_MAX and the element size <= 8 keep each factor small.
  const uint64_t data_bytes = file_size - preamble_size - header_length;
  const uint64_t row_bytes = static_cast<uint64_t>(header.cols) * header.element_size;
  if (static_cast<uint64_t>(header.rows) > data_bytes / row_bytes ||
      static_cast<uint64_t>(header.rows) * row_bytes != data_bytes) {
    return absl::DataLossError(absl::StrCat(path, " holds ", data_bytes, " data bytes; its shape (",
                                            header.rows, ", ", header.cols, ") needs ",
                                            absl::StrCat(header.rows), " x ", row_bytes));
  }
  const int64_t rows = max_rows >= 0 && max_rows < header.rows ? max_rows : header.rows;
  std::vector<char> bytes(static_cast<size_t>(rows) * row_bytes);
  if (!bytes.empty() && std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) {
    return absl::DataLossError(absl::StrCat(path, " ended early (was it truncated meanwhile?)"));
  }
  FloatMatrix matrix;
  matrix.dim = static_cast<int>(header.cols);
  switch (header.type) {
    case ElementType::kFloat32: Convert<float>(bytes, &matrix.values); break;
    case ElementType::kFloat64: Convert<double>(bytes, &matrix.values); break;
    case ElementType::kUInt8: Convert<uint8_t>(bytes, &matrix.values); break;
    case ElementType::kInt8: Convert<int8_t>(bytes, &matrix.values); break;
    case ElementType::kInt32: Convert<int32_t>(bytes, &matrix.values); break;
    case ElementType::kInt64: Convert<int64_t>(bytes, &matrix.values); break;
  }
  return matrix;
}

}  // namespace vqsearch
