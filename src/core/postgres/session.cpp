#include "core/postgres/session.hpp"

#include <pqxx/pqxx>

#include "core/postgres/migrations.hpp"
#include "notionsync/core/error.hpp"

namespace notionsync::postgres {

std::unique_ptr<pqxx::connection> connect(const StoreLocation& location) {
  try {
    auto connection = std::make_unique<pqxx::connection>(location.url.conninfo);
    pqxx::nontransaction session(*connection);
    // Notices ("relation exists, skipping") would otherwise be printed to stderr by libpqxx.
    session.exec("SET client_min_messages TO warning");
    session.exec("SET client_encoding TO 'UTF8'");
    // The store's statements are many and short; compiling one costs more than running it.
    session.exec("SET jit = off");
    session.exec("SET search_path TO " + quote_identifier(location.schema));
    session.commit();
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
