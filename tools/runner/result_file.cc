// The result file of the recall/QPS runner: CSV or JSON; see result_file.h.

#include "result_file.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace vqsearch::bench {
namespace internal {
namespace {

// A field is a string (quoted where the format needs it) or an already formatted number.
struct Field {
  std::string name;
  std::string value;
  bool is_string;
};

std::string FormatNumber(double value) {
  return std::isfinite(value) ? absl::StrFormat("%.6g", value) : std::string("nan");
}

std::vector<Field> Fields(const RunContext& context, const PointResult& point) {
  return {
      {"dataset", context.dataset, true},
      {"spec", point.spec, true},
      {"params", point.params, true},
      {"k", absl::StrCat(context.k), false},
      {"threads", absl::StrCat(point.threads), false},
      {"build_s", FormatNumber(point.train_seconds + point.add_seconds), false},
      {"train_s", FormatNumber(point.train_seconds), false},
      {"add_s", FormatNumber(point.add_seconds), false},
      {"bytes_per_vector", FormatNumber(point.bytes_per_vector), false},
      {"recall", FormatNumber(point.recall), false},
      {"qps_best", FormatNumber(point.qps_best), false},
      {"qps_median", FormatNumber(point.qps_median), false},
      {"cpu_per_wall", FormatNumber(point.cpu_per_wall), false},
      {"queries", absl::StrCat(context.num_queries), false},
      {"runs", absl::StrCat(context.runs), false},
      {"hostname", context.hostname, true},
      {"nproc", absl::StrCat(context.nproc), false},
      {"date", context.date, true},
  };
}

// RFC 4180: quote a field holding a comma, quote or line break; double inner quotes.
// Specs ("IVF1024,Flat") and parameter labels contain commas.
std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string JsonString(const std::string& value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

namespace {

std::string JsonNumber(const std::string& formatted) {
  // JSON has no NaN; a missing measurement becomes null.
  return formatted == "nan" ? std::string("null") : formatted;
}

std::string FormatCsv(const RunContext& context, const std::vector<PointResult>& points) {
  std::string text;
  std::vector<std::string> cells;
  for (const Field& field : Fields(context, PointResult{})) cells.push_back(field.name);
  absl::StrAppend(&text, absl::StrJoin(cells, ","), "\n");
  for (const PointResult& point : points) {
    cells.clear();
    for (const Field& field : Fields(context, point)) cells.push_back(CsvField(field.value));
    absl::StrAppend(&text, absl::StrJoin(cells, ","), "\n");
  }
  return text;
}

std::string FormatJson(const RunContext& context, const std::vector<PointResult>& points) {
  std::vector<std::string> objects;
  for (const PointResult& point : points) {
    std::vector<std::string> members;
    for (const Field& field : Fields(context, point)) {
      members.push_back(
          absl::StrCat(JsonString(field.name), ": ",
                       field.is_string ? JsonString(field.value) : JsonNumber(field.value)));
    }
    objects.push_back(absl::StrCat("  {", absl::StrJoin(members, ", "), "}"));
  }
  return absl::StrCat("[\n", absl::StrJoin(objects, ",\n"), "\n]\n");
}

}  // namespace
}  // namespace internal

absl::Status CheckWritable(const std::string& path) {
  const std::string temp_path = path + ".tmp";
  std::ofstream probe(temp_path, std::ios::binary | std::ios::trunc);
  if (!probe) {
    return absl::UnavailableError(
        absl::StrCat("cannot write results to \"", path, "\": ", std::strerror(errno)));
  }
  probe.close();
  std::remove(temp_path.c_str());
  return absl::OkStatus();
}

absl::Status WriteResultFile(const std::string& path, const RunContext& context,
                             const std::vector<PointResult>& points) {
  const std::string text = absl::EndsWithIgnoreCase(path, ".json")
                               ? internal::FormatJson(context, points)
                               : internal::FormatCsv(context, points);
  const std::string temp_path = path + ".tmp";
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      const std::string reason = std::strerror(errno);
      std::remove(temp_path.c_str());
      return absl::UnavailableError(
          absl::StrCat("cannot write results to \"", path, "\": ", reason));
    }
  }
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temp_path.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot rename \"", temp_path, "\" to \"", path, "\": ", reason));
  }
  return absl::OkStatus();
}

}  // namespace vqsearch::bench
