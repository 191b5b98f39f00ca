// The CPU count: cgroup v2 and v1 quota files (fake trees under a temporary directory,
// ancestors included), the affinity mask bound, and the process default of threads.h.

#include "util/available_cpus.h"

#include <sched.h>


#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "vqsearch/threads.h"

namespace vqsearch::internal {
namespace {

namespace fs = std::filesystem;

// A fresh directory for one test's fake cgroup tree.
fs::path FakeRoot(const std::string& name) {
  const char* tmp = std::getenv("VQS_TEST_TMPDIR");
  const fs::path root = fs::path(tmp != nullptr ? tmp : "/tmp") / ("cgroup_" + name);
  fs::remove_all(root);
  fs::create_directories(root);
  return root;
}

void Write(const fs::path& path, const std::string& contents) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << contents;
}

TEST(AvailableCpusTest, ParsesCgroupV2CpuMax) {
  EXPECT_EQ(ParseCgroupV2CpuMax("max 100000\n"), std::nullopt);
  EXPECT_DOUBLE_EQ(*ParseCgroupV2CpuMax("150000 100000\n"), 1.5);
  EXPECT_DOUBLE_EQ(*ParseCgroupV2CpuMax("400000 100000"), 4.0);
  EXPECT_EQ(ParseCgroupV2CpuMax("garbage"), std::nullopt);
  EXPECT_EQ(ParseCgroupV2CpuMax(""), std::nullopt);
}

TEST(AvailableCpusTest, ParsesCgroupV1Quota) {
  EXPECT_EQ(ParseCgroupV1Quota("-1\n", "100000\n"), std::nullopt);
  EXPECT_DOUBLE_EQ(*ParseCgroupV1Quota("200000\n", "100000\n"), 2.0);
  EXPECT_EQ(ParseCgroupV1Quota("50000", "0"), std::nullopt);
}

TEST(AvailableCpusTest, CgroupV2TakesTheLowestQuotaOfTheGroupAndItsAncestors) {
  const fs::path root = FakeRoot("v2");
  Write(root / "cpu.max", "max 100000\n");
  Write(root / "kubepods" / "cpu.max", "300000 100000\n");
  Write(root / "kubepods" / "pod1" / "cpu.max", "max 100000\n");
  EXPECT_DOUBLE_EQ(*CgroupCpuLimit(root.string(), "0::/kubepods/pod1\n"), 3.0);
  Write(root / "kubepods" / "pod1" / "cpu.max", "120000 100000\n");
  EXPECT_DOUBLE_EQ(*CgroupCpuLimit(root.string(), "0::/kubepods/pod1\n"), 1.2);
  EXPECT_EQ(CgroupCpuLimit(root.string(), "0::/\n"), std::nullopt);
}

TEST(AvailableCpusTest, CgroupV1ReadsTheCpuControllerOfTheGroup) {
  const fs::path root = FakeRoot("v1");
  Write(root / "cpu,cpuacct" / "docker" / "abc" / "cpu.cfs_quota_us", "250000\n");
  Write(root / "cpu,cpuacct" / "docker" / "abc" / "cpu.cfs_period_us", "100000\n");
  const std::string self = "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/\n";
  EXPECT_DOUBLE_EQ(*CgroupCpuLimit(root.string(), self), 2.5);
  // Inside a container the group is mounted as the controller's root.
  const fs::path inside = FakeRoot("v1_container");
  Write(inside / "cpu" / "cpu.cfs_quota_us", "100000\n");
  Write(inside / "cpu" / "cpu.cfs_period_us", "100000\n");
  EXPECT_DOUBLE_EQ(*CgroupCpuLimit(inside.string(), "3:cpu:/docker/abc\n"), 1.0);
  EXPECT_EQ(CgroupCpuLimit(inside.string(), "3:memory:/docker/abc\n"), std::nullopt);
}

TEST(AvailableCpusTest, NeverMoreThanTheAffinityMask) {
  cpu_set_t set;
  ASSERT_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
  EXPECT_GE(AvailableCpus(), 1);
  EXPECT_LE(AvailableCpus(), CPU_COUNT(&set));
  EXPECT_EQ(AvailableCpuCount(), AvailableCpus());
}

TEST(NumThreadsTest, SetNumThreadsSetsTheDefaultAndZeroRestoresIt) {
  const int automatic = NumThreads();
  EXPECT_GE(automatic, 1);
  ASSERT_TRUE(SetNumThreads(3).ok());
  EXPECT_EQ(NumThreads(), 3);
  EXPECT_EQ(SetNumThreads(-1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NumThreads(), 3);
  ASSERT_TRUE(SetNumThreads(0).ok());
  EXPECT_EQ(NumThreads(), automatic);
}

}  // namespace
}  // namespace vqsearch::internal
