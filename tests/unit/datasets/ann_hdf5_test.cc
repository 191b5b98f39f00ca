// Tests for ReadAnnHdf5 / WriteAnnHdf5: bit-exact round trips, the tolerated variants
// (float64 vectors, int64 ids, no ground truth) and the errors for malformed files.
// Malformed files are made with the HDF5 C API directly, since the writer refuses them.

#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vqsearch/dataset.h"

namespace vqsearch {
namespace {

using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("VQS_TEST_TMPDIR");
  std::filesystem::path base = dir != nullptr && *dir != '\0' ? dir : ::testing::TempDir();
  std::filesystem::create_directories(base);
  return (base / ("ann_hdf5_test_" + name)).string();
}

// Values chosen to catch any rounding or reordering: non-representable decimals, a
// denormal, negative zero, extremes.
AnnDataset SmallDataset() {
  AnnDataset dataset;
  dataset.distance = "euclidean";
  dataset.dim = 3;
  dataset.train = {0.1f, -2.5f, 3.0e7f, 1e-40f, -0.0f, 7.0f, 0.3333333f, 8.0f, -9.5f,
                   std::numeric_limits<float>::max(), 0.0f, -1.0f};
  dataset.test = {1.0f, 2.0f, 3.0f, -4.25f, 5.5f, 0.7f};
  dataset.gt_k = 2;
  dataset.neighbors = {3, 0, 1, 2};
  dataset.distances = {0.123456789f, 2.5f, 1e-3f, 1e30f};
  return dataset;
}

template <typename T>
void ExpectBitEqual(const std::vector<T>& actual, const std::vector<T>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    uint32_t a, e;
    static_assert(sizeof(T) == sizeof(uint32_t));
    std::memcpy(&a, &actual[i], sizeof(a));
    std::memcpy(&e, &expected[i], sizeof(e));
    EXPECT_EQ(a, e) << "element " << i;
  }
}

TEST(AnnHdf5Test, RoundTripIsBitExact) {
  const std::string path = TempPath("round_trip.hdf5");
  const AnnDataset written = SmallDataset();
  ASSERT_TRUE(WriteAnnHdf5(path, written).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->distance, "euclidean");
  EXPECT_EQ(read->dim, 3);
  EXPECT_EQ(read->num_train(), 4);
  EXPECT_EQ(read->num_test(), 2);
  EXPECT_EQ(read->gt_k, 2);
  ExpectBitEqual(read->train, written.train);
  ExpectBitEqual(read->test, written.test);
  ExpectBitEqual(read->distances, written.distances);
  EXPECT_EQ(read->neighbors, written.neighbors);
}

TEST(AnnHdf5Test, RoundTripWithoutGroundTruth) {
  const std::string path = TempPath("no_ground_truth.hdf5");
  AnnDataset written = SmallDataset();
  written.distance = "angular";
  written.gt_k = 0;
  written.neighbors.clear();
  written.distances.clear();
  ASSERT_TRUE(WriteAnnHdf5(path, written).ok());

  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->distance, "angular");
  EXPECT_EQ(read->gt_k, 0);
  EXPECT_TRUE(read->neighbors.empty());
  EXPECT_TRUE(read->distances.empty());
  ExpectBitEqual(read->train, written.train);
}

TEST(AnnHdf5Test, WriteReplacesAnExistingFile) {
  const std::string path = TempPath("replace.hdf5");
  AnnDataset first = SmallDataset();
  first.gt_k = 0;
  first.neighbors.clear();
  first.distances.clear();
  ASSERT_TRUE(WriteAnnHdf5(path, first).ok());
  ASSERT_TRUE(WriteAnnHdf5(path, SmallDataset()).ok());
  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->gt_k, 2);
}

TEST(AnnHdf5Test, WriteRejectsInconsistentDatasets) {
  const std::string path = TempPath("rejected.hdf5");
  AnnDataset bad_ids = SmallDataset();
  bad_ids.neighbors[1] = 4;  // only 4 train vectors
  EXPECT_EQ(WriteAnnHdf5(path, bad_ids).code(), absl::StatusCode::kInvalidArgument);

  AnnDataset ragged = SmallDataset();
  ragged.train.pop_back();
  EXPECT_EQ(WriteAnnHdf5(path, ragged).code(), absl::StatusCode::kInvalidArgument);

  AnnDataset short_truth = SmallDataset();
  short_truth.distances.pop_back();
  EXPECT_EQ(WriteAnnHdf5(path, short_truth).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(AnnHdf5Test, MissingFileIsNotFound) {
  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(TempPath("does_not_exist.hdf5"));
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(read.status().message(), HasSubstr("does_not_exist.hdf5"));
}

TEST(AnnHdf5Test, FileThatIsNotHdf5) {
  const std::string path = TempPath("not_hdf5.hdf5");
  std::ofstream(path) << "train,test\n1,2\n";
  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("not an HDF5 file"));
}

// Builds HDF5 files of arbitrary (also malformed) ann-benchmarks shape.
class RawFile {
 public:
  explicit RawFile(const std::string& path)
      : file_(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) {}
  ~RawFile() { H5Fclose(file_); }

  template <typename T>
  void AddMatrix(const char* name, hid_t type, const std::vector<T>& values,
                 std::vector<hsize_t> dims) {
    const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    const hid_t dataset =
        H5Dcreate2(file_, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    H5Dclose(dataset);
    H5Sclose(space);
  }

  // A fixed-length, NUL-padded string, the form some older writers used.
  void AddFixedDistance(const std::string& value) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.size() + 3);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate2(file_, "distance", type, space, H5P_DEFAULT, H5P_DEFAULT);
    std::string padded = value + std::string(3, '\0');
    ASSERT_GE(H5Awrite(attribute, type, padded.data()), 0);
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
  }

 private:
  hid_t file_;
};

