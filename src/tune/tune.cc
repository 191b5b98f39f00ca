// Tune (vqsearch/tune.h): the walk over an index's search parameters. Recall is assumed
// to grow, and QPS to fall, with each parameter; the walk relies on that only to choose
// what to measure next, and returns only points it measured, so a non-monotone index
// costs extra measurements, never a wrong answer about the sample.

#include "vqsearch/tune.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tune/pareto.h"
#include "tune/exact_neighbors.h"
#include "util/status_macros.h"

namespace vqsearch {
namespace {

using internal::ExactNeighbors;

// A parameter the walk varies, with the values it may take.
struct Dimension {
  std::string name;
  int min_value;
  int max_value;
};

// Doublings of the primary parameter without any gain in recall after which the walk
// stops raising it: the index has nothing left to find there.
constexpr int kPlateauSteps = 2;
// Secondary-grid steps whose best QPS fell behind the best so far before the walk stops.
constexpr int kDecliningSteps = 2;
// Queries of the untimed search that pays the first search's one-time costs.
constexpr int64_t kWarmUpQueries = 100;

// 1, 2, 3, 4, 6, 8, 12, 16, ...: powers of two and the points halfway between them on a
// log scale, within [min_value, max_value].
std::vector<int> GeometricGrid(const Dimension& dimension) {
  std::vector<int> grid;
  for (int64_t power = 1; power <= dimension.max_value; power *= 2) {
    for (int64_t value : {power, power * 3 / 2}) {
      if (value >= dimension.min_value && value <= dimension.max_value &&
          (grid.empty() || value > grid.back())) {
        grid.push_back(static_cast<int>(value));
      }
    }
  }
  return grid;
}

// The parameters the walk varies: the primary (nprobe when the index takes it) first,
// then at most one secondary. num_threads is a resource, not a quality setting, and
// refine_factor 0 only means "the default", so both stay out.
std::vector<Dimension> TunedDimensions(const Index& index, const TuneOptions& options) {
  std::vector<Dimension> dimensions;
  for (const SearchParamInfo& info : index.search_params()) {
    if (info.name == "num_threads") continue;
    Dimension dimension{std::string(info.name), info.min_value, info.max_value};
    if (info.name == "refine_factor") {
      dimension.min_value = std::max(dimension.min_value, 1);
      dimension.max_value = std::min(dimension.max_value, options.max_refine_factor);
    }
    if (dimension.min_value > dimension.max_value) continue;
    if (info.name == "nprobe") {
      dimensions.insert(dimensions.begin(), std::move(dimension));
    } else {
      dimensions.push_back(std::move(dimension));
    }
  }
  if (dimensions.size() > 2) dimensions.resize(2);
  return dimensions;
}

class Walk {
 public:
  Walk(const Index& index, MatrixView queries, int k, double target, const TuneOptions& options,
       const ExactNeighbors& exact, std::vector<Dimension> dimensions)
      : index_(index),
        queries_(queries),
        k_(k),
        target_(target),
        options_(options),
        exact_(exact),
        dimensions_(std::move(dimensions)) {}

  absl::Status Run() {
    VQS_RETURN_IF_ERROR(WarmUp());
    if (dimensions_.empty()) return Measure({}).status();
    const Dimension& primary = dimensions_[0];
    if (dimensions_.size() == 1) return Smallest({}, primary.max_value).status();

    int upper = primary.max_value;
    double best_qps = -1;
    int declines = 0;
    for (int secondary : GeometricGrid(dimensions_[1])) {
      VQS_ASSIGN_OR_RETURN(const std::optional<int> smallest, Smallest({secondary}, upper));
      // This depth of re-ranking cannot reach the target; a deeper one may.
      if (!smallest.has_value()) continue;
      // More re-ranking never needs more lists: the next step searches below this one.
      upper = *smallest;
      VQS_ASSIGN_OR_RETURN(const TunePoint* point, Measure({*smallest, secondary}));
      if (point->qps > best_qps) {
        best_qps = point->qps;
        declines = 0;
      } else if (++declines >= kDecliningSteps) {
        break;
      }
      // The primary cannot go lower: more re-ranking would only cost more.
      if (*smallest == primary.min_value) break;
    }
    return absl::OkStatus();
  }

