// A vqs subcommand (build, search, info, tune, bench): its name, its help, the flags it
// takes and its body, and the two kinds of failure the tool tells apart: a usage error
// (a bad or missing flag: exit code 2) and any other error (a bad file, a failed build:
// exit code 1).

#ifndef VQSEARCH_TOOLS_VQS_COMMAND_H_
#define VQSEARCH_TOOLS_VQS_COMMAND_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace vqsearch::cli {

// A flag a command takes; `help` is what it means for this command (several commands
// share one flag, e.g. --out), its default is the flag's own.
struct FlagHelp {
  std::string name;
  std::string help;
};

struct Command {
  std::string name;
  std::string summary;      // one line, for `vqs --help`
  std::string description;  // synopsis and paragraphs, for `vqs <name> --help`
  std::vector<FlagHelp> flags;
  int max_positional = 0;  // arguments that are not flags (vqs info takes the index path)
  std::function<absl::Status(const std::vector<std::string>& positional)> run;
};

Command BuildCommand();
Command SearchCommand();
Command InfoCommand();
Command TuneCommand();
Command BenchCommand();

// An InvalidArgument status marked as a usage error (exit code 2).
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

}  // namespace vqsearch::cli

#endif  // VQSEARCH_TOOLS_VQS_COMMAND_H_
