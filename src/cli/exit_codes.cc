#include "cli/cli.h"

namespace kalm::cli {

int ExitCode(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
      return 65;  // EX_DATAERR
    case StatusCode::kResourceExhausted:
      return 65;  // EX_DATAERR
    case StatusCode::kNotFound:
      return 66;  // EX_NOINPUT
    case StatusCode::kUnavailable:
      return 69;  // EX_UNAVAILABLE
    case StatusCode::kDataLoss:
      return 65;
    case StatusCode::kAlreadyExists:
      return 73;  // EX_CANTCREAT
    case StatusCode::kFailedPrecondition:
      return 78;  // EX_CONFIG
    case StatusCode::kUnauthenticated:
      return 77;  // EX_NOPERM
    case StatusCode::kPermissionDenied:
      return 77;
    case StatusCode::kInternal:
      return 70;  // EX_SOFTWARE
  }
  return 70;
}

}  // namespace kalm::cli