  std::vector<TunePoint> TakeExplored() { return std::move(explored_); }

 private:
  absl::Status WarmUp() {
    SearchParams params;
    params.num_threads = options_.num_threads;
    SearchResults results;
    return index_.Search(queries_.Slice(0, std::min(queries_.rows, kWarmUpQueries)), k_, params,
                         &results);
  }

  // The smallest primary value in [min, upper] that reaches the target with the other
  // parameters at `rest`: doubling until a value reaches it, then bisection between the
  // last value that failed and the first that passed. None when the target is out of
  // reach (at `upper`, or once recall stops rising).
  absl::StatusOr<std::optional<int>> Smallest(const std::vector<int>& rest, int upper) {
    const Dimension& primary = dimensions_[0];
    std::optional<int> failed;
    std::optional<int> passed;
    double previous_recall = -1;
    int flat_steps = 0;
    for (int64_t value = primary.min_value;;) {
      VQS_ASSIGN_OR_RETURN(const TunePoint* point, Measure(With(static_cast<int>(value), rest)));
      if (point->recall >= target_) {
        passed = static_cast<int>(value);
        break;
      }
      failed = static_cast<int>(value);
      if (value >= upper) return std::optional<int>();
      flat_steps = point->recall > previous_recall ? 0 : flat_steps + 1;
      if (flat_steps >= kPlateauSteps) return std::optional<int>();
      previous_recall = point->recall;
      value = std::min<int64_t>(upper, std::max<int64_t>(value * 2, value + 1));
    }
    while (failed.has_value() && *passed - *failed > 1) {
      const int middle = *failed + (*passed - *failed) / 2;
      VQS_ASSIGN_OR_RETURN(const TunePoint* point, Measure(With(middle, rest)));
      if (point->recall >= target_) {
        passed = middle;
      } else {
        failed = middle;
      }
    }
    return passed;
  }

  static std::vector<int> With(int primary, const std::vector<int>& rest) {
    std::vector<int> values = {primary};
    values.insert(values.end(), rest.begin(), rest.end());
    return values;
  }

  // Measures the point whose tuned parameters take `values` (in dimensions_ order), once.
  absl::StatusOr<const TunePoint*> Measure(const std::vector<int>& values) {
    const auto known = measured_.find(values);
    if (known != measured_.end()) return &explored_[known->second];
    TunePoint point;
    SearchParams params;
    params.num_threads = options_.num_threads;
    for (size_t i = 0; i < values.size(); ++i) {
      point.params.emplace_back(dimensions_[i].name, values[i]);
      VQS_RETURN_IF_ERROR(SetSearchParam(dimensions_[i].name, values[i], &params));
    }
    SearchResults results;
    for (int run = 0; run < options_.runs; ++run) {
      const auto start = std::chrono::steady_clock::now();
      VQS_RETURN_IF_ERROR(index_.Search(queries_, k_, params, &results));
      const double seconds = std::max(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1e-9);
      point.qps = std::max(point.qps, static_cast<double>(queries_.rows) / seconds);
      // Every run returns the same neighbours; the first one is scored.
      if (run == 0) point.recall = exact_.Recall(results);
    }
    measured_.emplace(values, explored_.size());
    explored_.push_back(std::move(point));
    return &explored_.back();
  }

