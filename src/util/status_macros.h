// Early-return helpers for absl::Status, which the pinned Abseil (20220623) lacks.

#ifndef VQSEARCH_UTIL_STATUS_MACROS_H_
#define VQSEARCH_UTIL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function when `expr` yields a non-OK absl::Status.
#define VQS_RETURN_IF_ERROR(expr)                  \
  do {                                             \
    const absl::Status vqs_status_ = (expr);       \
    if (!vqs_status_.ok()) return vqs_status_;     \
  } while (0)

#define VQS_STATUS_CONCAT_INNER_(a, b) a##b
#define VQS_STATUS_CONCAT_(a, b) VQS_STATUS_CONCAT_INNER_(a, b)

// `lhs = value of expr`, or returns its error: VQS_ASSIGN_OR_RETURN(auto x, MakeX());
#define VQS_ASSIGN_OR_RETURN(lhs, expr) \
  VQS_ASSIGN_OR_RETURN_IMPL_(VQS_STATUS_CONCAT_(vqs_statusor_, __LINE__), lhs, expr)
#define VQS_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return statusor.status();         \
  lhs = std::move(statusor).value()

#endif  // VQSEARCH_UTIL_STATUS_MACROS_H_
