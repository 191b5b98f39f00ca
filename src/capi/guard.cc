// Status translation and the thread-local last error of the C API.

#include "capi/guard.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "capi/convert.h"

namespace vqsearch::capi {
namespace {

// The message and the pointer vqs_last_error returns. The pointer falls back to a
// constant when the message itself cannot be stored (memory exhausted).
thread_local std::string last_error_text;
thread_local const char* last_error = "";

void SetLastError(const char* function, const char* message) {
  try {
    last_error_text = absl::StrCat(function, ": ", message);
    last_error = last_error_text.c_str();
  } catch (...) {
    last_error = "out of memory while recording an error";
  }
}

}  // namespace

vqs_status StatusCodeToC(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return VQS_OK;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return VQS_INVALID_ARGUMENT;
    case absl::StatusCode::kNotFound:
      return VQS_NOT_FOUND;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kAlreadyExists:
      return VQS_IO_ERROR;
    case absl::StatusCode::kDataLoss:
      return VQS_DATA_LOSS;
    case absl::StatusCode::kFailedPrecondition:
      return VQS_FAILED_PRECONDITION;
    case absl::StatusCode::kResourceExhausted:
      return VQS_OUT_OF_MEMORY;
    case absl::StatusCode::kCancelled:
      return VQS_CANCELLED;
    case absl::StatusCode::kUnimplemented:
      return VQS_UNIMPLEMENTED;
    default:
      return VQS_INTERNAL;
  }
}

vqs_status Report(const char* function, const absl::Status& status) {
  if (status.ok()) return VQS_OK;
  SetLastError(function, std::string(status.message()).c_str());
  return StatusCodeToC(status.code());
}

vqs_status ReportException(const char* function, vqs_status code, const char* what) {
  SetLastError(function, what);
  return code;
}

absl::Status CheckNotNull(std::initializer_list<NamedPointer> arguments) {
  for (const NamedPointer& argument : arguments) {
    if (argument.pointer == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("argument ", argument.name, " is NULL"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<MatrixView> ViewOf(const float* data, int64_t rows, int dim, const char* name) {
  if (rows < 0) {
    return absl::InvalidArgumentError(absl::StrCat("the number of ", name, " is negative: ", rows));
  }
  if (data == nullptr && rows > 0) {
    return absl::InvalidArgumentError(absl::StrCat("argument ", name, " is NULL"));
  }
  return MatrixView(data, rows, dim);
}

absl::StatusOr<void*> CopyToBuffer(const void* data, size_t size) {
  void* buffer = std::malloc(size > 0 ? size : 1);
  if (buffer == nullptr) {
    return absl::ResourceExhaustedError(absl::StrCat("cannot allocate ", size, " bytes"));
  }
  if (size > 0) std::memcpy(buffer, data, size);
  return buffer;
}

}  // namespace vqsearch::capi

void vqs_buffer_free(void* buffer) { std::free(buffer); }

const char* vqs_last_error(void) { return vqsearch::capi::last_error; }

const char* vqs_status_name(vqs_status status) {
  switch (vqsearch::capi::EnumValue(status)) {
    case VQS_OK:
      return "OK";
    case VQS_INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case VQS_NOT_FOUND:
      return "NOT_FOUND";
    case VQS_IO_ERROR:
      return "IO_ERROR";
    case VQS_DATA_LOSS:
      return "DATA_LOSS";
    case VQS_FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case VQS_OUT_OF_MEMORY:
      return "OUT_OF_MEMORY";
    case VQS_CANCELLED:
      return "CANCELLED";
    case VQS_UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case VQS_INTERNAL:
      return "INTERNAL";
  }
  return "UNKNOWN";
}
