// The main() every command-line tool in bench/ann shares: usage text, flag parsing,
// no positional arguments, and a failed status printed as "<tool>: <status>".

#ifndef VQSEARCH_BENCH_ANN_TOOL_MAIN_H_
#define VQSEARCH_BENCH_ANN_TOOL_MAIN_H_

#include <functional>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace vqsearch::bench {

// Parses the flags, then runs `run` once. Returns the process exit code: 0 on success,
// 1 when `run` fails, 2 for a stray positional argument (every setting is a --flag).
inline int ToolMain(int argc, char** argv, const char* name, const char* usage,
                    const std::function<absl::Status()>& run) {
  absl::SetProgramUsageMessage(usage);
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    absl::FPrintF(stderr, "%s: unexpected argument \"%s\": every setting is a --flag; see --help\n",
                  name, positional[1]);
    return 2;
  }
  const absl::Status status = run();
  if (!status.ok()) {
    absl::FPrintF(stderr, "%s: %s\n", name, status.ToString());
    return 1;
  }
  return 0;
}

}  // namespace vqsearch::bench

#endif  // VQSEARCH_BENCH_ANN_TOOL_MAIN_H_