  const Index& index_;
  MatrixView queries_;
  int k_;
  double target_;
  const TuneOptions& options_;
  const ExactNeighbors& exact_;
  std::vector<Dimension> dimensions_;
  // Stable addresses are not needed: callers use a returned pointer before the next
  // Measure appends.
  std::vector<TunePoint> explored_;
  std::map<std::vector<int>, size_t> measured_;
};

absl::Status CheckArguments(const Index& index, MatrixView queries, int k, double target_recall,
                            const TuneOptions& options) {
  if (!(target_recall > 0 && target_recall <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("target recall must be in (0, 1], got ", target_recall));
  }
  if (k < 1) return absl::InvalidArgumentError(absl::StrCat("k must be >= 1, got ", k));
  if (!index.is_trained()) {
    return absl::FailedPreconditionError("the index is not trained: train and fill it first");
  }
  if (index.size() == 0) {
    return absl::FailedPreconditionError("the index is empty: add vectors before tuning");
  }
  if (k > index.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("k = ", k, " exceeds the ", index.size(), " vectors the index holds"));
  }
  if (queries.rows < 1 || queries.data == nullptr) {
    return absl::InvalidArgumentError("the tuning sample holds no queries");
  }
  if (queries.dim != index.dim()) {
    return absl::InvalidArgumentError(absl::StrCat("the queries have dimension ", queries.dim,
                                                   ", the index ", index.dim()));
  }
  if (options.num_threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_threads must be >= 0, got ", options.num_threads));
  }
  if (options.runs < 1) {
    return absl::InvalidArgumentError(absl::StrCat("runs must be >= 1, got ", options.runs));
  }
  if (options.max_refine_factor < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_refine_factor must be >= 1, got ", options.max_refine_factor));
  }
  const bool has_ground_truth = !options.ground_truth.empty();
  const bool has_database = !options.database.empty();
  if (has_ground_truth == has_database) {
    return absl::InvalidArgumentError(
        has_ground_truth
            ? "give either the ground truth or the database, not both"
            : "tuning needs the exact neighbours: give the ground truth or the database "
              "(the vectors the index holds)");
  }
  if (has_database) {
    if (options.database.dim != index.dim()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the database has dimension ", options.database.dim, ", the index ", index.dim()));
    }
    if (options.database.rows != index.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the database holds ", options.database.rows, " vectors but the index ", index.size(),
          ": the exact neighbours must come from the vectors the index holds"));
    }
  }
  return absl::OkStatus();
}

// Whether `a` is a better choice than `b`: reaching the target beats missing it; among
// points that reach it the faster wins, among those that miss it the higher recall.
bool Better(const TunePoint& a, const TunePoint& b, double target) {
  const bool a_passes = a.recall >= target;
  const bool b_passes = b.recall >= target;
  if (a_passes != b_passes) return a_passes;
  if (!a_passes && a.recall != b.recall) return a.recall > b.recall;
  return a.qps > b.qps;
}

}  // namespace

absl::StatusOr<TuneResult> Tune(const Index& index, MatrixView queries, int k,
                                double target_recall, const TuneOptions& options) {
  VQS_RETURN_IF_ERROR(CheckArguments(index, queries, k, target_recall, options));
  absl::StatusOr<ExactNeighbors> exact =
      options.ground_truth.empty()
          ? ExactNeighbors::FromDatabase(options.database, options.database_ids, index.metric(),
                                         queries, k, options.num_threads)
          : ExactNeighbors::FromGroundTruth(options.ground_truth, queries.rows,
                                            options.ground_truth_k, k);
  VQS_RETURN_IF_ERROR(exact.status());

  Walk walk(index, queries, k, target_recall, options, *exact, TunedDimensions(index, options));
  VQS_RETURN_IF_ERROR(walk.Run());

  TuneResult result;
  result.explored = walk.TakeExplored();
  result.best = result.explored.front();
  for (const TunePoint& point : result.explored) {
    if (Better(point, result.best, target_recall)) result.best = point;
  }
  result.target_reached = result.best.recall >= target_recall;
  for (const auto& [name, value] : result.best.params) {
    VQS_RETURN_IF_ERROR(SetSearchParam(name, value, &result.params));
  }
  std::vector<internal::RecallQps> tradeoffs;
  for (const TunePoint& point : result.explored) tradeoffs.push_back({point.recall, point.qps});
  for (size_t i : internal::ParetoFrontier(tradeoffs)) result.pareto.push_back(result.explored[i]);
  return result;
}

}  // namespace vqsearch
