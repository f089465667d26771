#include "notionsync/core/sqlite_state_store.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "core/file_lock.hpp"
#include "core/sqlite/connection.hpp"
#include "core/sqlite/migrations.hpp"
#include "notionsync/core/error.hpp"
#include "util/clock.hpp"

namespace notionsync {
namespace {

using util::now_ms;

// How long a statement waits for another connection's lock before "database is locked".
constexpr auto kBusyTimeout = std::chrono::seconds(10);

// Switching a new file to WAL takes SQLite's exclusive lock without calling the busy handler, so
// processes opening a new store together get "database is locked" at once: retry for as long as
// the busy timeout would have waited.
void enable_wal(sqlite::Connection& connection) {
  const auto deadline = std::chrono::steady_clock::now() + kBusyTimeout;
  for (;;) {
    try {
      connection.execute("PRAGMA journal_mode = WAL");
      return;
    } catch (const Error&) {
      const bool busy = (sqlite3_errcode(connection.handle()) & 0xff) == SQLITE_BUSY;
      if (!busy || std::chrono::steady_clock::now() > deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

// App names become part of a file name: keep [A-Za-z0-9_-] and hex-escape everything else, so
// distinct names never share a lock file.
std::string lock_file_suffix(std::string_view app_name) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : app_name) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '_' || c == '-') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

[[noreturn]] void throw_locked(std::string_view app_name, long holder_pid) {
  std::string message = "app '" + std::string(app_name) + "' is being synced by ";
  message += holder_pid > 0 ? "process " + std::to_string(holder_pid) : "another process";
  message += "; wait for it to finish or stop it";
  throw Error(ErrorKind::state_store_locked, message);
}

class FileAppLock : public AppLock {
 public:
  explicit FileAppLock(FileLock lock) : lock_(std::move(lock)) {}

 private:
  FileLock lock_;
};

}  // namespace

struct SqliteStateStore::Impl {
  Impl(const std::string& path, Options options)
      : path(path), options(std::move(options)), connection(path) {}

  std::string path;
  Options options;
  std::recursive_mutex mutex;  // one connection, used from whichever thread reports results
  sqlite::Connection connection;
  std::set<std::string> memory_locks;  // app locks of a ":memory:" store

  bool in_memory() const { return path == ":memory:" || path.empty(); }

  std::int64_t ensure_app(std::string_view app_name) {
    connection.prepare("INSERT OR IGNORE INTO apps (name, created_at) VALUES (?, ?)")
        .bind(1, app_name)
        .bind(2, now_ms())
        .run();
    auto select = connection.prepare("SELECT id FROM apps WHERE name = ?");
    select.bind(1, app_name);
    select.step();
    return select.column_int(0);
  }

  std::vector<TargetRecord> select_targets(RowCounts counts, std::string_view where, auto bind) {
    const std::string row_count = counts == RowCounts::counted
                                      ? "(SELECT COUNT(*) FROM rows r WHERE r.target_id = t.id)"
                                      : "0";
    auto statement = connection.prepare(
        "SELECT t.id, a.name, t.name, t.kind, t.schema_fingerprint, t.remote_id, " + row_count +
        ", t.last_synced_at, t.rows_digest, t.rows_digest_count, t.drift_checked_at "
        "FROM targets t JOIN apps a ON a.id = t.app_id WHERE " +
        std::string(where) + " ORDER BY t.name");
    bind(statement);
    std::vector<TargetRecord> records;
    while (statement.step()) {
      TargetRecord record;
      record.id = statement.column_int(0);
      record.app_name = statement.column_text(1);
      record.name = statement.column_text(2);
      record.kind = statement.column_text(3);
      if (const auto blob = statement.column_blob(4); blob.size() == 16) {
        record.schema_fingerprint = Fingerprint::from_bytes(blob.data());
      }
      record.remote_id = statement.column_text(5);
      record.row_count = statement.column_int(6);
      if (!statement.column_is_null(7)) record.last_synced_at_ms = statement.column_int(7);
      if (const auto digest = statement.column_blob(8);
          digest.size() == 16 && !statement.column_is_null(9)) {
        record.rows_digest =
            RowsDigest{Fingerprint::from_bytes(digest.data()), statement.column_int(9)};
      }
      if (!statement.column_is_null(10)) record.drift_checked_at_ms = statement.column_int(10);
      records.push_back(std::move(record));
    }
    return records;
  }

  // Reads the statement's current row into `row`, reusing its strings' capacity.
  static void read_row(const sqlite::Statement& statement, TrackedRow& row) {
    row.key.assign(statement.column_text_view(0));
    const auto blob = statement.column_blob(1);
    if (blob.size() != 16) {
      throw Error(ErrorKind::state_store, "state store: corrupt fingerprint for a tracked row");
    }
    row.fingerprint = Fingerprint::from_bytes(blob.data());
    row.remote_id.assign(statement.column_text_view(2));
    const auto status = parse_row_status(statement.column_text_view(3));
    if (!status) throw Error(ErrorKind::state_store, "state store: unknown row status");
    row.status = *status;
    row.updated_at_ms = statement.column_int(4);
  }

  static TrackedRow read_row(const sqlite::Statement& statement) {
    TrackedRow row;
    read_row(statement, row);
    return row;
  }
};

std::string_view to_string(RowStatus status) {
  switch (status) {
    case RowStatus::pending_create:
      return "pending_create";
    case RowStatus::synced:
      return "synced";
    case RowStatus::pending_delete:
      return "pending_delete";
  }
  return "unknown";
}

std::optional<RowStatus> parse_row_status(std::string_view text) {
  if (text == "pending_create") return RowStatus::pending_create;
  if (text == "synced") return RowStatus::synced;
  if (text == "pending_delete") return RowStatus::pending_delete;
  return std::nullopt;
}

std::unique_ptr<SqliteStateStore> SqliteStateStore::open(const std::string& path, Options options) {
  if (path != ":memory:" && !path.empty()) {
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ignored;
    if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  }
  auto impl = std::make_unique<Impl>(path, std::move(options));
  auto& connection = impl->connection;
  sqlite3_busy_timeout(connection.handle(),
                       static_cast<int>(std::chrono::milliseconds(kBusyTimeout).count()));
  try {
    connection.execute("PRAGMA foreign_keys = ON");
    if (!impl->in_memory()) {
      // WAL: readers (status) never block the syncing writer; NORMAL sync is crash-safe in WAL
      // mode (an application crash never corrupts; only a power loss may drop the last commits).
      enable_wal(connection);
      connection.execute("PRAGMA synchronous = NORMAL");
    }
    sqlite::migrate(connection);
  } catch (const Error& error) {
    throw Error(ErrorKind::state_store, std::string(error.what()) + " (file '" + path + "')");
  }
  return std::unique_ptr<SqliteStateStore>(new SqliteStateStore(std::move(impl)));
}

SqliteStateStore::SqliteStateStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStateStore::~SqliteStateStore() = default;

int SqliteStateStore::latest_schema_version() {
  return sqlite::latest_schema_version();
}

int SqliteStateStore::schema_version() {
  std::lock_guard guard(impl_->mutex);
  return sqlite::schema_version(impl_->connection);
}

std::unique_ptr<AppLock> SqliteStateStore::lock_app(std::string_view app_name) {
  if (impl_->in_memory()) {
    // A private in-memory store is only reachable from this object: guard against re-entry only.
    struct MemoryLock : AppLock {
      MemoryLock(Impl& impl, std::string name) : impl(impl), name(std::move(name)) {}
      ~MemoryLock() override {
        std::lock_guard guard(impl.mutex);
        impl.memory_locks.erase(name);
      }
      Impl& impl;
      std::string name;
    };
    std::lock_guard guard(impl_->mutex);
    if (!impl_->memory_locks.insert(std::string(app_name)).second) {
      throw_locked(app_name, static_cast<long>(::getpid()));
    }
    return std::make_unique<MemoryLock>(*impl_, std::string(app_name));
  }
  long holder_pid = 0;
  auto lock =
      FileLock::try_acquire(impl_->path + "." + lock_file_suffix(app_name) + ".lock", holder_pid);
  if (!lock) throw_locked(app_name, holder_pid);
  return std::make_unique<FileAppLock>(std::move(*lock));
}

std::vector<std::string> SqliteStateStore::apps() {
  std::lock_guard guard(impl_->mutex);
  auto statement = impl_->connection.prepare("SELECT name FROM apps ORDER BY name");
  std::vector<std::string> names;
  while (statement.step()) names.push_back(statement.column_text(0));
  return names;
}

std::vector<TargetRecord> SqliteStateStore::targets(std::string_view app_name, RowCounts counts) {
  std::lock_guard guard(impl_->mutex);
  return impl_->select_targets(counts, "a.name = ?",
                               [&](sqlite::Statement& s) { s.bind(1, app_name); });
}

TargetRecord SqliteStateStore::ensure_target(std::string_view app_name,
                                             std::string_view target_name, std::string_view kind) {
  std::lock_guard guard(impl_->mutex);
  sqlite::Transaction transaction(impl_->connection);
  const std::int64_t app_id = impl_->ensure_app(app_name);
  impl_->connection
      .prepare("INSERT OR IGNORE INTO targets (app_id, name, kind, created_at) VALUES (?, ?, ?, ?)")
      .bind(1, app_id)
      .bind(2, target_name)
      .bind(3, kind)
      .bind(4, now_ms())
      .run();
  auto records =
      impl_->select_targets(RowCounts::skipped, "t.app_id = ? AND t.name = ?",
                            [&](sqlite::Statement& s) { s.bind(1, app_id).bind(2, target_name); });
  transaction.commit();
  if (records.size() != 1) throw Error(ErrorKind::internal, "state store: target not created");
  if (records.front().kind != kind) {
    throw Error(ErrorKind::state_store, "state store: target '" + std::string(target_name) +
                                            "' of app '" + std::string(app_name) +
                                            "' was tracked as a '" + records.front().kind +
                                            "' target, not '" + std::string(kind) + "'");
  }
  return records.front();
}

void SqliteStateStore::update_target(const TargetRecord& record) {
  std::lock_guard guard(impl_->mutex);
  auto statement = impl_->connection.prepare(
      "UPDATE targets SET schema_fingerprint = ?, remote_id = ?, last_synced_at = ?, "
      "drift_checked_at = ? WHERE id = ?");
  if (record.schema_fingerprint) {
    const auto bytes = record.schema_fingerprint->to_bytes();
    statement.bind_blob(1, bytes);
  } else {
    statement.bind_null(1);
  }
  statement.bind(2, record.remote_id);
  if (record.last_synced_at_ms) {
    statement.bind(3, *record.last_synced_at_ms);
  } else {
    statement.bind_null(3);
  }
  if (record.drift_checked_at_ms) {
    statement.bind(4, *record.drift_checked_at_ms);
  } else {
    statement.bind_null(4);
  }
  statement.bind(5, record.id);
  statement.run();
}

void SqliteStateStore::drop_target(std::int64_t target_id) {
  std::lock_guard guard(impl_->mutex);
  sqlite::Transaction transaction(impl_->connection);
  impl_->connection.prepare("DELETE FROM rows WHERE target_id = ?").bind(1, target_id).run();
  impl_->connection.prepare("DELETE FROM targets WHERE id = ?").bind(1, target_id).run();
  transaction.commit();
}

void SqliteStateStore::for_each_row(std::int64_t target_id,
                                    const std::function<void(TrackedRow&&)>& visit) {
  std::lock_guard guard(impl_->mutex);
  auto statement = impl_->connection.prepare(
      "SELECT key, fingerprint, remote_id, status, updated_at FROM rows WHERE target_id = ? "
      "ORDER BY key");
  statement.bind(1, target_id);
  // One row object serves every row: a visitor that copies what it keeps (rather than moving the
  // strings out) costs no allocation per row.
  TrackedRow row;
  while (statement.step()) {
    Impl::read_row(statement, row);
    visit(std::move(row));
  }
}

std::optional<TrackedRow> SqliteStateStore::find_row(std::int64_t target_id, std::string_view key) {
  std::lock_guard guard(impl_->mutex);
  auto statement = impl_->connection.prepare(
      "SELECT key, fingerprint, remote_id, status, updated_at FROM rows "
      "WHERE target_id = ? AND key = ?");
  statement.bind(1, target_id).bind(2, key);
  if (!statement.step()) return std::nullopt;
  return Impl::read_row(statement);
}

std::int64_t SqliteStateStore::count_rows(std::int64_t target_id) {
  std::lock_guard guard(impl_->mutex);
  auto statement = impl_->connection.prepare("SELECT COUNT(*) FROM rows WHERE target_id = ?");
  statement.bind(1, target_id);
  statement.step();
  return statement.column_int(0);
}

void SqliteStateStore::commit(std::int64_t target_id, std::span<const RowChange> changes) {
  if (changes.empty()) return;
  std::lock_guard guard(impl_->mutex);
  auto& connection = impl_->connection;
  sqlite::Transaction transaction(connection);
  auto upsert = connection.prepare(
      "INSERT INTO rows (target_id, key, fingerprint, remote_id, status, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (target_id, key) DO UPDATE SET "
      "fingerprint = excluded.fingerprint, remote_id = excluded.remote_id, "
      "status = excluded.status, updated_at = excluded.updated_at");
  auto erase = connection.prepare("DELETE FROM rows WHERE target_id = ? AND key = ?");
  const std::int64_t now = now_ms();
  std::size_t written = 0;
  for (const auto& change : changes) {
    if (change.kind == RowChange::Kind::erase) {
      erase.bind(1, target_id).bind(2, change.row.key).run();
    } else {
      const auto bytes = change.row.fingerprint.to_bytes();
      upsert.bind(1, target_id)
          .bind(2, change.row.key)
          .bind_blob(3, bytes)
          .bind(4, change.row.remote_id)
          .bind(5, to_string(change.row.status))
          .bind(6, change.row.updated_at_ms != 0 ? change.row.updated_at_ms : now)
          .run();
    }
    ++written;
    if (impl_->options.commit_observer) impl_->options.commit_observer(written);
  }
  // The rows changed: their digest no longer describes them.
  connection.prepare("UPDATE targets SET rows_digest = NULL, rows_digest_count = NULL WHERE id = ?")
      .bind(1, target_id)
      .run();
  transaction.commit();
}

void SqliteStateStore::record_rows_digest(std::int64_t target_id, const RowsDigest& digest) {
  std::lock_guard guard(impl_->mutex);
  const auto bytes = digest.sum.to_bytes();
  impl_->connection
      .prepare("UPDATE targets SET rows_digest = ?, rows_digest_count = ? WHERE id = ?")
      .bind_blob(1, bytes)
      .bind(2, digest.count)
      .bind(3, target_id)
      .run();
}

void SqliteStateStore::record_run(const RunRecord& run) {
  std::lock_guard guard(impl_->mutex);
  sqlite::Transaction transaction(impl_->connection);
  const std::int64_t app_id = impl_->ensure_app(run.app_name);
  impl_->connection
      .prepare(
          "INSERT INTO runs (app_id, started_at, finished_at, outcome, summary) "
          "VALUES (?, ?, ?, ?, ?)")
      .bind(1, app_id)
      .bind(2, run.started_at_ms)
      .bind(3, run.finished_at_ms)
      .bind(4, run.outcome)
      .bind(5, run.summary_json)
      .run();
  transaction.commit();
}

std::optional<RunRecord> SqliteStateStore::last_run(std::string_view app_name) {
  std::lock_guard guard(impl_->mutex);
  auto statement = impl_->connection.prepare(
      "SELECT r.started_at, r.finished_at, r.outcome, r.summary FROM runs r "
      "JOIN apps a ON a.id = r.app_id WHERE a.name = ? ORDER BY r.started_at DESC, r.id DESC "
      "LIMIT 1");
  statement.bind(1, app_name);
  if (!statement.step()) return std::nullopt;
  return RunRecord{std::string(app_name), statement.column_int(0), statement.column_int(1),
                   statement.column_text(2), statement.column_text(3)};
}

std::optional<CachedValue> SqliteStateStore::read_cached(std::string_view app_name,
                                                         std::string_view scope,
                                                         std::string_view key,
                                                         std::int64_t now_ms) {
  std::lock_guard guard(impl_->mutex);
  auto statement = impl_->connection.prepare(
      "SELECT c.value, c.expires_at, c.updated_at FROM cached_values c "
      "JOIN apps a ON a.id = c.app_id WHERE a.name = ? AND c.scope = ? AND c.key = ? "
      "AND (c.expires_at IS NULL OR c.expires_at >= ?)");
  statement.bind(1, app_name).bind(2, scope).bind(3, key).bind(4, now_ms);
  if (!statement.step()) return std::nullopt;
  CachedValue value;
  value.value = statement.column_text(0);
  if (!statement.column_is_null(1)) value.expires_at_ms = statement.column_int(1);
  value.updated_at_ms = statement.column_int(2);
  return value;
}

void SqliteStateStore::write_cached(std::string_view app_name, std::string_view scope,
                                    std::string_view key, const CachedValue& value) {
  std::lock_guard guard(impl_->mutex);
  sqlite::Transaction transaction(impl_->connection);
  const std::int64_t app_id = impl_->ensure_app(app_name);
  impl_->connection
      .prepare("DELETE FROM cached_values WHERE app_id = ? AND scope = ? AND expires_at < ?")
      .bind(1, app_id)
      .bind(2, scope)
      .bind(3, value.updated_at_ms)
      .run();
  auto upsert = impl_->connection.prepare(
      "INSERT INTO cached_values (app_id, scope, key, value, expires_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, scope, key) DO UPDATE SET "
      "value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at");
  upsert.bind(1, app_id).bind(2, scope).bind(3, key).bind(4, value.value);
  if (value.expires_at_ms) {
    upsert.bind(5, *value.expires_at_ms);
  } else {
    upsert.bind_null(5);
  }
  upsert.bind(6, value.updated_at_ms).run();
  transaction.commit();
  if (impl_->options.cached_observer) impl_->options.cached_observer(scope, value);
}

void SqliteStateStore::erase_cached(std::string_view app_name, std::string_view scope,
                                    std::string_view key) {
  std::lock_guard guard(impl_->mutex);
  impl_->connection
      .prepare(
          "DELETE FROM cached_values WHERE app_id = (SELECT id FROM apps WHERE name = ?) "
          "AND scope = ? AND key = ?")
      .bind(1, app_name)
      .bind(2, scope)
      .bind(3, key)
      .run();
}

}  // namespace notionsync
