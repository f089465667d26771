// PostgresStateStore: the shared state store, for syncs that run on several machines.
//
//   auto store = PostgresStateStore::open("postgresql://sync:secret@db.internal/ops");
//   App app("people", *store);
//
// It keeps the same apps, targets, tracked rows and runs as the SQLite store, in tables of one
// PostgreSQL schema ("notionsync" unless told otherwise), so several apps, or several
// installations, can share a database. The schema is versioned (table schema_migrations) and
// migrated on open, each migration in its own transaction; a schema written by a newer notionsync
// is refused.
//
// Locks are PostgreSQL advisory locks held by a connection of their own: the server drops them
// when that session ends, so a killed process never leaves an app or a target locked. The holder's
// process id and host name are recorded so that a refused lock can say who holds it.
//
// Workers (notionsync/postgres/worker.hpp) sync different targets of one app at once: each holds
// the lock of the target it syncs (lock_target) rather than the app's. Which worker syncs what is
// decided on the worker board (notionsync/postgres/worker_board.hpp), in the same schema.
//
// Passwords never appear in messages: every error names the URL with its password replaced.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/core/state_store.hpp"

namespace notionsync {

// Held while one target of one app is being reconciled; destroying it (or the death of the
// process) releases it.
class TargetLock {
 public:
  virtual ~TargetLock() = default;
};

class PostgresStateStore : public StateStore {
 public:
  struct Options {
    // The PostgreSQL schema that holds the tables; created if missing. Empty: the URL's
    // `schema=NAME` query parameter if given, else "notionsync".
    std::string schema;
    // Called inside commit() after rows are written, with the number written so far, before the
    // transaction commits. Lets crash tests stop a process in the middle of a batch.
    std::function<void(std::size_t rows_written)> commit_observer;
  };

  // Connects to `url` (postgresql://[user[:password]@][host][:port][/database][?param=value&...],
  // or postgres://...; parameters are libpq's, plus `schema`), creates the schema if needed and
  // migrates it. Throws Error(ErrorKind::invalid_argument) for a malformed URL and
  // Error(ErrorKind::state_store) when the server cannot be reached, the schema holds something
  // else than a notionsync store, or it was written by a newer notionsync.
  static std::unique_ptr<PostgresStateStore> open(const std::string& url, Options options = {});

  // The schema version this build writes.
  static int latest_schema_version();
  int schema_version();
  // The schema that holds this store's tables.
  const std::string& schema() const;
  // The URL with its password replaced by "***": safe to print.
  const std::string& redacted_url() const;

  ~PostgresStateStore() override;

  // Session-level advisory lock on the app (see the class comment). Throws
  // Error(ErrorKind::state_store_locked) "app 'X' is being synced by process N on HOST; wait for
  // it to finish or stop it" while another lock holds it, including one taken in this process.
  std::unique_ptr<AppLock> lock_app(std::string_view app_name) override;

  // The exclusive right to reconcile one target of one app, so two workers never reconcile one
  // target at once. Independent of lock_app. Throws Error(ErrorKind::state_store_locked) naming the
  // holder while another session holds it.
  std::unique_ptr<TargetLock> lock_target(std::string_view app_name, std::string_view target_name);
  // Like lock_target, but returns nullptr instead of throwing when the target is held.
  std::unique_ptr<TargetLock> try_lock_target(std::string_view app_name,
                                              std::string_view target_name);

  std::vector<std::string> apps() override;
  std::vector<TargetRecord> targets(std::string_view app_name,
                                    RowCounts counts = RowCounts::counted) override;
  TargetRecord ensure_target(std::string_view app_name, std::string_view target_name,
                             std::string_view kind) override;
  void update_target(const TargetRecord& record) override;
  void drop_target(std::int64_t target_id) override;
  // Streams rows from one snapshot through a cursor on a connection of its own, a page at a time,
  // so memory stays flat and `visit` may use the store meanwhile.
  void for_each_row(std::int64_t target_id,
                    const std::function<void(TrackedRow&&)>& visit) override;
  std::optional<TrackedRow> find_row(std::int64_t target_id, std::string_view key) override;
  std::int64_t count_rows(std::int64_t target_id) override;
  // One transaction; rows are sent in multi-row statements of a few thousand rows each.
  void commit(std::int64_t target_id, std::span<const RowChange> changes) override;
  void record_rows_digest(std::int64_t target_id, const RowsDigest& digest) override;
  void record_run(const RunRecord& run) override;
  std::optional<RunRecord> last_run(std::string_view app_name) override;
  std::optional<CachedValue> read_cached(std::string_view app_name, std::string_view scope,
                                         std::string_view key, std::int64_t now_ms) override;
  void write_cached(std::string_view app_name, std::string_view scope, std::string_view key,
                    const CachedValue& value) override;
  void erase_cached(std::string_view app_name, std::string_view scope,
                    std::string_view key) override;

 private:
  struct Impl;
  explicit PostgresStateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace notionsync
