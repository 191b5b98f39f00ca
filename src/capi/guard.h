// The boundary every C API function goes through: runs the C++ body, turns its
// absl::Status into a vqs_status, records the message as the thread's last error, and
// stops every exception (std::bad_alloc included) from crossing into C.

#ifndef VQSEARCH_CAPI_GUARD_H_
#define VQSEARCH_CAPI_GUARD_H_

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <new>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vqsearch/c_api.h"
#include "vqsearch/matrix_view.h"

namespace vqsearch::capi {

// The vqs_status for an absl code (OK for OK).
vqs_status StatusCodeToC(absl::StatusCode code);

// Records `status` (prefixed by `function`) as the calling thread's last error unless it
// is OK; returns its vqs_status.
vqs_status Report(const char* function, const absl::Status& status);
// Records a failure that arrived as an exception.
vqs_status ReportException(const char* function, vqs_status code, const char* what);

// Runs `body` (returning absl::Status) as the C function `function`.
template <typename Body>
vqs_status Guard(const char* function, Body&& body) {
  try {
    return Report(function, std::forward<Body>(body)());
  } catch (const std::bad_alloc&) {
    return ReportException(function, VQS_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return ReportException(function, VQS_INTERNAL, e.what());
  } catch (...) {
    return ReportException(function, VQS_INTERNAL, "unknown exception");
  }
}

// InvalidArgument naming the first argument whose pointer is null.
struct NamedPointer {
  const void* pointer;
  const char* name;
};
absl::Status CheckNotNull(std::initializer_list<NamedPointer> arguments);

// A view of `rows` x `dim` floats at `data`: rows must be >= 0, and data non-null unless
// rows is 0. `name` names the argument in errors.
absl::StatusOr<MatrixView> ViewOf(const float* data, int64_t rows, int dim, const char* name);

// A malloc'd copy of `size` bytes at `data`, for the caller to release with
// vqs_buffer_free (malloc, so that C code could release it with free as well).
absl::StatusOr<void*> CopyToBuffer(const void* data, size_t size);

}  // namespace vqsearch::capi

#endif  // VQSEARCH_CAPI_GUARD_H_
