// How many CPUs this process may use: what "all cores" means for every vqsearch call.
// A process pinned by taskset or Docker's --cpuset-cpus, or limited by a cgroup CPU quota
// (Docker's --cpus, Kubernetes limits), would be oversubscribed by one thread per host
// core, so the count is the size of its affinity mask, lowered to the quota of its cgroup
// (rounded up: a quota of 1.5 CPUs still runs two threads usefully).

#ifndef VQSEARCH_UTIL_AVAILABLE_CPUS_H_
#define VQSEARCH_UTIL_AVAILABLE_CPUS_H_

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

namespace vqsearch::internal {

// The CPUs of the affinity mask, bounded by the cgroup quota under /sys/fs/cgroup; at
// least 1. Read again on every call (affinity can change while the process runs).
int AvailableCpus();

// The parts of AvailableCpus, separate so tests can give them fake files.
//
// CPUs allowed by the cgroup quota of the cgroup `proc_self_cgroup` names (the contents of
// /proc/self/cgroup), with cgroup file systems mounted at `cgroup_root`
// (/sys/fs/cgroup): cgroup v2's cpu.max of the process's group and of every ancestor, or
// cgroup v1's cpu.cfs_quota_us / cpu.cfs_period_us. nullopt when no quota applies.
std::optional<double> CgroupCpuLimit(const std::string& cgroup_root,
                                     absl::string_view proc_self_cgroup);
// CPUs a cgroup v2 cpu.max file ("<quota> <period>" or "max <period>") allows.
std::optional<double> ParseCgroupV2CpuMax(absl::string_view contents);
// CPUs a cgroup v1 quota (-1 = none) and period allow.
std::optional<double> ParseCgroupV1Quota(absl::string_view quota_us, absl::string_view period_us);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_UTIL_AVAILABLE_CPUS_H_
