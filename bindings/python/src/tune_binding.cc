#include "tune_binding.h"

#include <string>

namespace py = pybind11;

namespace vqsearch::python {
namespace {

py::dict PointToDict(const TunePoint& point) {
  py::dict params;
  for (const auto& [name, value] : point.params) params[py::str(name)] = value;
  py::dict out;
  out["params"] = std::move(params);
  out["recall"] = point.recall;
  out["qps"] = point.qps;
  return out;
}

py::list PointsToList(const std::vector<TunePoint>& points) {
  py::list out;
  for (const TunePoint& point : points) out.append(PointToDict(point));
  return out;
}

}  // namespace

TuneArguments ToTuneArguments(const py::handle& queries, const py::handle& database,
                              const py::handle& ground_truth, const py::handle& database_ids,
                              int num_threads, int runs, int max_refine_factor) {
  TuneArguments arguments;
  arguments.queries = ToMatrix(queries, "queries");
  arguments.options.num_threads = num_threads;
  arguments.options.runs = runs;
  arguments.options.max_refine_factor = max_refine_factor;
  if (!database.is_none()) {
    arguments.database = ToMatrix(database, "database");
    arguments.options.database = arguments.database.view;
  }
  if (!ground_truth.is_none()) {
    arguments.ground_truth = ToIntegers<int64_t>(ground_truth, "ground_truth", 2);
    arguments.options.ground_truth = absl::Span<const int64_t>(
        arguments.ground_truth.data(), static_cast<size_t>(arguments.ground_truth.size()));
    arguments.options.ground_truth_k = static_cast<int>(arguments.ground_truth.shape(1));
  }
  if (!database_ids.is_none()) {
    arguments.database_ids = ToIntegers<int64_t>(database_ids, "database_ids", 1);
    arguments.options.database_ids = absl::Span<const int64_t>(
        arguments.database_ids.data(), static_cast<size_t>(arguments.database_ids.size()));
  }
  return arguments;
}

py::dict TuneResultToDict(const TuneResult& result) {
  py::dict out = PointToDict(result.best);
  out["target_reached"] = result.target_reached;
  out["pareto"] = PointsToList(result.pareto);
  out["explored"] = PointsToList(result.explored);
  return out;
}

}  // namespace vqsearch::python
