// Opening a connection of the store, and turning libpqxx failures into notionsync errors that
// never show the password.
#pragma once

#include <exception>
#include <memory>
#include <pqxx/connection>
#include <string>
#include <string_view>

#include "util/connection_url.hpp"

namespace notionsync::postgres {

using util::ConnectionUrl;

// Where a store lives: the server and the schema.
struct StoreLocation {
  ConnectionUrl url;
  std::string schema;
};

// Connects, with UTF-8 text, no notices on stderr and `schema` first on the search path. Throws
// Error(ErrorKind::state_store) (redacted) when the server cannot be reached.
std::unique_ptr<pqxx::connection> connect(const StoreLocation& location);

// Throws Error(ErrorKind::state_store) "state store: <doing>: <cause> (<redacted url>, schema S)"
// for the exception in flight: notionsync errors pass through unchanged.
// REQUIRES: called from a catch block.
[[noreturn]] void rethrow_as_store_error(const StoreLocation& location, std::string_view doing);

}  // namespace notionsync::postgres
