// The C API's auto-tuning (vqs_tune) over vqsearch::Tune, and the accessors of its result.

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/convert.h"
#include "capi/guard.h"
#include "capi/handles.h"
#include "util/status_macros.h"
#include "vqsearch/tune.h"

using vqsearch::capi::CheckNotNull;
using vqsearch::capi::EnumValue;
using vqsearch::capi::Guard;

namespace {

// The points of `set` (EnumValue of a vqs_tune_set) other than the best one;
// InvalidArgument for an unknown set.
absl::StatusOr<const std::vector<vqsearch::TunePoint>*> ListOf(const vqs_tune_result* result,
                                                               int64_t set) {
  if (set == VQS_TUNE_PARETO) return &result->result.pareto;
  if (set == VQS_TUNE_EXPLORED) return &result->result.explored;
  return absl::InvalidArgumentError(absl::StrCat("unknown vqs_tune_set value ", set));
}

absl::StatusOr<int> CountOf(const vqs_tune_result* result, int64_t set) {
  if (set == VQS_TUNE_BEST) return 1;
  VQS_ASSIGN_OR_RETURN(const auto* points, ListOf(result, set));
  return static_cast<int>(points->size());
}

absl::StatusOr<const vqsearch::TunePoint*> PointOf(const vqs_tune_result* result,
                                                   int64_t set, int i) {
  VQS_ASSIGN_OR_RETURN(const int count, CountOf(result, set));
  if (i < 0 || i >= count) {
    return absl::InvalidArgumentError(absl::StrCat("point ", i, " is outside [0, ", count, ")"));
  }
  if (set == VQS_TUNE_BEST) return &result->result.best;
  VQS_ASSIGN_OR_RETURN(const auto* points, ListOf(result, set));
  return &(*points)[static_cast<size_t>(i)];
}

}  // namespace

void vqs_tune_options_init(vqs_tune_options* options) {
  if (options == nullptr) return;
  const vqsearch::TuneOptions defaults;
  *options = vqs_tune_options{nullptr, 0,  nullptr, 0, nullptr, defaults.num_threads,
                              defaults.runs, defaults.max_refine_factor};
}

vqs_status vqs_tune(const vqs_index* index, const float* queries, int64_t nq, int k,
                    double target_recall, const vqs_tune_options* options,
                    vqs_tune_result** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{index, "index"}, {options, "options"}, {out, "out"}}));
    VQS_ASSIGN_OR_RETURN(const vqsearch::MatrixView sample,
                         vqsearch::capi::ViewOf(queries, nq, index->index->dim(), "queries"));
    vqsearch::TuneOptions tune;
    tune.num_threads = options->num_threads;
    tune.runs = options->runs;
    tune.max_refine_factor = options->max_refine_factor;
    if (options->ground_truth != nullptr) {
      if (options->ground_truth_k < 1) {
        return absl::InvalidArgumentError("ground_truth_k must be >= 1 with a ground truth");
      }
      tune.ground_truth = absl::Span<const int64_t>(
          options->ground_truth, static_cast<size_t>(nq) * options->ground_truth_k);
      tune.ground_truth_k = options->ground_truth_k;
    }
    if (options->database != nullptr) {
      VQS_ASSIGN_OR_RETURN(tune.database,
                           vqsearch::capi::ViewOf(options->database, options->database_rows,
                                                  index->index->dim(), "database"));
      if (options->database_ids != nullptr) {
        tune.database_ids = absl::Span<const int64_t>(
            options->database_ids, static_cast<size_t>(options->database_rows));
      }
    }
    VQS_ASSIGN_OR_RETURN(vqsearch::TuneResult result,
                         vqsearch::Tune(*index->index, sample, k, target_recall, tune));
    *out = new vqs_tune_result{std::move(result)};
    return absl::OkStatus();
  });
}

void vqs_tune_result_free(vqs_tune_result* result) { delete result; }

vqs_status vqs_tune_result_target_reached(const vqs_tune_result* result, int* out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{result, "result"}, {out, "out"}}));
    *out = result->result.target_reached ? 1 : 0;
    return absl::OkStatus();
  });
}

vqs_status vqs_tune_result_params(const vqs_tune_result* result, vqs_search_params** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{result, "result"}, {out, "out"}}));
    auto params = std::make_unique<vqs_search_params>();
    params->params = result->result.params;
    *out = params.release();
    return absl::OkStatus();
  });
}

vqs_status vqs_tune_result_count(const vqs_tune_result* result, vqs_tune_set set, int* out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{result, "result"}, {out, "out"}}));
    VQS_ASSIGN_OR_RETURN(*out, CountOf(result, EnumValue(set)));
    return absl::OkStatus();
  });
}

vqs_status vqs_tune_result_point(const vqs_tune_result* result, vqs_tune_set set, int i,
                                 double* recall, double* qps, int* num_params) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{result, "result"}}));
    VQS_ASSIGN_OR_RETURN(const vqsearch::TunePoint* point, PointOf(result, EnumValue(set), i));
    if (recall != nullptr) *recall = point->recall;
    if (qps != nullptr) *qps = point->qps;
    if (num_params != nullptr) *num_params = static_cast<int>(point->params.size());
    return absl::OkStatus();
  });
}

vqs_status vqs_tune_result_param(const vqs_tune_result* result, vqs_tune_set set, int i, int j,
                                 const char** name, int* value) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{result, "result"}, {name, "name"}, {value, "value"}}));
    VQS_ASSIGN_OR_RETURN(const vqsearch::TunePoint* point, PointOf(result, EnumValue(set), i));
    if (j < 0 || static_cast<size_t>(j) >= point->params.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter ", j, " is outside [0, ", point->params.size(), ")"));
    }
    *name = point->params[static_cast<size_t>(j)].first.c_str();
    *value = point->params[static_cast<size_t>(j)].second;
    return absl::OkStatus();
  });
}
