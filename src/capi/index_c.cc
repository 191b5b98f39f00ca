// The C API's index functions: each checks its pointers, then calls the C++ Index.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/convert.h"
#include "capi/guard.h"
#include "capi/handles.h"
#include "util/status_macros.h"
#include "vqsearch/io.h"

using vqsearch::MatrixView;
using vqsearch::capi::CheckNotNull;
using vqsearch::capi::Guard;
using vqsearch::capi::ViewOf;

namespace {

const vqsearch::BuildOptions& BuildOptionsOrDefault(const vqs_build_options* options) {
  static const vqsearch::BuildOptions* const kDefault = new vqsearch::BuildOptions();
  return options != nullptr ? options->options : *kDefault;
}

// Wraps a freshly created or read index in a handle for the caller.
absl::Status Hand(absl::StatusOr<std::unique_ptr<vqsearch::Index>> index, vqs_index** out) {
  if (!index.ok()) return index.status();
  *out = new vqs_index{std::move(*index)};
  return absl::OkStatus();
}

// The shape of every read-only query: check the handle and `out`, store f(index) there.
template <typename T, typename F>
vqs_status Query(const char* function, const vqs_index* index, T* out, F f) {
  return Guard(function, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{index, "index"}, {out, "out"}}));
    *out = f(*index->index);
    return absl::OkStatus();
  });
}

}  // namespace

vqs_status vqs_index_create(const char* spec, int dim, vqs_metric metric, vqs_index** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{spec, "spec"}, {out, "out"}}));
    VQS_ASSIGN_OR_RETURN(const vqsearch::Metric cpp_metric, vqsearch::capi::MetricFromC(vqsearch::capi::EnumValue(metric)));
    return Hand(vqsearch::Index::Create(spec, dim, cpp_metric), out);
  });
}

void vqs_index_free(vqs_index* index) { delete index; }

vqs_status vqs_index_train(vqs_index* index, const float* x, int64_t n,
                           const vqs_build_options* options) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{index, "index"}}));
    VQS_ASSIGN_OR_RETURN(const MatrixView vectors, ViewOf(x, n, index->index->dim(), "x"));
    return index->index->Train(vectors, BuildOptionsOrDefault(options));
  });
}

vqs_status vqs_index_add(vqs_index* index, const float* x, int64_t n, const int64_t* ids,
                         const vqs_build_options* options) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{index, "index"}}));
    VQS_ASSIGN_OR_RETURN(const MatrixView vectors, ViewOf(x, n, index->index->dim(), "x"));
    absl::Span<const int64_t> id_span;
    if (ids != nullptr) id_span = absl::Span<const int64_t>(ids, static_cast<size_t>(n));
    return index->index->Add(vectors, id_span, BuildOptionsOrDefault(options));
  });
}

vqs_status vqs_index_search(const vqs_index* index, const float* queries, int64_t nq, int k,
                            const vqs_search_params* params, float* distances, int64_t* ids) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(
        CheckNotNull({{index, "index"}, {distances, "distances"}, {ids, "ids"}}));
    VQS_ASSIGN_OR_RETURN(const MatrixView view,
                         ViewOf(queries, nq, index->index->dim(), "queries"));
    const vqsearch::SearchParams defaults;
    vqsearch::SearchResults results;
    VQS_RETURN_IF_ERROR(
        index->index->Search(view, k, params != nullptr ? params->params : defaults, &results));
    std::copy(results.distances.begin(), results.distances.end(), distances);
    std::copy(results.ids.begin(), results.ids.end(), ids);
    return absl::OkStatus();
  });
}

vqs_status vqs_index_search_param_count(const vqs_index* index, int* out) {
  return Query(__func__, index, out, [](const vqsearch::Index& i) {
    return static_cast<int>(i.search_params().size());
  });
}

vqs_status vqs_index_search_param(const vqs_index* index, int i, vqs_search_param_info* out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{index, "index"}, {out, "out"}}));
    const std::vector<vqsearch::SearchParamInfo> taken = index->index->search_params();
    if (i < 0 || static_cast<size_t>(i) >= taken.size()) {
      return absl::InvalidArgumentError(absl::StrCat("search parameter number ", i, " is not in [0, ",
                                                     taken.size(), ")"));
    }
    // The names and descriptions are string literals, so data() is NUL-terminated.
    const vqsearch::SearchParamInfo& param = taken[i];
    *out = {param.name.data(), param.default_value, param.min_value, param.max_value,
            param.description.data()};
    return absl::OkStatus();
  });
}

vqs_status vqs_index_remove(vqs_index* index, const int64_t* ids, size_t n,
                            size_t* num_removed) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{index, "index"}}));
    if (ids == nullptr && n > 0) return absl::InvalidArgumentError("argument ids is NULL");
    VQS_ASSIGN_OR_RETURN(const size_t removed,
                         index->index->Remove(absl::Span<const int64_t>(ids, n)));
    if (num_removed != nullptr) *num_removed = removed;
    return absl::OkStatus();
  });
}

vqs_status vqs_index_save(const vqs_index* index, const char* path) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{index, "index"}, {path, "path"}}));
    return vqsearch::Save(*index->index, path);
  });
}

vqs_status vqs_index_load(const char* path, vqs_index** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{path, "path"}, {out, "out"}}));
    return Hand(vqsearch::Load(path), out);
  });
}

vqs_status vqs_index_load_with(const char* path, int mmap, vqs_index** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{path, "path"}, {out, "out"}}));
    vqsearch::LoadOptions options;
    options.mmap = mmap != 0;
    return Hand(vqsearch::Load(path, options), out);
  });
}

vqs_status vqs_index_serialize(const vqs_index* index, void** bytes, size_t* size) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{index, "index"}, {bytes, "bytes"}, {size, "size"}}));
    VQS_ASSIGN_OR_RETURN(const std::string serialized, vqsearch::Serialize(*index->index));
    VQS_ASSIGN_OR_RETURN(*bytes, vqsearch::capi::CopyToBuffer(serialized.data(), serialized.size()));
    *size = serialized.size();
    return absl::OkStatus();
  });
}

vqs_status vqs_index_deserialize(const void* bytes, size_t size, vqs_index** out) {
  return Guard(__func__, [&]() -> absl::Status {
    VQS_RETURN_IF_ERROR(CheckNotNull({{bytes, "bytes"}, {out, "out"}}));
    return Hand(vqsearch::Deserialize(
                    std::string_view(static_cast<const char*>(bytes), size)),
                out);
  });
}

vqs_status vqs_index_size(const vqs_index* index, int64_t* out) {
  return Query(__func__, index, out, [](const vqsearch::Index& i) { return i.size(); });
}

vqs_status vqs_index_dim(const vqs_index* index, int* out) {
  return Query(__func__, index, out, [](const vqsearch::Index& i) { return i.dim(); });
}

vqs_status vqs_index_metric(const vqs_index* index, vqs_metric* out) {
  return Query(__func__, index, out,
               [](const vqsearch::Index& i) { return vqsearch::capi::MetricToC(i.metric()); });
}

vqs_status vqs_index_spec(const vqs_index* index, const char** out) {
  return Query(__func__, index, out, [](const vqsearch::Index& i) { return i.spec().c_str(); });
}

vqs_status vqs_index_is_trained(const vqs_index* index, int* out) {
  return Query(__func__, index, out,
               [](const vqsearch::Index& i) { return i.is_trained() ? 1 : 0; });
}

vqs_status vqs_index_memory_usage(const vqs_index* index, size_t* out) {
  return Query(__func__, index, out,
               [](const vqsearch::Index& i) { return i.MemoryUsageBytes(); });
}
