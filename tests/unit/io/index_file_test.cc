// The index file container: round trips, and every kind of damage is reported.

#include "io/index_file.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "io/crc32c.h"

namespace vqsearch::internal {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/vqs_index_file_test_" + name;
}

std::string SampleBytes() {
  static const std::vector<float> floats = {1.5f, -2.0f, 3.25f};
  static const std::vector<int64_t> ints = {7, -8, 1LL << 40};
  static const std::vector<uint8_t> bytes = {0, 255, 17};
  IndexFileWriter writer;
  writer.AddString("spec", "Flat");
  writer.AddInt64Scalar("dim", 3);
  writer.AddFloat32("floats", floats);
  writer.AddInt64("ints", ints);
  writer.AddUInt8("bytes", bytes);
  writer.AddInt32("empty", {});
  return *writer.ToBytes();
}

TEST(Crc32cTest, KnownValueAndPathsAgree) {
  const std::string check = "123456789";
  EXPECT_EQ(Crc32c(check.data(), check.size()), 0xE3069283u);  // the standard check value
  std::vector<uint8_t> data(1001);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 31 + 7);
  for (size_t length : {0, 1, 7, 8, 9, 1001}) {
    EXPECT_EQ(Crc32c(data.data(), length), Crc32cPortable(data.data(), length)) << length;
  }
  EXPECT_EQ(Crc32c(data.data() + 10, 500, Crc32c(data.data(), 10)), Crc32c(data.data(), 510));
}

TEST(IndexFileTest, RoundTripInMemory) {
  auto reader = IndexFileReader::FromBytes(SampleBytes());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(reader->format_version(), kIndexFormatVersion);
  EXPECT_EQ(*reader->String("spec"), "Flat");
  EXPECT_EQ(*reader->Int64Scalar("dim"), 3);
  auto floats = reader->Float32("floats", 3);
  ASSERT_TRUE(floats.ok());
  EXPECT_EQ(std::vector<float>(floats->begin(), floats->end()), (std::vector<float>{1.5f, -2.0f, 3.25f}));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(floats->data()) % 64, 0u);
  auto ints = reader->Int64("ints");
  ASSERT_TRUE(ints.ok());
  EXPECT_EQ((*ints)[2], 1LL << 40);
  EXPECT_EQ((*reader->UInt8("bytes"))[1], 255);
  EXPECT_TRUE(reader->Int32("empty", 0).ok());
  EXPECT_TRUE(reader->Has("spec"));
  EXPECT_FALSE(reader->Has("nothing"));
}

TEST(IndexFileTest, RoundTripThroughFileIsAtomic) {
  const std::string path = TempPath("roundtrip.vqs");
  IndexFileWriter writer;
  writer.AddString("spec", "Flat");
  ASSERT_TRUE(writer.WriteFile(path).ok());
  auto reader = IndexFileReader::FromFile(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(*reader->String("spec"), "Flat");
  std::remove(path.c_str());
}

TEST(IndexFileTest, LookupErrorsNameTheSection) {
  auto reader = IndexFileReader::FromBytes(SampleBytes());
  ASSERT_TRUE(reader.ok());
  auto missing = reader->Float32("nothing");
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nothing"), std::string::npos);
  EXPECT_FALSE(reader->Int64("floats").ok());      // wrong type
  EXPECT_FALSE(reader->Float32("floats", 4).ok());  // wrong count
}

TEST(IndexFileTest, EverySingleByteFlipIsDetected) {
  const std::string good = SampleBytes();
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] ^= 0x01;
    auto reader = IndexFileReader::FromBytes(bad);
    if (reader.ok()) {
      // Flips in alignment padding change nothing that is read; everything else must fail.
      EXPECT_EQ(*reader->String("spec"), "Flat") << "byte " << i;
      EXPECT_EQ((*reader->Float32("floats"))[1], -2.0f) << "byte " << i;
      EXPECT_EQ((*reader->Int64("ints"))[2], 1LL << 40) << "byte " << i;
      EXPECT_EQ((*reader->UInt8("bytes"))[1], 255) << "byte " << i;
    } else {
      EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss) << reader.status();
    }
  }
}

TEST(IndexFileTest, TruncationAndGarbageAreErrors) {
  const std::string good = SampleBytes();
  for (size_t length : {size_t{0}, size_t{10}, size_t{64}, good.size() - 1}) {
    auto reader = IndexFileReader::FromBytes(good.substr(0, length));
    EXPECT_FALSE(reader.ok()) << length;
  }
  EXPECT_FALSE(IndexFileReader::FromBytes(good + "x").ok());
  EXPECT_FALSE(IndexFileReader::FromBytes(std::string(1000, 'z')).ok());
}

TEST(IndexFileTest, MissingFileIsNotFound) {
  auto reader = IndexFileReader::FromFile(TempPath("does_not_exist.vqs"));
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
}

TEST(IndexFileTest, DuplicateSectionIsAnError) {
  IndexFileWriter writer;
  writer.AddString("spec", "a");
  writer.AddString("spec", "b");
  EXPECT_FALSE(writer.ToBytes().ok());
}

}  // namespace
}  // namespace vqsearch::internal
