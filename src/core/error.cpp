#include "notionsync/core/error.hpp"

namespace notionsync {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument:
      return "invalid_argument";
    case ErrorKind::invalid_value:
      return "invalid_value";
    case ErrorKind::duplicate_key:
      return "duplicate_key";
    case ErrorKind::state_store:
      return "state_store";
    case ErrorKind::state_store_locked:
      return "state_store_locked";
    case ErrorKind::schema_mismatch:
      return "schema_mismatch";
    case ErrorKind::remote:
      return "remote";
    case ErrorKind::internal:
      return "internal";
  }
  return "unknown";
}

}  // namespace notionsync
