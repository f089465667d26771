#include "postgres/session.hpp"

#include <pqxx/pqxx>
#include <stdexcept>

#include "notionsync/core/error.hpp"
#include "postgres/migrations.hpp"

namespace notionsync::postgres {
namespace {

// PostgreSQL truncates longer identifiers (NAMEDATALEN - 1).
constexpr std::size_t kMaxSchemaName = 63;

}  // namespace

StoreLocation locate(const std::string& url, const std::string& schema) {
  StoreLocation location;
  try {
    location.url = util::parse_connection_url(url);
  } catch (const std::invalid_argument& error) {
    throw Error(ErrorKind::invalid_argument, error.what());
  }
  location.schema = !schema.empty()                ? schema
                    : !location.url.schema.empty() ? location.url.schema
                                                   : "notionsync";
  if (location.schema.size() > kMaxSchemaName || location.schema.find('\0') != std::string::npos) {
    throw Error(ErrorKind::invalid_argument, "state store: schema name '" +
                                                 location.schema.substr(0, kMaxSchemaName) +
                                                 "...' is longer than 63 bytes");
  }
  return location;
}

std::unique_ptr<pqxx::connection> connect(const StoreLocation& location) {
  try {
    auto connection = std::make_unique<pqxx::connection>(location.url.conninfo);
    // Set through libpqxx, which sets them again when it reconnects after a lost connection.
    // Without this, libpqxx prints notices ("relation exists, skipping") to stderr.
    connection->set_variable("client_min_messages", "warning");
    connection->set_client_encoding("UTF8");
    // The store's statements are many and short; compiling one costs more than running it.
    connection->set_variable("jit", "off");
    connection->set_variable("search_path", quote_identifier(location.schema));
    return connection;
  } catch (...) {
    rethrow_as_store_error(location, "cannot connect");
  }
}

void rethrow_as_store_error(const StoreLocation& location, std::string_view doing) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& error) {
    std::string cause = location.url.redact(error.what());
    while (!cause.empty() && (cause.back() == '\n' || cause.back() == ' ')) cause.pop_back();
    throw Error(ErrorKind::state_store, "state store: " + std::string(doing) + ": " + cause + " (" +
                                            location.url.redacted + ", schema '" + location.schema +
                                            "')");
  }
}

}  // namespace notionsync::postgres
