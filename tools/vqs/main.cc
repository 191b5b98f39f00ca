// vqs: the vqsearch command-line tool. `vqs <command> --flags`, one file per command:
// build (train and fill an index from a vectors file), search (query it), info (what an
// index file holds), tune (the cheapest search parameters reaching a recall target) and
// bench (the recall/QPS benchmark with its plot).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "command.h"
#include "flag_parser.h"

namespace vqsearch::cli {
namespace {

constexpr int kUsageExit = 2;

std::vector<Command> Commands() {
  return {BuildCommand(), SearchCommand(), InfoCommand(), TuneCommand(), BenchCommand()};
}

std::string ToolHelp(const std::vector<Command>& commands) {
  std::string text =
      "vqs: build, query, inspect, tune and benchmark vqsearch indexes.\n\n"
      "Usage: vqs <command> [--flag=value ...]\n\nCommands:\n";
  for (const Command& command : commands) {
    absl::StrAppendFormat(&text, "  %-8s %s\n", command.name, command.summary);
  }
  absl::StrAppend(&text,
                  "\n`vqs <command> --help` lists a command's flags with their defaults.\n"
                  "Exit codes: 0 success, 1 error (bad file, failed build or search), 2 bad "
                  "flags or command.\n");
  return text;
}

int Main(int argc, char** argv) {
  const std::vector<Command> commands = Commands();
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    absl::FPrintF(stderr, "%s", ToolHelp(commands));
    return kUsageExit;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    if (args.size() > 1) {
      for (const Command& command : commands) {
        if (command.name == args[1]) {
          absl::PrintF("%s", CommandHelp(command));
          return 0;
        }
      }
    }
    absl::PrintF("%s", ToolHelp(commands));
    return 0;
  }
  if (args[0] == "--version") {
    absl::PrintF("vqs %s\n", VQS_VERSION);
    return 0;
  }
  for (const Command& command : commands) {
    if (command.name != args[0]) continue;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (WantsHelp(rest)) {
      absl::PrintF("%s", CommandHelp(command));
      return 0;
    }
    absl::StatusOr<std::vector<std::string>> positional = ParseCommandFlags(command, rest);
    absl::Status status = positional.ok() ? command.run(*positional) : positional.status();
    if (status.ok()) return 0;
    absl::FPrintF(stderr, "vqs %s: %s\n", command.name, status.message());
    return IsUsageError(status) ? kUsageExit : 1;
  }
  absl::FPrintF(stderr, "vqs: unknown command \"%s\": expected build, search, info, tune or bench; "
                        "see vqs --help\n", args[0]);
  return kUsageExit;
}

}  // namespace
}  // namespace vqsearch::cli

int main(int argc, char** argv) { return vqsearch::cli::Main(argc, argv); }
