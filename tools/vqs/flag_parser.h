// Parses a command's arguments into the Abseil flags it takes (flags.h), and prints its
// --help. Abseil's own parser exits on an unknown flag and knows nothing of subcommands,
// so vqs parses itself, through Abseil's flag reflection: each value is parsed by the
// flag's own type, so `--k=ten` fails as Abseil would fail it, but with exit code 2 and a
// message naming the command.

#ifndef VQSEARCH_TOOLS_VQS_FLAG_PARSER_H_
#define VQSEARCH_TOOLS_VQS_FLAG_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "command.h"

namespace vqsearch::cli {

// `args` are what follows the command name. Accepts --name=value, --name value, and for
// booleans --name, --noname and --name=true|false; a lone "--" ends the flags. Returns
// the positional arguments; a usage error (command.h) for an unknown flag, one the
// command does not take, a missing or unparsable value, or too many positional arguments.
absl::StatusOr<std::vector<std::string>> ParseCommandFlags(const Command& command,
                                                           const std::vector<std::string>& args);

// Whether `args` ask for help (--help, -h, --helpfull).
bool WantsHelp(const std::vector<std::string>& args);

// The command's --help: its description, then each flag with its meaning and default.
std::string CommandHelp(const Command& command);

}  // namespace vqsearch::cli

#endif  // VQSEARCH_TOOLS_VQS_FLAG_PARSER_H_
