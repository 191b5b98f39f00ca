// Parsing and applying the runner's search-parameter grids; see param_grid.h.

#include "param_grid.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace vqsearch::bench {

absl::Status ApplyParamPoint(const ParamPoint& point, SearchParams* params) {
  for (const auto& [name, value] : point) {
    absl::Status status = SetSearchParam(name, value, params);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

std::string ParamPointLabel(const ParamPoint& point) {
  return absl::StrJoin(point, ",", [](std::string* out, const std::pair<std::string, int>& p) {
    absl::StrAppend(out, p.first, "=", p.second);
  });
}

absl::StatusOr<std::vector<ParamPoint>> ParseParamGrid(absl::string_view text) {
  std::vector<ParamPoint> points(1);
  std::vector<std::string> seen_names;
  for (absl::string_view entry : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    const size_t equals = entry.find('=');
    if (equals == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("search parameter grid entry \"", entry,
                                                     "\" has no '=': expected name=v1,v2,..."));
    }
    const std::string name(absl::StripAsciiWhitespace(entry.substr(0, equals)));
    if (name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("search parameter grid entry \"", entry, "\" has no name before '='"));
    }
    for (const std::string& other : seen_names) {
      if (other == name) {
        return absl::InvalidArgumentError(absl::StrCat(
            "search parameter \"", name, "\" appears twice in the grid: list all its values once"));
      }
    }
    seen_names.push_back(name);

    std::vector<int> values;
    for (absl::string_view token : absl::StrSplit(entry.substr(equals + 1), ',')) {
      token = absl::StripAsciiWhitespace(token);
      int value = 0;
      if (!absl::SimpleAtoi(token, &value)) {
        return absl::InvalidArgumentError(
            absl::StrCat("search parameter ", name, ": \"", token, "\" is not an integer"));
      }
      // Checks the name and the range now rather than after the indexes are built.
      SearchParams scratch;
      absl::Status status = SetSearchParam(name, value, &scratch);
      if (!status.ok()) return status;
      values.push_back(value);
    }

    std::vector<ParamPoint> expanded;
    expanded.reserve(points.size() * values.size());
    for (const ParamPoint& point : points) {
      for (int value : values) {
        ParamPoint next = point;
        next.emplace_back(name, value);
        expanded.push_back(std::move(next));
      }
    }
    points = std::move(expanded);
  }
  return points;
}

}  // namespace vqsearch::bench