const std::vector<float> kTrain = {0, 1, 2, 3, 4, 5};  // 3 x 2
const std::vector<float> kTest = {6, 7};               // 1 x 2

TEST(AnnHdf5Test, AcceptsFloat64VectorsInt64IdsAndFixedStrings) {
  const std::string path = TempPath("wide_types.hdf5");
  {
    RawFile file(path);
    file.AddMatrix("train", H5T_NATIVE_DOUBLE, std::vector<double>{0.1, 1, 2, 3, 4, 5}, {3, 2});
    file.AddMatrix("test", H5T_NATIVE_DOUBLE, std::vector<double>{6, 7.25}, {1, 2});
    file.AddMatrix("neighbors", H5T_NATIVE_INT64, std::vector<int64_t>{2, 0}, {1, 2});
    file.AddMatrix("distances", H5T_NATIVE_FLOAT, std::vector<float>{1.5f, 2.5f}, {1, 2});
    file.AddFixedDistance("angular");
  }
  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->distance, "angular");
  EXPECT_EQ(read->train, (std::vector<float>{0.1f, 1, 2, 3, 4, 5}));
  EXPECT_EQ(read->test, (std::vector<float>{6, 7.25f}));
  EXPECT_EQ(read->neighbors, (std::vector<int32_t>{2, 0}));
  EXPECT_EQ(read->distances, (std::vector<float>{1.5f, 2.5f}));
}

TEST(AnnHdf5Test, MissingTestIsAnError) {
  const std::string path = TempPath("missing_test.hdf5");
  {
    RawFile file(path);
    file.AddMatrix("train", H5T_NATIVE_FLOAT, kTrain, {3, 2});
    file.AddFixedDistance("euclidean");
  }
  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("`test`"));
}

TEST(AnnHdf5Test, DimensionMismatchIsAnError) {
  const std::string path = TempPath("dim_mismatch.hdf5");
  {
    RawFile file(path);
    file.AddMatrix("train", H5T_NATIVE_FLOAT, kTrain, {2, 3});
    file.AddMatrix("test", H5T_NATIVE_FLOAT, kTest, {1, 2});
    file.AddFixedDistance("euclidean");
  }
  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("dimension 3"));
}

TEST(AnnHdf5Test, WrongRankIsAnError) {
  const std::string path = TempPath("wrong_rank.hdf5");
  {
    RawFile file(path);
    file.AddMatrix("train", H5T_NATIVE_FLOAT, kTrain, {6});
    file.AddMatrix("test", H5T_NATIVE_FLOAT, kTest, {1, 2});
    file.AddFixedDistance("euclidean");
  }
  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("rank 1"));
}

TEST(AnnHdf5Test, NeighborsAndDistancesShapesMustMatch) {
  const std::string path = TempPath("gt_shape.hdf5");
  {
    RawFile file(path);
    file.AddMatrix("train", H5T_NATIVE_FLOAT, kTrain, {3, 2});
    file.AddMatrix("test", H5T_NATIVE_FLOAT, kTest, {1, 2});
    file.AddMatrix("neighbors", H5T_NATIVE_INT32, std::vector<int32_t>{0, 1}, {1, 2});
    file.AddMatrix("distances", H5T_NATIVE_FLOAT, std::vector<float>{1}, {1, 1});
    file.AddFixedDistance("euclidean");
  }
  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("must match"));
}

TEST(AnnHdf5Test, NeighborIdsOutOfRangeAreAnError) {
  for (const int64_t bad_id : {int64_t{3}, int64_t{-1}, int64_t{1} << 40}) {
    const std::string path = TempPath("bad_id.hdf5");
    {
      RawFile file(path);
      file.AddMatrix("train", H5T_NATIVE_FLOAT, kTrain, {3, 2});
      file.AddMatrix("test", H5T_NATIVE_FLOAT, kTest, {1, 2});
      file.AddMatrix("neighbors", H5T_NATIVE_INT64, std::vector<int64_t>{0, bad_id}, {1, 2});
      file.AddMatrix("distances", H5T_NATIVE_FLOAT, std::vector<float>{1, 2}, {1, 2});
      file.AddFixedDistance("euclidean");
    }
    const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << bad_id;
    EXPECT_THAT(read.status().message(), HasSubstr("outside the train ids [0, 3)"));
  }
}

TEST(AnnHdf5Test, MissingDistanceAttributeIsAnError) {
  const std::string path = TempPath("no_attribute.hdf5");
  {
    RawFile file(path);
    file.AddMatrix("train", H5T_NATIVE_FLOAT, kTrain, {3, 2});
    file.AddMatrix("test", H5T_NATIVE_FLOAT, kTest, {1, 2});
  }
  const absl::StatusOr<AnnDataset> read = ReadAnnHdf5(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("`distance`"));
}

}  // namespace
}  // namespace vqsearch
