// Tests for the fvecs / ivecs / bvecs readers and writers: round trips, the byte layout
// against hand-written files, partial reads, and the errors for malformed files.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vqsearch/dataset.h"

namespace vqsearch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("VQS_TEST_TMPDIR");
  std::filesystem::path base = dir != nullptr && *dir != '\0' ? dir : ::testing::TempDir();
  std::filesystem::create_directories(base);
  return (base / ("vecs_test_" + name)).string();
}

// Appends the little-endian bytes of `value` to `bytes`, independently of the code under
// test, so that the tests check the file layout and not only self-consistency.
template <typename T>
void Append(std::string* bytes, T value) {
  char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  bytes->append(raw, sizeof(T));
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
}

std::string ReadBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

TEST(VecsTest, FvecsRoundTripAndLayout) {
  const std::string path = TempPath("round_trip.fvecs");
  const std::vector<float> values = {1.5f, -2.0f, 0.1f, 1e-40f,
                                     std::numeric_limits<float>::max(), -0.0f};
  ASSERT_TRUE(WriteFvecs(path, MatrixView(values, 3)).ok());

  std::string expected;
  for (int row = 0; row < 2; ++row) {
    Append<int32_t>(&expected, 3);
    for (int j = 0; j < 3; ++j) Append<float>(&expected, values[row * 3 + j]);
  }
  EXPECT_EQ(ReadBytes(path), expected);

  const absl::StatusOr<FloatMatrix> read = ReadFvecs(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->dim, 3);
  EXPECT_EQ(read->rows(), 2);
  ASSERT_EQ(read->values.size(), values.size());
  EXPECT_EQ(std::memcmp(read->values.data(), values.data(), values.size() * sizeof(float)), 0);
}

TEST(VecsTest, FvecsMaxRowsReadsAPrefix) {
  const std::string path = TempPath("prefix.fvecs");
  std::vector<float> values(5 * 4);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  ASSERT_TRUE(WriteFvecs(path, MatrixView(values, 4)).ok());

  const absl::StatusOr<FloatMatrix> two = ReadFvecs(path, 2);
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(two->rows(), 2);
  EXPECT_THAT(two->values, ElementsAre(0, 1, 2, 3, 4, 5, 6, 7));

  const absl::StatusOr<FloatMatrix> all = ReadFvecs(path, 100);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->rows(), 5);
}

TEST(VecsTest, LargeFileSpansSeveralChunks) {
  // 3000 records of 1000 floats is about 12 MB, several of the reader's buffers.
  const std::string path = TempPath("large.fvecs");
  const int dim = 1000;
  std::vector<float> values(3000 * dim);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i % 9973) * 0.5f;
  ASSERT_TRUE(WriteFvecs(path, MatrixView(values, dim)).ok());
  EXPECT_EQ(std::filesystem::file_size(path), 3000u * (4 + 4 * dim));
  const absl::StatusOr<FloatMatrix> read = ReadFvecs(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->values, values);
}

