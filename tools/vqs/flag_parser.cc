#include "flag_parser.h"

#include <algorithm>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace vqsearch::cli {
namespace {

bool Takes(const Command& command, absl::string_view name) {
  return std::any_of(command.flags.begin(), command.flags.end(),
                     [&](const FlagHelp& flag) { return flag.name == name; });
}

absl::Status NotTaken(const Command& command, absl::string_view name) {
  if (absl::FindCommandLineFlag(name) != nullptr) {
    return UsageError(
        absl::StrCat("--", name, " does not apply to vqs ", command.name, "; see vqs ",
                     command.name, " --help"));
  }
  return UsageError(absl::StrCat("unknown flag --", name, "; see vqs ", command.name, " --help"));
}

}  // namespace

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h" || arg == "-help" || arg == "--helpfull") return true;
  }
  return false;
}

absl::StatusOr<std::vector<std::string>> ParseCommandFlags(const Command& command,
                                                           const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--") {
      positional.insert(positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional.emplace_back(arg);
      continue;
    }
    arg.remove_prefix(arg[1] == '-' ? 2 : 1);
    const size_t equals = arg.find('=');
    std::string name(arg.substr(0, equals));
    std::string value;
    bool has_value = equals != absl::string_view::npos;
    if (has_value) value = std::string(arg.substr(equals + 1));

    absl::CommandLineFlag* flag = Takes(command, name) ? absl::FindCommandLineFlag(name) : nullptr;
    // --noquiet: a boolean flag set to false.
    if (flag == nullptr && !has_value && absl::StartsWith(name, "no") &&
        Takes(command, name.substr(2))) {
      absl::CommandLineFlag* negated = absl::FindCommandLineFlag(name.substr(2));
      if (negated != nullptr && negated->IsOfType<bool>()) {
        flag = negated;
        name = name.substr(2);
        value = "false";
        has_value = true;
      }
    }
    if (flag == nullptr) return NotTaken(command, name);
    if (!has_value) {
      if (flag->IsOfType<bool>()) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return UsageError(absl::StrCat("--", name, " needs a value; see vqs ", command.name,
                                       " --help"));
      }
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return UsageError(absl::StrCat("--", name, "=", value, ": ", error));
    }
  }
  if (static_cast<int>(positional.size()) > command.max_positional) {
    return UsageError(absl::StrCat(
        "unexpected argument \"", positional[command.max_positional], "\": vqs ", command.name,
        command.max_positional == 0 ? " takes only --flags" : " takes one path and --flags",
        "; see vqs ", command.name, " --help"));
  }
  return positional;
}

std::string CommandHelp(const Command& command) {
  std::string text = absl::StrCat(command.description, "\n\nFlags:\n");
  for (const FlagHelp& help : command.flags) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(help.name);
    std::string default_value = flag != nullptr ? flag->DefaultValue() : "";
    if (default_value.empty()) default_value = "\"\"";
    absl::StrAppendFormat(&text, "  --%s (default: %s)\n      %s\n", help.name, default_value,
                          help.help.empty() && flag != nullptr ? flag->Help() : help.help);
  }
  absl::StrAppend(&text, "\nExit codes: 0 success, 1 error (bad file, failed build or search), "
                         "2 bad flags.\n");
  return text;
}

}  // namespace vqsearch::cli
