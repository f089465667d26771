// Versioned schema of the SQLite state store. Each migration runs once, in its own transaction,
// and is recorded in schema_migrations; a store is at the highest version recorded there.
#pragma once

#include "core/sqlite/connection.hpp"

namespace notionsync::sqlite {

int latest_schema_version();

// The version recorded in the store (0 for an empty file).
int schema_version(Connection& connection);

// Brings the store to `target_version` (default: latest). Throws Error(ErrorKind::state_store) if
// the store is newer than this build or is not a notionsync store.
void migrate(Connection& connection, int target_version = latest_schema_version());

}  // namespace notionsync::sqlite
