// Errors notionsync reports by exception: one base class with a kind a caller can switch on.
//
// Expected, per-row outcomes (a row that fails validation, a page Notion rejects) are not
// exceptions: they travel in results (see plan.hpp and app.hpp). Exceptions are for failures that
// stop a whole operation: a broken config, a locked or corrupt state store, a schema mismatch.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace notionsync {

enum class ErrorKind {
  invalid_argument,    // a caller passed something contradictory or malformed
  invalid_value,       // a value cannot be encoded (NaN, invalid UTF-8, out of range)
  duplicate_key,       // two declared rows of one target share a primary key
  state_store,         // the state store failed (I/O, corruption, unknown schema version)
  state_store_locked,  // another process is syncing the same app
  schema_mismatch,     // the live schema does not match the declared one
  remote,              // the remote service answered with an error (subclasses say more)
  internal,            // a broken invariant inside notionsync
};

std::string_view to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// A value of a row that cannot be declared, with the column at fault.
class RowValueError : public Error {
 public:
  RowValueError(std::string column, const std::string& message)
      : Error(ErrorKind::invalid_value, message), column_(std::move(column)) {}
  const std::string& column() const { return column_; }

 private:
  std::string column_;
};

}  // namespace notionsync
