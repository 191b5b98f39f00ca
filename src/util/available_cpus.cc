// Affinity mask and cgroup quota; see available_cpus.h.

#include "util/available_cpus.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace vqsearch::internal {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

int AffinityCpus() {
  // Masks beyond CPU_SETSIZE (1024 CPUs) need a dynamically sized set.
  for (int size = CPU_SETSIZE; size <= (1 << 16); size *= 2) {
    cpu_set_t* set = CPU_ALLOC(size);
    if (set == nullptr) break;
    const size_t bytes = CPU_ALLOC_SIZE(size);
    const int got = sched_getaffinity(0, bytes, set);
    const int count = got == 0 ? CPU_COUNT_S(bytes, set) : 0;
    CPU_FREE(set);
    if (got == 0) return count;
    if (errno != EINVAL) break;
  }
  return static_cast<int>(std::thread::hardware_concurrency());
}

// The smaller of two optional limits.
std::optional<double> Lower(std::optional<double> a, std::optional<double> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// cgroup v2: the group's own cpu.max and those of its ancestors up to the root.
std::optional<double> CgroupV2Limit(const std::string& root, absl::string_view group) {
  std::optional<double> limit;
  std::string path(absl::StripSuffix(group, "/"));
  while (true) {
    if (std::optional<std::string> max = ReadFile(root + path + "/cpu.max")) {
      limit = Lower(limit, ParseCgroupV2CpuMax(*max));
    }
    if (path.empty()) break;
    path.erase(path.rfind('/'));
  }
  return limit;
}

// cgroup v1: the cpu controller's directory for the group, or its mount root (inside a
// container the group is often mounted as the root itself).
std::optional<double> CgroupV1Limit(const std::string& root, absl::string_view group) {
  for (const char* controller : {"/cpu,cpuacct", "/cpu"}) {
    for (const std::string& dir : {root + controller + std::string(group), root + controller}) {
      std::optional<std::string> quota = ReadFile(dir + "/cpu.cfs_quota_us");
      std::optional<std::string> period = ReadFile(dir + "/cpu.cfs_period_us");
      if (quota && period) return ParseCgroupV1Quota(*quota, *period);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> ParseCgroupV2CpuMax(absl::string_view contents) {
  const std::vector<absl::string_view> fields =
      absl::StrSplit(absl::StripAsciiWhitespace(contents), ' ', absl::SkipEmpty());
  int64_t quota = 0, period = 0;
  if (fields.size() != 2 || !absl::SimpleAtoi(fields[0], &quota) ||
      !absl::SimpleAtoi(fields[1], &period) || quota <= 0 || period <= 0) {
    return std::nullopt;  // "max <period>", or a file we do not understand: no limit
  }
  return static_cast<double>(quota) / static_cast<double>(period);
}

std::optional<double> ParseCgroupV1Quota(absl::string_view quota_us, absl::string_view period_us) {
  int64_t quota = 0, period = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(quota_us), &quota) ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(period_us), &period) || quota <= 0 ||
      period <= 0) {
    return std::nullopt;  // -1: no quota
  }
  return static_cast<double>(quota) / static_cast<double>(period);
}

std::optional<double> CgroupCpuLimit(const std::string& cgroup_root,
                                     absl::string_view proc_self_cgroup) {
  std::optional<double> limit;
  // Lines are "<hierarchy>:<controllers>:<path>"; v2's is "0::<path>".
  for (absl::string_view line : absl::StrSplit(proc_self_cgroup, '\n', absl::SkipEmpty())) {
    const std::vector<absl::string_view> fields = absl::StrSplit(line, absl::MaxSplits(':', 2));
    if (fields.size() != 3) continue;
    if (fields[0] == "0" && fields[1].empty()) {
      limit = Lower(limit, CgroupV2Limit(cgroup_root, fields[2]));
      continue;
    }
    const std::vector<absl::string_view> controllers = absl::StrSplit(fields[1], ',');
    if (std::find(controllers.begin(), controllers.end(), "cpu") != controllers.end()) {
      limit = Lower(limit, CgroupV1Limit(cgroup_root, fields[2]));
    }
  }
  return limit;
}

int AvailableCpus() {
  int cpus = std::max(1, AffinityCpus());
  if (std::optional<std::string> self = ReadFile("/proc/self/cgroup")) {
    if (std::optional<double> quota = CgroupCpuLimit("/sys/fs/cgroup", *self)) {
      cpus = std::min(cpus, std::max(1, static_cast<int>(std::ceil(*quota))));
    }
  }
  return cpus;
}

}  // namespace vqsearch::internal
