// Opening a connection of the store, and turning libpqxx failures into notionsync errors that
// never show the password.
#pragma once

#include <exception>
#include <memory>
#include <mutex>
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

// Where `url` (postgresql://...) and `schema` (empty: the URL's `schema=NAME`, else "notionsync")
// put a store. Throws Error(ErrorKind::invalid_argument) for a malformed URL or a schema name
// PostgreSQL would truncate.
StoreLocation locate(const std::string& url, const std::string& schema);

// Connects, with UTF-8 text, no notices on stderr and `schema` first on the search path. Throws
// Error(ErrorKind::state_store) (redacted) when the server cannot be reached.
std::unique_ptr<pqxx::connection> connect(const StoreLocation& location);

// Throws Error(ErrorKind::state_store) "state store: <doing>: <cause> (<redacted url>, schema S)"
// for the exception in flight: notionsync errors pass through unchanged.
// REQUIRES: called from a catch block.
[[noreturn]] void rethrow_as_store_error(const StoreLocation& location, std::string_view doing);

// One connection to a store's schema, used by one thread at a time, with libpqxx failures turned
// into Error(ErrorKind::state_store) that name the location, redacted.
struct GuardedConnection {
  StoreLocation location;
  std::recursive_mutex mutex;
  std::unique_ptr<pqxx::connection> connection;

  // Runs `body` and turns a libpqxx failure into Error(ErrorKind::state_store), redacted.
  template <typename Body>
  auto translate(std::string_view doing, Body&& body) {
    try {
      return body();
    } catch (...) {
      rethrow_as_store_error(location, doing);
    }
  }

  // translate() on `connection`, holding `mutex`. A connection the server ended (restart,
  // failover, idle timeout) is replaced on the next call; the call that found it dead has failed
  // with the cause.
  template <typename Body>
  auto guarded(std::string_view doing, Body&& body) {
    std::lock_guard guard(mutex);
    if (!connection->is_open()) connection = connect(location);
    return translate(doing, std::forward<Body>(body));
  }
};

}  // namespace notionsync::postgres
