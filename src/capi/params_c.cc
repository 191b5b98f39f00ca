// The C API's per-call settings: build options (threads, progress callback) and search
// parameters, id filters included.

#include <memory>

#include "absl/strings/str_cat.h"
#include "capi/guard.h"
#include "capi/handles.h"
#include "util/status_macros.h"
#include "vqsearch/threads.h"

using vqsearch::capi::CheckNotNull;
using vqsearch::capi::Guard;

vqs_status vqs_build_options_create(vqs_build_options** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{out, "out"}}));
    *out = new vqs_build_options();
    return absl::OkStatus();
  });
}

void vqs_build_options_free(vqs_build_options* options) { delete options; }

vqs_status vqs_build_options_set_num_threads(vqs_build_options* options, int num_threads) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{options, "options"}}));
    if (num_threads < 0) {
      return absl::InvalidArgumentError("num_threads must be >= 0 (0 = the process default)");
    }
    options->options.num_threads = num_threads;
    return absl::OkStatus();
  });
}

vqs_status vqs_build_options_set_progress(vqs_build_options* options, vqs_progress_fn fn,
                                          void* user_data) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{options, "options"}}));
    if (fn == nullptr) {
      options->options.progress = nullptr;
      return absl::OkStatus();
    }
    options->options.progress = [fn, user_data](const vqsearch::Progress& progress) {
      const vqs_progress c_progress = {progress.stage.c_str(), progress.done, progress.total,
                                       progress.seconds, progress.objective};
      return fn(&c_progress, user_data) != 0;
    };
    return absl::OkStatus();
  });
}

vqs_status vqs_set_num_threads(int n) {
  return Guard(__func__, [&]() { return vqsearch::SetNumThreads(n); });
}

vqs_status vqs_get_num_threads(int* out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{out, "out"}}));
    *out = vqsearch::NumThreads();
    return absl::OkStatus();
  });
}

vqs_status vqs_available_cpus(int* out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{out, "out"}}));
    *out = vqsearch::AvailableCpuCount();
    return absl::OkStatus();
  });
}

vqs_status vqs_search_params_create(vqs_search_params** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{out, "out"}}));
    *out = new vqs_search_params();
    return absl::OkStatus();
  });
}

void vqs_search_params_free(vqs_search_params* params) { delete params; }

vqs_status vqs_search_params_set(vqs_search_params* params, const char* name, int value) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{params, "params"}, {name, "name"}}));
    return vqsearch::SetSearchParam(name, value, &params->params);
  });
}

namespace {

// Makes `filter` the one `params` searches with.
void SetFilter(vqs_search_params* params, std::unique_ptr<vqsearch::IdFilter> filter) {
  params->filter = std::move(filter);
  params->params.filter = params->filter.get();
}

}  // namespace

vqs_status vqs_search_params_set_id_set(vqs_search_params* params, const int64_t* ids, int64_t n) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{params, "params"}}));
    if (n < 0) return absl::InvalidArgumentError(absl::StrCat("n must be >= 0, got ", n));
    if (n > 0) VQS_RETURN_IF_ERROR(CheckNotNull({{ids, "ids"}}));
    SetFilter(params, std::make_unique<vqsearch::IdSetFilter>(
                          absl::Span<const int64_t>(ids, static_cast<size_t>(n))));
    return absl::OkStatus();
  });
}

vqs_status vqs_search_params_set_id_range(vqs_search_params* params, int64_t begin, int64_t end) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{params, "params"}}));
    if (begin > end) {
      return absl::InvalidArgumentError(
          absl::StrCat("id range [", begin, ", ", end, ") has begin > end"));
    }
    SetFilter(params, std::make_unique<vqsearch::IdRangeFilter>(begin, end));
    return absl::OkStatus();
  });
}

vqs_status vqs_search_params_clear_filter(vqs_search_params* params) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{params, "params"}}));
    SetFilter(params, nullptr);
    return absl::OkStatus();
  });
}
