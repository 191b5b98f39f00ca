// Tests for the .npy reader: files written byte by byte here (independently of the
// reader) in each supported dtype and header version, and the errors for malformed,
// hostile and unsupported files.

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/temp_path.h"
#include "vqsearch/dataset.h"

namespace vqsearch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string TempPath(const std::string& name) { return testing::TempPath("npy_test_", name); }

// A version-1 (or 2) file: magic, version, header length, the header padded with spaces
// to a multiple of 64 bytes and ended by a newline, then `data`.
std::string NpyBytes(const std::string& dict, const std::string& data, int version = 1) {
  const size_t preamble = version == 1 ? 10 : 12;
  std::string header = dict;
  while ((preamble + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string bytes = std::string("\x93NUMPY", 6) + static_cast<char>(version) + '\0';
  const uint32_t length = static_cast<uint32_t>(header.size());
  bytes += static_cast<char>(length & 0xff);
  bytes += static_cast<char>(length >> 8);
  if (version != 1) bytes += std::string(2, '\0');
  return bytes + header + data;
}

template <typename T>
std::string Raw(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::string Write(const std::string& name, const std::string& bytes) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(NpyTest, ReadsEverySupportedDtype) {
  const std::string shape = "'fortran_order': False, 'shape': (2, 3), }";
  struct Case {
    std::string descr, data;
  } cases[] = {
      {"<f4", Raw<float>({0, 1.5f, 2, 3, 4, -5})},
      {"<f8", Raw<double>({0, 1.5, 2, 3, 4, -5})},
      {"<i4", Raw<int32_t>({0, 1, 2, 3, 4, -5})},
      {"<i8", Raw<int64_t>({0, 1, 2, 3, 4, -5})},
      {"|u1", Raw<uint8_t>({0, 1, 2, 3, 4, 250})},
      {"|i1", Raw<int8_t>({0, 1, 2, 3, 4, -5})},
  };
  for (const Case& c : cases) {
    const std::string path =
        Write("dtype.npy", NpyBytes("{'descr': '" + c.descr + "', " + shape, c.data));
    auto matrix = ReadNpy(path);
    ASSERT_TRUE(matrix.ok()) << c.descr << ": " << matrix.status();
    EXPECT_EQ(matrix->dim, 3);
    EXPECT_EQ(matrix->rows(), 2);
    EXPECT_EQ(matrix->values[3], 3.0f) << c.descr;
    EXPECT_EQ(matrix->values[5], c.descr == "|u1" ? 250.0f : -5.0f) << c.descr;
  }
  const std::string data = Raw<float>({1, 2, 3, 4});
  auto v2 = ReadNpy(Write("v2.npy", NpyBytes("{'shape': (2, 2), 'fortran_order': False, "
                                             "'descr': '<f4'}", data, 2)));
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_THAT(v2->values, ElementsAre(1, 2, 3, 4));
  auto first = ReadNpy(Write("rows.npy", NpyBytes("{'descr': '<f4', 'fortran_order': False, "
                                                  "'shape': (2, 2)}", data)), 1);
  ASSERT_TRUE(first.ok());
  EXPECT_THAT(first->values, ElementsAre(1, 2));
}

TEST(NpyTest, RefusesMalformedAndUnsupportedFiles) {
  const std::string data = Raw<float>({1, 2, 3, 4});
  struct Case {
    std::string name, bytes, message;
    absl::StatusCode code;
  } cases[] = {
      {"magic", "\x93NUMPX" + std::string(10, ' '), "magic", absl::StatusCode::kDataLoss},
      {"empty", "", "magic", absl::StatusCode::kDataLoss},
      {"version", std::string("\x93NUMPY\x09\0", 8) + std::string(80, ' '), "version",
       absl::StatusCode::kDataLoss},
      {"long header", std::string("\x93NUMPY\x01\0\xff\xff", 10) + "{", "header length",
       absl::StatusCode::kDataLoss},
      {"truncated",
       NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)}", data.substr(0, 12)),
       "data bytes", absl::StatusCode::kDataLoss},
      {"trailing",
       NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)}", data + "xxxx"),
       "data bytes", absl::StatusCode::kDataLoss},
      {"huge shape",
       NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (999999999999999, 2)}", data),
       "data bytes", absl::StatusCode::kDataLoss},
      {"big endian", NpyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2)}", data),
       "dtype", absl::StatusCode::kInvalidArgument},
      {"fortran", NpyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2)}", data),
       "Fortran", absl::StatusCode::kInvalidArgument},
      {"1-D", NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4,)}", data),
       "2-D", absl::StatusCode::kInvalidArgument},
      {"zero dim", NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 0)}", ""),
       "dimension", absl::StatusCode::kInvalidArgument},
      {"missing key", NpyBytes("{'descr': '<f4', 'shape': (2, 2)}", data), "lacks",
       absl::StatusCode::kDataLoss},
      {"extra key",
       NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), 'x': 1}", data),
       "unexpected", absl::StatusCode::kDataLoss},
      {"negative",
       NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 2)}", data),
       "non-integer", absl::StatusCode::kDataLoss},
      {"garbage after",
       NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)} x", data),
       "after", absl::StatusCode::kDataLoss},
  };
  for (const Case& c : cases) {
    auto matrix = ReadNpy(Write("bad.npy", c.bytes));
    ASSERT_FALSE(matrix.ok()) << c.name;
    EXPECT_EQ(matrix.status().code(), c.code) << c.name << ": " << matrix.status();
    EXPECT_THAT(matrix.status().message(), HasSubstr(c.message)) << c.name;
  }
  EXPECT_EQ(ReadNpy(TempPath("missing.npy")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadNpy(::testing::TempDir()).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vqsearch
