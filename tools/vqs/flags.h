// Every flag of vqs, declared once: Abseil flags are process-wide, and several commands
// share a flag (--index, --k, --threads, --out, ...). Each command lists the ones it takes
// (command.h) and says what each means for it; the parser refuses the others.

#ifndef VQSEARCH_TOOLS_VQS_FLAGS_H_
#define VQSEARCH_TOOLS_VQS_FLAGS_H_

#include <cstdint>
#include <string>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, spec);
ABSL_DECLARE_FLAG(std::string, data);
ABSL_DECLARE_FLAG(std::string, metric);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(std::string, index);
ABSL_DECLARE_FLAG(std::string, queries);
ABSL_DECLARE_FLAG(std::string, ground_truth);
ABSL_DECLARE_FLAG(std::string, dataset);
ABSL_DECLARE_FLAG(std::string, specs);
ABSL_DECLARE_FLAG(std::string, params);
ABSL_DECLARE_FLAG(std::string, plot);
ABSL_DECLARE_FLAG(std::string, baselines);
ABSL_DECLARE_FLAG(int, k);
ABSL_DECLARE_FLAG(int, threads);
ABSL_DECLARE_FLAG(int, build_threads);
ABSL_DECLARE_FLAG(int, nprobe);
ABSL_DECLARE_FLAG(int, refine_factor);
ABSL_DECLARE_FLAG(int, runs);
ABSL_DECLARE_FLAG(int, max_refine_factor);
ABSL_DECLARE_FLAG(int64_t, max_queries);
ABSL_DECLARE_FLAG(double, target_recall);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(bool, quiet);

#endif  // VQSEARCH_TOOLS_VQS_FLAGS_H_
