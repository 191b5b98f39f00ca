// The main() every command-line tool in bench/ann shares: usage text, flag parsing,
// no positional arguments, and a failed status printed as "<tool>: <status>".

#ifndef VQSEARCH_BENCH_ANN_TOOL_MAIN_H_
#define VQSEARCH_BENCH_ANN_TOOL_MAIN_H_

#include <functional>

#include "absl/status/status.h"

namespace vqsearch::bench {

// Parses the flags, then runs `run` once. Returns the process exit code: 0 on success,
// 1 when `run` fails, 2 for a stray positional argument (every setting is a --flag).
int ToolMain(int argc, char** argv, const char* name, const char* usage,
             const std::function<absl::Status()>& run);

}  // namespace vqsearch::bench

#endif  // VQSEARCH_BENCH_ANN_TOOL_MAIN_H_
