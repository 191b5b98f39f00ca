// ToolMain; see tool_main.h.

#include "tool_main.h"

#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"

namespace vqsearch::bench {

int ToolMain(int argc, char** argv, const char* name, const char* usage,
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
