#include "core/sqlite/migrations.hpp"

#include <array>
#include <chrono>
#include <string>

#include "notionsync/core/error.hpp"
#include "util/clock.hpp"

namespace notionsync::sqlite {
namespace {

using util::now_ms;

struct Migration {
  int version;
  const char* sql;
};

// Append only: a released migration never changes, a new schema is a new migration.
constexpr std::array kMigrations = {
    Migration{1, R"sql(
      CREATE TABLE apps (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE targets (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        schema_fingerprint BLOB,
        remote_id TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        UNIQUE (app_id, name)
      );
      CREATE TABLE rows (
        target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        remote_id TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('pending_create', 'synced', 'pending_delete')),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (target_id, key)
      ) WITHOUT ROWID;
    )sql"},
    // Version 2: run history (for `notionsync status`) and when each target last synced.
    Migration{2, R"sql(
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        summary TEXT NOT NULL
      );
      CREATE INDEX runs_by_app ON runs (app_id, started_at);
      ALTER TABLE targets ADD COLUMN last_synced_at INTEGER;
    )sql"},
    // Version 3: what a target's synced rows add up to (see rows_digest.hpp), so a run that
    // declares exactly those rows need not read them. Both NULL while unknown.
    Migration{3, R"sql(
      ALTER TABLE targets ADD COLUMN rows_digest BLOB;
      ALTER TABLE targets ADD COLUMN rows_digest_count INTEGER;
    )sql"},
    // Version 4: when each target's remote was last checked for changes made behind notionsync's
    // back (drift), so the next check asks only for what changed since. NULL before the first.
    Migration{4, R"sql(
      ALTER TABLE targets ADD COLUMN drift_checked_at INTEGER;
    )sql"},
    // Version 5: values drivers keep per app between runs (StateStore::write_cached): a Notion
    // target's directory of users and the files it uploaded. expires_at NULL: never expires.
    Migration{5, R"sql(
      CREATE TABLE cached_values (
        app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        expires_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (app_id, scope, key)
      ) WITHOUT ROWID;
    )sql"},
};

bool table_exists(Connection& connection, std::string_view name) {
  auto statement = connection.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
  statement.bind(1, name);
  return statement.step();
}

}  // namespace

int latest_schema_version() {
  return kMigrations.back().version;
}

int schema_version(Connection& connection) {
  if (!table_exists(connection, "schema_migrations")) {
    if (table_exists(connection, "rows") || table_exists(connection, "apps")) {
      throw Error(ErrorKind::state_store, "state store: the file is not a notionsync state store");
    }
    return 0;
  }
  auto statement = connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  statement.step();
  return static_cast<int>(statement.column_int(0));
}

void migrate(Connection& connection, int target_version) {
  connection.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at INTEGER NOT NULL)");
  const int current = schema_version(connection);
  if (current > latest_schema_version()) {
    throw Error(ErrorKind::state_store,
                "state store: schema version " + std::to_string(current) +
                    " was written by a newer notionsync (this one knows up to " +
                    std::to_string(latest_schema_version()) + "); upgrade notionsync");
  }
  for (const auto& migration : kMigrations) {
    if (migration.version <= current || migration.version > target_version) continue;
    Transaction transaction(connection);
    // Re-check under the write lock: another process may have migrated meanwhile.
    if (schema_version(connection) >= migration.version) continue;
    connection.execute(migration.sql);
    connection.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
        .bind(1, static_cast<std::int64_t>(migration.version))
        .bind(2, now_ms())
        .run();
    transaction.commit();
  }
}

}  // namespace notionsync::sqlite