TEST(VecsTest, IvecsRoundTripAndLayout) {
  const std::string path = TempPath("round_trip.ivecs");
  IntMatrix matrix;
  matrix.dim = 2;
  matrix.values = {7, -1, std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min()};
  ASSERT_TRUE(WriteIvecs(path, matrix).ok());

  std::string expected;
  Append<int32_t>(&expected, 2);
  Append<int32_t>(&expected, 7);
  Append<int32_t>(&expected, -1);
  Append<int32_t>(&expected, 2);
  Append<int32_t>(&expected, std::numeric_limits<int32_t>::max());
  Append<int32_t>(&expected, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(ReadBytes(path), expected);

  const absl::StatusOr<IntMatrix> read = ReadIvecs(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->dim, 2);
  EXPECT_EQ(read->values, matrix.values);
}

TEST(VecsTest, BvecsRoundTripAndLayout) {
  const std::string path = TempPath("round_trip.bvecs");
  const std::vector<float> values = {0, 255, 128, 1};
  ASSERT_TRUE(WriteBvecs(path, MatrixView(values, 4)).ok());

  std::string expected;
  Append<int32_t>(&expected, 4);
  for (const uint8_t byte : {0, 255, 128, 1}) Append<uint8_t>(&expected, byte);
  EXPECT_EQ(ReadBytes(path), expected);

  const absl::StatusOr<FloatMatrix> read = ReadBvecs(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->dim, 4);
  EXPECT_EQ(read->values, values);
}

TEST(VecsTest, BvecsRejectsValuesAByteCannotHold) {
  const std::string path = TempPath("rejected.bvecs");
  for (const float bad : {256.0f, -1.0f, 1.5f, std::numeric_limits<float>::quiet_NaN()}) {
    const std::vector<float> values = {0, bad};
    const absl::Status status = WriteBvecs(path, MatrixView(values, 2));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(status.message(), HasSubstr("component 1"));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(VecsTest, TruncatedFileIsAnError) {
  const std::string path = TempPath("truncated.fvecs");
  const std::vector<float> values = {1, 2, 3, 4, 5, 6};
  ASSERT_TRUE(WriteFvecs(path, MatrixView(values, 3)).ok());
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 2);

  const absl::StatusOr<FloatMatrix> read = ReadFvecs(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(read.status().message(), HasSubstr("truncated"));
  // The whole records before the cut are still readable on request.
  const absl::StatusOr<FloatMatrix> first = ReadFvecs(path, 1);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(first->values, ElementsAre(1, 2, 3));
}

TEST(VecsTest, FileShorterThanADimensionIsAnError) {
  const std::string path = TempPath("two_bytes.ivecs");
  WriteBytes(path, std::string("\x01\x00", 2));
  EXPECT_EQ(ReadIvecs(path).status().code(), absl::StatusCode::kDataLoss);
}

TEST(VecsTest, InconsistentDimensionIsAnError) {
  const std::string path = TempPath("inconsistent.fvecs");
  std::string bytes;
  Append<int32_t>(&bytes, 2);
  Append<float>(&bytes, 1);
  Append<float>(&bytes, 2);
  Append<int32_t>(&bytes, 1);  // second record claims dimension 1 but is as long
  Append<float>(&bytes, 3);
  Append<float>(&bytes, 4);
  WriteBytes(path, bytes);

  const absl::StatusOr<FloatMatrix> read = ReadFvecs(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("record 1"));
  EXPECT_THAT(read.status().message(), HasSubstr("dimension 1"));
}

TEST(VecsTest, NonPositiveDimensionIsAnError) {
  const std::string path = TempPath("zero_dim.bvecs");
  for (const int32_t dim : {0, -5}) {
    std::string bytes;
    Append<int32_t>(&bytes, dim);
    Append<uint8_t>(&bytes, 9);
    WriteBytes(path, bytes);
    const absl::StatusOr<FloatMatrix> read = ReadBvecs(path);
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << dim;
  }
}

TEST(VecsTest, MissingFileIsNotFound) {
  const absl::StatusOr<FloatMatrix> read = ReadFvecs(TempPath("does_not_exist.fvecs"));
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(read.status().message(), HasSubstr("does_not_exist.fvecs"));
}

TEST(VecsTest, EmptyFileReadsAsAnEmptyMatrix) {
  const std::string path = TempPath("empty.fvecs");
  WriteBytes(path, "");
  const absl::StatusOr<FloatMatrix> read = ReadFvecs(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->rows(), 0);
}

TEST(VecsTest, WritersRejectBadShapes) {
  const std::string path = TempPath("bad_shape.ivecs");
  IntMatrix ragged;
  ragged.dim = 2;
  ragged.values = {1, 2, 3};
  EXPECT_EQ(WriteIvecs(path, ragged).code(), absl::StatusCode::kInvalidArgument);
  IntMatrix no_dim;
  EXPECT_EQ(WriteIvecs(path, no_dim).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteFvecs(path, MatrixView(nullptr, 3, 2)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(VecsTest, WriteIntoMissingDirectoryIsAnError) {
  const std::vector<float> values = {1, 2};
  const absl::Status status =
      WriteFvecs(TempPath("no_such_dir") + "/x.fvecs", MatrixView(values, 2));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace vqsearch
