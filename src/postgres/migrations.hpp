// Versioned schema of the PostgreSQL state store, kept in step with the SQLite store's: the same
// tables and versions, plus what only a shared server needs (lock_holders). Each migration runs
// once, in its own transaction, under a transaction-level advisory lock so that processes opening
// a fresh database at the same moment migrate it once.
#pragma once

#include <pqxx/connection>
#include <string>

namespace notionsync::postgres {

int latest_schema_version();

// The version recorded in `schema` (0 when the schema or its schema_migrations table is missing).
// Throws Error(ErrorKind::state_store) when the schema holds tables of something else.
int schema_version(pqxx::connection& connection, const std::string& schema);

// Creates `schema` if needed and brings it to `target_version` (default: latest). Throws
// Error(ErrorKind::state_store) when the schema is newer than this build or not a notionsync store.
void migrate(pqxx::connection& connection, const std::string& schema,
             int target_version = latest_schema_version());

// Creates or migrates the workers' tables (claims, workers, runs) in `schema`, which migrate()
// must have brought to the latest version. They are versioned apart (worker_schema_migrations) so
// the store's own versions stay those of the SQLite store.
void migrate_workers(pqxx::connection& connection, const std::string& schema);

// `name` quoted as an SQL identifier.
std::string quote_identifier(std::string_view name);

}  // namespace notionsync::postgres
