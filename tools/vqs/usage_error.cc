// The usage-error mark of command.h: a payload on an InvalidArgument status, so that a
// command body can fail either way through one absl::Status.

#include "absl/strings/cord.h"
#include "command.h"

namespace vqsearch::cli {
namespace {

constexpr char kUsagePayload[] = "vqs/usage-error";

}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

}  // namespace vqsearch::cli
