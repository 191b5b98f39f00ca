// Damaged ann-benchmarks HDF5 files (tests/regressions/hdf5*, found by fuzzing the
// reader): each is an error naming the problem, never a crash, a huge allocation or
// a leak. Some declare shapes the file does not store; some make libhdf5 crash while
// converting the variable-length `distance` attribute (the reader probes the metadata
// in a child process, so the crash ends only the child); some are refused by libhdf5
// when opening (one asks malloc for petabytes, which fails cleanly) or when opening a
// dataset.

#include <hdf5.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vqsearch/dataset.h"

namespace vqsearch {
namespace {

using ::testing::HasSubstr;

struct DamagedFile {
  const char* name;
  absl::StatusCode code;
  const char* problem;  // part of the message
};

std::ostream& operator<<(std::ostream& out, const DamagedFile& file) { return out << file.name; }

class HostileHdf5Test : public ::testing::TestWithParam<DamagedFile> {};

TEST_P(HostileHdf5Test, ReadRefusesItNamingTheProblem) {
  const DamagedFile& file = GetParam();
  const std::string path = std::string(VQS_SOURCE_DIR) + "/tests/regressions/" + file.name;
  const auto dataset = ReadAnnHdf5(path);
  ASSERT_FALSE(dataset.ok()) << file.name << " was read";
  EXPECT_EQ(dataset.status().code(), file.code) << dataset.status();
  EXPECT_THAT(dataset.status().message(), HasSubstr(path));
  EXPECT_THAT(dataset.status().message(), HasSubstr(file.problem));
  // Every identifier opened on the way to the error was closed.
  EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kDataLoss = absl::StatusCode::kDataLoss;
// A signal (11) normally; an exit status under a sanitizer, which reports the fault itself.
constexpr char kVlenCrash[] = "is damaged: HDF5 crashed (";
constexpr char kOpenFailed[] = "HDF5 could not open the file";

INSTANTIATE_TEST_SUITE_P(
    Regressions, HostileHdf5Test,
    ::testing::Values(
        DamagedFile{"hdf5_huge_shape_min.h5", kInvalid, "has an impossible shape 38482906972180 x 4"},
        DamagedFile{"hdf5-fuzz_hdf5-crash-10a2fac656ee69fce3ae1191507b165275860084", kInvalid,
                    "has an impossible shape"},
        DamagedFile{"hdf5-fuzz_hdf5-crash-7ce72b33f705356484fdafd87dd5b570e0f43748", kInvalid,
                    "declares 1644167188 x 4 values of 4 bytes but the file stores 320 bytes"},
        DamagedFile{"hdf5_libhdf5_H5HG_read_segv_min.h5", kDataLoss,
                    "could not open dataset `distances`"},
        DamagedFile{"hdf5-fuzz_hdf5-crash-00800e3bf96ac563e112b0999a28040628ef8f96", kDataLoss,
                    kVlenCrash},
        DamagedFile{"hdf5-fuzz_hdf5-crash-805ad0437b8076dafb87dfdbcbea252b31ba21a3", kDataLoss,
                    kVlenCrash},
        DamagedFile{"hdf5-fuzz_hdf5-crash-bd6f4cf042db77e1d962c339b215f990ca238ec9", kDataLoss,
                    "could not open dataset `neighbors`"},
        DamagedFile{"hdf5-fuzz_hdf5-crash-cb8d8231827ea23d8a8a6e78b760a3f3f86f6456", kInvalid,
                    "declares 590078 x 2 values of 4 bytes but the file stores 24 bytes"},
        DamagedFile{"hdf5_libhdf5_H5C_protect_alloc_min.h5", kDataLoss, kOpenFailed},
        DamagedFile{"hdf5-fuzz_hdf5-crash-1ef39489d438b74d46699741cdf7e0459b444e3f", kDataLoss,
                    kOpenFailed},
        DamagedFile{"hdf5-fuzz_hdf5-crash-2d39dcd994d40aadf6d56ad2e3bdff42bf96587e", kDataLoss,
                    kOpenFailed},
        DamagedFile{"hdf5-fuzz_hdf5-crash-898dab46e086cce36b3e1601df61c887accc6069", kDataLoss,
                    kOpenFailed}),
    [](const ::testing::TestParamInfo<DamagedFile>& info) {
      std::string name;
      for (const char c : std::string(info.param.name).substr(0, 30)) {
        name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      }
      return name;
    });

TEST(HostileHdf5Test, PathWithNulIsRefusedBeforeOpening) {
  const auto dataset = ReadAnnHdf5(std::string("a.h5\0b", 6));
  ASSERT_FALSE(dataset.ok());
  EXPECT_EQ(dataset.status().code(), kInvalid);
  EXPECT_THAT(dataset.status().message(), HasSubstr("holds a NUL byte at position 4"));
}

}  // namespace
}  // namespace vqsearch
